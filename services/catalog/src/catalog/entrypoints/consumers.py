"""Subscriptions of the catalog."""

from typing import Any


from inventory_contracts import ITEM_ENTRY_INVOICED_V1, ITEM_ENTRY_POSTED_V1, STANDARD_COST_IMPLEMENTED_V1, Envelope
from inventory_contracts.topics import COSTING_STANDARD_COSTS, WAREHOUSE_ITEM_ENTRIES
from servicekit.inbox import Subscription
from servicekit.uow import UnitOfWork

from catalog.service_layer import items


async def on_item_entry_posted(uow: UnitOfWork, event: Envelope[Any]) -> None:
    conn = uow.conn
    if event.type != ITEM_ENTRY_POSTED_V1.type:
        return  # An invoice of an entry tells the catalog nothing new.
    await items.record_ledger_entry(conn, event.payload.item_no)


async def on_standard_cost_implemented(uow: UnitOfWork, event: Envelope[Any]) -> None:
    conn = uow.conn
    payload = event.payload
    await items.implement_standard_cost(conn, payload.item_no, payload.standard_cost, payload.implementation_no)


SUBSCRIPTIONS = [
    Subscription(
        WAREHOUSE_ITEM_ENTRIES,
        [ITEM_ENTRY_POSTED_V1, ITEM_ENTRY_INVOICED_V1],
        on_item_entry_posted,
        "Learns which items have ledger entries: their costing method is then fixed and they cannot be deleted.",
    ),
    Subscription(
        COSTING_STANDARD_COSTS,
        [STANDARD_COST_IMPLEMENTED_V1],
        on_standard_cost_implemented,
        "Takes the standard cost costing implemented from its standard cost worksheet onto the item card, as a new "
        "revision announced on catalog.items.v1.",
    ),
]
