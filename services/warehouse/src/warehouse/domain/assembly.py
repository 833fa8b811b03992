"""Assembly orders: a parent item assembled from the components and resources of its assembly BOM.

As in Business Central, an order copies its lines from the parent's BOM (quantity per x order quantity; a Fixed
resource is used once per order, whatever the quantity; text lines stay text). Posting (part of) it consumes each
line's share of what is assembled (Assembly Consumption entries, applied like any outbound entry) and puts the
parent into stock (one Assembly Output entry, valued by costing at what it consumed). An undo takes the output back
out, fixed-applied to it, and returns each consumption, taking its cost.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from inventory_contracts.catalog import AssemblyPolicy, BomComponentType, ResourceUsageType
from inventory_contracts.limits import QUANTITY_MAX, QUANTITY_QUANTUM, UNIT_COST_QUANTUM
from inventory_contracts.warehouse import ItemLedgerEntryType, OrderType

from warehouse.domain.documents import PostedEntry
from warehouse.domain.errors import (
    AssemblyPolicyError,
    DocumentStateError,
    InvalidDocumentError,
    UnknownItemError,
    UnknownResourceError,
)
from warehouse.domain.ledger_state import Demand
from warehouse.domain.model import EntryDraft, Item, ResourceUsage, base_quantity, check_movable
from warehouse.domain.reservation_policy import DemandType
from warehouse.domain.tracking import TrackingLine, split

OPEN, POSTED = "Open", "Posted"
ITEM, RESOURCE, TEXT = BomComponentType.ITEM, BomComponentType.RESOURCE, BomComponentType.TEXT
CONSUMPTION, OUTPUT = ItemLedgerEntryType.ASSEMBLY_CONSUMPTION, ItemLedgerEntryType.ASSEMBLY_OUTPUT
ASSEMBLY = str(OrderType.ASSEMBLY)
DOCUMENT_TYPE = "Posted Assembly"
ZERO = Decimal(0)


@dataclass(frozen=True)
class ResourceCost:
    """A resource's costs from the catalog's resource card (or given on the request)."""

    direct_unit_cost: Decimal
    unit_cost: Decimal


@dataclass(frozen=True)
class AssemblyOrderLine:
    line_no: int
    type: BomComponentType
    no: str = ""
    description: str = ""
    variant_code: str = ""
    location_code: str = ""
    bin_code: str = ""
    unit_of_measure_code: str = ""
    quantity_per: Decimal = ZERO
    quantity: Decimal = ZERO
    """Items: in the base unit. Resources: in the resource's unit."""
    remaining_quantity: Decimal = ZERO
    """Not yet consumed."""
    due_date: date | None = None
    resource_usage_type: ResourceUsageType | None = None
    direct_unit_cost: Decimal | None = None
    unit_cost: Decimal | None = None

    @property
    def consumes(self) -> bool:
        return self.type is not TEXT and self.quantity > 0


@dataclass(frozen=True)
class AssemblyOrder:
    no: str
    item_no: str
    variant_code: str
    location_code: str
    bin_code: str
    unit_of_measure_code: str
    qty_per_unit_of_measure: Decimal
    quantity: Decimal
    """In the base unit."""
    remaining_quantity: Decimal
    """In the base unit, not yet assembled."""
    due_date: date
    starting_date: date
    assemble_to_order_sales_no: str = ""
    assemble_to_order_sales_line_no: int = 0
    status: str = OPEN
    lines: tuple[AssemblyOrderLine, ...] = ()
    responsibility_center: str = ""

    def line(self, line_no: int) -> AssemblyOrderLine:
        found = next((l for l in self.lines if l.line_no == line_no), None)
        if found is None:
            raise InvalidDocumentError(f"assembly order {self.no} has no line {line_no}", order_no=self.no, line_no=line_no)
        return found


@dataclass(frozen=True)
class LineChange:
    """What a client may change on an open order's line; None leaves it as it is."""

    quantity: Decimal | None = None
    """In the line's unit (items) or the resource's unit."""
    location_code: str | None = None
    bin_code: str | None = None


