"""Physical inventory orders: create, calculate lines, record, finish, post. Each step locks the order row, so
steps of one order run one at a time; posting also locks the items (post_drafts)."""

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

import asyncpg

from servicekit.errors import NotFoundError

from warehouse.adapters.repository import WarehouseRepository
from warehouse.adapters.unit_of_work import PostgresWarehouseUnitOfWork  # until this module takes the unit of work
from warehouse.domain.errors import InvalidDocumentError, UnknownBinError
from warehouse.domain.locations import check_destination, check_location
from warehouse.domain.model import ItemLedgerEntry
from warehouse.domain.periods import check_posting_date
from warehouse.domain.physical_inventory import (
    OrderStatus,
    PhysInvtLedgerEntry,
    PhysInvtOrder,
    RecordedLine,
    Unrecorded,
    adjustment_drafts,
    check_finished,
    differences,
    expected_lines,
    finish,
    record,
)
from warehouse.service_layer.posting import post_drafts


async def create_phys_invt_order(
    conn: asyncpg.Connection, no: str, location_code: str, posting_date: date, item_nos: Sequence[str], bin_code: str
) -> PhysInvtOrder:
    repository = WarehouseRepository(conn)
    location = (await repository.locations([location_code])).get(location_code)
    check_location(location_code, location, line_no=0, item_no="", what="a physical inventory order")
    if bin_code:
        bins = {b.code for b in (await repository.bins([location_code])).get(location_code, [])}
        if bin_code not in bins:
            raise UnknownBinError(f"bin {bin_code} does not exist at location {location_code or '(blank)'}",
                                  location_code=location_code, bin_code=bin_code)
    if item_nos:
        known = await repository.lock_items(item_nos)
        unknown = sorted(set(item_nos) - set(known))
        if unknown:
            raise InvalidDocumentError(f"unknown item(s) in the item filter: {', '.join(unknown)}", item_nos=unknown)
    order = PhysInvtOrder(no, location_code, posting_date, tuple(sorted(set(item_nos))), bin_code)
    await repository.add_phys_invt_order(order)
    return order


async def calculate_lines(conn: asyncpg.Connection, order_no: str) -> PhysInvtOrder:
    repository = WarehouseRepository(conn)
    order = await _order(repository, order_no)
    lines = expected_lines(order, await repository.count_balances(order))
    order = replace(order, lines=tuple(lines), lines_calculated=True)
    await repository.save_phys_invt_order(order, replace_lines=True)
    return order


async def record_counts(
    conn: asyncpg.Connection, order_no: str, recording_no: str, recorded: Sequence[RecordedLine]
) -> PhysInvtOrder:
    repository = WarehouseRepository(conn)
    order = await _order(repository, order_no)
    items = await repository.lock_items({r.item_no for r in recorded if r.item_no})
    lines = record(order, recording_no, recorded, items)
    added = [line for line in lines if not line.calculated and line.line_no not in {l.line_no for l in order.lines}]
    if added:
        location = (await repository.locations([order.location_code])).get(order.location_code)
        bins = frozenset(b.code for b in (await repository.bins([order.location_code])).get(order.location_code, []))
        for line in added:
            check_destination(order.location_code, line.bin_code, location, bins, line_no=line.line_no,
                              item_no=line.item_no)
    await repository.add_phys_invt_recording(order.no, recording_no)
    order = replace(order, lines=tuple(lines))
    await repository.save_phys_invt_order(order)
    return order


async def finish_order(conn: asyncpg.Connection, order_no: str, unrecorded: Unrecorded) -> PhysInvtOrder:
    repository = WarehouseRepository(conn)
    order = await _order(repository, order_no)
    order = replace(order, lines=tuple(finish(order, unrecorded)), status=OrderStatus.FINISHED)
    await repository.save_phys_invt_order(order)
    return order


async def post_order(
    conn: asyncpg.Connection, order_no: str
) -> tuple[PhysInvtOrder, list[ItemLedgerEntry], list[PhysInvtLedgerEntry]]:
    """Post a finished order's differences as adjustments and one physical inventory ledger entry per line."""
    repository = WarehouseRepository(conn)
    order = await _order(repository, order_no)
    check_finished(order)
    # Checked here too: an order without differences posts no item ledger entry, but its count is still dated.
    check_posting_date(order.posting_date, await repository.posting_dates(), await repository.inventory_periods(),
                       line_no=0, item_no="")
    found = differences(order.lines)
    items = await repository.lock_items(line.item_no for line in order.lines)
    drafts, index_of = adjustment_drafts(order, found, items)
    posted = await post_drafts(PostgresWarehouseUnitOfWork(conn), items, drafts) if drafts else []
    entry_nos = await repository.next_phys_invt_ledger_entry_nos(len(found))
    ledger = [
        PhysInvtLedgerEntry(
            entry_no=no, order_no=order.no, order_line_no=d.line.line_no, recording_no=d.line.recording_no,
            item_no=d.line.item_no, variant_code=d.line.variant_code, location_code=order.location_code,
            bin_code=d.line.bin_code, lot_no=d.line.lot_no, serial_no=d.line.serial_no, posting_date=order.posting_date,
            expected_quantity=d.line.expected_quantity, recorded_quantity=d.line.expected_quantity + d.quantity,
            difference=d.quantity, entry_type=d.entry_type,
            item_ledger_entry_no=posted[index_of[d.line.line_no]].entry_no if d.line.line_no in index_of else None,
        )
        for d, no in zip(found, entry_nos, strict=True)
    ]
    if ledger:
        await repository.add_phys_invt_ledger_entries(ledger)
    order = replace(order, status=OrderStatus.POSTED)
    await repository.save_phys_invt_order(order)
    return order, posted, ledger


async def _order(repository: WarehouseRepository, order_no: str) -> PhysInvtOrder:
    order = await repository.phys_invt_order(order_no, for_update=True)
    if order is None:
        raise NotFoundError(f"physical inventory order {order_no} does not exist", order_no=order_no)
    return order
