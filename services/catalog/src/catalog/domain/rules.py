"""Rules of the item card: what a valid card is, and what may change once the item has been posted."""

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal

from inventory_contracts.catalog import AssemblyPolicy, CostingMethod, ItemType, ReservePolicy

from catalog.domain.errors import (
    CostingMethodLockedError,
    CostingMethodNotSupportedError,
    InvalidItemCardError,
    SpecificCostingNeedsSerialTrackingError,
)
from catalog.domain.model import Item, ItemTrackingCode, ItemUnitOfMeasure

# Every method costing values; Specific also needs serial-specific tracking (checked in validate_card).
SUPPORTED_COSTING_METHODS = frozenset(
    {CostingMethod.FIFO, CostingMethod.LIFO, CostingMethod.STANDARD, CostingMethod.AVERAGE, CostingMethod.SPECIFIC}
)
ONE = Decimal(1)


def with_base_unit(item: Item) -> Item:
    """The card with its base unit among its units (quantity 1), units ordered by code."""
    units = {u.code: u for u in item.units_of_measure}
    base = units.get(item.base_unit_of_measure)
    if base is not None and base.qty_per_unit_of_measure != ONE:
        raise InvalidItemCardError(
            f"the base unit {item.base_unit_of_measure} must have quantity per unit of measure 1",
            item_no=item.item_no,
        )
    units[item.base_unit_of_measure] = ItemUnitOfMeasure(item.base_unit_of_measure, ONE)
    return replace(item, units_of_measure=tuple(sorted(units.values(), key=lambda u: u.code)))


def validate_card(item: Item, tracking: ItemTrackingCode | None, *, check_supported_method: bool = True) -> Item:
    """Check a whole card; returns it normalised (base unit added). Raises the first rule broken."""
    _unique([u.code for u in item.units_of_measure], "unit of measure", item.item_no)
    item = with_base_unit(item)
    _unique([v.code for v in item.variants], "variant", item.item_no)
    for unit in item.units_of_measure:
        if unit.qty_per_unit_of_measure <= 0:
            raise InvalidItemCardError(
                f"unit {unit.code}: quantity per unit of measure must be greater than 0", item_no=item.item_no
            )
    if item.type != ItemType.INVENTORY:
        # Non-inventory and service items have no stock, so nothing to cost or to track.
        if item.item_tracking_code:
            raise InvalidItemCardError(f"a {item.type} item cannot have an item tracking code", item_no=item.item_no)
        if item.costing_method != CostingMethod.FIFO or item.indirect_cost_pct or item.overhead_rate:
            raise InvalidItemCardError(
                f"a {item.type} item carries no costing method, indirect cost or overhead", item_no=item.item_no
            )
        # Nothing to reserve or to assemble into stock: Reserve Never (the default Optional becomes it), and
        # Assemble-to-Stock only, as Business Central's item card allows.
        if item.reserve == ReservePolicy.ALWAYS:
            raise InvalidItemCardError(f"a {item.type} item cannot be reserved", item_no=item.item_no)
        if item.assembly_policy != AssemblyPolicy.ASSEMBLE_TO_STOCK:
            raise InvalidItemCardError(f"a {item.type} item can only be Assemble-to-Stock", item_no=item.item_no)
        item = replace(item, reserve=ReservePolicy.NEVER)
    if item.costing_method == CostingMethod.SPECIFIC and not (tracking and tracking.serial_specific):
        raise SpecificCostingNeedsSerialTrackingError(
            "costing method Specific requires an item tracking code with serial-specific tracking", item_no=item.item_no
        )
    if check_supported_method and item.costing_method not in SUPPORTED_COSTING_METHODS:
        names = ", ".join(sorted(SUPPORTED_COSTING_METHODS))
        raise CostingMethodNotSupportedError(
            f"costing method {item.costing_method} is not supported yet; use {names}", item_no=item.item_no
        )
    return item


def check_change(before: Item, after: Item) -> None:
    """What the item's history forbids: its costing method once it has ledger entries."""
    if before.has_ledger_entries and before.costing_method != after.costing_method:
        raise CostingMethodLockedError(
            f"item {before.item_no} has ledger entries; its costing method {before.costing_method} cannot change",
            item_no=before.item_no,
        )
    if before.has_ledger_entries and before.type != after.type:
        raise CostingMethodLockedError(
            f"item {before.item_no} has ledger entries; its type cannot change", item_no=before.item_no
        )


def _unique(codes: Sequence[str], what: str, item_no: str) -> None:
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            raise InvalidItemCardError(f"{what} {code} appears twice", item_no=item_no)
        seen.add(code)