@dataclass(frozen=True)
class ConsumptionLine:
    """What one posting consumes of an order line, with the line's serial/lot numbers."""

    line: AssemblyOrderLine
    quantity: Decimal
    tracking: tuple[TrackingLine, ...] = ()


@dataclass(frozen=True)
class AssemblyPosting:
    """A posted (part of an) assembly order: the posted assembly order."""

    posting_no: str
    order_no: str
    document_no: str
    posting_date: date
    quantity: Decimal
    output_entry_nos: tuple[int, ...]
    consumption_entry_nos: tuple[int, ...]
    consumed: tuple[tuple[int, Decimal], ...]
    """(order line no., quantity consumed) of every item and resource line."""
    undone: bool = False


@dataclass(frozen=True)
class LineAvailability:
    line_no: int
    item_no: str
    location_code: str
    needed: Decimal
    available: Decimal
    shortage: Decimal


# --- creating and changing an order ----------------------------------------------------------------------------


def check_parent(parent: Item | None, item_no: str, *, to_order: bool) -> Item:
    """The parent must be a movable item with an assembly BOM; an Assemble-to-Order item only for a sales line."""
    if parent is None:
        raise UnknownItemError(f"item {item_no} is unknown", item_no=item_no)
    check_movable(parent, "", line_no=0)
    if not parent.assembly_bom:
        raise InvalidDocumentError(f"item {item_no} has no assembly BOM; it cannot be assembled", item_no=item_no)
    if parent.assembly_policy is AssemblyPolicy.ASSEMBLE_TO_ORDER and not to_order:
        raise AssemblyPolicyError(
            f"item {item_no} is assembled to order only; link the assembly order to a sales line (assemble_to_order)",
            item_no=item_no)
    return parent


def line_quantity(type_: BomComponentType, usage: ResourceUsageType | None, quantity_per: Decimal, per: Decimal,
                  order_quantity: Decimal) -> Decimal:
    """The line's quantity for `order_quantity` parents: quantity per x order quantity (a Fixed resource once)."""
    if type_ is TEXT:
        return ZERO
    if type_ is RESOURCE and usage is ResourceUsageType.FIXED:
        return quantity_per.quantize(QUANTITY_QUANTUM, rounding=ROUND_HALF_UP)
    return (quantity_per * per * order_quantity).quantize(QUANTITY_QUANTUM, rounding=ROUND_HALF_UP)


def bom_lines(
    parent: Item, order_quantity: Decimal, components: Mapping[str, Item], resources: Mapping[str, ResourceCost],
    location_code: str, due_date: date,
) -> tuple[AssemblyOrderLine, ...]:
    """The order's lines from the parent's BOM, for `order_quantity` parents (in the base unit)."""
    lines = []
    for c in parent.assembly_bom:
        if c.type is ITEM:
            item = components.get(c.no)
            if item is None:
                raise UnknownItemError(f"BOM line {c.line_no}: component item {c.no} is unknown", item_no=c.no,
                                       line_no=c.line_no)
            lines.append(item_line(c.line_no, item, c.quantity_per, c.unit_of_measure_code, order_quantity,
                                   location_code, "", due_date, description=c.description))
        elif c.type is RESOURCE:
            lines.append(resource_line(c.line_no, c.no, c.quantity_per, c.unit_of_measure_code, c.resource_usage_type,
                                       resources, order_quantity, due_date, description=c.description))
        else:
            lines.append(AssemblyOrderLine(c.line_no, TEXT, description=c.description, quantity_per=_q(ZERO),
                                           quantity=_q(ZERO), remaining_quantity=_q(ZERO)))
    return tuple(lines)


