"""Reservations of on-hand stock for demand lines, and availability, through the warehouse API."""

from decimal import Decimal
from typing import Any

import pytest

from support import System, unique

pytestmark = pytest.mark.system


def line(item_no: str, entry_type: str, quantity: str, day: str = "2026-07-01", location_code: str = "MAIN",
         **extra: Any) -> dict[str, Any]:
    body = {"item_no": item_no, "entry_type": entry_type, "quantity": quantity, "posting_date": day,
            "location_code": location_code, **extra}
    return body


def reserve(system: System, item_no: str, quantity: str, order: str, location_code: str = "MAIN") -> Any:
    return system.http.post(system.url("warehouse", "/reservations"), json={
        "item_no": item_no, "location_code": location_code, "quantity": quantity,
        "source_type": "Sales Order", "source_id": order, "source_line_no": 10000})


def availability(system: System, item_no: str, **params: Any) -> dict[str, Decimal]:
    response = system.http.get(system.url("warehouse", f"/items/{item_no}/availability"), params=params)
    assert response.status_code == 200, response.text
    return {k: Decimal(v) for k, v in response.json().items() if k not in ("item_no", "location_code", "as_of")}


def test_reserved_stock_is_kept_for_its_demand_and_consumed_by_its_sale(system: System) -> None:
    item = system.create_item(prevent_negative_inventory="Yes")["item_no"]
    received = system.post(unique("R"), [line(item, "Purchase", "6", "2026-07-01", unit_cost="4.00"),
                                         line(item, "Purchase", "4", "2026-07-02", unit_cost="5.00")])
    assert received.status_code == 201, received.text
    older, newer = (e["entry_no"] for e in received.json()["entries"])
    order_1, order_2 = unique("SO"), unique("SO")

    first = reserve(system, item, "6", order_1)
    assert first.status_code == 201, first.text
    assert [(e["item_ledger_entry_no"], Decimal(e["quantity"])) for e in first.json()["entries"]] == [(older, 6)]
    second = reserve(system, item, "3", order_2)
    assert [(e["item_ledger_entry_no"], Decimal(e["quantity"])) for e in second.json()["entries"]] == [(newer, 3)]
    refused = reserve(system, item, "2", unique("SO"))
    assert refused.status_code == 409 and refused.json()["available"] == "1.00000"

    assert availability(system, item) == {
        "inventory": 10, "in_transit": 0, "reserved": 9, "available_inventory": 1, "gross_requirement": 9,
        "scheduled_receipts": 0, "projected_available_balance": 1}
    assert availability(system, item, location_code="EAST")["inventory"] == 0
    assert availability(system, item, date="2026-07-01")["inventory"] == 6

    # A sale for nobody may take only the 1 unreserved unit.
    taken = system.post(unique("S"), [line(item, "Sale", "2", "2026-07-03")])
    assert taken.status_code == 409 and taken.json()["reserved_for_others"] == "9.00000"
    assert system.post(unique("S"), [line(item, "Sale", "1", "2026-07-03")]).status_code == 201

    # Order 2's sale applies to its reserved (newer) entry, not to the oldest.
    sold = system.post(unique("S"), [line(item, "Sale", "2", "2026-07-04", source_type="Sales Order",
                                          source_id=order_2, source_line_no=10000)])
    assert sold.status_code == 201, sold.text
    assert [(a["inbound_entry_no"], Decimal(a["quantity"])) for a in sold.json()["entries"][0]["applications"]] == [(newer, 2)]
    open_for_2 = system.http.get(system.url("warehouse", "/reservations"), params={"source_id": order_2}).json()["entries"]
    assert [Decimal(r["remaining_quantity"]) for r in open_for_2] == [1]

    cancelled = system.http.post(system.url("warehouse", "/reservations/cancel"), json={
        "source_type": "Sales Order", "source_id": order_1, "source_line_no": 10000})
    assert cancelled.status_code == 200 and Decimal(cancelled.json()["quantity"]) == 6
    assert availability(system, item)["reserved"] == 1
    assert system.post(unique("S"), [line(item, "Sale", "6", "2026-07-05")]).status_code == 201
    assert system.quantity_on_hand(item) == 1

    everything = system.http.get(system.url("warehouse", "/reservations"),
                                 params={"item_no": item, "include_closed": "true"}).json()["entries"]
    assert sorted(r["status"] for r in everything) == ["Cancelled", "Reserved"]

    system.wait_quiet()
    sale_costs = [Decimal(v["cost_amount_actual"]) for v in system.value_entries(item) if v["item_ledger_entry_type"] == "Sale"]
    # The one free unit was on the newer entry (the older one is all reserved for order 1).
    assert sale_costs == [Decimal("-5.00"), Decimal("-10.00"), Decimal("-24.00")]
    assert Decimal(system.valuation(item_no=item)["cost_amount_actual"]) == Decimal("5.00")


def test_reservation_refusals_write_nothing(system: System) -> None:
    item = system.create_item()["item_no"]
    assert system.post(unique("R"), [line(item, "Purchase", "2", unit_cost="1.00")]).status_code == 201
    assert reserve(system, item, "1", unique("SO"), "IN-TRANSIT").json()["type"] == "/problems/in-transit-location"
    assert reserve(system, item, "1", unique("SO"), "NOWHERE").json()["type"] == "/problems/unknown-location"
    assert reserve(system, "NO-SUCH-ITEM", "1", unique("SO")).json()["type"] == "/problems/unknown-item"
    assert reserve(system, item, "0", unique("SO")).status_code == 422
    assert reserve(system, item, "3", unique("SO")).status_code == 409
    assert system.http.get(system.url("warehouse", "/reservations"),
                           params={"item_no": item, "include_closed": "true"}).json()["entries"] == []
    half = system.post(unique("S"), [line(item, "Sale", "1", source_type="Sales Order")])
    assert half.status_code == 422 and half.json()["type"] == "/problems/invalid-request"
