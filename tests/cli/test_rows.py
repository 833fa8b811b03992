"""The CLI's catalog rows, without a stack: CSV cells to API bodies, cards to rows, and what an upsert changes."""

import pytest

from inventory_cli.rows import RowInvalidError, item_changes, item_from_row, item_to_row

CARD = {
    "item_no": "1000", "description": "Bicycle", "type": "Inventory", "base_unit_of_measure": "PCS",
    "costing_method": "FIFO", "standard_cost": "0.00000", "unit_price": "499.00000", "indirect_cost_pct": "0.00000",
    "overhead_rate": "0.00000", "inventory_posting_group": "RESALE", "gen_prod_posting_group": "RETAIL",
    "item_category_code": "", "item_tracking_code": "", "prevent_negative_inventory": "Default", "blocked": False,
    "blocked_reason": "", "sales_blocked": True, "sales_blocked_reason": "recall", "purchasing_blocked": False,
    "purchasing_blocked_reason": "",
    "units_of_measure": [{"code": "PCS", "qty_per_unit_of_measure": "1.00000"}, {"code": "BOX", "qty_per_unit_of_measure": "6.00000"}],
    "variants": [{"code": "B", "description": "Black", "blocked": True}, {"code": "W", "description": "White", "blocked": False}],
    "attributes": {"Color": "Red"}, "revision": 3, "has_ledger_entries": True, "nonstock_entry_no": None,
}


def test_a_card_written_as_a_row_and_read_back_changes_nothing() -> None:
    row = item_to_row(CARD)
    assert (row["units_of_measure"], row["variants"], row["attr:Color"]) == ("BOX=6.00000", "B:Black:blocked;W:White", "Red")
    assert item_changes(item_from_row(row), CARD) == {}


def test_only_what_differs_is_patched_and_numbers_compare_by_value() -> None:
    row = {"item_no": "1000", "unit_price": "499", "description": "Bike", "units_of_measure": "BOX=6;PAL=48",
           "attr:Color": "Red", "attr:Size": "L", "blocked": "yes", "item_category_code": ""}
    assert item_changes(item_from_row(row), CARD) == {
        "description": "Bike", "blocked": True, "attributes": {"Size": "L"},
        "units_of_measure": [{"code": "BOX", "qty_per_unit_of_measure": "6"}, {"code": "PAL", "qty_per_unit_of_measure": "48"}],
    }


@pytest.mark.parametrize(("column", "cell", "reason"), [
    ("blocked", "maybe", "blocked: 'maybe' is not true or false"),
    ("unit_price", "cheap", "unit_price: 'cheap' is not a number"),
    ("units_of_measure", "BOX", "units_of_measure: 'BOX' is not key=value"),
    ("variants", "RED", "variants: 'RED' is not CODE:Description"),
])
def test_a_cell_that_cannot_be_read_names_its_column(column: str, cell: str, reason: str) -> None:
    with pytest.raises(RowInvalidError, match=reason):
        item_from_row({"item_no": "1", column: cell})
