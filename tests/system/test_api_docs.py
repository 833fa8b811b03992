"""Each service's API docs (Swagger UI at /docs, ReDoc at /redoc) work without internet: every script,
stylesheet and icon they reference is served by the service itself, without a token."""

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import httpx
import pytest

from devstack.stack import SERVICES
from support import System

pytestmark = pytest.mark.system


class Assets(HTMLParser):
    """The URLs a page loads: `<script src>` and `<link href>`, with the kind of each."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        given = dict(attrs)
        if tag == "script" and given.get("src"):
            self.found.append(("script", given["src"] or ""))
        elif tag == "link" and given.get("href"):
            self.found.append(((given.get("rel") or "link").split()[-1], given["href"] or ""))


EXPECTED_TYPES = {"script": "javascript", "stylesheet": "text/css", "icon": "image/"}


@pytest.mark.parametrize("service", list(SERVICES))
@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_a_docs_page_loads_only_what_its_service_serves(system: System, service: str, page: str) -> None:
    base = system.stack.url(service)
    with httpx.Client(timeout=30) as anonymous:  # no token: like /docs, its assets are open
        response = anonymous.get(base + page)
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
        parser = Assets()
        parser.feed(response.text)
        kinds = {kind for kind, _ in parser.found}
        assert "script" in kinds and (page == "/redoc" or "stylesheet" in kinds), parser.found
        for kind, url in parser.found:
            absolute = urljoin(base + page, url)
            assert urlsplit(absolute).netloc == urlsplit(base).netloc, f"{page} loads {url} from another host"
            asset = anonymous.get(absolute)
            assert asset.status_code == 200, f"{url}: {asset.status_code}"
            assert EXPECTED_TYPES[kind] in asset.headers["content-type"], (url, asset.headers["content-type"])
            assert len(asset.content) > 1000


def test_swagger_ui_can_still_authorize_with_a_bearer_token_or_the_client_credentials_flow(system: System) -> None:
    base = system.stack.url("warehouse")
    with httpx.Client(timeout=30) as anonymous:
        page = anonymous.get(f"{base}/docs").text
        assert "oauth2RedirectUrl: window.location.origin + '/docs/oauth2-redirect'" in page
        assert anonymous.get(f"{base}/docs/oauth2-redirect").status_code == 200
        schemes = anonymous.get(f"{base}/openapi.json").json()["components"]["securitySchemes"]
    assert schemes["bearer"] == {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    assert schemes["oauth2"]["flows"]["clientCredentials"]["tokenUrl"].startswith("http")
    # What Authorize sends: the operations take the token pasted into it.
    assert system.http.get(system.url("warehouse", "/inventory-setup")).status_code == 200
