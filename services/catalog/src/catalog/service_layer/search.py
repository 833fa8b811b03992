"""Searching item cards: text, type, category with its descendants, blocked state, attribute values; keyset pages."""

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import asyncpg

from inventory_contracts.catalog import ItemType
from servicekit.pagination import InvalidCursorError, decode_cursor, encode_cursor

from catalog.adapters.repository import SORT_COLUMNS, AttributeRepository, ItemRepository, ItemSearch
from catalog.domain.attributes import build_filter, split_filter
from catalog.domain.errors import InvalidSearchError
from catalog.domain.model import Item

SORTS = [*SORT_COLUMNS, *(f"-{c}" for c in SORT_COLUMNS)]


async def search_items(
    conn: asyncpg.Connection,
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
    definitions = await AttributeRepository(conn).get_many({name for name, _, _ in parts})
    filters = []
    for name, op, value in parts:
        if name not in definitions:
            raise InvalidSearchError(f"attribute {name} does not exist", attribute=name)
        filters.append(build_filter(definitions[name], op, value))
    search = ItemSearch(
        text=text or None, type=type, category_code=category, blocked=blocked, attribute_filters=filters,
        sort=column, descending=sort.startswith("-"), after=_position(cursor, sort), limit=limit + 1,
    )
    found = await ItemRepository(conn).search(search)
    page = found[:limit]
    next_cursor = None
    if len(found) > limit:
        last = page[-1]
        value: Any = getattr(last, column)
        next_cursor = encode_cursor([sort, str(value) if isinstance(value, Decimal) else value, last.item_no])
    return page, next_cursor


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
