"""Reading the item ledger, item tracing and the item replica, against the in-memory unit of work."""

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

import pytest

from inventory_contracts.warehouse import ItemLedgerEntryType
from servicekit.errors import NotFoundError

from warehouse.adapters.memory import InMemoryWarehouseUnitOfWork
from warehouse.domain.application import Application
from warehouse.domain.errors import InvalidDocumentError
from warehouse.domain.model import Item, JournalLine
from warehouse.domain.tracing import TraceDirection
from warehouse.domain.tracking import TrackingLine, TrackingRules
from warehouse.service_layer.item_ledger import list_item_ledger_entries, quantity_on_hand
from warehouse.service_layer.items import replicate_item
from warehouse.service_layer.posting import post_item_journal
from warehouse.service_layer.tracing import trace_item

D = Decimal
PURCHASE, SALE = ItemLedgerEntryType.PURCHASE, ItemLedgerEntryType.SALE
LOTS = TrackingRules("LOT", lot_required_for=frozenset({"Purchase", "Sale"}))
Uow = Callable[..., InMemoryWarehouseUnitOfWork]
Line = Callable[..., JournalLine]
NewItem = Callable[..., Item]


async def test_entries_page_by_page_with_their_applications(new_uow: Uow, new_line: Line) -> None:
    uow = new_uow()
    await post_item_journal(uow, [new_line(PURCHASE, "5", unit_cost="1")])
    await post_item_journal(uow, [new_line(SALE, "2")])
    first = await list_item_ledger_entries(uow, "1000", None, 1)
    assert [(e.entry.entry_no, e.remaining_quantity, e.open) for e in first] == [(1, D(3), True)]
    assert first[0].entry.applications == (Application(1, 2, D(2)),)
    [second] = await list_item_ledger_entries(uow, None, 1, 10)
    assert (second.entry.entry_no, second.open, second.remaining_quantity) == (2, False, D(0))


async def test_quantity_on_hand_per_location_and_unknown_items(new_uow: Uow, new_line: Line) -> None:
    uow = new_uow()
    await post_item_journal(uow, [new_line(PURCHASE, "5", unit_cost="1")])
    [stock] = await quantity_on_hand(uow, "1000")
    assert (stock.location_code, stock.variant_code, stock.quantity) == ("", "", D(5))
    with pytest.raises(NotFoundError):
        await quantity_on_hand(uow, "NOPE")


async def test_a_lot_is_traced_to_where_it_went(new_uow: Uow, new_line: Line, new_item: NewItem) -> None:
    uow = new_uow(new_item(tracking=LOTS))
    await post_item_journal(uow, [new_line(PURCHASE, "5", unit_cost="1", tracking=(TrackingLine(lot_no="L1", quantity=D(5)),))])
    await post_item_journal(uow, [new_line(SALE, "2", tracking=(TrackingLine(lot_no="L1", quantity=D(2)),))])
    traced = await trace_item(uow, TraceDirection.USAGE, lot_no="L1")
    assert [(t.entry.entry_no, t.level) for t in traced] == [(1, 0), (2, 0)]
    assert await trace_item(uow, TraceDirection.USAGE, lot_no="L2") == []
    with pytest.raises(InvalidDocumentError):
        await trace_item(uow, TraceDirection.USAGE)


async def test_the_replica_keeps_the_newest_revision(new_uow: Uow, new_item: NewItem) -> None:
    uow = new_uow()
    newer = new_item(revision=3, description="newer")
    await replicate_item(uow, newer)
    await replicate_item(uow, replace(newer, revision=2, description="older"))
    assert (await uow.items.get("1000")) == newer
