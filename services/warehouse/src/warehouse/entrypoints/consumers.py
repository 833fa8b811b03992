"""Subscriptions of the warehouse."""

from inventory_contracts import ITEM_UPSERTED_V1, Envelope
from inventory_contracts.catalog import ItemUpserted
from inventory_contracts.topics import CATALOG_ITEMS
from servicekit.inbox import Subscription

from warehouse.adapters.events import item_from_event
from warehouse.service_layer.items import replicate_item
from warehouse.service_layer.unit_of_work import WarehouseUnitOfWork


async def on_item_upserted(uow: WarehouseUnitOfWork, event: Envelope[ItemUpserted]) -> None:
    await replicate_item(uow, item_from_event(event.payload))


SUBSCRIPTIONS = [
    Subscription(CATALOG_ITEMS, [ITEM_UPSERTED_V1], on_item_upserted, "Keeps the warehouse's replica of the item cards."),
]
