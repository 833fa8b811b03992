"""Specific costing through the services: an outbound entry costs what the exact serial it names cost.

DOMAIN.md section 5, "Costing methods", the Specific case with its exact numbers.
"""

from decimal import Decimal
from typing import Any

import pytest

from support import System, unique, wait_until

pytestmark = pytest.mark.system

D = Decimal
ACCOUNTS = ("MAIN", "RESALE", "", "RETAIL")
SERIAL_SPECIFIC = {"serial_specific": True, "serial_required_for": ["Purchase", "Sale"]}


def specific_item(system: System) -> str:
    """A Specific item with a serial-specific tracking code, known to costing's replica."""
    code = unique("SN")[:20]
    response = system.http.put(system.url("catalog", f"/item-tracking-codes/{code}"), json=SERIAL_SPECIFIC)
    assert response.status_code in (200, 201), response.text
    item_no = str(system.create_item(costing_method="Specific", item_tracking_code=code)["item_no"])
    wait_until(lambda: system.http.get(system.url("costing", f"/items/{item_no}/cost")).status_code == 200,
               what=f"item {item_no} in the costing replica")
    return item_no


def line(item_no: str, entry_type: str, serial_no: str, day: str, unit_cost: str | None = None) -> dict[str, Any]:
    body = {"item_no": item_no, "entry_type": entry_type, "quantity": "1", "posting_date": day, "location_code": "MAIN",
            "tracking": [{"serial_no": serial_no}]}
    return body | ({"unit_cost": unit_cost} if unit_cost is not None else {})


def posted(system: System, *lines: dict[str, Any]) -> list[dict[str, Any]]:
    response = system.post(unique("D"), lines)
    assert response.status_code == 201, response.text
    return list(response.json()["entries"])


def entry_costs(system: System, item_no: str) -> dict[int, Decimal]:
    costs: dict[int, Decimal] = {}
    for value_entry in system.value_entries(item_no):
        number = value_entry["item_ledger_entry_no"]
        costs[number] = costs.get(number, D(0)) + D(value_entry["cost_amount_actual"])
    return costs


def test_domain_example_specific_costs_the_serial_each_sale_names(system: System) -> None:
    item = specific_item(system)
    purchases = [
        posted(system, line(item, "Purchase", serial, "2020-01-01", cost))[0]
        for serial, cost in (("S1", "10.00"), ("S2", "20.00"), ("S3", "30.00"))
    ]
    by_serial = {p["serial_no"]: p["entry_no"] for p in purchases}
    sales = [
        posted(system, line(item, "Sale", serial, day))[0]
        for serial, day in (("S2", "2020-01-02"), ("S1", "2020-01-03"), ("S3", "2020-01-04"))
    ]
    # The warehouse applied each sale to the entry of the serial it names (entries 2, 1, 3).
    assert [[a["inbound_entry_no"] for a in s["applications"]] for s in sales] == [
        [by_serial["S2"]], [by_serial["S1"]], [by_serial["S3"]]]
    system.wait_quiet()

    costs = entry_costs(system, item)
    assert [costs[s["entry_no"]] for s in sales] == [D("-20.00"), D("-10.00"), D("-30.00")]
    valuation = system.valuation(item_no=item)
    assert (D(valuation["quantity"]), D(valuation["cost_amount_actual"])) == (D(0), D(0))
    accounts = system.accounts_for(*ACCOUNTS)
    inventory = D(0)
    value_entries = {v["entry_no"] for v in system.value_entries(item)}
    for entry in system.gl_entries():
        if entry["value_entry_no"] in value_entries and entry["account_no"] == accounts["inventory"]:
            inventory += D(entry["amount"])
    assert inventory == 0


def test_a_charge_on_one_serial_adjusts_only_the_sale_of_that_serial(system: System) -> None:
    item = specific_item(system)
    s1, = posted(system, line(item, "Purchase", "S1", "2020-01-01", "10.00"))
    s2, = posted(system, line(item, "Purchase", "S2", "2020-01-01", "20.00"))
    sale_s2, = posted(system, line(item, "Sale", "S2", "2020-01-02"))
    system.wait_quiet()

    body = {"item_charge_no": "FREIGHT", "document_no": unique("CH"), "posting_date": "2020-02-10", "amount": "3.00",
            "split": "Equally", "lines": [{"item_ledger_entry_no": s2["entry_no"]}]}
    response = system.http.post(system.url("costing", "/item-charges"), json=body)
    assert response.status_code == 201, response.text
    system.wait_quiet()

    adjusted = [v for v in system.value_entries(item) if v["adjustment"]]
    assert [(v["item_ledger_entry_no"], D(v["cost_amount_actual"]), v["posting_date"]) for v in adjusted] == [
        (sale_s2["entry_no"], D("-3.00"), "2020-01-02")]
    costs = entry_costs(system, item)
    assert (costs[s1["entry_no"]], costs[s2["entry_no"]], costs[sale_s2["entry_no"]]) == (D("10.00"), D("23.00"), D("-23.00"))
    # S1 is still on hand at its own cost.
    valuation = system.valuation(item_no=item)
    assert (D(valuation["quantity"]), D(valuation["cost_amount_actual"])) == (D(1), D("10.00"))