def item_line(line_no: int, item: Item, quantity_per: Decimal, unit_of_measure_code: str, order_quantity: Decimal,
              location_code: str, bin_code: str, due_date: date, *, description: str = "", variant_code: str = "",
              ) -> AssemblyOrderLine:
    check_movable(item, variant_code, line_no=line_no)
    per = _per(item, unit_of_measure_code, line_no)
    quantity = line_quantity(ITEM, None, quantity_per, per, order_quantity)
    _check_quantity(quantity, line_no, item.item_no)
    return AssemblyOrderLine(
        line_no, ITEM, item.item_no, description or item.description, variant_code, location_code, bin_code,
        unit_of_measure_code or item.base_unit_of_measure, _q(quantity_per), quantity, quantity, due_date)


def resource_line(line_no: int, resource_no: str, quantity_per: Decimal, unit_of_measure_code: str,
                  usage: ResourceUsageType, resources: Mapping[str, ResourceCost], order_quantity: Decimal,
                  due_date: date, *, description: str = "") -> AssemblyOrderLine:
    cost = resources.get(resource_no)
    if cost is None:
        raise UnknownResourceError(f"line {line_no}: resource {resource_no} is unknown", resource_no=resource_no,
                                   line_no=line_no)
    quantity = line_quantity(RESOURCE, usage, quantity_per, Decimal(1), order_quantity)
    _check_quantity(quantity, line_no, resource_no)
    return AssemblyOrderLine(line_no, RESOURCE, resource_no, description, unit_of_measure_code=unit_of_measure_code,
                             quantity_per=_q(quantity_per), quantity=quantity, remaining_quantity=quantity,
                             due_date=due_date, resource_usage_type=usage,
                             direct_unit_cost=cost.direct_unit_cost.quantize(UNIT_COST_QUANTUM),
                             unit_cost=cost.unit_cost.quantize(UNIT_COST_QUANTUM))


def change_line(order: AssemblyOrder, line_no: int, change: LineChange, component: Item | None) -> AssemblyOrderLine:
    """An open order's line after `change`. Only lines nothing of which is consumed yet change their quantity."""
    check_open(order)
    line = order.line(line_no)
    if line.type is TEXT and change != LineChange():
        raise InvalidDocumentError(f"line {line_no} is a text line", order_no=order.no, line_no=line_no)
    new = line
    if change.quantity is not None:
        if line.remaining_quantity != line.quantity:
            raise DocumentStateError(f"line {line_no} is partly consumed; its quantity cannot change",
                                     order_no=order.no, line_no=line_no)
        per = Decimal(1) if component is None else _per(component, line.unit_of_measure_code, line_no)
        quantity = (change.quantity * per).quantize(QUANTITY_QUANTUM, rounding=ROUND_HALF_UP)
        _check_quantity(quantity, line_no, line.no)
        new = replace(new, quantity=quantity, remaining_quantity=quantity)
    if change.location_code is not None or change.bin_code is not None:
        if line.type is not ITEM:
            raise InvalidDocumentError(f"line {line_no}: only an item line has a location and bin",
                                       order_no=order.no, line_no=line_no)
        new = replace(new, location_code=line.location_code if change.location_code is None else change.location_code,
                      bin_code=line.bin_code if change.bin_code is None else change.bin_code)
    return new


def check_new_line(order: AssemblyOrder, line_no: int) -> None:
    check_open(order)
    if any(l.line_no == line_no for l in order.lines):
        raise InvalidDocumentError(f"assembly order {order.no} has a line {line_no} already", order_no=order.no,
                                   line_no=line_no)


def check_deletable(order: AssemblyOrder, line_no: int) -> None:
    check_open(order)
    line = order.line(line_no)
    if line.remaining_quantity != line.quantity:
        raise DocumentStateError(f"line {line_no} is partly consumed; it cannot be deleted", order_no=order.no,
                                 line_no=line_no)


def check_open(order: AssemblyOrder) -> None:
    if order.status != OPEN:
        raise DocumentStateError(f"assembly order {order.no} is {order.status}", order_no=order.no,
                                 order_status=order.status)


