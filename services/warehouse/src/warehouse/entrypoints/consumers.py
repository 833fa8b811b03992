"""Subscriptions of the warehouse."""

from typing import Any


from inventory_contracts import ITEM_UPSERTED_V1, Envelope
from inventory_contracts.topics import CATALOG_ITEMS
from servicekit.inbox import Subscription
from servicekit.uow import UnitOfWork

from warehouse.adapters.events import item_from_event
from warehouse.adapters.repository import WarehouseRepository


async def on_item_upserted(uow: UnitOfWork, event: Envelope[Any]) -> None:
    conn = uow.conn
    await WarehouseRepository(conn).upsert_item(item_from_event(event.payload))


SUBSCRIPTIONS = [
    Subscription(CATALOG_ITEMS, [ITEM_UPSERTED_V1], on_item_upserted, "Keeps the warehouse's replica of the item cards."),
]
