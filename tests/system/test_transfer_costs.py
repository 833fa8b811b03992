"""Across the services: transfers and reclassifications carry cost from their origin to the G/L, and the books reconcile."""

from decimal import Decimal
from typing import Any

import pytest

from support import System, unique, wait_until

pytestmark = pytest.mark.system


def values_by_location(system: System, item: str) -> dict[str, Decimal]:
    return {
        line["location_code"]: Decimal(line["cost_amount_actual"])
        for line in system.valuation(item_no=item)["lines"]
        if Decimal(line["cost_amount_actual"]) or Decimal(line["quantity"])
    }


def transfer_step(system: System, order_no: str, action: str, body: dict[str, Any]) -> dict[str, Any]:
    response = system.http.post(system.url("warehouse", f"/transfer-orders/{order_no}/{action}"), json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_a_transfer_order_moves_value_through_in_transit_and_posts_both_sides(system: System) -> None:
    item = system.create_item()["item_no"]
    receipt = system.post(unique("P"), [
        {"item_no": item, "entry_type": "Purchase", "quantity": "4", "unit_cost": "3.00", "posting_date": "2026-06-01", "location_code": "MAIN"},
        {"item_no": item, "entry_type": "Purchase", "quantity": "4", "unit_cost": "3.50", "posting_date": "2026-06-01", "location_code": "MAIN"},
    ])
    assert receipt.status_code == 201, receipt.text
    order = system.http.post(system.url("warehouse", "/transfer-orders"), json={
        "no": unique("TO"), "transfer_from_code": "MAIN", "transfer_to_code": "EAST", "in_transit_code": "IN-TRANSIT",
        "lines": [{"item_no": item, "quantity": "6"}]})
    assert order.status_code == 201, order.text
    order_no, line_no = order.json()["no"], order.json()["lines"][0]["line_no"]
    transfer_step(system, order_no, "ship", {"shipment_no": unique("TS"), "posting_date": "2026-06-02",
                                             "lines": [{"line_no": line_no, "quantity": "6"}]})
    transfer_step(system, order_no, "receive", {"receipt_no": unique("TR"), "posting_date": "2026-06-03",
                                                "lines": [{"line_no": line_no, "quantity": "5"}]})
    assert system.post(unique("S"), [{"item_no": item, "entry_type": "Sale", "quantity": "5", "posting_date": "2026-06-04",
                                      "location_code": "EAST"}]).status_code == 201
    system.wait_quiet()

    # FIFO out of MAIN: 4 @ 3.00 + 2 @ 3.50 = 19.00 shipped; 5 of the 6 received at EAST and sold.
    values = values_by_location(system, item)
    assert values == {"MAIN": Decimal("7.00"), "IN-TRANSIT": Decimal("3.17")}
    sale = [v for v in system.value_entries(item) if v["item_ledger_entry_type"] == "Sale"]
    assert [Decimal(v["cost_amount_actual"]) for v in sale] == [Decimal("-15.83")]

    inventory = system.accounts_for("MAIN", "RESALE", "", "RETAIL")["inventory"]
    ours = {v["entry_no"] for v in system.value_entries(item)}
    balance = sum((Decimal(g["amount"]) for g in system.gl_entries(account_no=inventory) if g["value_entry_no"] in ours), Decimal(0))
    assert balance == sum(values.values())
    waiting = system.http.get(system.url("ledger", "/pending-value-entries")).json()["pending_value_entries"]
    assert not ours & {entry["value_entry_no"] for entry in waiting}
    found = wait_until(lambda: (r := system.http.get(system.url("ledger", "/reconciliation")).json())["caught_up"] and r,
                       what="reconciliation caught up")
    assert all(Decimal(line["difference"]) == 0 for line in found["lines"])


def test_a_reclassification_keeps_the_cost(system: System) -> None:
    item = system.create_item()["item_no"]
    assert system.post(unique("P"), [{"item_no": item, "entry_type": "Purchase", "quantity": "3", "unit_cost": "10.00",
                                      "posting_date": "2026-06-01", "location_code": "MAIN"}]).status_code == 201
    moved = system.http.post(system.url("warehouse", "/reclassification-journal"), json={
        "document_no": unique("RC"),
        "lines": [{"item_no": item, "quantity": "2", "posting_date": "2026-06-02", "location_code": "MAIN",
                   "new_location_code": "WEST"}]})
    assert moved.status_code == 201, moved.text
    system.wait_quiet()
    assert values_by_location(system, item) == {"MAIN": Decimal("10.00"), "WEST": Decimal("20.00")}
