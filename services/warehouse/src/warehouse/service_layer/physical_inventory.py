"""Physical inventory orders: create, calculate lines, record, finish, post. Each step locks the order row, so
steps of one order run one at a time; posting also locks the items (post_drafts)."""

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from servicekit.errors import NotFoundError

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
    ledger_entries,
    record,
)
from warehouse.service_layer.posting import post_drafts
from warehouse.domain.responsibility_centers import visible_center
from warehouse.service_layer.responsibility_centers import caller_center, center_of_document, check_document_visible
from warehouse.service_layer.unit_of_work import WarehouseUnitOfWork


async def create_phys_invt_order(
    uow: WarehouseUnitOfWork, no: str, location_code: str, posting_date: date, item_nos: Sequence[str], bin_code: str,
    responsibility_center: str = "",
) -> PhysInvtOrder:
    """An order for a location (optionally some items, one bin); then calculate its lines. `responsibility_center`:
    the order's; blank takes the location's."""
    location = (await uow.locations.locations([location_code])).get(location_code)
    check_location(location_code, location, line_no=0, item_no="", what="a physical inventory order")
    if bin_code:
        bins = {b.code for b in (await uow.locations.bins([location_code])).get(location_code, [])}
        if bin_code not in bins:
            raise UnknownBinError(f"bin {bin_code} does not exist at location {location_code or '(blank)'}",
                                  location_code=location_code, bin_code=bin_code)
    if item_nos:
        known = await uow.items.lock(item_nos)
        unknown = sorted(set(item_nos) - set(known))
        if unknown:
            raise InvalidDocumentError(f"unknown item(s) in the item filter: {', '.join(unknown)}", item_nos=unknown)
    center = await center_of_document(uow, responsibility_center, [location_code], f"physical inventory order {no}")
    order = PhysInvtOrder(no, location_code, posting_date, tuple(sorted(set(item_nos))), bin_code,
                          responsibility_center=center)
    await uow.physical_inventory.add(order)
    return order


async def get_phys_invt_order(uow: WarehouseUnitOfWork, order_no: str) -> PhysInvtOrder:
    return await _order(uow, order_no, for_update=False)


async def calculate_lines(uow: WarehouseUnitOfWork, order_no: str) -> PhysInvtOrder:
    order = await _order(uow, order_no)
    lines = expected_lines(order, await uow.physical_inventory.count_balances(order))
    order = replace(order, lines=tuple(lines), lines_calculated=True)
    await uow.physical_inventory.save(order, replace_lines=True)
    return order


async def record_counts(
    uow: WarehouseUnitOfWork, order_no: str, recording_no: str, recorded: Sequence[RecordedLine]
) -> PhysInvtOrder:
    order = await _order(uow, order_no)
    items = await uow.items.lock({r.item_no for r in recorded if r.item_no})
    lines = record(order, recording_no, recorded, items)
    added = [line for line in lines if not line.calculated and line.line_no not in {l.line_no for l in order.lines}]
    if added:
        location = (await uow.locations.locations([order.location_code])).get(order.location_code)
        bins = frozenset(b.code for b in (await uow.locations.bins([order.location_code])).get(order.location_code, []))
        for line in added:
            check_destination(order.location_code, line.bin_code, location, bins, line_no=line.line_no,
                              item_no=line.item_no)
    await uow.physical_inventory.add_recording(order.no, recording_no)
    order = replace(order, lines=tuple(lines))
    await uow.physical_inventory.save(order)
    return order


async def finish_order(uow: WarehouseUnitOfWork, order_no: str, unrecorded: Unrecorded) -> PhysInvtOrder:
    order = await _order(uow, order_no)
    order = replace(order, lines=tuple(finish(order, unrecorded)), status=OrderStatus.FINISHED)
    await uow.physical_inventory.save(order)
    return order


async def post_order(
    uow: WarehouseUnitOfWork, order_no: str
) -> tuple[PhysInvtOrder, list[ItemLedgerEntry], list[PhysInvtLedgerEntry]]:
    """Post a finished order's differences as adjustments and one physical inventory ledger entry per line."""
    order = await _order(uow, order_no)
    check_finished(order)
    # Checked here too: an order without differences posts no item ledger entry, but its count is still dated.
    check_posting_date(order.posting_date, await uow.inventory_setup.posting_dates(),
                       await uow.periods.inventory_periods(), line_no=0, item_no="")
    found = differences(order.lines)
    items = await uow.items.lock(line.item_no for line in order.lines)
    drafts, index_of = adjustment_drafts(order, found, items)
    posted = await post_drafts(uow, items, drafts, responsibility_center=order.responsibility_center) if drafts else []
    ledger = ledger_entries(order, found, await uow.physical_inventory.next_ledger_entry_nos(len(found)),
                            {line_no: posted[index].entry_no for line_no, index in index_of.items()})
    if ledger:
        await uow.physical_inventory.add_ledger_entries(ledger)
    order = replace(order, status=OrderStatus.POSTED)
    await uow.physical_inventory.save(order)
    return order, posted, ledger


async def list_phys_invt_ledger_entries(
    uow: WarehouseUnitOfWork, item_no: str | None, order_no: str | None, after: int | None, limit: int,
    responsibility_center: str | None = None,
) -> list[PhysInvtLedgerEntry]:
    """Of one responsibility center's orders with `responsibility_center`; a caller tied to a center sees its own."""
    center = visible_center(caller_center(), responsibility_center)
    return await uow.physical_inventory.ledger_entries(item_no, order_no, after, limit, center)


async def _order(uow: WarehouseUnitOfWork, order_no: str, *, for_update: bool = True) -> PhysInvtOrder:
    order = await uow.physical_inventory.get(order_no, for_update=for_update)
    if order is None:
        raise NotFoundError(f"physical inventory order {order_no} does not exist", order_no=order_no)
    check_document_visible(order.responsibility_center, f"physical inventory order {order_no}")
    return order
