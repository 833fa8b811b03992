"""Purchase and sales documents: receipts and shipments (expected cost), their invoices, returns and undos."""

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime

import asyncpg

from inventory_contracts import ITEM_ENTRY_INVOICED_V1, new_envelope
from inventory_contracts.warehouse import ItemEntryInvoiced, ItemLedgerEntryType
from servicekit.outbox import add_events

from warehouse.adapters.setup import PostgresInventoryPeriodRepository, PostgresInventorySetupRepository
from warehouse.adapters.repository import WarehouseRepository
from warehouse.domain.documents import (
    InvoiceLine,
    PostedEntry,
    ReturnLine,
    check_invoice_line,
    purchase_return_draft,
    sales_return_draft,
)
from warehouse.domain.errors import InvalidJournalLineError
from warehouse.domain.model import EntryDraft, Item, ItemLedgerEntry, JournalLine, check_movable
from warehouse.domain.periods import check_posting_date
from warehouse.service_layer.posting import post_drafts, post_item_journal


async def post_receipt_or_shipment(
    conn: asyncpg.Connection, lines: Sequence[JournalLine], *, purchase: bool
) -> list[ItemLedgerEntry]:
    """A purchase receipt (Purchase lines, expected unit cost) or sales shipment (Sale lines), at expected cost."""
    wanted = ItemLedgerEntryType.PURCHASE if purchase else ItemLedgerEntryType.SALE
    for line in lines:
        if line.entry_type is not wanted:
            raise InvalidJournalLineError(
                f"line {line.line_no}: a {'purchase receipt' if purchase else 'sales shipment'} posts {wanted} lines only",
                item_no=line.item_no, line_no=line.line_no)
    return await post_item_journal(conn, lines, document_type="Purchase Receipt" if purchase else "Sales Shipment",
                                   expected=True)


async def post_return(
    conn: asyncpg.Connection, document_no: str, posting_date: date, lines: Sequence[ReturnLine], *, purchase: bool,
    undo: bool = False,
) -> list[ItemLedgerEntry]:
    """A purchase return (applies to receipt entries), a sales return (applies from shipment entries), or the undo of
    receipts or shipments: corrections at the original's date, which mark the original undone."""
    repository = WarehouseRepository(conn)
    items, named = await _lock(repository, [line.entry_no for line in lines])
    returned = {} if purchase else await repository.returned_quantities(named)
    drafts: list[EntryDraft] = []
    for line in lines:
        entry = named.get(line.entry_no)
        if entry is not None:
            check_movable(items[entry.item_no], entry.variant_code, line_no=line.line_no)
        if purchase:
            draft = purchase_return_draft(line, entry, document_no, posting_date, undo=undo)
        else:
            before = returned.get(line.entry_no, 0) + sum((d.quantity for d in drafts if d.applies_from_entry == line.entry_no), 0)
            draft = sales_return_draft(line, entry, before, document_no, posting_date, undo=undo)
        drafts.append(draft)
    posted = await post_drafts(conn, repository, items, drafts)
    if undo:
        await repository.mark_corrected([line.entry_no for line in lines])
    return posted


async def post_invoice(
    conn: asyncpg.Connection, document_no: str, posting_date: date, lines: Sequence[InvoiceLine], *, purchase: bool
) -> list[InvoiceLine]:
    """Invoice (parts of) receipt or shipment entries; costing turns their expected cost into actual cost."""
    repository = WarehouseRepository(conn)
    _, named = await _lock(repository, [line.entry_no for line in lines])
    posting_dates = await PostgresInventorySetupRepository(conn).posting_dates()
    periods = await PostgresInventoryPeriodRepository(conn).inventory_periods()
    for line in lines:
        entry = named.get(line.entry_no)
        check_invoice_line(line, entry, purchase=purchase)
        assert entry is not None and entry.invoiced_quantity is not None
        check_posting_date(posting_date, posting_dates, periods, line_no=line.line_no, item_no=entry.item_no)
        named[line.entry_no] = replace(entry, invoiced_quantity=entry.invoiced_quantity + line.quantity)
    invoice_entry_nos = await repository.add_invoice_lines([
        (document_no, line.line_no, posting_date, line.entry_no, line.quantity, line.unit_cost, line.sales_amount)
        for line in lines])
    now = datetime.now(UTC)
    await add_events(conn, [
        (ITEM_ENTRY_INVOICED_V1.topic, new_envelope(ITEM_ENTRY_INVOICED_V1, ItemEntryInvoiced(
            item_no=named[line.entry_no].item_no, item_ledger_entry_no=line.entry_no, document_no=document_no,
            document_line_no=line.line_no, invoice_entry_no=invoice_entry_no, posting_date=posting_date,
            invoiced_quantity=line.quantity, unit_cost=line.unit_cost, sales_amount=line.sales_amount, recorded_at=now,
        ), producer="warehouse", key=named[line.entry_no].item_no))
        for line, invoice_entry_no in zip(lines, invoice_entry_nos, strict=True)])
    return list(lines)


async def _lock(repository: WarehouseRepository, entry_nos: Sequence[int]) -> tuple[dict[str, Item], dict[int, PostedEntry]]:
    """The items' locks first, as every posting takes them, then the named entries'."""
    items = await repository.lock_items({r["item_no"] for r in (await repository.entries_for_update(entry_nos, lock=False)).values()})
    return items, await _entries(repository, entry_nos)


async def _entries(repository: WarehouseRepository, entry_nos: Sequence[int]) -> dict[int, PostedEntry]:
    rows = await repository.entries_for_update(entry_nos, lock=True)
    return {no: PostedEntry(
        entry_no=no, item_no=r["item_no"], variant_code=r["variant_code"], location_code=r["location_code"],
        bin_code=r["bin_code"], posting_date=r["posting_date"], entry_type=ItemLedgerEntryType(r["entry_type"]),
        document_no=r["document_no"], quantity=r["quantity"], invoiced_quantity=r["invoiced_quantity"],
        correction=r["correction"], corrected=r["corrected"], serial_no=r["serial_no"], lot_no=r["lot_no"],
        unit_of_measure_code=r["unit_of_measure_code"],
    ) for no, r in rows.items()}
