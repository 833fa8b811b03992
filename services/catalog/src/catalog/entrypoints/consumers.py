"""Subscriptions of the catalog."""

from typing import Any

import asyncpg

from inventory_contracts import ITEM_ENTRY_INVOICED_V1, ITEM_ENTRY_POSTED_V1, Envelope
from inventory_contracts.topics import WAREHOUSE_ITEM_ENTRIES
from servicekit.inbox import Subscription

from catalog.service_layer import items


async def on_item_entry_posted(conn: asyncpg.Connection, event: Envelope[Any]) -> None:
    if event.type != ITEM_ENTRY_POSTED_V1.type:
        return  # An invoice of an entry tells the catalog nothing new.
    await items.record_ledger_entry(conn, event.payload.item_no)


SUBSCRIPTIONS = [
    Subscription(
        WAREHOUSE_ITEM_ENTRIES,
        [ITEM_ENTRY_POSTED_V1, ITEM_ENTRY_INVOICED_V1],
        on_item_entry_posted,
        "Learns which items have ledger entries: their costing method is then fixed and they cannot be deleted.",
    ),
]
