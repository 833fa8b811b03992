"""Purchase and sales documents: receipts and shipments (expected cost), their invoices, returns and undos."""

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

from inventory_contracts import ITEM_ENTRY_INVOICED_V1, new_envelope
from inventory_contracts.warehouse import ItemEntryInvoiced, ItemLedgerEntryType

from warehouse.domain.documents import (
    InvoiceLine,
    PostedEntry,
    ReturnLine,
    check_invoice_line,
    purchase_return_draft,
    sales_return_draft,
    undo_draft,
    undo_lines,
)
from warehouse.domain.errors import InvalidJournalLineError
from warehouse.domain.model import EntryDraft, Item, ItemLedgerEntry, JournalLine, check_movable
from warehouse.domain.periods import check_posting_date
from warehouse.domain.planning_orders import OrderType
from warehouse.domain.reservation_policy import SupplyRef, SupplyType
from warehouse.service_layer.planning_orders import fulfil_order_lines, give_back_order_lines, order_references
from warehouse.service_layer.posting import post_drafts, post_item_journal
from warehouse.service_layer.responsibility_centers import check_entries_visible

from warehouse.service_layer.reservation_policies import move_received_supply
from warehouse.service_layer.unit_of_work import WarehouseUnitOfWork


async def post_receipt_or_shipment(
    uow: WarehouseUnitOfWork, lines: Sequence[JournalLine], *, purchase: bool, responsibility_center: str = ""
) -> list[ItemLedgerEntry]:
    """A purchase receipt (Purchase lines, expected unit cost) or sales shipment (Sale lines), at expected cost.
    A line whose source names a purchase (sales) order line receives (ships) that much of it."""
    wanted = ItemLedgerEntryType.PURCHASE if purchase else ItemLedgerEntryType.SALE
    for line in lines:
        if line.entry_type is not wanted:
            raise InvalidJournalLineError(
                f"line {line.line_no}: a {'purchase receipt' if purchase else 'sales shipment'} posts {wanted} lines only",
                item_no=line.item_no, line_no=line.line_no)
    order_type = OrderType.PURCHASE if purchase else OrderType.SALES
    named = order_references(lines, order_type)
    posted = await post_item_journal(uow, [line for line, _ in named],
                                     document_type="Purchase Receipt" if purchase else "Sales Shipment", expected=True,
                                     responsibility_center=responsibility_center)
    await fulfil_order_lines(uow, order_type, named, posted)
    if purchase:
        for line, ref in named:
            if ref is not None:
                await move_received_supply(uow, SupplyRef(SupplyType.PURCHASE_ORDER, ref.source_id, ref.source_line_no),
                                           [e for e in posted if e.document_line_no == line.line_no])
    return posted


async def post_return(
    uow: WarehouseUnitOfWork, document_no: str, posting_date: date, lines: Sequence[ReturnLine], *, purchase: bool,
    responsibility_center: str = "",
) -> list[ItemLedgerEntry]:
    """A purchase return (applies to receipt entries) or a sales return (applies from shipment entries)."""
    items, named = await _lock(uow, [line.entry_no for line in lines])
    returned = await _returned(uow, named, purchase=purchase)
    drafts: list[EntryDraft] = []
    for line in lines:
        entry = _movable(line, named, items)
        if purchase:
            drafts.append(purchase_return_draft(line, entry, document_no, posting_date))
        else:
            before = _returned_before(line, returned, drafts)
            drafts.append(sales_return_draft(line, entry, before, document_no, posting_date))
    return await post_drafts(uow, items, drafts, responsibility_center=responsibility_center)


async def undo_receipts_or_shipments(
    uow: WarehouseUnitOfWork, entry_nos: Sequence[int], *, purchase: bool
) -> list[ItemLedgerEntry]:
    """Undo receipt (purchase) or shipment entries nothing of which is invoiced: corrections at each original's date
    and document, which mark the original undone."""
    items, named = await _lock(uow, entry_nos)
    returned = await _returned(uow, named, purchase=purchase)
    drafts: list[EntryDraft] = []
    for line in undo_lines(entry_nos, named):
        entry = _movable(line, named, items)
        drafts.append(undo_draft(line, entry, _returned_before(line, returned, drafts), purchase=purchase))
    posted = await post_drafts(uow, items, drafts)
    await uow.ledger.mark_corrected(list(entry_nos))
    await give_back_order_lines(uow, entry_nos)
    return posted


async def post_invoice(
    uow: WarehouseUnitOfWork, document_no: str, posting_date: date, lines: Sequence[InvoiceLine], *, purchase: bool
) -> list[InvoiceLine]:
    """Invoice (parts of) receipt or shipment entries; costing turns their expected cost into actual cost."""
    _, named = await _lock(uow, [line.entry_no for line in lines])
    await check_entries_visible(uow, named, "an invoice")
    posting_dates = await uow.inventory_setup.posting_dates()
    periods = await uow.periods.inventory_periods()
    for line in lines:
        entry = named.get(line.entry_no)
        check_invoice_line(line, entry, purchase=purchase)
        assert entry is not None and entry.invoiced_quantity is not None
        check_posting_date(posting_date, posting_dates, periods, line_no=line.line_no, item_no=entry.item_no)
        named[line.entry_no] = replace(entry, invoiced_quantity=entry.invoiced_quantity + line.quantity)
    invoice_entry_nos = await uow.invoices.add(document_no, posting_date, lines)
    now = datetime.now(UTC)
    await uow.publish_all([
        (ITEM_ENTRY_INVOICED_V1.topic, new_envelope(ITEM_ENTRY_INVOICED_V1, ItemEntryInvoiced(
            item_no=named[line.entry_no].item_no, item_ledger_entry_no=line.entry_no, document_no=document_no,
            document_line_no=line.line_no, invoice_entry_no=invoice_entry_no, posting_date=posting_date,
            invoiced_quantity=line.quantity, unit_cost=line.unit_cost, sales_amount=line.sales_amount, recorded_at=now,
        ), producer="warehouse", key=named[line.entry_no].item_no))
        for line, invoice_entry_no in zip(lines, invoice_entry_nos, strict=True)])
    return list(lines)


async def _lock(uow: WarehouseUnitOfWork, entry_nos: Sequence[int]) -> tuple[dict[str, Item], dict[int, PostedEntry]]:
    """The items' locks first, as every posting takes them, then the named entries'."""
    items = await uow.items.lock({e.item_no for e in (await uow.ledger.posted(entry_nos, lock=False)).values()})
    return items, await uow.ledger.posted(entry_nos, lock=True)


async def _returned(uow: WarehouseUnitOfWork, named: Mapping[int, PostedEntry], *, purchase: bool) -> dict[int, Decimal]:
    """What earlier returns gave back of the shipments (a receipt's remaining quantity limits its returns itself)."""
    return {} if purchase else await uow.ledger.returned_quantities(named)


def _movable(line: ReturnLine, named: Mapping[int, PostedEntry], items: Mapping[str, Item]) -> PostedEntry | None:
    entry = named.get(line.entry_no)
    if entry is not None:
        check_movable(items[entry.item_no], entry.variant_code, line_no=line.line_no)
    return entry


def _returned_before(line: ReturnLine, returned: Mapping[int, Decimal], drafts: Sequence[EntryDraft]) -> Decimal:
    """Returned of the line's shipment before it: by earlier documents and earlier lines of this one."""
    return returned.get(line.entry_no, Decimal(0)) + sum(
        (d.quantity for d in drafts if d.applies_from_entry == line.entry_no), Decimal(0))
