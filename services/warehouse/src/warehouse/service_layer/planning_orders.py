"""Sales and purchase orders: registered, read, changed while outstanding; fulfilled by the shipments and receipts
that name their lines, and given back what an undo takes back."""

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal

from servicekit.errors import NotFoundError

from warehouse.domain.ledger_state import Demand
from warehouse.domain.model import ItemLedgerEntry, JournalLine
from warehouse.domain.planning_orders import (
    NewOrderLine,
    Order,
    OrderLine,
    OrderType,
    PostedLine,
    changed_line,
    check_deletable,
    check_new_lines,
    fulfil,
    order_line,
)
from warehouse.domain.reservation_policy import SupplyRef, SupplyType
from warehouse.domain.responsibility_centers import visible_center
from warehouse.service_layer.reservation_policies import cancel_demand, follow_demand_line, trim_supply
from warehouse.service_layer.responsibility_centers import (
    caller_center,
    center_of_document,
    check_document_visible,
    check_locations_visible,
)
from warehouse.service_layer.unit_of_work import WarehouseUnitOfWork


async def create_order(
    uow: WarehouseUnitOfWork, order_type: OrderType, no: str, party_no: str, order_date: date,
    lines: Sequence[NewOrderLine], responsibility_center: str = "",
) -> Order:
    """The order of the system that owns it; it belongs to the center given, else its first line's location's (else
    the caller's)."""
    check_new_lines(lines)
    made = await _lines(uow, order_type, order_date, lines)
    center = await center_of_document(uow, responsibility_center, [l.location_code for l in made],
                                      order_type.value.lower())
    order = Order(order_type, no, party_no, order_date, tuple(made), center)
    await uow.planning_orders.add(order)
    if order_type is OrderType.SALES:
        for line in order.lines:
            await _follow(uow, order, line)
    return order


async def get_order(uow: WarehouseUnitOfWork, order_type: OrderType, no: str, *, for_update: bool = False) -> Order:
    order = await uow.planning_orders.get(order_type, no, for_update=for_update)
    if order is None:
        raise NotFoundError(f"{order_type.value.lower()} {no} does not exist", order_no=no)
    check_document_visible(order.responsibility_center, f"{order_type.value.lower()} {no}")
    return order


async def list_orders(
    uow: WarehouseUnitOfWork, order_type: OrderType, after: str | None, limit: int, item_no: str | None,
    responsibility_center: str | None = None,
) -> list[Order]:
    """Of one center with `responsibility_center`; a caller tied to a center sees only its own."""
    center = visible_center(caller_center(), responsibility_center)
    return await uow.planning_orders.page(order_type, after, limit, item_no, center)


async def set_order_line(uow: WarehouseUnitOfWork, order_type: OrderType, no: str, new: NewOrderLine) -> Order:
    """Add the line, or change it while it is outstanding."""
    order = await get_order(uow, order_type, no, for_update=True)
    [wanted] = await _lines(uow, order_type, order.order_date, [new])
    await check_locations_visible(uow, [wanted.location_code], f"{order_type.value.lower()} {no}")
    current = order.line(new.line_no)
    line = changed_line(order, current, wanted) if current is not None else wanted
    await uow.planning_orders.save_lines(order_type, no, [line])
    if order_type is OrderType.SALES:
        await _follow(uow, order, line)
    else:
        await trim_supply(uow, SupplyRef(SupplyType.PURCHASE_ORDER, no, line.line_no), line.outstanding_base)
    return await get_order(uow, order_type, no)


async def delete_order_line(uow: WarehouseUnitOfWork, order_type: OrderType, no: str, line_no: int) -> Order:
    order = await get_order(uow, order_type, no, for_update=True)
    line = order.line(line_no)
    if line is None:
        raise NotFoundError(f"{order_type.value.lower()} {no} has no line {line_no}", order_no=no, line_no=line_no)
    check_deletable(order, line)
    await uow.planning_orders.delete_line(order_type, no, line_no)
    if order_type is OrderType.SALES:
        await cancel_demand(uow, Demand(str(order_type), no, line_no))
    else:
        await trim_supply(uow, SupplyRef(SupplyType.PURCHASE_ORDER, no, line_no), Decimal(0))
    return await get_order(uow, order_type, no)


