"""The catalog's handlers of consumed events, against the in-memory unit of work."""

from dataclasses import replace
from decimal import Decimal
from typing import Any
from uuid import uuid4

from inventory_contracts import ITEM_ENTRY_INVOICED_V1, ITEM_ENTRY_POSTED_V1, STANDARD_COST_IMPLEMENTED_V1, new_envelope
from inventory_contracts.catalog import CostingMethod, ItemType
from inventory_contracts.costing import StandardCostImplemented
from inventory_contracts.warehouse import ItemEntryInvoiced, ItemEntryPosted

from catalog.adapters.memory import InMemoryCatalogUnitOfWork
from catalog.domain.model import Item
from catalog.entrypoints.consumers import on_item_entries, on_item_entry_posted, on_standard_cost_implemented
from catalog.service_layer import items

BIKE = Item("1000", "Bike", ItemType.INVENTORY, "PCS", CostingMethod.STANDARD, "RESALE", "RETAIL")


def envelope(spec: Any, payload: Any) -> Any:
    return new_envelope(spec, payload, producer="test", key="1000", correlation_id=uuid4())


async def test_a_posted_entry_fixes_the_costing_method_and_an_invoice_changes_nothing(uow: InMemoryCatalogUnitOfWork) -> None:
    await items.create_item(uow, BIKE)
    await on_item_entry_posted(uow, envelope(ITEM_ENTRY_INVOICED_V1, ItemEntryInvoiced.model_construct(item_no="1000")))
    assert not (await items.get_item(uow, "1000")).has_ledger_entries
    await on_item_entry_posted(uow, envelope(ITEM_ENTRY_POSTED_V1, ItemEntryPosted.model_construct(item_no="1000")))
    assert (await items.get_item(uow, "1000")).has_ledger_entries


async def test_a_batch_marks_the_items_of_its_posted_entries_only(uow: InMemoryCatalogUnitOfWork) -> None:
    for item_no in ("1000", "2000", "3000"):
        await items.create_item(uow, replace(BIKE, item_no=item_no))
    await on_item_entries(uow, [
        envelope(ITEM_ENTRY_POSTED_V1, ItemEntryPosted.model_construct(item_no="1000")),
        envelope(ITEM_ENTRY_INVOICED_V1, ItemEntryInvoiced.model_construct(item_no="2000")),
        envelope(ITEM_ENTRY_POSTED_V1, ItemEntryPosted.model_construct(item_no="3000")),
        envelope(ITEM_ENTRY_POSTED_V1, ItemEntryPosted.model_construct(item_no="1000")),
        envelope(ITEM_ENTRY_POSTED_V1, ItemEntryPosted.model_construct(item_no="UNKNOWN")),
    ])
    assert [(await items.get_item(uow, n)).has_ledger_entries for n in ("1000", "2000", "3000")] == [True, False, True]


async def test_an_implemented_standard_cost_is_announced_in_the_correlation_of_its_cause(uow: InMemoryCatalogUnitOfWork) -> None:
    await items.create_item(uow, BIKE)
    cause = envelope(STANDARD_COST_IMPLEMENTED_V1, StandardCostImplemented.model_construct(
        item_no="1000", standard_cost=Decimal("7.5"), implementation_no=1))
    await on_standard_cost_implemented(uow, cause)
    _, event = uow.published[-1]
    assert event.payload.standard_cost == Decimal("7.5") and event.payload.revision == 2
    assert (event.correlation_id, event.causation_id) == (cause.correlation_id, cause.event_id)
