"""Assembly orders: create, change lines, component availability, post (partially), undo a posting, and the
assembly behind an assemble-to-order sales line. The order row is locked for each change, the items for postings."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from inventory_contracts.catalog import BomComponentType, ResourceUsageType
from inventory_contracts.limits import QUANTITY_QUANTUM
from inventory_contracts.warehouse import ItemLedgerEntryType

from servicekit.errors import NotFoundError

from warehouse.domain.assembly import (
    CONSUMPTION,
    ITEM,
    OPEN,
    OUTPUT,
    RESOURCE,
    TEXT,
    AssemblyOrder,
    AssemblyOrderLine,
    AssemblyPosting,
    LineAvailability,
    LineChange,
    ResourceCost,
    after_posting,
    after_undo,
    availability,
    bom_lines,
    change_line,
    check_deletable,
    check_new_line,
    check_open,
    check_parent,
    consumption,
    item_line,
    next_line_no,
    posting_drafts,
    resource_line,
    undo_drafts,
)
from warehouse.domain.availability import Figures
from warehouse.domain.errors import DocumentStateError, InvalidJournalLineError, UnknownItemError
from warehouse.domain.ledger_state import Demand
from warehouse.domain.locations import check_destination
from warehouse.domain.model import ItemLedgerEntry, JournalLine, base_quantity, check_variant
from warehouse.domain.ports import AssemblyOrders
from warehouse.domain.reservation_policy import DemandType, SupplyRef, SupplyType
from warehouse.domain.tracking import TrackingLine
from warehouse.service_layer.availability import item_availability
from warehouse.service_layer.documents import post_receipt_or_shipment
from warehouse.service_layer.posting import post_drafts
from warehouse.service_layer.responsibility_centers import center_of_document, check_document_visible
from warehouse.service_layer.reservation_policies import cancel_demand, follow_demand_line, move_received_supply
from warehouse.service_layer.unit_of_work import WarehouseUnitOfWork


class AssemblyUnitOfWork(WarehouseUnitOfWork, Protocol):
    @property
    def assembly_orders(self) -> AssemblyOrders: ...


@dataclass(frozen=True)
class NewAssemblyOrder:
    no: str | None
    item_no: str
    quantity: Decimal
    """In `unit_of_measure_code`."""
    due_date: date
    starting_date: date | None = None
    unit_of_measure_code: str = ""
    location_code: str = ""
    bin_code: str = ""
    variant_code: str = ""
    sales_no: str = ""
    sales_line_no: int = 0
    responsibility_center: str = ""
    """Blank: the location's (or the caller's) center."""


@dataclass(frozen=True)
class NewAssemblyLine:
    line_no: int | None
    type: BomComponentType
    no: str = ""
    description: str = ""
    quantity_per: Decimal = Decimal(0)
    unit_of_measure_code: str = ""
    variant_code: str = ""
    location_code: str | None = None
    bin_code: str = ""
    resource_usage_type: ResourceUsageType = ResourceUsageType.DIRECT


@dataclass(frozen=True)
class AssemblyPostingRequest:
    quantity_to_assemble: Decimal
    """In the order's unit of measure."""
    posting_date: date
    document_no: str | None = None
    output_tracking: tuple[TrackingLine, ...] = ()
    consumption_tracking: Mapping[int, tuple[TrackingLine, ...]] = field(default_factory=dict)
    """Per order line no., the serial/lot numbers it consumes."""


async def resources_of_bom(uow: WarehouseUnitOfWork, item_no: str) -> list[str]:
    """The resources the item's BOM names: their costs come from the catalog before the order is made."""
    item = await uow.items.get(item_no)
    return [] if item is None else sorted({c.no for c in item.assembly_bom if c.type is RESOURCE})


