"""Use cases of the item card."""

import asyncpg

from inventory_contracts import ITEM_UPSERTED_V1
from inventory_contracts.catalog import CostingMethod
from servicekit.outbox import add_event

from catalog.adapters.events import item_upserted
from catalog.adapters.repository import ItemRepository
from catalog.domain.errors import CostingMethodNotSupportedError, ItemExistsError, ItemNotFoundError
from catalog.domain.model import Item


# Costing values FIFO and LIFO today; an item of another method could be posted but not valued.
SUPPORTED_COSTING_METHODS = frozenset({CostingMethod.FIFO, CostingMethod.LIFO})


async def create_item(conn: asyncpg.Connection, item: Item) -> Item:
    """Store a new item card and announce it, in the caller's transaction."""
    if item.costing_method not in SUPPORTED_COSTING_METHODS:
        raise CostingMethodNotSupportedError(
            f"costing method {item.costing_method} is not supported yet; use FIFO or LIFO", item_no=item.item_no
        )
    if not await ItemRepository(conn).add(item):
        raise ItemExistsError(f"item {item.item_no} already exists", item_no=item.item_no)
    await add_event(conn, ITEM_UPSERTED_V1.topic, item_upserted(item))
    return item


async def get_item(conn: asyncpg.Connection, item_no: str) -> Item:
    item = await ItemRepository(conn).get(item_no)
    if item is None:
        raise ItemNotFoundError(f"item {item_no} does not exist", item_no=item_no)
    return item
