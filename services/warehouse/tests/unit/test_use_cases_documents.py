"""Purchase and sales documents against the in-memory unit of work: receipts, invoices, returns, undos."""

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest

from inventory_contracts import ITEM_ENTRY_INVOICED_V1, ITEM_ENTRY_POSTED_V1
from inventory_contracts.warehouse import ItemLedgerEntryType

from warehouse.adapters.memory import InMemoryWarehouseUnitOfWork
from warehouse.domain.documents import InvoiceLine, ReturnLine
from warehouse.domain.errors import DocumentStateError, InvalidDocumentError, InvalidJournalLineError
from warehouse.domain.model import JournalLine
from warehouse.service_layer.documents import (
    post_invoice,
    post_receipt_or_shipment,
    post_return,
    undo_receipts_or_shipments,
)

D = Decimal
DAY, LATER = date(2026, 8, 3), date(2026, 8, 10)
PURCHASE, SALE = ItemLedgerEntryType.PURCHASE, ItemLedgerEntryType.SALE
Uow = Callable[..., InMemoryWarehouseUnitOfWork]
Line = Callable[..., JournalLine]


async def _receipt(uow: InMemoryWarehouseUnitOfWork, new_line: Line, quantity: str = "10") -> int:
    [entry] = await post_receipt_or_shipment(uow, [new_line(PURCHASE, quantity, unit_cost="3", document_no="R1")],
                                             purchase=True)
    return entry.entry_no


async def test_a_receipt_posts_at_expected_cost_and_its_invoice_is_published(new_uow: Uow, new_line: Line) -> None:
    uow = new_uow()
    entry_no = await _receipt(uow, new_line)
    assert uow.ledger.rows[entry_no].invoiced_quantity == D(0)
    assert uow.ledger.rows[entry_no].document_type == "Purchase Receipt"
    posted = await post_invoice(uow, "PI1", LATER, [InvoiceLine(10000, entry_no, D(4), D("3.5"))], purchase=True)
    assert posted == [InvoiceLine(10000, entry_no, D(4), D("3.5"))]
    assert uow.ledger.rows[entry_no].invoiced_quantity == D(4)
    topic, event = uow.events[-1]
    assert topic == ITEM_ENTRY_INVOICED_V1.topic
    assert (event.payload.item_ledger_entry_no, event.payload.invoiced_quantity, event.payload.invoice_entry_no) == (
        entry_no, D(4), 1)


async def test_a_receipt_takes_purchase_lines_only(new_uow: Uow, new_line: Line) -> None:
    uow = new_uow()
    with pytest.raises(InvalidJournalLineError):
        await post_receipt_or_shipment(uow, [new_line(SALE, "1")], purchase=True)
    assert uow.ledger.rows == {} and uow.events == []


async def test_a_purchase_return_applies_to_the_receipt(new_uow: Uow, new_line: Line) -> None:
    uow = new_uow()
    entry_no = await _receipt(uow, new_line)
    [returned] = await post_return(uow, "PR1", LATER, [ReturnLine(10000, entry_no, D(4))], purchase=True)
    assert (returned.quantity, returned.applies_to_entry, returned.posting_date) == (D(-4), entry_no, LATER)
    assert returned.document_type == "Purchase Return Shipment"
    assert uow.ledger.open[entry_no][1].remaining_quantity == D(6)


async def test_undo_of_a_receipt_corrects_it_at_its_date_and_only_once(new_uow: Uow, new_line: Line) -> None:
    uow = new_uow()
    entry_no = await _receipt(uow, new_line)
    [correction] = await undo_receipts_or_shipments(uow, [entry_no], purchase=True)
    assert (correction.quantity, correction.posting_date, correction.document_no) == (D(-10), DAY, "R1")
    assert correction.correction and correction.document_line_no == 10000
    assert entry_no in uow.ledger.corrected and entry_no not in uow.ledger.open
    assert [t for t, _ in uow.events] == [ITEM_ENTRY_POSTED_V1.topic] * 2
    with pytest.raises(DocumentStateError):
        await undo_receipts_or_shipments(uow, [entry_no], purchase=True)


async def test_an_invoiced_receipt_cannot_be_undone(new_uow: Uow, new_line: Line) -> None:
    uow = new_uow()
    entry_no = await _receipt(uow, new_line)
    await post_invoice(uow, "PI1", LATER, [InvoiceLine(10000, entry_no, D(1), D(3))], purchase=True)
    with pytest.raises(DocumentStateError):
        await undo_receipts_or_shipments(uow, [entry_no], purchase=True)


async def test_undo_of_an_unknown_entry_is_refused(new_uow: Uow) -> None:
    uow = new_uow()
    with pytest.raises(InvalidDocumentError):
        await undo_receipts_or_shipments(uow, [99], purchase=False)


async def test_a_shipment_its_return_and_the_undo_of_the_rest(new_uow: Uow, new_line: Line) -> None:
    uow = new_uow()
    await _receipt(uow, new_line)
    [shipment] = await post_receipt_or_shipment(uow, [new_line(SALE, "5", document_no="SH1")], purchase=False)
    assert shipment.invoiced_quantity == D(0) and shipment.document_type == "Sales Shipment"
    [returned] = await post_return(uow, "SR1", LATER, [ReturnLine(10000, shipment.entry_no, D(2))], purchase=False)
    assert (returned.quantity, returned.applies_from_entry) == (D(2), shipment.entry_no)
    with pytest.raises(DocumentStateError):
        await post_return(uow, "SR2", LATER, [ReturnLine(10000, shipment.entry_no, D(4))], purchase=False)
    with pytest.raises(DocumentStateError):
        await undo_receipts_or_shipments(uow, [shipment.entry_no], purchase=False)


async def test_undo_of_a_shipment_gives_the_stock_back(new_uow: Uow, new_line: Line) -> None:
    uow = new_uow()
    receipt_no = await _receipt(uow, new_line)
    [shipment] = await post_receipt_or_shipment(uow, [new_line(SALE, "5", document_no="SH1")], purchase=False)
    [correction] = await undo_receipts_or_shipments(uow, [shipment.entry_no], purchase=False)
    assert (correction.quantity, correction.applies_from_entry, correction.correction) == (
        D(5), shipment.entry_no, True)
    assert shipment.entry_no in uow.ledger.corrected
    assert uow.ledger.open[receipt_no][1].remaining_quantity + uow.ledger.open[correction.entry_no][1].remaining_quantity \
        == D(10)


async def test_a_sales_invoice_needs_a_shipment(new_uow: Uow, new_line: Line) -> None:
    uow = new_uow()
    entry_no = await _receipt(uow, new_line)
    with pytest.raises(InvalidDocumentError):
        await post_invoice(uow, "SI1", LATER, [InvoiceLine(10000, entry_no, D(1), sales_amount=D(9))], purchase=False)
    assert uow.invoices.lines == []