async def create_assembly_order(
    uow: AssemblyUnitOfWork, new: NewAssemblyOrder, resources: Mapping[str, ResourceCost]
) -> AssemblyOrder:
    """An order for the parent with lines copied from its assembly BOM."""
    parent_card = await uow.items.get(new.item_no)
    components = [c.no for c in parent_card.assembly_bom if c.type is ITEM] if parent_card is not None else []
    items = await uow.items.lock([new.item_no, *components])
    parent = check_parent(items.get(new.item_no), new.item_no, to_order=bool(new.sales_no))
    check_variant(parent, new.variant_code, line_no=0)
    base, per = base_quantity(parent, new.unit_of_measure_code, new.quantity, line_no=0)
    await _check_place(uow, [(new.location_code, new.bin_code, parent.item_no, 0)])
    if new.sales_no and await uow.assembly_orders.by_sales_line(new.sales_no, new.sales_line_no, for_update=False):
        raise DocumentStateError(f"sales line {new.sales_no} {new.sales_line_no} has an assembly order already",
                                 sales_no=new.sales_no, sales_line_no=new.sales_line_no)
    center = await center_of_document(uow, new.responsibility_center, [new.location_code], "assembly order")
    no = new.no or await uow.assembly_orders.next_no()
    order = AssemblyOrder(
        no=no, item_no=parent.item_no, variant_code=new.variant_code, location_code=new.location_code,
        bin_code=new.bin_code, unit_of_measure_code=new.unit_of_measure_code or parent.base_unit_of_measure,
        qty_per_unit_of_measure=per, quantity=base, remaining_quantity=base, due_date=new.due_date,
        starting_date=new.starting_date or new.due_date, assemble_to_order_sales_no=new.sales_no,
        assemble_to_order_sales_line_no=new.sales_line_no, responsibility_center=center,
        # Components are due when the assembly starts.
        lines=bom_lines(parent, base, items, resources, new.location_code, new.starting_date or new.due_date),
    )
    await uow.assembly_orders.add(order)
    await _follow_components(uow, order, order.lines)
    return order


async def get_assembly_order(uow: AssemblyUnitOfWork, no: str, *, for_update: bool = False) -> AssemblyOrder:
    order = await uow.assembly_orders.get(no, for_update=for_update)
    if order is None:
        raise NotFoundError(f"assembly order {no} does not exist", order_no=no)
    check_document_visible(order.responsibility_center, f"assembly order {no}")
    return order


async def add_assembly_line(
    uow: AssemblyUnitOfWork, no: str, new: NewAssemblyLine, resources: Mapping[str, ResourceCost]
) -> AssemblyOrder:
    order = await get_assembly_order(uow, no, for_update=True)
    line_no = new.line_no or next_line_no(order)
    check_new_line(order, line_no)
    if new.type is ITEM:
        item = (await uow.items.lock([new.no])).get(new.no)
        if item is None:
            raise UnknownItemError(f"line {line_no}: item {new.no} is unknown", item_no=new.no, line_no=line_no)
        location_code = order.location_code if new.location_code is None else new.location_code
        await _check_place(uow, [(location_code, new.bin_code, item.item_no, line_no)])
        line = item_line(line_no, item, new.quantity_per, new.unit_of_measure_code, order.quantity, location_code,
                         new.bin_code, order.starting_date, description=new.description, variant_code=new.variant_code)
    elif new.type is RESOURCE:
        line = resource_line(line_no, new.no, new.quantity_per, new.unit_of_measure_code, new.resource_usage_type,
                             resources, order.quantity, order.starting_date, description=new.description)
    else:
        line = AssemblyOrderLine(line_no, TEXT, description=new.description, quantity_per=Decimal("0.00000"),
                                 quantity=Decimal("0.00000"), remaining_quantity=Decimal("0.00000"))
    order = replace(order, lines=tuple(sorted((*order.lines, line), key=lambda l: l.line_no)))
    await uow.assembly_orders.save(order)
    await _follow_components(uow, order, [line])
    return order


async def change_assembly_line(uow: AssemblyUnitOfWork, no: str, line_no: int, change: LineChange) -> AssemblyOrder:
    order = await get_assembly_order(uow, no, for_update=True)
    check_open(order)
    line = order.line(line_no)
    component = (await uow.items.lock([line.no])).get(line.no) if line.type is ITEM else None
    new = change_line(order, line_no, change, component)
    if line.type is ITEM:
        await _check_place(uow, [(new.location_code, new.bin_code, new.no, line_no)])
    order = replace(order, lines=tuple(new if l.line_no == line_no else l for l in order.lines))
    await uow.assembly_orders.save(order)
    await _follow_components(uow, order, [new])
    return order


async def delete_assembly_line(uow: AssemblyUnitOfWork, no: str, line_no: int) -> AssemblyOrder:
    order = await get_assembly_order(uow, no, for_update=True)
    check_deletable(order, line_no)
    order = replace(order, lines=tuple(l for l in order.lines if l.line_no != line_no))
    await uow.assembly_orders.save(order)
    await cancel_demand(uow, Demand(DemandType.ASSEMBLY_ORDER, order.no, line_no))
    return order


