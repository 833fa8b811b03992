"""A search of item cards: its conditions, sort orders and keyset position. Pure data: no I/O."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from inventory_contracts.catalog import ItemType

from catalog.domain.attributes import AttributeFilter

SORT_COLUMNS: Final = {"item_no": "text", "description": "text", "unit_price": "numeric"}
"""The fields a search sorts by, with the kind of their values (a cursor carries a number as text)."""
SORTS: Final = [*SORT_COLUMNS, *(f"-{c}" for c in SORT_COLUMNS)]


@dataclass(frozen=True)
class ItemSearch:
    """A search of item cards; `after` is the keyset position (sort value, item no.) of the previous page."""

    text: str | None = None
    type: ItemType | None = None
    category_code: str | None = None
    blocked: bool | None = None
    attribute_filters: Sequence[AttributeFilter] = ()
    sort: str = "item_no"
    descending: bool = False
    after: tuple[Any, str] | None = None
    limit: int = 100
