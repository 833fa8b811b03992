"""Subscriptions of costing."""

from typing import Any

import asyncpg

from inventory_contracts import ITEM_ENTRY_POSTED_V1, ITEM_UPSERTED_V1, VALUE_ENTRIES_POSTED_V1, Envelope
from inventory_contracts.topics import CATALOG_ITEMS, WAREHOUSE_ITEM_ENTRIES
from servicekit.inbox import PermanentError, Subscription
from servicekit.outbox import add_event

from costing.adapters.events import value_entries_posted
from costing.domain.errors import CostingDomainError
from costing.service_layer.items import replicate_item
from costing.service_layer.valuation import value_item_entry


async def on_item_entry_posted(conn: asyncpg.Connection, event: Envelope[Any]) -> None:
    try:
        written = await value_item_entry(conn, event.payload)
    except CostingDomainError as exc:
        raise PermanentError(str(exc)) from exc
    if written:
        await add_event(conn, VALUE_ENTRIES_POSTED_V1.topic, value_entries_posted(event.payload.item_no, written, event))


async def on_item_upserted(conn: asyncpg.Connection, event: Envelope[Any]) -> None:
    await replicate_item(conn, event.payload)


SUBSCRIPTIONS = [
    Subscription(
        CATALOG_ITEMS,
        [ITEM_UPSERTED_V1],
        on_item_upserted,
        "Keeps the item card's standard cost, indirect cost % and overhead rate for valuation.",
    ),
    Subscription(
        WAREHOUSE_ITEM_ENTRIES,
        [ITEM_ENTRY_POSTED_V1],
        on_item_entry_posted,
        "Values every item ledger entry along its applications.",
    ),
]
