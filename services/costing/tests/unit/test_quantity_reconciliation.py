"""Comparing costing's quantities with the warehouse's, and which differences are new."""

from decimal import Decimal

from costing.domain.quantity_reconciliation import WarehouseQuantity, changed_differences, compare_quantities


def test_places_of_either_side_are_compared_for_the_items_the_warehouse_counted() -> None:
    warehouse = [WarehouseQuantity("A", "MAIN", Decimal(5), 7), WarehouseQuantity("A", "EAST", Decimal(2), 7)]
    costing = {("A", "MAIN"): Decimal(5), ("A", "WEST"): Decimal(1), ("B", "MAIN"): Decimal(9)}

    compared = {(c.location_code, c.warehouse_quantity, c.costing_quantity, c.difference) for c in compare_quantities(warehouse, costing)}

    assert compared == {("MAIN", 5, 5, 0), ("EAST", 2, 0, -2), ("WEST", 0, 1, 1)}


def test_only_differences_other_than_the_last_reported_are_changed() -> None:
    warehouse = [WarehouseQuantity("A", "MAIN", Decimal(5), 7), WarehouseQuantity("B", "MAIN", Decimal(1), 9),
                 WarehouseQuantity("C", "MAIN", Decimal(3), 4)]
    compared = compare_quantities(warehouse, {("A", "MAIN"): Decimal(4), ("B", "MAIN"): Decimal(1), ("C", "MAIN"): Decimal(2)})

    changed = changed_differences(compared, {("A", "MAIN"): Decimal(-1), ("B", "MAIN"): Decimal(2)})

    assert [(c.item_no, c.difference) for c in changed] == [("B", 0), ("C", -1)]
