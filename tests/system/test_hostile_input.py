"""Hostile HTTP input on every service: a 4xx problem response, nothing written, and the connection stays usable."""

from typing import Any

import httpx
import pytest

from inventory_contracts.limits import INT32_MAX, INT64_MAX
from support import System, unique

pytestmark = pytest.mark.system

SERVICES = ("catalog", "warehouse", "costing", "ledger")
DAY = "2026-03-02"
BIG = str(INT64_MAX * 10)


def assert_problem(response: httpx.Response, status: int, slug: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = dict(response.json())
    if slug is not None:
        assert body["type"] == f"/problems/{slug}", body
    return body


def purchase(item_no: str, quantity: str = "1", unit_cost: str = "5.00", **extra: Any) -> dict[str, Any]:
    return {"item_no": item_no, "entry_type": "Purchase", "quantity": quantity, "unit_cost": unit_cost,
            "posting_date": DAY, "location_code": "MAIN", **extra}


# One GET with a path parameter and one with a query parameter per service, used with a NUL and a huge integer.
PATHS = {
    "catalog": ["/items/{s}", "/items?search={s}", "/nonstock-items/{i}", "/items/X/references/{i}"],
    "warehouse": ["/items/{s}/quantity-on-hand", "/item-ledger-entries?item_no={s}", "/item-ledger-entries?limit={i}"],
    "costing": ["/items/{s}/cost", "/value-entries?item_no={s}", "/value-entries?item_ledger_entry_no={i}"],
    "ledger": ["/accounts/{s}", "/gl-entries?account_no={s}", "/gl-entries?value_entry_no={i}"],
}


@pytest.mark.parametrize("service", SERVICES)
def test_a_nul_character_in_a_path_or_query_is_refused(system: System, service: str) -> None:
    for template in PATHS[service]:
        if "{s}" in template:
            assert_problem(system.http.get(system.url(service, template.format(s="A%00B"))), 422, "invalid-character")


@pytest.mark.parametrize("service", SERVICES)
def test_an_integer_beyond_int64_in_a_path_or_query_is_refused(system: System, service: str) -> None:
    with httpx.Client(timeout=30) as client:  # one keep-alive connection for every request
        for template in PATHS[service]:
            if "{i}" in template:
                response = client.get(system.url(service, template.format(i=BIG)))
                assert 400 <= response.status_code < 500, response.text
                assert client.get(system.url(service, "/healthz")).status_code == 200


def test_a_nul_character_in_a_body_is_refused_and_nothing_is_written(system: System) -> None:
    item_no = unique("NUL")
    response = system.http.post(system.url("catalog", "/items"), json={
        "item_no": item_no, "description": "bad\u0000name", "base_unit_of_measure": "PCS",
        "inventory_posting_group": "RESALE", "gen_prod_posting_group": "RETAIL"})
    assert_problem(response, 422, "invalid-character")
    assert system.http.get(system.url("catalog", f"/items/{item_no}")).status_code == 404
    item = system.create_item()["item_no"]
    assert_problem(system.post("D\u0000X", [purchase(item)]), 422, "invalid-character")
    for service, path in (("costing", "/revaluations"), ("ledger", "/accounts")):
        response = system.http.post(system.url(service, path), json={"item_no": "a\u0000", "no": "\u0000"})
        assert_problem(response, 422, "invalid-character")
    assert system.item_ledger_entries(item) == []


def test_a_backslash_u_text_is_not_taken_for_a_nul(system: System) -> None:
    item = system.create_item(description="a \\u0000 b")  # the six characters, not NUL
    assert item["description"] == "a \\u0000 b"


@pytest.mark.parametrize("field, value", [("line_no", INT32_MAX + 1), ("line_no", INT64_MAX * 10),
                                          ("source_line_no", INT32_MAX + 1)])
def test_an_integer_beyond_its_column_in_a_body_is_refused(system: System, field: str, value: int) -> None:
    item = system.create_item()["item_no"]
    line = purchase(item, **{field: value})
    if field == "source_line_no":
        line = {"item_no": item, "entry_type": "Sale", "quantity": "1", "posting_date": DAY, "location_code": "MAIN",
                "source_type": "Sales Order", "source_id": "SO-1", field: value}
    response = system.post(unique("D"), [line])
    assert 400 <= response.status_code < 500 and response.status_code != 404, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert system.item_ledger_entries(item) == []


@pytest.mark.parametrize("quantity, unit_cost", [
    ("999999999999999", "999999999999999"),
    ("100000000", "1"),       # quantity just beyond the limit
    ("1", "10000000"),        # unit cost just beyond the limit
    ("1e400", "1"),
    ("NaN", "1"),
])
def test_numbers_beyond_what_the_services_store_are_refused_at_the_warehouse(
    system: System, quantity: str, unit_cost: str
) -> None:
    item = system.create_item()["item_no"]
    assert_problem(system.post(unique("D"), [purchase(item, quantity, unit_cost)]), 422)
    assert system.item_ledger_entries(item) == []


def test_the_largest_accepted_line_is_valued_and_posted_downstream(system: System) -> None:
    """The limits are chosen so that what the warehouse accepts costing and the ledger store: no dead letter."""
    item = system.create_item(indirect_cost_pct="1000", overhead_rate="9999999.99999")["item_no"]
    dead_letters = system.dead_letter_counts()
    response = system.post(unique("D"), [purchase(item, "99999999.99999", "9999999.99999")])
    assert response.status_code == 201, response.text
    system.wait_quiet()
    value_entries = system.value_entries(item)
    assert value_entries  # direct cost, and indirect cost with the overhead
    for value_entry in value_entries:
        assert len(system.gl_entries(value_entry_no=value_entry["entry_no"])) == 2
    assert system.dead_letter_counts() == dead_letters


def test_a_unit_of_measure_cannot_take_a_quantity_beyond_the_limit(system: System) -> None:
    item = system.create_item(units_of_measure=[{"code": "PALLET", "qty_per_unit_of_measure": "1000000"}])["item_no"]
    line = purchase(item, "1000", "1", unit_of_measure_code="PALLET")
    assert_problem(system.post(unique("D"), [line]), 422, "invalid-journal-line")
    assert system.item_ledger_entries(item) == []


@pytest.mark.parametrize("service", SERVICES)
def test_a_body_over_the_limit_is_refused_with_413(system: System, service: str) -> None:
    path = {"catalog": "/items", "warehouse": "/item-journal", "costing": "/revaluations", "ledger": "/accounts"}[service]
    big = b'{"x": "' + b"a" * (5 * 1024 * 1024) + b'"}'
    response = system.http.post(system.url(service, path), content=big, headers={"content-type": "application/json"})
    assert_problem(response, 413, "content-too-large")

    def chunks() -> Any:  # no Content-Length: counted as it streams
        for _ in range(6):
            yield b"a" * (1024 * 1024)

    with httpx.Client(timeout=30, headers=system.headers) as client:
        response = client.post(system.url(service, path), content=chunks(), headers={"content-type": "application/json"})
        assert_problem(response, 413, "content-too-large")


@pytest.mark.parametrize("service", SERVICES)
def test_a_deeply_nested_body_is_refused(system: System, service: str) -> None:
    path = {"catalog": "/items", "warehouse": "/item-journal", "costing": "/revaluations", "ledger": "/accounts"}[service]
    body = b"[" * 100_000 + b"]" * 100_000
    assert_problem(system.http.post(system.url(service, path), content=body, headers={"content-type": "application/json"}), 422)


@pytest.mark.parametrize("service", SERVICES)
def test_the_connection_keeps_working_after_an_error(system: System, service: str) -> None:
    with httpx.Client(timeout=30) as client:
        for bad in (f"/no-such-path/{BIG}", "/problems/x%00y", PATHS[service][-1].format(i=BIG, s="x")):
            response = client.get(system.url(service, bad))
            assert 400 <= response.status_code < 500, response.text
            assert client.get(system.url(service, "/healthz")).status_code == 200


def test_method_not_allowed_says_what_is_allowed(system: System) -> None:
    response = system.http.request("PUT", system.url("warehouse", "/item-journal"))
    assert_problem(response, 405, "method-not-allowed")
    assert "POST" in response.headers["allow"]
    response = system.http.request("PUT", system.url("catalog", "/items"))
    assert {"GET", "POST"} <= {m.strip() for m in response.headers["allow"].split(",")}


@pytest.mark.parametrize("service", SERVICES)
def test_problem_types_resolve(system: System, service: str) -> None:
    problem = system.http.post(system.url(service, "/healthz"))  # 405
    page = system.http.get(system.url(service, problem.json()["type"]))
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert system.http.get(system.url(service, "/problems/no-such-problem")).status_code == 404
