"""Transfer orders: create, ship (partially), receive (partially), undo a shipment; direct transfers ship and
receive in one step. The order row is locked for each step, the items for the posting."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from servicekit.errors import NotFoundError

from warehouse.domain.errors import InvalidDocumentError, UnknownItemError
from warehouse.domain.locations import check_destination
from warehouse.domain.model import EntryDraft, ItemLedgerEntry, base_quantity, check_movable
from warehouse.domain.reservation_policy import SupplyRef, SupplyType
from warehouse.domain.tracking import TrackingLine, split
from warehouse.domain.transfers import (
    TRANSFER,
    ShipmentLine,
    TransferOrder,
    TransferOrderLine,
    check_order,
    check_undo,
    from_transit_drafts,
    shipment_drafts,
    take_from_transit,
)
from warehouse.service_layer.posting import post_drafts
from warehouse.service_layer.responsibility_centers import center_of_document, check_document_visible

from warehouse.service_layer.reservation_policies import move_received_supply
from warehouse.service_layer.unit_of_work import WarehouseUnitOfWork


@dataclass(frozen=True)
class NewTransferLine:
    line_no: int
    item_no: str
    variant_code: str
    quantity: Decimal
    unit_of_measure_code: str = ""


@dataclass(frozen=True)
class ShipLine:
    line_no: int
    quantity: Decimal
    """In the base unit."""
    tracking: tuple[TrackingLine, ...] = ()
    bin_code: str = ""
    """The from-bin, at a bin-mandatory origin."""
    to_bin_code: str = ""
    """Direct transfers only: the bin at a bin-mandatory destination."""


@dataclass(frozen=True)
class ReceiveLine:
    line_no: int
    quantity: Decimal
    """In the base unit."""
    bin_code: str = ""
    """The to-bin, at a bin-mandatory destination."""


async def create_transfer_order(
    uow: WarehouseUnitOfWork, no: str, transfer_from_code: str, transfer_to_code: str, in_transit_code: str | None,
    direct_transfer: bool, lines: Sequence[NewTransferLine], responsibility_center: str = "",
) -> TransferOrder:
    """`responsibility_center`: the order's; blank takes the from-location's (else the to-location's). Each entry it
    posts records its own location's center."""
    items = await uow.items.lock(line.item_no for line in lines)
    order_lines = []
    for line in lines:
        item = items.get(line.item_no)
        if item is None:
            raise UnknownItemError(f"item {line.item_no} is unknown", item_no=line.item_no, line_no=line.line_no)
        check_movable(item, line.variant_code, line_no=line.line_no)
        base, _ = base_quantity(item, line.unit_of_measure_code, line.quantity, line_no=line.line_no)
        order_lines.append(TransferOrderLine(line.line_no, line.item_no, line.variant_code, base))
    center = await center_of_document(uow, responsibility_center, [transfer_from_code, transfer_to_code],
                                      f"transfer order {no}")
    order = TransferOrder(no, transfer_from_code, transfer_to_code, None if direct_transfer else in_transit_code,
                          direct_transfer, tuple(order_lines), center)
    check_order(order, await uow.locations.locations(
        [transfer_from_code, transfer_to_code] + ([in_transit_code] if in_transit_code else [])))
    await uow.transfer_orders.add(order)
    return order


async def ship_transfer(
    uow: WarehouseUnitOfWork, order_no: str, shipment_no: str, posting_date: date, lines: Sequence[ShipLine]
) -> tuple[TransferOrder, list[ItemLedgerEntry]]:
    order = await _order(uow, order_no)
    by_no = {l.line_no: l for l in order.lines}
    items = await uow.items.lock(by_no[s.line_no].item_no for s in lines if s.line_no in by_no)
    drafts: list[EntryDraft] = []
    pairs: list[tuple[int, int]] = []
    changed: dict[int, TransferOrderLine] = {}
    check_bin = await _bin_check(uow, order)
    for ship in lines:
        line = changed.get(ship.line_no) or _line(order, by_no, ship.line_no)
        item = items[line.item_no]
        check_movable(item, line.variant_code, line_no=line.line_no)
        check_bin(order.transfer_from_code, ship.bin_code, line)
        if order.direct_transfer:
            check_bin(order.transfer_to_code, ship.to_bin_code, line)
        elif ship.to_bin_code:
            raise InvalidDocumentError(f"line {line.line_no}: the to-bin goes on the receipt; the shipment goes to "
                                       "in-transit", order_no=order.no, line_no=line.line_no)
        parts = split(item.tracking, str(TRANSFER), False, ship.quantity, ship.tracking, item_no=item.item_no,
                      line_no=line.line_no)
        made = shipment_drafts(order, line, ship.quantity, parts, item, posting_date, shipment_no, len(drafts),
                               from_bin=ship.bin_code, to_bin=ship.to_bin_code)
        pairs += [(len(drafts) + i, len(drafts) + i + 1) for i in range(0, len(made), 2)]
        drafts += made
        shipped = line.quantity_shipped + ship.quantity
        changed[line.line_no] = replace(line, quantity_shipped=shipped,
                                        quantity_received=shipped if order.direct_transfer else line.quantity_received)
    posted = await post_drafts(uow, items, drafts)
    if order.direct_transfer:
        for line_no in changed:
            await move_received_supply(uow, SupplyRef(SupplyType.TRANSFER_ORDER, order.no, line_no),
                                       [e for e in posted if e.document_line_no == line_no])
    else:
        await uow.transfer_orders.add_shipment_lines(order.no, [
            ShipmentLine(0, posted[o].document_line_no, shipment_no, posting_date, posted[o].entry_no, posted[i].entry_no,
                         posted[i].quantity, Decimal(0), False, posted[i].serial_no, posted[i].lot_no, posted[o].bin_code)
            for o, i in pairs])
    await uow.transfer_orders.save_lines(order.no, list(changed.values()))
    return (await _order(uow, order_no)), posted


async def receive_transfer(
    uow: WarehouseUnitOfWork, order_no: str, receipt_no: str, posting_date: date, lines: Sequence[ReceiveLine]
) -> tuple[TransferOrder, list[ItemLedgerEntry]]:
    """Receive lines (base quantities, into their to-bins): out of the in-transit entries the shipments made,
    oldest first."""
    order = await _order(uow, order_no)
    if order.direct_transfer:
        raise InvalidDocumentError(f"transfer order {order.no} is direct: it is received when it ships", order_no=order.no)
    by_no = {l.line_no: l for l in order.lines}
    items = await uow.items.lock(by_no[r.line_no].item_no for r in lines if r.line_no in by_no)
    shipped = {s.id: s for s in await uow.transfer_orders.shipment_lines(order.no)}
    drafts: list[EntryDraft] = []
    changed: dict[int, TransferOrderLine] = {}
    check_bin = await _bin_check(uow, order)
    for receive in lines:
        line_no, quantity = receive.line_no, receive.quantity
        line = changed.get(line_no) or _line(order, by_no, line_no)
        if quantity <= 0:
            raise InvalidDocumentError(f"line {line_no}: quantity must be positive", order_no=order.no, line_no=line_no)
        check_bin(order.transfer_to_code, receive.bin_code, line)
        for s, q in take_from_transit(order, line, quantity, list(shipped.values())):
            drafts += from_transit_drafts(order, line, s, q, items[line.item_no], posting_date, receipt_no, len(drafts),
                                          to_bin=receive.bin_code)
            shipped[s.id] = replace(s, received_quantity=s.received_quantity + q)
        changed[line_no] = replace(line, quantity_received=line.quantity_received + quantity)
    posted = await post_drafts(uow, items, drafts)
    for line_no in changed:
        await move_received_supply(uow, SupplyRef(SupplyType.TRANSFER_ORDER, order.no, line_no),
                                   [e for e in posted if e.document_line_no == line_no])
    await uow.transfer_orders.save_shipment_progress(list(shipped.values()))
    await uow.transfer_orders.save_lines(order.no, list(changed.values()))
    return (await _order(uow, order_no)), posted


async def undo_transfer_shipment(
    uow: WarehouseUnitOfWork, order_no: str, shipment_no: str
) -> tuple[TransferOrder, list[ItemLedgerEntry]]:
    """Take a shipment nothing of which is received back out of transit into the origin, as corrections."""
    order = await _order(uow, order_no)
    by_no = {l.line_no: l for l in order.lines}
    shipment = check_undo(order, shipment_no, await uow.transfer_orders.shipment_lines(order.no))
    items = await uow.items.lock(by_no[s.line_no].item_no for s in shipment)
    drafts: list[EntryDraft] = []
    changed: dict[int, TransferOrderLine] = {}
    for s in shipment:
        line = changed.get(s.line_no) or by_no[s.line_no]
        drafts += from_transit_drafts(order, line, s, s.quantity, items[line.item_no], s.posting_date, shipment_no,
                                      len(drafts), undo=True)
        changed[s.line_no] = replace(line, quantity_shipped=line.quantity_shipped - s.quantity)
    posted = await post_drafts(uow, items, drafts)
    await uow.transfer_orders.save_shipment_progress([replace(s, undone=True) for s in shipment])
    await uow.transfer_orders.save_lines(order.no, list(changed.values()))
    return (await _order(uow, order_no)), posted


async def get_transfer_order(uow: WarehouseUnitOfWork, order_no: str) -> TransferOrder:
    order = await uow.transfer_orders.get(order_no)
    if order is None:
        raise NotFoundError(f"transfer order {order_no} does not exist", order_no=order_no)
    check_document_visible(order.responsibility_center, f"transfer order {order_no}")
    return order


async def _order(uow: WarehouseUnitOfWork, order_no: str) -> TransferOrder:
    order = await uow.transfer_orders.get(order_no, for_update=True)
    if order is None:
        raise NotFoundError(f"transfer order {order_no} does not exist", order_no=order_no)
    return order


async def _bin_check(
    uow: WarehouseUnitOfWork, order: TransferOrder
) -> Callable[[str, str, TransferOrderLine], None]:
    """A check of the bin a line names at the origin or the destination: required where bins are mandatory,
    refused elsewhere."""
    codes = [order.transfer_from_code, order.transfer_to_code]
    locations = await uow.locations.locations(codes)
    bins = await uow.locations.bins(code for code, location in locations.items() if location.bin_mandatory)

    def check(location_code: str, bin_code: str, line: TransferOrderLine) -> None:
        check_destination(location_code, bin_code, locations.get(location_code),
                          frozenset(b.code for b in bins.get(location_code, [])), line_no=line.line_no,
                          item_no=line.item_no)

    return check


def _line(order: TransferOrder, by_no: dict[int, TransferOrderLine], line_no: int) -> TransferOrderLine:
    if line_no not in by_no:
        raise InvalidDocumentError(f"transfer order {order.no} has no line {line_no}", order_no=order.no, line_no=line_no)
    return by_no[line_no]
