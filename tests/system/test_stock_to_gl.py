"""The slice: a stock posting flows from the warehouse through costing to the general ledger."""

from decimal import Decimal
from typing import Any

import pytest

from support import System, unique

pytestmark = pytest.mark.system


def line(item_no: str, entry_type: str, quantity: str, unit_cost: str | None = None, day: str = "2026-01-05") -> dict[str, Any]:
    body = {"item_no": item_no, "entry_type": entry_type, "quantity": quantity, "posting_date": day, "location_code": "MAIN"}
    return body | ({"unit_cost": unit_cost} if unit_cost is not None else {})


def balances_of_item(system: System, item_no: str) -> dict[str, Decimal]:
    value_entries = {v["entry_no"] for v in system.value_entries(item_no)}
    totals: dict[str, Decimal] = {}
    for entry in system.gl_entries():
        if entry["value_entry_no"] in value_entries:
            totals[entry["account_no"]] = totals.get(entry["account_no"], Decimal(0)) + Decimal(entry["amount"])
    return totals


def test_two_receipts_and_a_sale_post_cogs_and_inventory(system: System) -> None:
    item = system.create_item()["item_no"]
    assert system.post(unique("RCPT"), [line(item, "Purchase", "10", "5.00"), line(item, "Purchase", "10", "6.00")]).status_code == 201
    sold = system.post(unique("SHIP"), [line(item, "Sale", "15", day="2026-01-06")])
    assert sold.status_code == 201, sold.text
    (sale,) = sold.json()["entries"]
    assert [(a["inbound_entry_no"], Decimal(a["quantity"])) for a in sale["applications"]] == [
        (sale["entry_no"] - 2, 10), (sale["entry_no"] - 1, 5)
    ]
    system.wait_quiet()

    costs = {v["item_ledger_entry_type"]: Decimal(v["cost_amount_actual"]) for v in system.value_entries(item)
             if v["item_ledger_entry_type"] == "Sale"}
    assert costs == {"Sale": Decimal("-80.00")}
    valuation = system.valuation(item_no=item)
    assert (Decimal(valuation["quantity"]), Decimal(valuation["cost_amount_actual"])) == (5, Decimal("30.00"))
    assert system.quantity_on_hand(item) == 5

    accounts = system.accounts_for("MAIN", "RESALE", "", "RETAIL")
    balances = balances_of_item(system, item)
    assert balances[accounts["inventory"]] == Decimal("30.00")
    assert balances[accounts["cogs"]] == Decimal("80.00")
    assert balances[accounts["direct_cost_applied"]] == Decimal("-110.00")
    assert sum(balances.values()) == 0

    trial_balance = system.trial_balance()
    assert Decimal(trial_balance["total_debit"]) == Decimal(trial_balance["total_credit"])


def test_adjustments_post_against_inventory_adjustment(system: System) -> None:
    item = system.create_item()["item_no"]
    assert system.post(unique("ADJ"), [line(item, "Positive Adjmt.", "4", "2.50")]).status_code == 201
    assert system.post(unique("ADJ"), [line(item, "Negative Adjmt.", "1")]).status_code == 201
    system.wait_quiet()
    accounts = system.accounts_for("MAIN", "RESALE", "", "RETAIL")
    balances = balances_of_item(system, item)
    assert balances[accounts["inventory"]] == Decimal("7.50")
    assert balances[accounts["inventory_adjmt"]] == Decimal("-7.50")


def test_lifo_item_sells_the_newest_receipt_first(system: System) -> None:
    item = system.create_item(costing_method="LIFO")["item_no"]
    assert system.post(unique("R"), [line(item, "Purchase", "1", "10.00"), line(item, "Purchase", "1", "20.00"),
                                     line(item, "Purchase", "1", "30.00")]).status_code == 201
    for day in ("2026-01-06", "2026-01-07", "2026-01-08"):
        assert system.post(unique("S"), [line(item, "Sale", "1", day=day)]).status_code == 201
    system.wait_quiet()
    sales = [Decimal(v["cost_amount_actual"]) for v in system.value_entries(item) if v["item_ledger_entry_type"] == "Sale"]
    assert sales == [Decimal("-30.00"), Decimal("-20.00"), Decimal("-10.00")]
    assert Decimal(system.valuation(item_no=item)["cost_amount_actual"]) == 0


def test_negative_inventory_is_valued_provisionally_and_adjusted_when_stock_arrives(system: System) -> None:
    item = system.create_item(prevent_negative_inventory="No")["item_no"]
    assert system.post(unique("R"), [line(item, "Purchase", "1", "10.00")]).status_code == 201
    assert system.post(unique("S"), [line(item, "Sale", "3", day="2026-01-06")]).status_code == 201
    assert system.quantity_on_hand(item) == -2
    assert system.post(unique("R"), [line(item, "Purchase", "2", "16.00", day="2026-01-07")]).status_code == 201
    system.wait_quiet()

    sale_entry = next(e for e in system.item_ledger_entries(item) if e["entry_type"] == "Sale")
    sale_cost = sum(Decimal(v["cost_amount_actual"]) for v in system.value_entries(item) if v["item_ledger_entry_no"] == sale_entry["entry_no"])
    assert sale_cost == Decimal("-42.00")
    assert any(v["adjustment"] for v in system.value_entries(item))
    valuation = system.valuation(item_no=item)
    assert (Decimal(valuation["quantity"]), Decimal(valuation["cost_amount_actual"])) == (0, 0)
    accounts = system.accounts_for("MAIN", "RESALE", "", "RETAIL")
    assert balances_of_item(system, item)[accounts["inventory"]] == 0


def test_unsupported_costing_method_is_refused_by_the_catalog(system: System) -> None:
    # Every costing method is valued now; what the catalog still refuses is Specific without a
    # serial-specific item tracking code, since costing finds the exact serial's entry through it.
    response = system.http.post(system.url("catalog", "/items"), json={
        "item_no": unique("SPEC"), "description": "x", "base_unit_of_measure": "PCS", "costing_method": "Specific",
        "inventory_posting_group": "RESALE", "gen_prod_posting_group": "RETAIL"})
    assert response.status_code == 422, response.text
    assert response.json()["type"] == "/problems/specific-costing-needs-serial-tracking"
