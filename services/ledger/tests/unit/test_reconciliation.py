from datetime import date
from decimal import Decimal

from ledger.domain.posting import InventoryPostingSetup
from ledger.domain.reconciliation import GroupValue, ReconciliationLine, reconcile
from ledger.service_layer.posting import posting_date_in_open_period

SETUPS = {
    ("MAIN", "RESALE"): InventoryPostingSetup("2130", "2131"),
    ("EAST", "RESALE"): InventoryPostingSetup("2130", "2131"),
    ("MAIN", "RAW"): InventoryPostingSetup("2120", "2121"),
}


def test_values_of_locations_sharing_an_account_add_up() -> None:
    values = [
        GroupValue("MAIN", "RESALE", Decimal("30.00"), Decimal("5.00")),
        GroupValue("EAST", "RESALE", Decimal("12.50"), Decimal("0")),
    ]
    lines = reconcile(values, SETUPS, {"2130": Decimal("42.50"), "2131": Decimal("5.00")})
    assert lines == [
        ReconciliationLine("2120", False, Decimal(0), Decimal(0)),
        ReconciliationLine("2121", True, Decimal(0), Decimal(0)),
        ReconciliationLine("2130", False, Decimal("42.50"), Decimal("42.50")),
        ReconciliationLine("2131", True, Decimal("5.00"), Decimal("5.00")),
    ]
    assert all(line.difference == 0 for line in lines)


def test_a_difference_is_the_gl_balance_minus_the_inventory_value() -> None:
    (line,) = [
        line for line in reconcile([GroupValue("MAIN", "RAW", Decimal("10.00"), Decimal(0))], SETUPS, {"2120": Decimal("9.99")})
        if line.account_no == "2120"
    ]
    assert line.difference == Decimal("-0.01")


def test_a_value_without_setup_is_left_out() -> None:
    lines = reconcile([GroupValue("NOWHERE", "RESALE", Decimal("7.00"), Decimal(0))], SETUPS, {})
    assert all(line.inventory_value == 0 for line in lines)


def test_postings_in_a_closed_period_take_the_first_open_date() -> None:
    assert posting_date_in_open_period(date(2026, 6, 15), date(2026, 7, 1)) == date(2026, 7, 1)
    assert posting_date_in_open_period(date(2026, 7, 2), date(2026, 7, 1)) == date(2026, 7, 2)
    assert posting_date_in_open_period(date(2026, 6, 15), None) == date(2026, 6, 15)
