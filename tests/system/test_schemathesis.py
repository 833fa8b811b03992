"""Error answers the OpenAPI documents must declare (found by the schemathesis run over every operation)."""

import pytest

from support import System

pytestmark = pytest.mark.system

SERVICES = ("catalog", "warehouse", "costing", "ledger")


# Answers the documents did not declare.
UNDECLARED = [
    ("catalog", "/items", 400, {"cursor": "%"}),
    ("catalog", "/nonstock-items", 400, {"cursor": "%"}),
    ("warehouse", "/item-ledger-entries", 400, {"cursor": "%"}),
    ("warehouse", "/physical-inventory-ledger-entries", 400, {"cursor": "%"}),
    ("warehouse", "/locations", 400, {"cursor": "%"}),
    ("costing", "/value-entries", 400, {"cursor": "%"}),
    ("ledger", "/accounts", 400, {"cursor": "%"}),
    ("ledger", "/gl-entries", 400, {"cursor": "%"}),
    ("ledger", "/pending-value-entries", 400, {"cursor": "%"}),
    ("warehouse", "/items/{item_no}/quantity-on-hand", 404, {}),
    *[(service, "/problems/{slug}", 404, {}) for service in SERVICES],
]


@pytest.mark.parametrize(("service", "path", "status", "params"), UNDECLARED)
def test_an_error_answer_is_declared_in_the_document(system: System, service: str, path: str, status: int,
                                                     params: dict[str, str]) -> None:
    url = system.url(service, path.format(item_no="NO-SUCH-ITEM", slug="no-such-problem"))
    response = system.http.get(url, params=params)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    document = system.http.get(system.url(service, "/openapi.json")).json()
    declared = document["paths"][path]["get"]["responses"]
    assert str(status) in declared, declared
    assert "application/problem+json" in declared[str(status)]["content"]
