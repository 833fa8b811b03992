"""Subscriptions of costing."""

from collections.abc import Sequence
from typing import Any
from uuid import UUID

import asyncpg

from inventory_contracts import (
    INVENTORY_SETUP_CHANGED_V1,
    ITEM_ENTRY_INVOICED_V1,
    ITEM_ENTRY_POSTED_V1,
    ITEM_UPSERTED_V1,
    Envelope,
)
from inventory_contracts.topics import CATALOG_ITEMS, WAREHOUSE_INVENTORY_SETUP, WAREHOUSE_ITEM_ENTRIES
from servicekit.inbox import PermanentError, Subscription
from servicekit.uow import UnitOfWork

from costing.adapters.repository import CostingRepository
from costing.domain.errors import CostingError
from costing.domain.model import ValueEntry
from costing.service_layer.inventory_setup import replicate_inventory_setup
from costing.service_layer.items import replicate_item, replicate_items
from costing.service_layer.publishing import (
    publish_unit_cost,
    publish_unit_costs,
    value_entries_of_events_written,
    value_entries_written,
)
from costing.service_layer.valuation import invoice_item_entry, value_item_entries, value_item_entry


async def on_item_entry_posted(uow: UnitOfWork, event: Envelope[Any]) -> None:
    conn = uow.conn
    item_no = event.payload.item_no
    try:
        written = await _value(conn, event)
    except CostingError as exc:
        entry_no = getattr(event.payload, "entry_no", None) or event.payload.item_ledger_entry_no
        message = f"entry {entry_no}: {exc}"

        async def remember(uow: UnitOfWork) -> None:
            conn = uow.conn
            # The item's cost status shows the error; it survives the rollback of the entry itself.
            await CostingRepository(conn).mark_error(item_no, message)

        raise PermanentError(str(exc), record=remember) from exc
    await value_entries_written(conn, [item_no], written, event)


async def on_item_entries_batch(uow: UnitOfWork, events: Sequence[Envelope[Any]]) -> None:
    """The same as `on_item_entry_posted` on each event, with what follows the valuation done once per item.

    A refused entry fails the batch; it is then run again event by event, which dead-letters that one entry.
    """
    conn = uow.conn
    try:
        written = await value_item_entries(conn, [event.payload for event in events])
    except CostingError as exc:
        raise PermanentError(str(exc)) from exc
    await value_entries_of_events_written(
        conn, [(event, event.payload.item_no, entries) for event, entries in zip(events, written, strict=True)]
    )


async def _value(conn: asyncpg.Connection, event: Envelope[Any]) -> list[ValueEntry]:
    if event.type == ITEM_ENTRY_INVOICED_V1.type:
        return await invoice_item_entry(conn, event.payload)
    return await value_item_entry(conn, event.payload)


async def repeated_item_entries(uow: UnitOfWork, events: Sequence[Envelope[Any]]) -> set[UUID]:
    """Events of a posting or an invoice line costing has valued before, or that come earlier in `events`.

    The warehouse's business keys, an item ledger entry's no. and an invoice line's invoice entry no., say what
    is the same: published again under a new event id it is the same posting or invoice, not a new one (a posting
    would fail on the entry's primary key and be dead-lettered; an invoice would be invoiced twice).
    """
    conn = uow.conn
    repository = CostingRepository(conn)
    posted = [(event.event_id, event.payload.entry_no) for event in events if event.type == ITEM_ENTRY_POSTED_V1.type]
    invoiced = [(event.event_id, event.payload.invoice_entry_no) for event in events
                if event.type == ITEM_ENTRY_INVOICED_V1.type and event.payload.invoice_entry_no is not None]
    repeated: set[UUID] = set()
    for keyed, known in ((posted, repository.known_item_ledger_entries), (invoiced, repository.known_invoice_lines)):
        if not keyed:
            continue
        seen = await known(key for _, key in keyed)
        for event_id, key in keyed:
            if key in seen:
                repeated.add(event_id)
            seen.add(key)
    return repeated


async def on_item_upserted(uow: UnitOfWork, event: Envelope[Any]) -> None:
    conn = uow.conn
    if await replicate_item(conn, event.payload):
        await publish_unit_cost(conn, event.payload.item_no, event)


async def on_items_upserted(uow: UnitOfWork, events: Sequence[Envelope[Any]]) -> None:
    conn = uow.conn
    changed = await replicate_items(conn, [event.payload for event in events])
    await publish_unit_costs(conn, {event.payload.item_no: event for event in events if event.payload.item_no in changed})


async def on_inventory_setup_changed(uow: UnitOfWork, event: Envelope[Any]) -> None:
    conn = uow.conn
    await replicate_inventory_setup(conn, event.payload)


SUBSCRIPTIONS = [
    Subscription(
        CATALOG_ITEMS,
        [ITEM_UPSERTED_V1],
        on_item_upserted,
        "Keeps the item card's costing method, standard cost, indirect cost % and overhead rate for valuation; "
        "a changed standard cost revalues nothing (the standard cost worksheet does).",
        handle_batch=on_items_upserted,
    ),
    Subscription(
        WAREHOUSE_ITEM_ENTRIES,
        [ITEM_ENTRY_POSTED_V1, ITEM_ENTRY_INVOICED_V1],
        on_item_entry_posted,
        "Values every item ledger entry along its applications; an invoice turns a receipt's or shipment's expected "
        "cost into actual cost.",
        handle_batch=on_item_entries_batch,
        duplicates=repeated_item_entries,
    ),
    Subscription(
        WAREHOUSE_INVENTORY_SETUP,
        [INVENTORY_SETUP_CHANGED_V1],
        on_inventory_setup_changed,
        "Keeps the inventory setup: adjustments of entries in closed periods are dated on the first open date, "
        "and average cost is kept per the average-cost period and calculation type.",
    ),
]
