"""Revaluation and invoicing together: only invoiced quantity is revalued (Standard items also uninvoiced),
so that no invoice moves a revalued cost afterwards."""

from decimal import Decimal
from typing import Any

from costing_helpers import balances_of_item, create_item, entry_costs, implement_standard_cost, invoice, line, posted, received
from support import System

D = Decimal


def revalue(system: System, item_no: str, day: str, **how: str | int) -> Any:
    return system.http.post(system.url("costing", "/revaluations"), json={"item_no": item_no, "posting_date": day, **how})


def test_only_completely_invoiced_entries_are_revalued(system: System) -> None:
    item = create_item(system, costing_method="FIFO")
    receipt = received(system, item, "10", "10.00", "2024-03-01")
    (invoiced,) = posted(system, line(item, "Purchase", "5", "12.00", "2024-03-01"))
    system.wait_quiet()

    refused = revalue(system, item, "2024-03-05", new_unit_cost="15", item_ledger_entry_no=receipt["entry_no"])
    assert refused.status_code == 422, refused.text
    assert "not completely invoiced" in refused.json()["detail"]
    revalued = revalue(system, item, "2024-03-05", new_unit_cost="15")
    assert revalued.status_code == 201, revalued.text
    assert [(e["item_ledger_entry_no"], D(e["cost_amount_actual"])) for e in revalued.json()["entries"]] == [
        (invoiced["entry_no"], D("15.00"))
    ]

    # The receipt's invoice at another price changes its own cost only; the revalued entry keeps 15.00 a unit.
    invoice(system, receipt["entry_no"], "10", "11.00", "2024-03-06")
    system.wait_quiet()
    costs = entry_costs(system, item)
    assert (costs[receipt["entry_no"]], costs[invoiced["entry_no"]]) == (D("110.00"), D("75.00"))
    valuation = system.valuation(item_no=item)
    assert (D(valuation["cost_amount_actual"]), D(valuation["cost_amount_expected"])) == (D("185.00"), D("0.00"))


def test_a_standard_item_is_revalued_uninvoiced_as_expected_cost_and_its_invoice_keeps_the_new_standard(system: System) -> None:
    item = create_item(system, costing_method="Standard", standard_cost="10.00")
    receipt = received(system, item, "10", "11.00", "2024-03-01")
    system.wait_quiet()
    implement_standard_cost(system, item, "12.00", "2024-03-05")
    system.wait_quiet()
    valuation = system.valuation(item_no=item)
    assert (D(valuation["cost_amount_actual"]), D(valuation["cost_amount_expected"])) == (D("0.00"), D("120.00"))

    invoice(system, receipt["entry_no"], "10", "11.00", "2024-03-06")
    system.wait_quiet()
    entries = sorted((v for v in system.value_entries(item) if v["item_ledger_entry_no"] == receipt["entry_no"]),
                     key=lambda v: v["entry_no"])
    # Received at the standard 10.00 and revalued to 12.00, both as expected cost; the invoice at 11.00 reverses
    # both and the variance is the difference to the standard in force, 12.00.
    assert [(v["entry_type"], D(v["cost_amount_actual"]), D(v["cost_amount_expected"])) for v in entries] == [
        ("Direct Cost", D("0.00"), D("100.00")),
        ("Revaluation", D("0.00"), D("20.00")),
        ("Direct Cost", D("110.00"), D("-100.00")),
        ("Revaluation", D("0.00"), D("-20.00")),
        ("Variance", D("10.00"), D("0.00")),
    ]
    # The receipt's first value entry valued it; every later one (revaluation, invoice) applies to it.
    first, *later = entries
    assert first["applies_to_entry"] is None and {v["applies_to_entry"] for v in later} == {first["entry_no"]}
    valuation = system.valuation(item_no=item)
    assert (D(valuation["cost_amount_actual"]), D(valuation["cost_amount_expected"])) == (D("120.00"), D("0.00"))
    accounts = system.accounts_for("MAIN", "RESALE", "", "RETAIL")
    balances = balances_of_item(system, item)
    assert {role: balances.get(accounts[role], D(0)) for role in (
        "inventory", "inventory_interim", "invt_accrual_interim", "direct_cost_applied", "purchase_variance", "inventory_adjmt",
    )} == {"inventory": D("120.00"), "inventory_interim": D("0.00"), "invt_accrual_interim": D("0.00"),
           "direct_cost_applied": D("-110.00"), "purchase_variance": D("-10.00"), "inventory_adjmt": D("0.00")}
