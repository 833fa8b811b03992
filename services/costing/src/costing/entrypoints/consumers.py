"""Subscriptions of costing: each handler takes the unit of work and a typed event, and calls the use case."""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from uuid import UUID

from inventory_contracts import (
    INVENTORY_SETUP_CHANGED_V1,
    ITEM_ENTRY_INVOICED_V1,
    ITEM_ENTRY_POSTED_V1,
    ITEM_UPSERTED_V1,
    Envelope,
)
from inventory_contracts.catalog import ItemUpserted
from inventory_contracts.topics import CATALOG_ITEMS, WAREHOUSE_INVENTORY_SETUP, WAREHOUSE_ITEM_ENTRIES
from inventory_contracts.warehouse import InventorySetupChanged, ItemEntryInvoiced, ItemEntryPosted
from servicekit.inbox import NotYetError, PermanentError, Subscription

from costing.domain.errors import CostingError
from costing.service_layer.inventory_setup import replicate_inventory_setup
from costing.service_layer.items import replicate_item, replicate_items
from costing.service_layer.publishing import (
    publish_unit_cost,
    publish_unit_costs,
    value_entries_of_events_written,
    value_entries_written,
)
from costing.service_layer.unit_of_work import CostingUnitOfWork
from costing.service_layer.valuation import value_item_entries

ItemEntry = Envelope[ItemEntryPosted | ItemEntryInvoiced]


CARD_WAIT = timedelta(seconds=30)
"""How long an item entry waits for its item's card; after that it is valued without it, as the first card may be
lost to costing for good (the entry keeps its partition waiting while it waits)."""


async def await_cards(uow: CostingUnitOfWork, events: Sequence[ItemEntry]) -> None:
    """The warehouse may post an item the moment the catalog created it (it takes the card from the catalog's API),
    so the entry can reach costing before the card does on catalog.items.v1. Valued without the card, a Standard
    item's receipt would take its purchase cost and no variance: wait for the card, for a while."""
    setups = await uow.items.item_setups([event.payload.item_no for event in events])
    now = datetime.now(UTC)
    waiting = sorted({event.payload.item_no for event in events if setups.get(event.payload.item_no) is None
                      and now - event.occurred_at.replace(tzinfo=event.occurred_at.tzinfo or UTC) < CARD_WAIT})
    if waiting:
        raise NotYetError(f"the card of item {', '.join(waiting)} has not reached costing yet")


async def on_item_entry_posted(uow: CostingUnitOfWork, event: ItemEntry) -> None:
    item_no = event.payload.item_no
    await await_cards(uow, [event])
    try:
        (written,) = await value_item_entries(uow, [event.payload])
    except CostingError as exc:
        payload = event.payload
        entry_no = payload.entry_no if isinstance(payload, ItemEntryPosted) else payload.item_ledger_entry_no
        message = f"entry {entry_no}: {exc}"

        async def remember(uow: CostingUnitOfWork) -> None:
            # The item's cost status shows the error; it survives the rollback of the entry itself.
            await uow.unit_costs.mark_error(item_no, message)

        raise PermanentError(str(exc), record=remember) from exc
    await value_entries_written(uow, [item_no], written, event)


async def on_item_entries_batch(uow: CostingUnitOfWork, events: Sequence[ItemEntry]) -> None:
    """The same as `on_item_entry_posted` on each event, with what follows the valuation done once per item.

    A refused entry fails the batch; it is then run again event by event, which dead-letters that one entry.
    """
    await await_cards(uow, events)
    try:
        written = await value_item_entries(uow, [event.payload for event in events])
    except CostingError as exc:
        raise PermanentError(str(exc)) from exc
    await value_entries_of_events_written(
        uow, [(event, event.payload.item_no, entries) for event, entries in zip(events, written, strict=True)]
    )


async def repeated_item_entries(uow: CostingUnitOfWork, events: Sequence[ItemEntry]) -> set[UUID]:
    """Events of a posting or an invoice line costing has valued before, or that come earlier in `events`.

    The warehouse's business keys, an item ledger entry's no. and an invoice line's invoice entry no., say what
    is the same: published again under a new event id it is the same posting or invoice, not a new one (a posting
    would fail on the entry's primary key and be dead-lettered; an invoice would be invoiced twice).
    """
    graph = uow.cost_graph
    posted = [(event.event_id, event.payload.entry_no) for event in events if isinstance(event.payload, ItemEntryPosted)]
    invoiced = [(event.event_id, event.payload.invoice_entry_no) for event in events
                if isinstance(event.payload, ItemEntryInvoiced) and event.payload.invoice_entry_no is not None]
    repeated: set[UUID] = set()
    for keyed, known in ((posted, graph.known_item_ledger_entries), (invoiced, graph.known_invoice_lines)):
        if not keyed:
            continue
        seen = await known(key for _, key in keyed)
        for event_id, key in keyed:
            if key in seen:
                repeated.add(event_id)
            seen.add(key)
    return repeated


async def on_item_upserted(uow: CostingUnitOfWork, event: Envelope[ItemUpserted]) -> None:
    if await replicate_item(uow, event.payload):
        await publish_unit_cost(uow, event.payload.item_no, event)


async def on_items_upserted(uow: CostingUnitOfWork, events: Sequence[Envelope[ItemUpserted]]) -> None:
    changed = await replicate_items(uow, [event.payload for event in events])
    await publish_unit_costs(uow, {event.payload.item_no: event for event in events if event.payload.item_no in changed})


async def on_inventory_setup_changed(uow: CostingUnitOfWork, event: Envelope[InventorySetupChanged]) -> None:
    await replicate_inventory_setup(uow, event.payload)


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
