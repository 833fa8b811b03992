"""Availability by event, by period and by BOM level through the warehouse API, from posted stock and open sales,
purchase and transfer orders; bad questions refused with problem details."""

from decimal import Decimal
from typing import Any

import httpx
import pytest

from support import System, unique, wait_until

pytestmark = pytest.mark.system

DAY = "2026-09-01"


def assert_problem(response: httpx.Response, status: int, problem_type: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["type"] == f"/problems/{problem_type}", response.text


def receive(system: System, item: str, quantity: str, location: str = "MAIN") -> None:
    response = system.post(unique("P"), [{"item_no": item, "entry_type": "Purchase", "quantity": quantity,
                                          "unit_cost": "2.00", "posting_date": DAY, "location_code": location}])
    assert response.status_code == 201, response.text


def order(system: System, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = system.http.post(system.url("warehouse", path), json={"order_date": DAY, **body})
    assert response.status_code == 201, response.text
    return dict(response.json())


def events(system: System, item: str, **params: str) -> dict[str, Any]:
    response = system.http.get(system.url("warehouse", f"/items/{item}/availability/events"), params=params)
    assert response.status_code == 200, response.text
    return dict(response.json())


def rows(found: dict[str, Any]) -> list[tuple[Any, ...]]:
    """(date, type, receipt less requirement, balance after) per event."""
    return [(e["date"], e["type"], Decimal(e["scheduled_receipt"]) - Decimal(e["gross_requirement"]),
             Decimal(e["projected_available_balance"])) for e in found["events"]]


def column(system: System, item: str, figure: str, **params: str) -> list[Decimal]:
    response = system.http.get(system.url("warehouse", f"/items/{item}/availability"), params=params)
    assert response.status_code == 200, response.text
    return [Decimal(p[figure]) for p in response.json()["periods"]]


def test_events_in_date_order_with_the_balance_after_each_and_each_period_its_own(system: System) -> None:
    item = system.create_item()["item_no"]
    receive(system, item, "10")
    so = order(system, "/sales-orders", {"no": unique("SO"), "lines": [
        {"item_no": item, "location_code": "MAIN", "quantity": "9", "shipment_date": "2026-09-10"},
        {"item_no": item, "location_code": "MAIN", "quantity": "4", "shipment_date": "2026-09-03"}]})
    po = order(system, "/purchase-orders", {"no": unique("PO"), "lines": [
        {"item_no": item, "location_code": "MAIN", "quantity": "6", "expected_receipt_date": "2026-09-10"}]})
    transfer = system.http.post(system.url("warehouse", "/transfer-orders"), json={
        "no": unique("TO"), "transfer_from_code": "MAIN", "transfer_to_code": "EAST", "in_transit_code": "IN-TRANSIT",
        "lines": [{"item_no": item, "quantity": "2"}]})
    assert transfer.status_code == 201, transfer.text

    at_main = events(system, item, location_code="MAIN")
    assert Decimal(at_main["inventory"]) == 10
    # The transfer line carries no date: it counts first. On 09-10 the receipt comes before the sale.
    assert rows(at_main) == [(None, "Transfer Shipment", -2, 8), ("2026-09-03", "Sales Order", -4, 4),
                             ("2026-09-10", "Purchase Order", 6, 10), ("2026-09-10", "Sales Order", -9, 1)]
    assert [(e["document_no"], e["line_no"]) for e in at_main["events"][1:]] == [
        (so["no"], 20000), (po["no"], 10000), (so["no"], 10000)]
    assert Decimal(at_main["projected_available_balance"]) == 1
    # Company-wide the transfer leaves one location for another: no event.
    assert rows(events(system, item)) == [("2026-09-03", "Sales Order", -4, 6), ("2026-09-10", "Purchase Order", 6, 12),
                                          ("2026-09-10", "Sales Order", -9, 3)]
    assert rows(events(system, item, location_code="EAST")) == [(None, "Transfer Receipt", 2, 2)]
    assert rows(events(system, item, location_code="MAIN", to="2026-09-09")) == [
        (None, "Transfer Shipment", -2, 8), ("2026-09-03", "Sales Order", -4, 4)]

    weeks = {"period": "week", "from": "2026-08-31", "to": "2026-09-14", "location_code": "MAIN"}
    assert column(system, item, "gross_requirement", **weeks) == [6, 9, 0]
    assert column(system, item, "scheduled_receipts", **weeks) == [0, 6, 0]
    assert column(system, item, "projected_available_balance", **weeks) == [4, 1, 1]
    assert column(system, item, "gross_requirement", view_as="balance_at_date", **weeks) == [6, 15, 15]

    # Shipping 3 against the line of 09-03 moves them from its requirement into the inventory.
    shipped = system.http.post(system.url("warehouse", "/sales-shipments"), json={"document_no": unique("SS"), "lines": [{
        "item_no": item, "entry_type": "Sale", "quantity": "3", "posting_date": "2026-09-02", "location_code": "MAIN",
        "source_type": "Sales Order", "source_id": so["no"], "source_line_no": 20000}]})
    assert shipped.status_code == 201, shipped.text
    after = events(system, item, location_code="MAIN")
    assert Decimal(after["inventory"]) == 7
    assert rows(after)[1] == ("2026-09-03", "Sales Order", -1, 4) and Decimal(after["projected_available_balance"]) == 1
    assert column(system, item, "net_change", **weeks) == [7, 0, 0]
    assert column(system, item, "projected_available_balance", **weeks) == [4, 1, 1]

    # A reservation for a registered sales order line is part of that line's requirement; one for any other demand
    # is an undated requirement of its own.
    for source_type, source_id, quantity in [("Sales Order", so["no"], "2"), ("Service Order", unique("SV"), "1")]:
        reserved = system.http.post(system.url("warehouse", "/reservations"), json={
            "item_no": item, "location_code": "MAIN", "quantity": quantity, "source_type": source_type,
            "source_id": source_id, "source_line_no": 10000})
        assert reserved.status_code == 201, reserved.text
    with_reservations = events(system, item, location_code="MAIN")
    assert rows(with_reservations)[0][1:] == ("Reservation", -1, 6)
    assert rows(with_reservations)[1:] == [(None, "Transfer Shipment", -2, 4), ("2026-09-03", "Sales Order", -1, 3),
                                           ("2026-09-10", "Purchase Order", 6, 9), ("2026-09-10", "Sales Order", -9, 0)]


def test_bad_event_questions_are_refused(system: System) -> None:
    assert_problem(system.http.get(system.url("warehouse", "/items/NO-SUCH-ITEM/availability/events")), 404,
                   "not-found")
    item = system.create_item()["item_no"]
    for path in ("events", "bom-levels"):
        url = system.url("warehouse", f"/items/{item}/availability/{path}")
        assert_problem(system.http.get(url, params={"to": "yesterday", "date": "2026-13-01"}), 422, "invalid-request")
        assert httpx.get(url).status_code == 401
        other_scope = {"Authorization": f"Bearer {system.stack.issuer.token(scopes=['catalog:read'])}"}
        assert httpx.get(url, headers=other_scope).status_code == 403
    assert_problem(system.http.get(system.url("warehouse", f"/items/{item}/availability"), params={
        "period": "day", "from": DAY, "to": DAY, "view_as": "sideways"}), 422, "invalid-request")


def bom(*components: tuple[str, str]) -> list[dict[str, Any]]:
    return [{"line_no": (n + 1) * 10000, "type": "Item", "no": no, "quantity_per": per}
            for n, (no, per) in enumerate(components)]


def test_availability_by_bom_level_shows_what_each_line_allows_and_the_bottleneck(system: System) -> None:
    a, b, c, d, e = (system.create_item(description=f"part {n}")["item_no"] for n in "ABCDE")
    for no, quantity in [(a, "5"), (b, "9"), (c, "1"), (d, "7"), (e, "10")]:
        receive(system, no, quantity)
    system.give_bom(c, bom((d, "3"), (e, "1")))
    system.give_bom(a, bom((b, "2"), (c, "1")))
    order(system, "/sales-orders", {"no": unique("SO"), "lines": [
        {"item_no": d, "location_code": "MAIN", "quantity": "3", "shipment_date": "2026-09-20"}]})
    url = system.url("warehouse", f"/items/{a}/availability/bom-levels")

    def levels(**params: str) -> list[dict[str, Any]]:
        response = system.http.get(url, params={"location_code": "MAIN", **params})
        assert response.status_code == 200, response.text
        return list(response.json()["lines"])

    lines = wait_until(lambda: len(levels()) == 5 and levels(date="2026-09-15"), what="the BOMs in the replica")
    assert [(l["level"], l["item_no"], l["parent_item_no"], Decimal(l["quantity_per"])) for l in lines] == [
        (0, a, None, 1), (1, b, a, 2), (1, c, a, 1), (2, d, c, 3), (2, e, c, 1)]
    assert lines[1]["description"] == "part B" and [l["is_assembly"] for l in lines] == [True, False, True, False, False]
    # D: 7 // 3 = 2 C, with the 1 C in stock 3 A; B: 9 // 2 = 4 A. D is the bottleneck.
    assert [(Decimal(l["available"]), Decimal(l["able_to_make_parent"]), Decimal(l["able_to_make_top_item"]))
            for l in lines] == [(5, 3, 3), (9, 4, 4), (1, 3, 3), (7, 2, 3), (10, 10, 11)]
    assert [l["item_no"] for l in lines if l["bottleneck"]] == [d]

    # After the sale of 3 D on 09-20, D allows 1 C: 2 A.
    later = levels(date="2026-09-25")
    assert [Decimal(l["able_to_make_top_item"]) for l in later] == [2, 4, 2, 2, 11]
    assert Decimal(later[3]["available"]) == 4
    # Elsewhere nothing is available.
    assert {Decimal(l["able_to_make_top_item"]) for l in levels(location_code="EAST")} == {0}


def test_an_assembly_order_is_a_receipt_of_its_item_and_a_requirement_of_its_components(system: System) -> None:
    parent, component = (system.create_item()["item_no"] for _ in range(2))
    receive(system, component, "10")
    system.give_bom(parent, bom((component, "2")))
    wait_until(lambda: len(system.http.get(system.url("warehouse", f"/items/{parent}/availability/bom-levels")).json()
                           ["lines"]) == 2, what="the BOM in the replica")
    assembly = system.http.post(system.url("warehouse", "/assembly-orders"), json={
        "item_no": parent, "quantity": "3", "location_code": "MAIN", "due_date": "2026-09-12",
        "starting_date": "2026-09-10"})
    assert assembly.status_code == 201, assembly.text
    no = assembly.json()["no"]

    assert rows(events(system, parent, location_code="MAIN")) == [("2026-09-12", "Assembly Order", 3, 3)]
    [consumed] = events(system, component, location_code="MAIN")["events"]
    assert (consumed["date"], consumed["type"], consumed["document_no"], consumed["line_no"]) == (
        "2026-09-10", "Assembly Component", no, 10000)
    assert rows(events(system, component)) == [("2026-09-10", "Assembly Component", -6, 4)]
    days = {"period": "day", "from": "2026-09-09", "to": "2026-09-12", "location_code": "MAIN"}
    assert column(system, component, "gross_requirement", **days) == [0, 6, 0, 0]
    assert column(system, parent, "scheduled_receipts", **days) == [0, 0, 0, 3]
    assert column(system, parent, "projected_available_balance", **days) == [0, 0, 0, 3]

    # Assembling 1 of the 3 moves it from the order into the inventory, and 2 components out of it.
    posted = system.http.post(system.url("warehouse", f"/assembly-orders/{no}/post"),
                              json={"quantity_to_assemble": "1", "posting_date": "2026-09-10"})
    assert posted.status_code == 201, posted.text
    after = events(system, parent, location_code="MAIN")
    assert Decimal(after["inventory"]) == 1 and rows(after) == [("2026-09-12", "Assembly Order", 2, 3)]
    after = events(system, component, location_code="MAIN")
    assert Decimal(after["inventory"]) == 8 and rows(after) == [("2026-09-10", "Assembly Component", -4, 4)]
