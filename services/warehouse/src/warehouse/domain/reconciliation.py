"""What costing compares its own quantities with."""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class SettledQuantity:
    """The quantity of an item at a location over its entries up to `through_entry_no`."""

    item_no: str
    location_code: str
    quantity: Decimal
    through_entry_no: int