async def _follow_components(
    uow: WarehouseUnitOfWork, order: AssemblyOrder, lines: Iterable[AssemblyOrderLine]
) -> None:
    """Component lines are demand: a component with Reserve Always is reserved as its line is made or changed."""
    for line in lines:
        if line.type is ITEM:
            await follow_demand_line(uow, Demand(DemandType.ASSEMBLY_ORDER, order.no, line.line_no),
                                     (line.no, line.variant_code, line.location_code), line.remaining_quantity,
                                     line.due_date)


async def assembly_availability(
    uow: AssemblyUnitOfWork, no: str
) -> tuple[AssemblyOrder, list[LineAvailability], Decimal]:
    """Per item line still to consume: what is available at its location (the item's available inventory there);
    and the parents that can be assembled now (base unit)."""
    order = await get_assembly_order(uow, no)
    available: dict[int, Decimal] = {}
    for line in order.lines:
        if line.type is ITEM and line.remaining_quantity > 0:
            figures = await item_availability(uow, line.no, line.location_code)
            assert isinstance(figures, Figures)
            available[line.line_no] = figures.available_inventory
    lines, able = availability(order, available)
    return order, lines, able


async def post_assembly_order(
    uow: AssemblyUnitOfWork, no: str, request: AssemblyPostingRequest, *, order: AssemblyOrder | None = None,
    base: Decimal | None = None,
) -> tuple[AssemblyOrder, AssemblyPosting, list[ItemLedgerEntry]]:
    """Consumption of each line's share and the output of the parent, in one posting; the order's remaining
    quantities fall, and it is Posted when nothing remains. `order` and `base` (the quantity in the base unit) are
    given by the shipment of an assemble-to-order sales line, the only way such an order posts."""
    from_shipment = order is not None
    order = order or await get_assembly_order(uow, no, for_update=True)
    check_open(order)
    if order.assemble_to_order_sales_no and not from_shipment:
        raise DocumentStateError(
            f"assembly order {order.no} assembles to order: the shipment of sales line "
            f"{order.assemble_to_order_sales_no} {order.assemble_to_order_sales_line_no} posts it", order_no=order.no)
    items = await uow.items.lock([order.item_no, *(l.no for l in order.lines if l.type is ITEM)])
    parent = items.get(order.item_no)
    if parent is None:
        raise UnknownItemError(f"item {order.item_no} is unknown", item_no=order.item_no)
    quantity = base if base is not None else (request.quantity_to_assemble * order.qty_per_unit_of_measure).quantize(
        QUANTITY_QUANTUM, rounding=ROUND_HALF_UP)
    consumed = consumption(order, quantity, request.consumption_tracking)
    await _check_place(uow, [(order.location_code, order.bin_code, order.item_no, 0)] + [
        (c.line.location_code, c.line.bin_code, c.line.no, c.line.line_no) for c in consumed if c.line.type is ITEM])
    posting_no = await uow.assembly_orders.next_posting_no()
    document_no = request.document_no or posting_no
    drafts = posting_drafts(order, parent, items, quantity, consumed, request.output_tracking, request.posting_date,
                            document_no)
    entries = await post_drafts(uow, items, drafts, responsibility_center=order.responsibility_center)
    await move_received_supply(uow, SupplyRef(SupplyType.ASSEMBLY_ORDER, order.no),
                               [e for e in entries if e.entry_type is OUTPUT])
    posting = AssemblyPosting(
        posting_no=posting_no, order_no=order.no, document_no=document_no, posting_date=request.posting_date,
        quantity=quantity, output_entry_nos=tuple(e.entry_no for e in entries if e.entry_type is OUTPUT),
        consumption_entry_nos=tuple(e.entry_no for e in entries if e.entry_type is CONSUMPTION),
        consumed=tuple((c.line.line_no, c.quantity) for c in consumed),
    )
    await uow.assembly_orders.add_posting(posting)
    order = after_posting(order, quantity, consumed)
    await uow.assembly_orders.save(order)
    return order, posting, entries


async def assembly_postings(
    uow: AssemblyUnitOfWork, no: str
) -> tuple[AssemblyOrder, list[tuple[AssemblyPosting, list[ItemLedgerEntry]]]]:
    """The order with its posted assemblies, each with its entries (undo corrections included)."""
    order = await get_assembly_order(uow, no)
    postings = await uow.assembly_orders.postings(no)
    nos = [n for p in postings for n in (*p.output_entry_nos, *p.consumption_entry_nos)]
    entries = {e.entry_no: e for e in await uow.ledger.by_no(nos)}
    return order, [(p, [entries[n] for n in (*p.consumption_entry_nos, *p.output_entry_nos) if n in entries])
                   for p in postings]


