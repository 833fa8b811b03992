"""Subscriptions of the catalog: what it learns from the warehouse and from costing."""

from collections.abc import Sequence

from inventory_contracts import (
    ITEM_ENTRY_INVOICED_V1,
    ITEM_ENTRY_POSTED_V1,
    ITEM_UNIT_COST_CHANGED_V1,
    STANDARD_COST_IMPLEMENTED_V1,
    Envelope,
)
from inventory_contracts.costing import ItemUnitCostChanged, StandardCostImplemented
from inventory_contracts.topics import COSTING_ITEM_COSTS, COSTING_STANDARD_COSTS, WAREHOUSE_ITEM_ENTRIES
from inventory_contracts.warehouse import ItemEntryInvoiced, ItemEntryPosted
from servicekit.inbox import Subscription

from catalog.service_layer import assembly, items
from catalog.service_layer.unit_of_work import CatalogUnitOfWork


async def on_item_entry_posted(uow: CatalogUnitOfWork, event: Envelope[ItemEntryPosted | ItemEntryInvoiced]) -> None:
    await on_item_entries(uow, [event])


async def on_item_entries(uow: CatalogUnitOfWork, events: Sequence[Envelope[ItemEntryPosted | ItemEntryInvoiced]]) -> None:
    """A batch in one statement. An invoice of an entry tells the catalog nothing new."""
    posted = [event.payload.item_no for event in events if isinstance(event.payload, ItemEntryPosted)]
    if posted:
        await items.record_ledger_entries(uow, posted)


async def on_standard_cost_implemented(uow: CatalogUnitOfWork, event: Envelope[StandardCostImplemented]) -> None:
    payload = event.payload
    await items.implement_standard_cost(uow, payload.item_no, payload.standard_cost, payload.implementation_no, cause=event)


async def on_item_unit_cost_changed(uow: CatalogUnitOfWork, event: Envelope[ItemUnitCostChanged]) -> None:
    payload = event.payload
    await assembly.record_unit_cost(uow, payload.item_no, payload.unit_cost, payload.sequence)


SUBSCRIPTIONS = [
    Subscription(
        WAREHOUSE_ITEM_ENTRIES,
        [ITEM_ENTRY_POSTED_V1, ITEM_ENTRY_INVOICED_V1],
        on_item_entry_posted,
        "Learns which items have ledger entries: their costing method is then fixed and they cannot be deleted.",
        handle_batch=on_item_entries,
    ),
    Subscription(
        COSTING_STANDARD_COSTS,
        [STANDARD_COST_IMPLEMENTED_V1],
        on_standard_cost_implemented,
        "Takes the standard cost costing implemented from its standard cost worksheet onto the item card, as a new "
        "revision announced on catalog.items.v1.",
    ),
    Subscription(
        COSTING_ITEM_COSTS,
        [ITEM_UNIT_COST_CHANGED_V1],
        on_item_unit_cost_changed,
        "Keeps costing's unit cost of each item: the assembly cost roll-up costs a component that is not costed "
        "Standard at it.",
    ),
]
