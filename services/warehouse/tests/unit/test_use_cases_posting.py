"""The item journal against the in-memory unit of work: application, refusals, events."""

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest

from inventory_contracts import ITEM_ENTRY_POSTED_V1
from inventory_contracts.catalog import CostingMethod, PreventNegativeInventory
from inventory_contracts.warehouse import ItemLedgerEntryType

from warehouse.domain.application import Application
from warehouse.domain.errors import (
    InsufficientInventoryError,
    InventoryPeriodClosedError,
    InvalidJournalLineError,
    PostingDateNotAllowedError,
    UnknownItemError,
    UnknownLocationError,
)
from warehouse.domain.periods import InventoryPeriod, InventorySetup, PostingDates
from warehouse.service_layer.posting import post_item_journal

from warehouse.adapters.memory import InMemoryWarehouseUnitOfWork
from warehouse.domain.model import Item, JournalLine

D = Decimal
DAY = date(2026, 8, 3)
PURCHASE, SALE = ItemLedgerEntryType.PURCHASE, ItemLedgerEntryType.SALE
Uow = Callable[..., InMemoryWarehouseUnitOfWork]
Line = Callable[..., JournalLine]
NewItem = Callable[..., Item]


async def test_a_purchase_opens_an_entry_and_publishes_it(new_uow: Uow, new_line: Line, new_item: NewItem) -> None:
    uow = new_uow()
    [entry] = await post_item_journal(uow, [new_line(PURCHASE, "10", unit_cost="2.5")])
    assert (entry.entry_no, entry.quantity, entry.unit_cost, entry.document_type) == (1, D(10), D("2.5"), "Item Journal")
    assert uow.ledger.open[1][1].remaining_quantity == D(10)
    assert [topic for topic, _ in uow.events] == [ITEM_ENTRY_POSTED_V1.topic]
    assert uow.events[0][1].payload.entry_no == 1 and uow.events[0][1].payload.costing_method is CostingMethod.FIFO


async def test_a_sale_applies_to_the_oldest_receipts_first(new_uow: Uow, new_line: Line, new_item: NewItem) -> None:
    uow = new_uow()
    await post_item_journal(uow, [new_line(PURCHASE, "4", unit_cost="1"), new_line(PURCHASE, "6", unit_cost="2", line_no=20000)])
    [sale] = await post_item_journal(uow, [new_line(SALE, "5", document_no="S1")])
    assert sale.quantity == D(-5)
    assert sale.applications == (Application(1, 3, D(4)), Application(2, 3, D(1)))
    assert 1 not in uow.ledger.open and uow.ledger.open[2][1].remaining_quantity == D(5)
    assert len(uow.events) == 3


async def test_lifo_takes_the_newest_receipt(new_uow: Uow, new_line: Line, new_item: NewItem) -> None:
    uow = new_uow(new_item(costing_method=CostingMethod.LIFO))
    await post_item_journal(uow, [new_line(PURCHASE, "4", unit_cost="1"), new_line(PURCHASE, "6", unit_cost="2", line_no=20000)])
    [sale] = await post_item_journal(uow, [new_line(SALE, "5")])
    assert sale.applications == (Application(2, 3, D(5)),)


async def test_a_sale_beyond_stock_is_refused_and_nothing_is_written(new_uow: Uow, new_line: Line, new_item: NewItem) -> None:
    uow = new_uow()
    await post_item_journal(uow, [new_line(PURCHASE, "2", unit_cost="1")])
    with pytest.raises(InsufficientInventoryError) as refused:
        await post_item_journal(uow, [new_line(SALE, "3")])
    assert refused.value.status == 409 and refused.value.slug == "insufficient-inventory"
    assert list(uow.ledger.rows) == [1] and len(uow.events) == 1


async def test_negative_inventory_where_the_item_allows_it_waits_for_a_receipt(new_uow: Uow, new_line: Line, new_item: NewItem) -> None:
    uow = new_uow(new_item(prevent_negative_inventory=PreventNegativeInventory.NO))
    [sale] = await post_item_journal(uow, [new_line(SALE, "3")])
    assert sale.applications == () and uow.ledger.open[1][1].remaining_quantity == D(-3)
    [receipt] = await post_item_journal(uow, [new_line(PURCHASE, "5", unit_cost="1")])
    assert receipt.applications == (Application(2, 1, D(3)),) and 1 not in uow.ledger.open


async def test_refusals_of_lines(new_uow: Uow, new_line: Line, new_item: NewItem) -> None:
    uow = new_uow()
    with pytest.raises(UnknownItemError):
        await post_item_journal(uow, [new_line(PURCHASE, "1", item_no="NOPE", unit_cost="1")])
    with pytest.raises(InvalidJournalLineError):
        await post_item_journal(uow, [new_line(PURCHASE, "0", unit_cost="1")])
    with pytest.raises(UnknownLocationError):
        await post_item_journal(uow, [new_line(PURCHASE, "1", unit_cost="1", location_code="WEST")])
    assert uow.ledger.rows == {} and uow.events == []


async def test_posting_dates_and_closed_periods_refuse(new_uow: Uow, new_line: Line, new_item: NewItem) -> None:
    uow = new_uow()
    uow.tables.setup = InventorySetup(False, PostingDates(allow_posting_from=DAY.replace(day=4)))
    with pytest.raises(PostingDateNotAllowedError):
        await post_item_journal(uow, [new_line(PURCHASE, "1", unit_cost="1")])
    uow.tables.setup = InventorySetup(False, PostingDates())
    uow.tables.periods[DAY] = InventoryPeriod(DAY, closed=True)
    with pytest.raises(InventoryPeriodClosedError):
        await post_item_journal(uow, [new_line(PURCHASE, "1", unit_cost="1")])
    assert uow.ledger.rows == {}


async def test_a_line_fixed_applied_to_an_entry_takes_only_from_it(new_uow: Uow, new_line: Line, new_item: NewItem) -> None:
    uow = new_uow()
    await post_item_journal(uow, [new_line(PURCHASE, "4", unit_cost="1"), new_line(PURCHASE, "6", unit_cost="2", line_no=20000)])
    [sale] = await post_item_journal(uow, [new_line(SALE, "2", applies_to_entry=2)])
    assert sale.applications == (Application(2, 3, D(2)),) and sale.applies_to_entry == 2
