"""Costing's quantities against the warehouse's: both sum the same item ledger entries, so they must agree."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

Place = tuple[str, str]  # item no., location code


@dataclass(frozen=True)
class WarehouseQuantity:
    """The warehouse's quantity of an item at a location, over the item's entries up to `through_entry_no`."""

    item_no: str
    location_code: str
    quantity: Decimal
    through_entry_no: int


@dataclass(frozen=True)
class QuantityComparison:
    item_no: str
    location_code: str
    warehouse_quantity: Decimal
    costing_quantity: Decimal
    through_entry_no: int

    @property
    def difference(self) -> Decimal:
        """Costing's quantity minus the warehouse's."""
        return self.costing_quantity - self.warehouse_quantity


def watermarks(warehouse: Sequence[WarehouseQuantity]) -> dict[str, int]:
    """The last entry compared, per item."""
    return {line.item_no: line.through_entry_no for line in warehouse}


def compare_quantities(warehouse: Sequence[WarehouseQuantity], costing: Mapping[Place, Decimal]) -> list[QuantityComparison]:
    """Every place either side knows, for the items the warehouse counted; a place only one side has counts 0 on the other."""
    through = watermarks(warehouse)
    theirs = {(line.item_no, line.location_code): line.quantity for line in warehouse}
    places = sorted(theirs.keys() | {place for place in costing if place[0] in through})
    return [
        QuantityComparison(item, location, theirs.get((item, location), Decimal(0)),
                           costing.get((item, location), Decimal(0)), through[item])
        for item, location in places
    ]


def changed_differences(
    comparisons: Sequence[QuantityComparison], reported: Mapping[Place, Decimal]
) -> list[QuantityComparison]:
    """The comparisons whose difference is not the one last reported (a place never reported had none)."""
    return [c for c in comparisons if reported.get((c.item_no, c.location_code), Decimal(0)) != c.difference]
