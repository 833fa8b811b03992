"""Use cases of the item card."""

import asyncpg

from inventory_contracts import ITEM_UPSERTED_V1
from servicekit.outbox import add_event

from catalog.adapters.events import item_upserted
from catalog.adapters.repository import ItemRepository
from catalog.domain.errors import ItemExistsError, ItemNotFoundError
from catalog.domain.model import Item


async def create_item(conn: asyncpg.Connection, item: Item) -> Item:
    """Store a new item card and announce it, in the caller's transaction."""
    if not await ItemRepository(conn).add(item):
        raise ItemExistsError(f"item {item.item_no} already exists", item_no=item.item_no)
    await add_event(conn, ITEM_UPSERTED_V1.topic, item_upserted(item))
    return item


async def get_item(conn: asyncpg.Connection, item_no: str) -> Item:
    item = await ItemRepository(conn).get(item_no)
    if item is None:
        raise ItemNotFoundError(f"item {item_no} does not exist", item_no=item_no)
    return item
