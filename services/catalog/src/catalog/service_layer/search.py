"""Searching item cards: text, type, category with its descendants, blocked state, attribute values; keyset pages."""

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from inventory_contracts.catalog import ItemType
from servicekit.pagination import InvalidCursorError, decode_cursor, paginate

from catalog.domain.attributes import build_filter, split_filter
from catalog.domain.errors import InvalidSearchError
from catalog.domain.model import Item
from catalog.domain.search import SORT_COLUMNS, SORTS, ItemSearch
from catalog.service_layer.unit_of_work import CatalogUnitOfWork


async def search_items(
    uow: CatalogUnitOfWork,
    *,
    text: str | None = None,
    type: ItemType | None = None,
    category: str | None = None,
    blocked: bool | None = None,
    attributes: Sequence[str] = (),
    sort: str = "item_no",
    cursor: str | None = None,
    limit: int = 100,
) -> tuple[list[Item], str | None]:
    """One page of matching items and the cursor of the next page (None on the last)."""
    if sort not in SORTS:
        raise InvalidSearchError(f"sort must be one of {', '.join(SORTS)}")
    column = sort.removeprefix("-")
    parts = [split_filter(expression) for expression in attributes]
    definitions = await uow.attributes.get_many({name for name, _, _ in parts})
    filters = []
    for name, op, value in parts:
        if name not in definitions:
            raise InvalidSearchError(f"attribute {name} does not exist", attribute=name)
        filters.append(build_filter(definitions[name], op, value))
    search = ItemSearch(
        text=text or None, type=type, category_code=category, blocked=blocked, attribute_filters=filters,
        sort=column, descending=sort.startswith("-"), after=_position(cursor, sort), limit=limit + 1,
    )
    found = await uow.items.search(search)
    return paginate(found, limit, lambda last: _cursor_position(last, sort))


def _cursor_position(last: Item, sort: str) -> list[Any]:
    value: Any = getattr(last, sort.removeprefix("-"))
    return [sort, str(value) if isinstance(value, Decimal) else value, last.item_no]


def _position(cursor: str | None, sort: str) -> tuple[Any, str] | None:
    position = decode_cursor(cursor)
    if position is None:
        return None
    if not (isinstance(position, list) and len(position) == 3 and position[0] == sort and isinstance(position[2], str)):
        raise InvalidCursorError("the cursor belongs to another sort order or is not one this API returned")
    value = position[1]
    if SORT_COLUMNS[sort.removeprefix("-")] == "numeric":
        try:
            value = Decimal(value)
        except Exception as exc:
            raise InvalidCursorError("the cursor is not one this API returned") from exc
    return value, position[2]