async def undo_assembly_posting(
    uow: AssemblyUnitOfWork, no: str, posting_no: str
) -> tuple[AssemblyOrder, list[ItemLedgerEntry]]:
    """A negative output fixed-applied to the output and positive consumptions applying from each consumption, as
    corrections; refused when the output is no longer all on hand. The order's remaining quantities are restored."""
    order = await get_assembly_order(uow, no, for_update=True)
    posting = await uow.assembly_orders.posting(posting_no, for_update=True)
    if posting is None or posting.order_no != order.no:
        raise NotFoundError(f"assembly order {no} has no posting {posting_no}", order_no=no, posting_no=posting_no)
    nos = [*posting.output_entry_nos, *posting.consumption_entry_nos]
    unlocked = await uow.ledger.posted(nos, lock=False)
    items = await uow.items.lock({e.item_no for e in unlocked.values()})
    named = await uow.ledger.posted(nos, lock=True)
    outputs = [named[n] for n in posting.output_entry_nos]
    open_entries = await uow.ledger.open_entries_of({(e.item_no, e.variant_code, e.location_code) for e in outputs})
    remaining = {n: e.remaining_quantity for entries in open_entries.values() for n, e in entries.items()}
    drafts = undo_drafts(order, posting, named, remaining)
    entries = await post_drafts(uow, items, drafts, responsibility_center=order.responsibility_center)
    await uow.ledger.mark_corrected(nos)
    await uow.assembly_orders.mark_undone(posting_no)
    order = after_undo(order, posting)
    await uow.assembly_orders.save(order)
    return order, entries


async def post_sales_shipment(
    uow: AssemblyUnitOfWork, lines: Sequence[JournalLine], *, responsibility_center: str = ""
) -> list[ItemLedgerEntry]:
    """A sales shipment. A line naming (source_id, source_line_no) a sales line with an open assemble-to-order
    assembly order first posts that assembly (the quantity shipped) and is then fixed-applied to its output, all
    in the shipment's transaction."""
    assembled: list[ItemLedgerEntry] = []
    shipped: list[JournalLine] = []
    for line in lines:
        order = None
        if line.demand is not None and line.entry_type is ItemLedgerEntryType.SALE:
            order = await uow.assembly_orders.by_sales_line(line.demand.source_id, line.demand.source_line_no,
                                                            for_update=True)
        if order is None or order.status != OPEN:
            shipped.append(line)
            continue
        where = {"item_no": line.item_no, "line_no": line.line_no, "order_no": order.no}
        parent = await uow.items.get(order.item_no)
        if parent is None or line.item_no != order.item_no:
            raise InvalidJournalLineError(
                f"line {line.line_no}: the sales line is assembled to order by {order.no}, which assembles item "
                f"{order.item_no}, not {line.item_no}", **where)
        base, _ = base_quantity(parent, line.unit_of_measure_code, line.quantity, line_no=line.line_no)
        if base > order.remaining_quantity:
            raise InvalidJournalLineError(
                f"line {line.line_no}: {base.normalize():f} cannot be shipped; assembly order {order.no} has "
                f"{order.remaining_quantity.normalize():f} left to assemble", **where)
        _, posting, entries = await post_assembly_order(
            uow, order.no, AssemblyPostingRequest(base, line.posting_date, line.document_no), order=order, base=base)
        assembled += entries
        shipped.append(replace(line, applies_to_entry=posting.output_entry_nos[0]))
    return assembled + await post_receipt_or_shipment(uow, shipped, purchase=False,
                                                      responsibility_center=responsibility_center)


async def _check_place(uow: WarehouseUnitOfWork, places: Iterable[tuple[str, str, str, int]]) -> None:
    """Each (location, bin, item no., line no.) is a location (and bin) stock may be posted to."""
    places = list(places)
    locations = await uow.locations.locations({p[0] for p in places})
    bins = await uow.locations.bins(code for code, location in locations.items() if location.bin_mandatory)
    for location_code, bin_code, item_no, line_no in places:
        check_destination(location_code, bin_code, locations.get(location_code),
                          frozenset(b.code for b in bins.get(location_code, [])), line_no=line_no, item_no=item_no)
