"""Reservation policies and reservations of incoming supply, as pure rules.

The item card's Reserve field decides whether demand for an item may be reserved (Never refuses, Optional reserves
on request, Always reserves automatically). A demand line may be reserved on on-hand stock (ledger_state) or on an
open supply: a purchase order line, the inbound side of a transfer order line, an assembly order's output. A supply
can give its outstanding quantity less what other demand reserved on it, and only supply due no later than the
demand's date, unless the request allows a later one. When the supply is received, its reservations move onto the
new item ledger entries, oldest reservation first.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from inventory_contracts.catalog import ReservePolicy
from inventory_contracts.limits import QUANTITY_QUANTUM

from warehouse.domain.application import ZERO
from warehouse.domain.errors import (
    InsufficientSupplyError,
    ReservationNotAllowedError,
    SupplyMismatchError,
    SupplyTooLateError,
)
from warehouse.domain.ledger_state import RESERVED, Demand, Key
from warehouse.domain.model import Item

RECEIVED = "Received"


class SupplyType(StrEnum):
    PURCHASE_ORDER = "Purchase Order"
    TRANSFER_ORDER = "Transfer Order"
    ASSEMBLY_ORDER = "Assembly Order"


class DemandType(StrEnum):
    """The source_type of the demand documents the warehouse reads itself."""

    SALES_ORDER = "Sales Order"
    ASSEMBLY_ORDER = "Assembly Order"
    """An assembly order's component line (source_line_no)."""


@dataclass(frozen=True, order=True)
class SupplyRef:
    """One supply line: an assembly order's output is its line 0."""

    supply_type: SupplyType
    supply_id: str
    supply_line_no: int = 0


@dataclass(frozen=True)
class OpenSupply:
    """An open supply line: what is still to come, where and when (None: no date is known)."""

    ref: SupplyRef
    key: Key
    outstanding: Decimal
    due_date: date | None


@dataclass
class SupplyReservation:
    """Quantity of an open supply reserved for a demand line."""

    id: int | None
    demand: Demand
    key: Key
    supply: SupplyRef
    expected_date: date | None
    quantity: Decimal
    remaining_quantity: Decimal
    status: str = RESERVED

    @property
    def is_open(self) -> bool:
        return self.status == RESERVED and self.remaining_quantity > ZERO


def check_reservable(item: Item, *, line_no: int = 0) -> None:
    if item.reserve is ReservePolicy.NEVER:
        raise ReservationNotAllowedError(
            f"item {item.item_no} has Reserve set to Never: it cannot be reserved", item_no=item.item_no, line_no=line_no)


def reserves_automatically(item: Item) -> bool:
    return item.reserve is ReservePolicy.ALWAYS


def free_on_supply(supply: OpenSupply, reservations: Iterable[SupplyReservation], demand: Demand | None = None) -> Decimal:
    """What is still to come of the supply less what open reservations (other than `demand`'s) hold of it."""
    held = sum((r.remaining_quantity for r in reservations
                if r.is_open and r.supply == supply.ref and r.demand != demand), ZERO)
    return max(supply.outstanding - held, ZERO)


def check_supply_reservation(
    supply: OpenSupply, key: Key, quantity: Decimal, free: Decimal, demand_date: date | None, *, allow_later: bool
) -> None:
    """Refuse a supply of another item or place, one due after the demand (unless allowed), or too little left."""
    ref = supply.ref
    where = {"supply_type": str(ref.supply_type), "supply_id": ref.supply_id, "supply_line_no": ref.supply_line_no}
    if supply.key != key:
        item_no, variant_code, location_code = supply.key
        raise SupplyMismatchError(
            f"{ref.supply_type} {ref.supply_id} line {ref.supply_line_no} supplies item {item_no}"
            f"{' variant ' + variant_code if variant_code else ''} at {location_code or 'the blank location'}, "
            f"not what the demand wants", **where)
    if not allow_later and demand_date is not None and supply.due_date is not None and supply.due_date > demand_date:
        raise SupplyTooLateError(
            f"{ref.supply_type} {ref.supply_id} is due {supply.due_date.isoformat()}, after the demand's date "
            f"{demand_date.isoformat()}; allow a later supply to reserve it anyway",
            due_date=supply.due_date.isoformat(), demand_date=demand_date.isoformat(), **where)
    if quantity > free:
        raise InsufficientSupplyError(
            f"{ref.supply_type} {ref.supply_id} line {ref.supply_line_no} has {_text(free)} outstanding that no other "
            f"demand reserved; {_text(quantity)} cannot be reserved",
            available=str(free.quantize(QUANTITY_QUANTUM)), **where)


def plan_from_supplies(
    supplies: Sequence[OpenSupply], reservations: Sequence[SupplyReservation], quantity: Decimal,
    demand_date: date | None,
) -> list[tuple[OpenSupply, Decimal]]:
    """Reserve up to `quantity` on the supplies due by the demand's date, earliest first (undated ones last)."""
    due = [s for s in supplies if demand_date is None or s.due_date is None or s.due_date <= demand_date]
    due.sort(key=lambda s: (s.due_date is None, s.due_date or date.min, s.ref))
    plan: list[tuple[OpenSupply, Decimal]] = []
    left = quantity
    for s in due:
        if left <= 0:
            break
        take = min(left, free_on_supply(s, reservations))
        if take > 0:
            plan.append((s, take))
            left -= take
    return plan


def move_onto_receipt(
    open_reservations: Sequence[SupplyReservation], received: Mapping[int, Decimal]
) -> list[tuple[SupplyReservation, int, Decimal]]:
    """Move the supply's open reservations (oldest first) onto the received entries' free quantity, entry by entry.

    Returns (reservation, item ledger entry no., quantity moved); each reservation's remaining quantity falls and it
    is Received once nothing of it is left to come."""
    moves: list[tuple[SupplyReservation, int, Decimal]] = []
    free = dict(received)
    for r in sorted(open_reservations, key=lambda r: r.id or 0):
        for entry_no in sorted(free):
            if not r.is_open:
                break
            take = min(r.remaining_quantity, free[entry_no])
            if take <= 0:
                continue
            moves.append((r, entry_no, take))
            free[entry_no] -= take
            r.remaining_quantity -= take
            if r.remaining_quantity == 0:
                r.status = RECEIVED
    return moves


def _text(quantity: Decimal) -> str:
    return f"{quantity.normalize():f}"
