"""Open sales and purchase orders: the demand and supply that availability plans with.

The sales and purchasing systems own these documents; the warehouse keeps their lines so that availability can
date each requirement and receipt, and a shipment or receipt that names a line lowers what is outstanding on it."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from warehouse.domain.errors import (
    DocumentStateError,
    InvalidDocumentError,
    InvalidJournalLineError,
    ItemBlockedError,
    UnknownItemError,
)
from warehouse.domain.locations import Location, check_location
from warehouse.domain.model import Item, base_quantity, check_movable

ZERO = Decimal(0)
QUANTUM = Decimal("0.00001")


class OrderType(StrEnum):
    """As a shipment or receipt line names it in `source_type`."""

    SALES = "Sales Order"
    PURCHASE = "Purchase Order"

    @property
    def due_date_name(self) -> str:
        return "shipment_date" if self is OrderType.SALES else "expected_receipt_date"

    @property
    def posted_name(self) -> str:
        return "shipped" if self is OrderType.SALES else "received"


@dataclass(frozen=True)
class OrderLine:
    line_no: int
    item_no: str
    variant_code: str
    location_code: str
    unit_of_measure_code: str
    qty_per_unit_of_measure: Decimal
    quantity: Decimal
    """In the line's unit."""
    quantity_base: Decimal
    due_date: date
    """Shipment date (sales) or expected receipt date (purchase)."""
    quantity_posted_base: Decimal = ZERO
    """Shipped (sales) or received (purchase), in the base unit."""

    @property
    def outstanding_base(self) -> Decimal:
        return self.quantity_base - self.quantity_posted_base

    def in_line_unit(self, base: Decimal) -> Decimal:
        return (base / self.qty_per_unit_of_measure).quantize(QUANTUM, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Order:
    type: OrderType
    no: str
    party_no: str
    """Sell-to customer (sales) or buy-from vendor (purchase)."""
    order_date: date
    lines: tuple[OrderLine, ...] = ()
    responsibility_center: str = ""

    def line(self, line_no: int) -> OrderLine | None:
        return next((l for l in self.lines if l.line_no == line_no), None)


@dataclass(frozen=True)
class NewOrderLine:
    """A line as the owning system gives it: quantity in `unit_of_measure_code` (blank: the base unit)."""

    line_no: int
    item_no: str
    quantity: Decimal
    due_date: date
    variant_code: str = ""
    location_code: str = ""
    unit_of_measure_code: str = ""


@dataclass(frozen=True)
class OrderPosting:
    """A receipt or shipment entry that fulfilled (part of) an order line."""

    item_ledger_entry_no: int
    order_type: OrderType
    order_no: str
    order_line_no: int
    quantity: Decimal
    """In the base unit, positive."""


def order_line(
    order_type: OrderType, order_date: date, new: NewOrderLine, item: Item | None, location: Location | None
) -> OrderLine:
    """The line as kept, in the base unit too; refused for an unknown or blocked item, an unknown unit, variant or
    location, a due date before the order date."""
    where = {"item_no": new.item_no, "line_no": new.line_no}
    if item is None:
        raise UnknownItemError(f"line {new.line_no}: item {new.item_no} is unknown", **where)
    check_movable(item, new.variant_code, line_no=new.line_no)
    if order_type is OrderType.SALES and item.sales_blocked:
        raise ItemBlockedError(f"line {new.line_no}: item {item.item_no} is blocked for sales", **where)
    if order_type is OrderType.PURCHASE and item.purchasing_blocked:
        raise ItemBlockedError(f"line {new.line_no}: item {item.item_no} is blocked for purchasing", **where)
    if new.quantity <= 0:
        raise InvalidDocumentError(f"line {new.line_no}: quantity must be positive", **where)
    check_location(new.location_code, location, line_no=new.line_no, item_no=new.item_no,
                   what=f"a {order_type.value.lower()} line")
    if new.due_date < order_date:
        raise InvalidDocumentError(
            f"line {new.line_no}: {order_type.due_date_name} {new.due_date} is before the order date {order_date}",
            **where, **{order_type.due_date_name: new.due_date.isoformat()})
    base, per = base_quantity(item, new.unit_of_measure_code, new.quantity, line_no=new.line_no)
    return OrderLine(new.line_no, new.item_no, new.variant_code, new.location_code,
                     new.unit_of_measure_code or item.base_unit_of_measure, per, new.quantity, base, new.due_date)


def check_new_lines(lines: Sequence[NewOrderLine]) -> None:
    numbers = [l.line_no for l in lines]
    duplicated = sorted({n for n in numbers if numbers.count(n) > 1})
    if duplicated:
        raise InvalidDocumentError(f"line numbers {duplicated} occur more than once", line_nos=duplicated)


def changed_line(order: Order, current: OrderLine, wanted: OrderLine) -> OrderLine:
    """A line changed while outstanding: once part of it is shipped or received its item, variant, location and unit
    stay, and its quantity may not fall below what is posted (as the owning system's order line allows)."""
    where = {"order_no": order.no, "line_no": current.line_no}
    if current.quantity_posted_base > 0:
        fixed = ("item_no", "variant_code", "location_code", "unit_of_measure_code")
        moved = [f for f in fixed if getattr(current, f) != getattr(wanted, f)]
        if moved:
            raise DocumentStateError(
                f"line {current.line_no} of {order.type.value.lower()} {order.no} is partly {order.type.posted_name}; "
                f"its {', '.join(moved)} cannot change", fields=moved, **where)
        if wanted.quantity_base < current.quantity_posted_base:
            raise DocumentStateError(
                f"line {current.line_no}: quantity {wanted.quantity_base} (base) is less than the "
                f"{current.quantity_posted_base} {order.type.posted_name}",
                quantity_posted=str(current.quantity_posted_base), **where)
    return replace(wanted, quantity_posted_base=current.quantity_posted_base)


def check_deletable(order: Order, line: OrderLine) -> None:
    """A line part of which is shipped or received stays on the order (it is the record of what was posted)."""
    if line.quantity_posted_base > 0:
        raise DocumentStateError(
            f"line {line.line_no} of {order.type.value.lower()} {order.no} is partly {order.type.posted_name} "
            f"({line.quantity_posted_base}); it cannot be deleted", order_no=order.no, line_no=line.line_no)


@dataclass(frozen=True)
class PostedLine:
    """What a receipt or shipment line posted against an order line: its entries and their base quantities."""

    line_no: int
    order_no: str
    order_line_no: int
    item_no: str
    variant_code: str
    location_code: str
    entries: tuple[tuple[int, Decimal], ...]


def fulfil(
    order_type: OrderType, orders: Mapping[str, Order], posted: Sequence[PostedLine]
) -> tuple[dict[str, list[OrderLine]], list[OrderPosting]]:
    """The order lines after the posted lines, per order, and the postings that record them. Refuses a line that
    names no line of a known order, another item or place, or more than is outstanding."""
    changed: dict[tuple[str, int], OrderLine] = {}
    postings: list[OrderPosting] = []
    for p in posted:
        where = {"line_no": p.line_no, "order_no": p.order_no, "order_line_no": p.order_line_no, "item_no": p.item_no}
        order = orders.get(p.order_no)
        line = changed.get((p.order_no, p.order_line_no)) or (order.line(p.order_line_no) if order else None)
        if order is None or line is None:
            raise InvalidJournalLineError(
                f"line {p.line_no}: {order_type.value.lower()} {p.order_no} has no line {p.order_line_no}", **where)
        if (line.item_no, line.variant_code, line.location_code) != (p.item_no, p.variant_code, p.location_code):
            raise InvalidJournalLineError(
                f"line {p.line_no}: {order_type.value.lower()} {p.order_no} line {p.order_line_no} is for item "
                f"{line.item_no}{' variant ' + line.variant_code if line.variant_code else ''} at "
                f"{line.location_code or 'the blank location'}", **where)
        quantity = sum((q for _, q in p.entries), ZERO)
        if quantity > line.outstanding_base:
            raise InvalidJournalLineError(
                f"line {p.line_no}: {quantity} is more than the {line.outstanding_base} outstanding on "
                f"{order_type.value.lower()} {p.order_no} line {p.order_line_no}",
                outstanding_quantity=str(line.outstanding_base), **where)
        changed[(p.order_no, p.order_line_no)] = replace(line, quantity_posted_base=line.quantity_posted_base + quantity)
        postings += [OrderPosting(entry_no, order_type, p.order_no, p.order_line_no, q) for entry_no, q in p.entries]
    by_order: dict[str, list[OrderLine]] = {}
    for (order_no, _), line in changed.items():
        by_order.setdefault(order_no, []).append(line)
    return by_order, postings