def order_references(lines: Sequence[JournalLine], order_type: OrderType) -> list[tuple[JournalLine, Demand | None]]:
    """Each line with the order line it names (a `source_type` of the order type), or None. A receipt's reference is
    taken off the line: on an inbound line the posting path reads a source as a reservation to consume."""
    named: list[tuple[JournalLine, Demand | None]] = []
    for line in lines:
        reference = line.demand if line.demand is not None and line.demand.source_type == order_type.value else None
        if reference is not None and order_type is OrderType.PURCHASE:
            line = replace(line, demand=None)
        named.append((line, reference))
    return named


async def fulfil_order_lines(
    uow: WarehouseUnitOfWork, order_type: OrderType, named: Sequence[tuple[JournalLine, Demand | None]],
    posted: Sequence[ItemLedgerEntry],
) -> None:
    """Raise the shipped or received quantity of each order line a posted line named, by its entries' base quantity;
    refused (and so the whole document) beyond what is outstanding, for a line the order lacks, or for a purchase
    order that is not registered."""
    references = [(line, ref) for line, ref in named if ref is not None]
    if not references:
        return
    orders = await uow.planning_orders.get_many(order_type, {ref.source_id for _, ref in references}, for_update=True)
    if order_type is OrderType.SALES:
        # A shipment has always named its demand for the reservations it consumes, before sales orders were
        # registered here: naming a sales order that is not registered is still that, and fulfils nothing.
        references = [(line, ref) for line, ref in references if ref.source_id in orders]
    postings = [PostedLine(line.line_no, ref.source_id, ref.source_line_no, line.item_no, line.variant_code,
                           line.location_code,
                           tuple((e.entry_no, abs(e.quantity)) for e in posted if e.document_line_no == line.line_no))
                for line, ref in references]
    changed, records = fulfil(order_type, orders, postings)
    for order_no, lines in changed.items():
        await uow.planning_orders.save_lines(order_type, order_no, lines)
    await uow.planning_orders.add_postings(records)


async def give_back_order_lines(uow: WarehouseUnitOfWork, undone_entry_nos: Sequence[int]) -> None:
    """An undone receipt or shipment entry gives its order line back what it had posted."""
    postings = await uow.planning_orders.postings_of(undone_entry_nos)
    undone: dict[tuple[OrderType, str, int], Decimal] = {}
    for p in postings:
        key = (p.order_type, p.order_no, p.order_line_no)
        undone[key] = undone.get(key, Decimal(0)) + p.quantity
    for order_type in OrderType:
        # Locked as a change of the line would lock them, so that the two do not interleave.
        await uow.planning_orders.get_many(order_type, {no for t, no, _ in undone if t is order_type}, for_update=True)
    await uow.planning_orders.give_back(undone)


async def _follow(uow: WarehouseUnitOfWork, order: Order, line: OrderLine) -> None:
    """A sales line of an item with Reserve Always is reserved as it is made or changed; any line gives back what it
    holds beyond its outstanding quantity."""
    await follow_demand_line(uow, Demand(str(order.type), order.no, line.line_no),
                             (line.item_no, line.variant_code, line.location_code), line.outstanding_base, line.due_date)


async def _lines(
    uow: WarehouseUnitOfWork, order_type: OrderType, order_date: date, lines: Sequence[NewOrderLine]
) -> list[OrderLine]:
    items = {i: await uow.items.get(i) for i in {l.item_no for l in lines}}
    locations = await uow.locations.locations(l.location_code for l in lines)
    return [order_line(order_type, order_date, l, items.get(l.item_no), locations.get(l.location_code)) for l in lines]
