"""Locations, bins, bin content, allowed posting dates and closed inventory periods, through the warehouse API."""

from decimal import Decimal
from typing import Any

import pytest

from support import System, unique

pytestmark = pytest.mark.system


def line(item_no: str, entry_type: str, quantity: str, location_code: str = "MAIN", day: str = "2026-05-04",
         **extra: Any) -> dict[str, Any]:
    body = {"item_no": item_no, "entry_type": entry_type, "quantity": quantity, "posting_date": day,
            "location_code": location_code, **extra}
    if entry_type in ("Purchase", "Positive Adjmt.") and "unit_cost" not in body:
        body["unit_cost"] = "2.00"
    return body


def assert_problem(response: Any, status: int, problem_type: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = dict(response.json())
    assert body["type"] == f"/problems/{problem_type}" and body["detail"]
    return body


def create_location(system: System, **fields: Any) -> dict[str, Any]:
    body = {"code": unique("L")[:10], "name": "A location", **fields}
    response = system.http.post(system.url("warehouse", "/locations"), json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_seeded_locations_are_listed_and_the_in_transit_one_is_flagged(system: System) -> None:
    codes = {}
    params: dict[str, Any] = {"limit": 2}
    while True:
        page = system.http.get(system.url("warehouse", "/locations"), params=params).json()
        codes |= {l["code"]: l for l in page["locations"]}
        if not page["next_cursor"]:
            break
        params["cursor"] = page["next_cursor"]
    assert {"MAIN", "EAST", "WEST", "IN-TRANSIT"} <= set(codes)
    assert codes["IN-TRANSIT"]["use_as_in_transit"] and not codes["MAIN"]["use_as_in_transit"]
    assert system.http.get(system.url("warehouse", "/locations/EAST")).json()["name"]
    assert_problem(system.http.get(system.url("warehouse", "/locations/NOPE")), 404, "not-found")


def test_location_create_is_idempotent_and_a_duplicate_code_conflicts(system: System) -> None:
    center = system.http.post(system.url("warehouse", "/responsibility-centers"),
                              json={"code": "NRTH", "name": "North"})
    assert center.status_code in (201, 409), center.text
    body = {"code": unique("L")[:10], "name": "North", "responsibility_center": "NRTH"}
    url = system.url("warehouse", "/locations")
    first = system.http.post(url, json=body, headers={"Idempotency-Key": f"loc-{body['code']}"})
    again = system.http.post(url, json=body, headers={"Idempotency-Key": f"loc-{body['code']}"})
    assert first.status_code == again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert first.json()["responsibility_center"] == "NRTH"
    assert_problem(system.http.post(url, json=body), 409, "already-exists")
    assert_problem(system.http.post(url, json={"code": "X1", "name": "x", "use_as_in_transit": True,
                                               "bin_mandatory": True}), 422, "invalid-location")


def test_posting_to_the_blank_and_other_seeded_locations_works(system: System) -> None:
    item = system.create_item()["item_no"]
    response = system.post(unique("D"), [line(item, "Purchase", "1", ""), line(item, "Purchase", "2", "EAST"),
                                         line(item, "Purchase", "3", "WEST")])
    assert response.status_code == 201, response.text
    assert [e["bin_code"] for e in response.json()["entries"]] == ["", "", ""]
    assert system.quantity_on_hand(item) == 6


@pytest.mark.parametrize(
    "location_code, bin_code, problem_type",
    [("NOWHERE", None, "unknown-location"), ("IN-TRANSIT", None, "in-transit-location"),
     ("MAIN", "A1", "unknown-bin")],
)
def test_refused_destination_writes_nothing(system: System, location_code: str, bin_code: str | None,
                                            problem_type: str) -> None:
    item = system.create_item()["item_no"]
    extra = {"bin_code": bin_code} if bin_code else {}
    response = system.post(unique("D"), [line(item, "Purchase", "5"), line(item, "Purchase", "1", location_code, **extra)])
    body = assert_problem(response, 422, problem_type)
    assert body["line_no"] == 20000 and body["location_code"] == location_code
    assert system.item_ledger_entries(item) == []


def test_bin_mandatory_location_needs_a_known_bin_and_keeps_bin_content(system: System) -> None:
    location = create_location(system, bin_mandatory=True)["code"]
    bins_url = system.url("warehouse", f"/locations/{location}/bins")
    for code in ("A1", "A2"):
        assert system.http.post(bins_url, json={"code": code, "description": f"shelf {code}"}).status_code == 201
    assert_problem(system.http.post(bins_url, json={"code": "A1"}), 409, "already-exists")
    assert [b["code"] for b in system.http.get(bins_url).json()["bins"]] == ["A1", "A2"]
    assert_problem(system.http.post(system.url("warehouse", "/locations/IN-TRANSIT/bins"), json={"code": "B"}),
                   422, "invalid-location")

    item = system.create_item()["item_no"]
    assert_problem(system.post(unique("D"), [line(item, "Purchase", "5", location)]), 422, "bin-required")
    assert_problem(system.post(unique("D"), [line(item, "Purchase", "5", location, bin_code="ZZ")]), 422, "unknown-bin")
    assert system.item_ledger_entries(item) == []

    posted = system.post(unique("D"), [line(item, "Purchase", "5", location, bin_code="A1"),
                                       line(item, "Purchase", "3", location, bin_code="A2"),
                                       line(item, "Negative Adjmt.", "2", location, bin_code="A1")])
    assert posted.status_code == 201, posted.text
    contents = system.http.get(system.url("warehouse", "/bin-contents"), params={"item_no": item}).json()["bin_contents"]
    assert [(c["location_code"], c["bin_code"], Decimal(c["quantity"])) for c in contents] == [
        (location, "A1", 3), (location, "A2", 3)]
    # The location has 6, but bin A2 only 3: a bin never goes below zero.
    body = assert_problem(system.post(unique("D"), [line(item, "Sale", "4", location, bin_code="A2")]),
                          409, "insufficient-bin-content")
    assert body["bin_content"] == "3.00000"
    assert system.quantity_on_hand(item) == 6

    system.wait_quiet()
    (entry,) = [r for r in system.records("warehouse.item-entries.v1", key=item) if b'"A2"' in r.value]
    assert b'"bin_code":"A2"' in entry.value


def test_posting_outside_the_allowed_posting_dates_is_refused(system: System) -> None:
    setup_url = system.url("warehouse", "/inventory-setup")
    before = system.http.get(setup_url).json()
    item = system.create_item()["item_no"]
    try:
        window = {**before, "allow_posting_from": "2026-05-01", "allow_posting_to": "2026-05-31"}
        assert system.http.put(setup_url, json=window).status_code == 200
        assert system.http.get(setup_url).json()["allow_posting_to"] == "2026-05-31"
        assert system.post(unique("D"), [line(item, "Purchase", "1", day="2026-05-31")]).status_code == 201
        for day in ("2026-04-30", "2026-06-01"):
            body = assert_problem(system.post(unique("D"), [line(item, "Purchase", "1", day=day)]),
                                  422, "posting-date-not-allowed")
            assert body["posting_date"] == day and body["allow_posting_from"] == "2026-05-01"
        assert_problem(system.http.put(setup_url, json={**before, "allow_posting_from": "2026-06-01",
                                                        "allow_posting_to": "2026-05-01"}), 422, "invalid-request")
    finally:
        assert system.http.put(setup_url, json=before).status_code == 200
    assert len(system.item_ledger_entries(item)) == 1


def test_closed_inventory_period_refuses_postings_until_reopened(system: System) -> None:
    item = system.create_item()["item_no"]
    periods = system.url("warehouse", "/inventory-periods")
    # Years before any other test's dates, so that the closed periods disturb nobody.
    assert system.post(unique("D"), [line(item, "Purchase", "2", day="2019-11-15")]).status_code == 201
    try:
        closed = system.http.post(f"{periods}/2019-11-30/close", json={"name": "2019-11"})
        assert closed.status_code == 200, closed.text
        assert closed.json() == {"ending_date": "2019-11-30", "closed": True, "name": "2019-11"}
        body = assert_problem(system.post(unique("D"), [line(item, "Sale", "1", day="2019-11-20")]),
                              422, "inventory-period-closed")
        assert body["period_ending_date"] == "2019-11-30"
        assert system.post(unique("D"), [line(item, "Sale", "1", day="2019-12-01")]).status_code == 201

        assert system.http.post(f"{periods}/2019-12-31/close", json={}).status_code == 200
        assert_problem(system.http.post(f"{periods}/2019-11-30/reopen"), 409, "inventory-period-change-refused")
        assert system.http.post(f"{periods}/2019-12-31/reopen").json()["closed"] is False
        assert system.http.post(f"{periods}/2019-11-30/reopen").json()["closed"] is False
        assert system.post(unique("D"), [line(item, "Sale", "1", day="2019-11-20")]).status_code == 201
    finally:
        for ending in ("2019-12-31", "2019-11-30"):
            system.http.post(f"{periods}/{ending}/reopen")
    listed = {p["ending_date"]: p["closed"] for p in system.http.get(periods).json()["periods"]}
    assert listed["2019-11-30"] is False and listed["2019-12-31"] is False
    assert system.quantity_on_hand(item) == 0


def test_a_period_with_outbound_entries_waiting_for_stock_cannot_close(system: System) -> None:
    item = system.create_item(prevent_negative_inventory="No")["item_no"]
    assert system.post(unique("D"), [line(item, "Sale", "1", day="2018-06-10")]).status_code == 201
    body = assert_problem(system.http.post(system.url("warehouse", "/inventory-periods/2018-06-30/close"), json={}),
                          409, "inventory-period-change-refused")
    assert "negative inventory" in body["detail"]
    assert system.post(unique("D"), [line(item, "Purchase", "1", day="2018-06-11")]).status_code == 201
