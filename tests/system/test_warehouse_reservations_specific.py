"""Reservations of specific serial and lot numbers: such a reservation takes only entries with that number, and the
demand's sale of the number consumes it, through the warehouse API."""

from decimal import Decimal
from typing import Any

import pytest

from support import System, unique

pytestmark = pytest.mark.system

SERIAL_SPECIFIC = {"serial_specific": True, "serial_required_for": ["Purchase", "Sale", "Positive Adjmt.",
                                                                    "Negative Adjmt.", "Transfer"]}
LOT_SPECIFIC = {"lot_specific": True, "lot_required_for": ["Purchase", "Sale", "Transfer"]}


def line(item_no: str, entry_type: str, quantity: str, day: str = "2026-08-03", **extra: Any) -> dict[str, Any]:
    body = {"item_no": item_no, "entry_type": entry_type, "quantity": quantity, "posting_date": day,
            "location_code": "MAIN", **extra}
    if entry_type == "Purchase":
        body["unit_cost"] = "3.00"
    return body


def tracked_item(system: System, rules: dict[str, Any]) -> str:
    code = unique("TC")[:20]
    response = system.http.put(system.url("catalog", f"/item-tracking-codes/{code}"), json=rules)
    assert response.status_code == 200, response.text
    return str(system.create_item(item_tracking_code=code, prevent_negative_inventory="Yes")["item_no"])


def reserve(system: System, item_no: str, quantity: str, order: str, **number: str) -> Any:
    return system.http.post(system.url("warehouse", "/reservations"), json={
        "item_no": item_no, "location_code": "MAIN", "quantity": quantity,
        "source_type": "Sales Order", "source_id": order, "source_line_no": 10000, **number})


def reserved(response: Any) -> list[tuple[int, str, str, Decimal]]:
    assert response.status_code == 201, response.text
    return [(e["item_ledger_entry_no"], e["serial_no"], e["lot_no"], Decimal(e["quantity"]))
            for e in response.json()["entries"]]


def refused(response: Any, status: int = 409, problem: str = "insufficient-inventory") -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = dict(response.json())
    assert body["type"] == f"/problems/{problem}", body
    return body


def posted(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 201, response.text
    return list(response.json()["entries"])


def for_order(order: str) -> dict[str, Any]:
    return {"source_type": "Sales Order", "source_id": order, "source_line_no": 10000}


def test_a_serial_reservation_takes_that_serial_only(system: System) -> None:
    item = tracked_item(system, SERIAL_SPECIFIC)
    received = posted(system.post(unique("R"), [line(item, "Purchase", "3", "2026-08-01", tracking=[
        {"serial_no": "SN1"}, {"serial_no": "SN2"}, {"serial_no": "SN3"}])]))
    entry = {e["serial_no"]: e["entry_no"] for e in received}
    order_a, order_b, order_c = unique("SO"), unique("SO"), unique("SO")

    # Not the oldest entry (SN1): the one of the serial named.
    assert reserved(reserve(system, item, "1", order_a, serial_no="SN2")) == [(entry["SN2"], "SN2", "", 1)]
    body = refused(reserve(system, item, "1", order_b, serial_no="SN2"))
    assert body["serial_no"] == "SN2" and body["available"] == "0.00000"
    refused(reserve(system, item, "2", order_b, serial_no="SN3"))
    refused(reserve(system, item, "1", order_b, serial_no="NOPE"))
    # A reservation that names no serial takes what nobody reserved: SN1 and SN3.
    assert sorted(r[1] for r in reserved(reserve(system, item, "2", order_c))) == ["SN1", "SN3"]

    # SN2 is kept for order A: a sale for nobody cannot take it, order A's sale can.
    refused(system.post(unique("S"), [line(item, "Sale", "1", tracking=[{"serial_no": "SN2"}])]))
    (sale,) = posted(system.post(unique("S"), [line(item, "Sale", "1", tracking=[{"serial_no": "SN2"}],
                                                    **for_order(order_a))]))
    assert [a["inbound_entry_no"] for a in sale["applications"]] == [entry["SN2"]]
    history = system.http.get(system.url("warehouse", "/reservations"),
                              params={"source_id": order_a, "include_closed": "true"}).json()["entries"]
    assert [(r["serial_no"], r["status"], Decimal(r["remaining_quantity"])) for r in history] == [("SN2", "Consumed", 0)]
    open_c = system.http.get(system.url("warehouse", "/reservations"), params={"source_id": order_c}).json()["entries"]
    assert sorted(r["serial_no"] for r in open_c) == ["SN1", "SN3"]


def test_a_lot_reservation_takes_entries_of_that_lot_only(system: System) -> None:
    item = tracked_item(system, LOT_SPECIFIC)
    received = posted(system.post(unique("R"), [line(item, "Purchase", "10", "2026-08-01", tracking=[
        {"lot_no": "LOT-A", "quantity": "4"}, {"lot_no": "LOT-B", "quantity": "6"}])]))
    entry = {e["lot_no"]: e["entry_no"] for e in received}
    order_1, order_2 = unique("SO"), unique("SO")

    assert reserved(reserve(system, item, "5", order_1, lot_no="LOT-B")) == [(entry["LOT-B"], "", "LOT-B", 5)]
    body = refused(reserve(system, item, "2", order_2, lot_no="LOT-B"))
    assert body["lot_no"] == "LOT-B" and body["available"] == "1.00000"
    # LOT-A is still free.
    assert reserved(reserve(system, item, "2", order_2, lot_no="LOT-A")) == [(entry["LOT-A"], "", "LOT-A", 2)]

    availability = system.http.get(system.url("warehouse", f"/items/{item}/availability")).json()
    assert Decimal(availability["reserved"]) == 7 and Decimal(availability["available_inventory"]) == 3

    # A sale of LOT-B for nobody may take only its 1 unreserved unit.
    refused(system.post(unique("S"), [line(item, "Sale", "2", tracking=[{"lot_no": "LOT-B", "quantity": "2"}])]))
    posted(system.post(unique("S"), [line(item, "Sale", "1", tracking=[{"lot_no": "LOT-B", "quantity": "1"}])]))
    # Order 1's sale of 3 of LOT-B consumes 3 of its 5.
    (sale,) = posted(system.post(unique("S"), [line(item, "Sale", "3", tracking=[{"lot_no": "LOT-B", "quantity": "3"}],
                                                    **for_order(order_1))]))
    assert [(a["inbound_entry_no"], Decimal(a["quantity"])) for a in sale["applications"]] == [(entry["LOT-B"], 3)]
    open_1 = system.http.get(system.url("warehouse", "/reservations"), params={"source_id": order_1}).json()["entries"]
    assert [(r["lot_no"], Decimal(r["remaining_quantity"])) for r in open_1] == [("LOT-B", 2)]

    cancelled = system.http.post(system.url("warehouse", "/reservations/cancel"), json=for_order(order_1))
    assert cancelled.status_code == 200 and [e["lot_no"] for e in cancelled.json()["entries"]] == ["LOT-B"]
    assert reserved(reserve(system, item, "2", unique("SO"), lot_no="LOT-B")) == [(entry["LOT-B"], "", "LOT-B", 2)]
    assert system.quantity_on_hand(item) == 6
