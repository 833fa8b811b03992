"""Every problem type a service can answer with resolves to a page that explains it."""

import importlib
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from devstack.issuer import DevIssuer

REPO = Path(__file__).resolve().parents[2]
SERVICES = ("catalog", "warehouse", "costing", "ledger")
# Where slugs appear: on errors, `status, slug, title = 409, "x", "T"` (or `slug, title = "x", "T"`), and
# `(422, "T", "x", ...)` / `_problem_response(request, 422, "T", "x", ...)` where a problem is answered directly.
_PATTERNS = (
    re.compile(r'\bslug = "([a-z][a-z0-9-]*)"'),
    re.compile(r'\bslug, title(?:, error)? = (?:\d{3}, )?"([a-z][a-z0-9-]*)"'),
    re.compile(r'\b\d{3}, "[^"]*", "([a-z][a-z0-9-]*)"'),
)


@pytest.fixture(autouse=True)
def token_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A service refuses to start without an issuer to trust; the pages themselves are open."""
    for name, value in DevIssuer(tmp_path / "auth").env().items():
        monkeypatch.setenv(name, value)


def slugs_in(folder: Path) -> set[str]:
    found: set[str] = set()
    for source in folder.rglob("*.py"):
        text = source.read_text()
        for pattern in _PATTERNS:
            found.update(pattern.findall(text))
    return found


def test_the_code_uses_slugs_at_all() -> None:
    assert {"invalid-request", "invalid-character", "content-too-large", "internal"} <= slugs_in(REPO / "servicekit" / "src")
    assert "insufficient-inventory" in slugs_in(REPO / "services" / "warehouse" / "src")


@pytest.mark.parametrize("service", SERVICES)
def test_every_problem_type_in_the_code_has_a_page(service: str) -> None:
    app = importlib.import_module(f"{service}.bootstrap").build_app()
    client = TestClient(app)  # no lifespan: the pages need neither database nor broker
    slugs = slugs_in(REPO / "servicekit" / "src") | slugs_in(REPO / "services" / service / "src")
    for slug in sorted(slugs):
        response = client.get(f"/problems/{slug}")
        assert response.status_code == 200, f"{service}: /problems/{slug} -> {response.status_code}"
        assert response.headers["content-type"].startswith("text/html")
        assert app.state.problem_types[slug].explanation, f"{service}: {slug} has no explanation"


def test_an_unknown_problem_type_is_not_found() -> None:
    app = importlib.import_module("ledger.bootstrap").build_app()
    response = TestClient(app).get("/problems/no-such-problem")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
