"""Concurrent sales against scarce stock: the item's lock lets exactly the covered ones through."""

from decimal import Decimal

import pytest

from support import System, unique

pytestmark = pytest.mark.system


def test_fifty_concurrent_sales_of_one_against_ten_on_hand(system: System) -> None:
    dead_letters_before = system.dead_letter_counts()
    item = system.create_item(prevent_negative_inventory="Yes")["item_no"]
    received = system.post(unique("R"), [{"item_no": item, "entry_type": "Purchase", "quantity": "10", "unit_cost": "3.00",
                                          "posting_date": "2026-06-01", "location_code": "MAIN"}])
    assert received.status_code == 201, received.text

    responses = system.sell_one_each_at_once(item, 50)
    statuses = sorted(r.status_code for r in responses)
    assert statuses.count(201) == 10 and statuses.count(409) == 40, statuses
    assert all(r.json()["type"] == "/problems/insufficient-inventory" for r in responses if r.status_code == 409)
    assert system.quantity_on_hand(item) == 0

    system.wait_quiet()
    entries = system.item_ledger_entries(item)
    assert len(entries) == 11 and all(e["remaining_quantity"] in ("0", "0.00000") or Decimal(e["remaining_quantity"]) == 0
                                      for e in entries)
    value_entries = system.value_entries(item)
    assert len(value_entries) == 11
    assert sum(Decimal(v["cost_amount_actual"]) for v in value_entries if v["item_ledger_entry_type"] == "Sale") == Decimal("-30.00")
    valuation = system.valuation(item_no=item)
    assert (Decimal(valuation["quantity"]), Decimal(valuation["cost_amount_actual"])) == (0, 0)
    trial_balance = system.trial_balance()
    assert Decimal(trial_balance["total_debit"]) == Decimal(trial_balance["total_credit"])
    assert system.dead_letter_counts() == dead_letters_before