def next_line_no(order: AssemblyOrder) -> int:
    return (max((l.line_no for l in order.lines), default=0) // 10000 + 1) * 10000


# --- availability ---------------------------------------------------------------------------------------------


def availability(order: AssemblyOrder, available: Mapping[int, Decimal]) -> tuple[list[LineAvailability], Decimal]:
    """Per item line: what it still needs, what is available at its location (`available` per line no.) and the
    shortage; and how many parents (base unit) can be assembled now, never more than the order's remaining."""
    lines = []
    able = order.remaining_quantity
    for l in order.lines:
        if l.type is not ITEM or l.remaining_quantity == 0:
            continue
        here = max(available.get(l.line_no, ZERO), ZERO)
        lines.append(LineAvailability(l.line_no, l.no, l.location_code, l.remaining_quantity, here,
                                      max(l.remaining_quantity - here, ZERO)))
        per_parent = l.remaining_quantity / order.remaining_quantity if order.remaining_quantity else ZERO
        if per_parent > 0:
            able = min(able, (here / per_parent).quantize(QUANTITY_QUANTUM, rounding=ROUND_DOWN))
    return lines, able


# --- posting --------------------------------------------------------------------------------------------------


def consumption(order: AssemblyOrder, quantity_to_assemble: Decimal,
                tracking: Mapping[int, tuple[TrackingLine, ...]]) -> list[ConsumptionLine]:
    """What assembling `quantity_to_assemble` (base unit) consumes of each line: the line's share of it, and on the
    last posting exactly what the line has left. A Fixed resource is used in full by the first posting."""
    check_open(order)
    if quantity_to_assemble <= 0:
        raise InvalidDocumentError("quantity_to_assemble must be positive", order_no=order.no)
    if quantity_to_assemble > order.remaining_quantity:
        raise InvalidDocumentError(
            f"{_text(quantity_to_assemble)} cannot be assembled; {_text(order.remaining_quantity)} of assembly order "
            f"{order.no} remains", order_no=order.no, remaining_quantity=str(order.remaining_quantity))
    unknown = sorted(set(tracking) - {l.line_no for l in order.lines if l.type is ITEM})
    if unknown:
        raise InvalidDocumentError(f"consumption tracking names line {unknown[0]}, which is no item line of the order",
                                   order_no=order.no, line_no=unknown[0])
    last = quantity_to_assemble == order.remaining_quantity
    found = []
    for l in order.lines:
        if not l.consumes or l.remaining_quantity == 0:
            continue
        if last or (l.type is RESOURCE and l.resource_usage_type is ResourceUsageType.FIXED):
            quantity = l.remaining_quantity
        else:
            share = (l.quantity * quantity_to_assemble / order.quantity).quantize(QUANTITY_QUANTUM, rounding=ROUND_HALF_UP)
            quantity = min(share, l.remaining_quantity)
        if quantity > 0:
            found.append(ConsumptionLine(l, quantity, tracking.get(l.line_no, ())))
    return found


def posting_drafts(
    order: AssemblyOrder, parent: Item, components: Mapping[str, Item], quantity: Decimal,
    consumed: Sequence[ConsumptionLine], output_tracking: Sequence[TrackingLine], posting_date: date, document_no: str,
) -> list[EntryDraft]:
    """The consumption drafts, then the output entries (one per serial or lot of a tracked parent): each names all
    the consumptions and the resources' usage, whose cost is the output's, and the quantities of all the output
    entries, so that each costs its share by quantity."""
    drafts = [d for c in consumed if c.line.type is ITEM
              for d in _consumption_drafts(order, c, components, posting_date, document_no)]
    resources = tuple(
        ResourceUsage(c.line.no, c.line.line_no, c.quantity, c.line.direct_unit_cost or ZERO, c.line.unit_cost or ZERO)
        for c in consumed if c.line.type is RESOURCE)
    return drafts + _output_drafts(order, parent, quantity, output_tracking, posting_date, document_no,
                                   tuple(range(len(drafts))), resources)


def _consumption_drafts(order: AssemblyOrder, c: ConsumptionLine, components: Mapping[str, Item], posting_date: date,
                        document_no: str) -> list[EntryDraft]:
    item = components.get(c.line.no)
    if item is None:
        raise UnknownItemError(f"line {c.line.line_no}: item {c.line.no} is unknown", item_no=c.line.no,
                               line_no=c.line.line_no)
    check_movable(item, c.line.variant_code, line_no=c.line.line_no)
    return [EntryDraft(
        item_no=item.item_no, variant_code=c.line.variant_code, location_code=c.line.location_code,
        bin_code=c.line.bin_code, posting_date=posting_date, entry_type=CONSUMPTION, document_no=document_no,
        line_no=c.line.line_no, quantity=-part.quantity, serial_no=part.serial_no, lot_no=part.lot_no,
        unit_of_measure_code=item.base_unit_of_measure, document_type=DOCUMENT_TYPE, order_type=ASSEMBLY,
        order_no=order.no, order_line_no=c.line.line_no,
        # A component line is a demand: its consumption takes what was reserved for it first.
        demand=Demand(DemandType.ASSEMBLY_ORDER, order.no, c.line.line_no))
        for part in split(item.tracking, str(CONSUMPTION), False, c.quantity, c.tracking, item_no=item.item_no,
                          line_no=c.line.line_no)]


def _output_drafts(order: AssemblyOrder, parent: Item, quantity: Decimal, output_tracking: Sequence[TrackingLine],
                   posting_date: date, document_no: str, consumption_drafts: tuple[int, ...],
                   resources: tuple[ResourceUsage, ...]) -> list[EntryDraft]:
    check_movable(parent, order.variant_code, line_no=0)
    parts = split(parent.tracking, str(OUTPUT), True, quantity, output_tracking, item_no=parent.item_no, line_no=0)
    output_quantities = tuple(part.quantity for part in parts)
    return [EntryDraft(
        item_no=parent.item_no, variant_code=order.variant_code, location_code=order.location_code,
        bin_code=order.bin_code, posting_date=posting_date, entry_type=OUTPUT, document_no=document_no, line_no=0,
        quantity=part.quantity, serial_no=part.serial_no, lot_no=part.lot_no, expiration_date=part.expiration_date,
        unit_of_measure_code=order.unit_of_measure_code or parent.base_unit_of_measure,
        qty_per_unit_of_measure=order.qty_per_unit_of_measure, document_type=DOCUMENT_TYPE, order_type=ASSEMBLY,
        order_no=order.no, consumption_drafts=consumption_drafts, resources=resources,
        output_quantities=output_quantities, output_index=i)
        for i, part in enumerate(parts)]


def after_posting(order: AssemblyOrder, quantity: Decimal, consumed: Sequence[ConsumptionLine]) -> AssemblyOrder:
    """The order with its remaining quantities lowered; Posted when nothing remains."""
    used = {c.line.line_no: c.quantity for c in consumed}
    remaining = order.remaining_quantity - quantity
    return replace(order, remaining_quantity=remaining, status=POSTED if remaining == 0 else OPEN, lines=tuple(
        replace(l, remaining_quantity=l.remaining_quantity - used.get(l.line_no, ZERO)) for l in order.lines))


# --- undo -----------------------------------------------------------------------------------------------------


def undo_drafts(
    order: AssemblyOrder, posting: AssemblyPosting, entries: Mapping[int, PostedEntry],
    output_remaining: Mapping[int, Decimal],
) -> list[EntryDraft]:
    """The output taken back out (fixed-applied to it) and each consumption returned (taking its cost), as
    corrections at the posting's date. Refused when part of the output has left stock since."""
    where = {"order_no": order.no, "posting_no": posting.posting_no}
    if posting.undone:
        raise DocumentStateError(f"posted assembly {posting.posting_no} is undone already", **where)
    if order.assemble_to_order_sales_no:
        raise DocumentStateError(
            f"assembly order {order.no} is assembled to order; undo the sales shipment instead", **where)
    drafts = []
    for entry_no in posting.output_entry_nos:
        entry = entries[entry_no]
        left = output_remaining.get(entry_no, ZERO)
        if left != entry.quantity:
            raise DocumentStateError(
                f"output entry {entry_no} has {_text(left)} of {_text(entry.quantity)} left in stock; the posted "
                f"assembly {posting.posting_no} can no longer be undone", entry_no=entry_no, **where)
        drafts.append(EntryDraft(
            item_no=entry.item_no, variant_code=entry.variant_code, location_code=entry.location_code,
            bin_code=entry.bin_code, posting_date=entry.posting_date, entry_type=OUTPUT, document_no=entry.document_no,
            line_no=0, quantity=-entry.quantity, serial_no=entry.serial_no, lot_no=entry.lot_no,
            applies_to_entries=frozenset({entry_no}), applies_to_entry=entry_no, check_expiration=False,
            never_negative=True, unit_of_measure_code=entry.unit_of_measure_code, document_type=DOCUMENT_TYPE,
            correction=True, order_type=ASSEMBLY, order_no=order.no))
    for entry_no in posting.consumption_entry_nos:
        entry = entries[entry_no]
        drafts.append(EntryDraft(
            item_no=entry.item_no, variant_code=entry.variant_code, location_code=entry.location_code,
            bin_code=entry.bin_code, posting_date=entry.posting_date, entry_type=CONSUMPTION,
            document_no=entry.document_no, line_no=entry.document_line_no, quantity=-entry.quantity,
            serial_no=entry.serial_no, lot_no=entry.lot_no, applies_from_entry=entry_no,
            unit_of_measure_code=entry.unit_of_measure_code, document_type=DOCUMENT_TYPE, correction=True,
            order_type=ASSEMBLY, order_no=order.no, order_line_no=entry.document_line_no))
    return drafts


def after_undo(order: AssemblyOrder, posting: AssemblyPosting) -> AssemblyOrder:
    """The order with what the posting assembled and consumed remaining again; Open again."""
    given_back = dict(posting.consumed)
    return replace(order, remaining_quantity=order.remaining_quantity + posting.quantity, status=OPEN, lines=tuple(
        replace(l, remaining_quantity=l.remaining_quantity + given_back.get(l.line_no, ZERO)) for l in order.lines))


# --- kits -----------------------------------------------------------------------------------------------------


def exploded(parent: Item, quantity: Decimal, components: Mapping[str, Item], *, line_no: int
             ) -> list[tuple[Item, Decimal]]:
    """A kit sold exploded: each BOM component item, quantity per x `quantity` (base unit), instead of the parent.
    Resources and text lines have no stock and are left out."""
    if not parent.assembly_bom:
        raise InvalidDocumentError(f"line {line_no}: item {parent.item_no} has no assembly BOM to explode",
                                   item_no=parent.item_no, line_no=line_no)
    found = []
    for c in parent.assembly_bom:
        if c.type is not ITEM:
            continue
        item = components.get(c.no)
        if item is None:
            raise UnknownItemError(f"line {line_no}: component item {c.no} is unknown", item_no=c.no, line_no=line_no)
        found.append((item, line_quantity(ITEM, None, c.quantity_per, _per(item, c.unit_of_measure_code, line_no),
                                          quantity)))
    return found


def _per(item: Item, unit_of_measure_code: str, line_no: int) -> Decimal:
    _, per = base_quantity(item, unit_of_measure_code, Decimal(1), line_no=line_no)
    return per


def _check_quantity(quantity: Decimal, line_no: int, no: str) -> None:
    if quantity > QUANTITY_MAX or quantity < 0:
        raise InvalidDocumentError(f"line {line_no}: quantity {_text(quantity)} of {no} is out of range",
                                   line_no=line_no)


def _q(quantity: Decimal) -> Decimal:
    return quantity.quantize(QUANTITY_QUANTUM)


def _text(quantity: Decimal) -> str:
    return f"{quantity.normalize():f}"
