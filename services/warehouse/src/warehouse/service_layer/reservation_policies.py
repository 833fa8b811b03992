"""Reservation policies, reservations against incoming supply and the allocation of short stock.

Every use case takes the item's posting lock first, so reservations, postings and receipts of one item run one at a
time and what they read of stock and supply stays true until they commit.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from inventory_contracts.catalog import CostingMethod, ItemType

from warehouse.domain.allocation import Allocated, AllocationPolicy, DemandToAllocate, allocate
from warehouse.domain.application import ZERO
from warehouse.domain.errors import (
    InvalidDocumentError,
    ItemBlockedError,
    NotAnInventoryItemError,
    UnknownItemError,
    UnknownSupplyError,
)
from warehouse.domain.ledger_state import CANCELLED, Demand, Key, OpenLedgerState, ReservationEntry
from warehouse.domain.locations import check_location
from warehouse.domain.model import Item, ItemLedgerEntry
from warehouse.domain.ports_reservation_policies import OpenDemandLine
from warehouse.domain.reservation_policy import (
    SupplyRef,
    SupplyReservation,
    check_reservable,
    check_supply_reservation,
    free_on_supply,
    move_onto_receipt,
    plan_from_supplies,
    reserves_automatically,
)
from warehouse.service_layer.unit_of_work import WarehouseUnitOfWork


@dataclass
class Reserved:
    """What a demand line holds: on stock and on supply."""

    demand: Demand
    on_hand: list[ReservationEntry] = field(default_factory=list)
    on_supply: list[SupplyReservation] = field(default_factory=list)

    @property
    def quantity(self) -> Decimal:
        return (sum((r.remaining_quantity for r in self.on_hand if r.is_open), ZERO)
                + sum((r.remaining_quantity for r in self.on_supply if r.is_open), ZERO))


async def reservable_item(uow: WarehouseUnitOfWork, key: Key, line_no: int = 0) -> Item:
    """Lock the item and refuse one that cannot be reserved (unknown, not inventory, blocked, Reserve Never) or a
    place it cannot be reserved at."""
    item = (await uow.items.lock([key[0]])).get(key[0])
    return await _check_reservable(uow, item, key, line_no)


async def _check_reservable(uow: WarehouseUnitOfWork, item: Item | None, key: Key, line_no: int) -> Item:
    item_no, _, location_code = key
    where = {"item_no": item_no, "line_no": line_no}
    if item is None:
        raise UnknownItemError(f"item {item_no} is unknown", **where)
    if item.type is not ItemType.INVENTORY:
        raise NotAnInventoryItemError(f"item {item_no} is a {item.type} item and has no stock to reserve", **where)
    if item.blocked:
        raise ItemBlockedError(f"item {item_no} is blocked", **where)
    check_reservable(item, line_no=line_no)
    location = (await uow.locations.locations([location_code])).get(location_code)
    check_location(location_code, location, line_no=line_no, item_no=item_no, what="a reservation")
    return item


async def reserve_against_supply(
    uow: WarehouseUnitOfWork, demand: Demand, key: Key, quantity: Decimal, ref: SupplyRef, demand_date: date | None,
    *, allow_later: bool = False,
) -> SupplyReservation:
    """Reserve `quantity` of an open supply line for the demand line."""
    await reservable_item(uow, key, demand.source_line_no)
    supply = await uow.open_documents.supply(ref)
    if supply is None:
        raise UnknownSupplyError(
            f"{ref.supply_type} {ref.supply_id} line {ref.supply_line_no} is not an open supply",
            supply_type=str(ref.supply_type), supply_id=ref.supply_id, supply_line_no=ref.supply_line_no)
    free = free_on_supply(supply, await uow.supply_reservations.open_of_supplies([ref]))
    check_supply_reservation(supply, key, quantity, free, demand_date, allow_later=allow_later)
    made = SupplyReservation(None, demand, key, ref, supply.due_date, quantity, quantity)
    [made.id] = await uow.supply_reservations.add([made])
    return made


async def reserve_automatically(
    uow: WarehouseUnitOfWork, demand: Demand, key: Key, wanted: Decimal, demand_date: date | None,
) -> Reserved:
    """Bring what the demand line holds to `wanted` (its outstanding quantity): reserve more from on-hand stock
    first, then from supply due by the demand's date; or cancel the excess, supply first (latest due first), then
    stock (newest first). What cannot be reserved is left unreserved."""
    item = await reservable_item(uow, key, demand.source_line_no)
    state = OpenLedgerState(await uow.ledger.open_entries_of([key]), await uow.reservations.open_of([key]))
    held = await uow.supply_reservations.open_of_key(key)
    now = Reserved(demand, [r for r in state.reservations if r.demand == demand and r.is_open],
                   [r for r in held if r.demand == demand and r.is_open])
    missing = wanted - now.quantity
    if missing < 0:
        await _cancel_excess(uow, state, now, -missing)
    elif missing > 0:
        free = state.on_hand(key) - sum(state.reserved_by_entry(key).values(), ZERO)
        from_stock = min(missing, max(free, ZERO))
        if from_stock > 0:
            made = state.reserve(key, demand, from_stock, newest_first=item.costing_method is CostingMethod.LIFO)
            for r, id_ in zip(made, await uow.reservations.add(made), strict=True):
                r.id = id_
            now.on_hand += made
            missing -= from_stock
        if missing > 0:
            supplies = await uow.open_documents.supplies_of(key)
            made_on_supply = [SupplyReservation(None, demand, key, s.ref, s.due_date, q, q)
                              for s, q in plan_from_supplies(supplies, held, missing, demand_date)]
            for m, id_ in zip(made_on_supply, await uow.supply_reservations.add(made_on_supply), strict=True):
                m.id = id_
            now.on_supply += made_on_supply
    return Reserved(demand, [r for r in now.on_hand if r.is_open], [r for r in now.on_supply if r.is_open])


async def follow_demand_line(
    uow: WarehouseUnitOfWork, demand: Demand, key: Key, outstanding: Decimal, due_date: date | None,
) -> Decimal:
    """After a demand line is made or changed: an Always item's line is reserved automatically up to its outstanding
    quantity; any other line only gives back what it holds beyond it. Returns what the line holds."""
    item = (await uow.items.lock([key[0]])).get(key[0])
    await _cancel_elsewhere(uow, demand, key)
    if item is not None and item.type is ItemType.INVENTORY and not item.blocked and reserves_automatically(item):
        return (await reserve_automatically(uow, demand, key, outstanding, due_date)).quantity
    state = OpenLedgerState({}, await uow.reservations.open_of_demand(demand))
    now = Reserved(demand, [r for r in state.reservations if r.is_open],
                   await uow.supply_reservations.open_of_demand(demand))
    if now.quantity > outstanding:
        await _cancel_excess(uow, state, now, now.quantity - outstanding)
    return now.quantity


async def _cancel_elsewhere(uow: WarehouseUnitOfWork, demand: Demand, key: Key) -> None:
    """A line moved to another item, variant or location gives back what it held at the old one."""
    on_stock = [r for r in await uow.reservations.open_of_demand(demand) if r.key != key]
    on_supply = [r for r in await uow.supply_reservations.open_of_demand(demand) if r.key != key]
    if on_stock or on_supply:
        # Read again under the items' locks: a sale may have consumed part of it meanwhile.
        await uow.items.lock({r.key[0] for r in on_stock} | {s.key[0] for s in on_supply})
        on_stock = [r for r in await uow.reservations.open_of_demand(demand) if r.key != key]
        on_supply = [r for r in await uow.supply_reservations.open_of_demand(demand) if r.key != key]
        for r in on_stock:
            r.status = CANCELLED
        for s in on_supply:
            s.status = CANCELLED
        await uow.reservations.save_changes(on_stock)
        await uow.supply_reservations.save_changes(on_supply)


async def cancel_demand(uow: WarehouseUnitOfWork, demand: Demand) -> None:
    """The demand line is gone: what it held goes back, on stock and on supply."""
    await _cancel_elsewhere(uow, demand, ("", "", ""))


async def trim_supply(uow: WarehouseUnitOfWork, ref: SupplyRef, outstanding: Decimal) -> None:
    """A supply line made smaller (or deleted: 0) gives back what its reservations hold beyond what is still to come,
    the latest reservations first."""
    held = await uow.supply_reservations.open_of_supplies([ref])
    if not held:
        return
    await uow.items.lock({r.key[0] for r in held})
    held = await uow.supply_reservations.open_of_supplies([ref])
    excess = sum((r.remaining_quantity for r in held), ZERO) - max(outstanding, ZERO)
    for r in sorted(held, key=lambda r: r.id or 0, reverse=True):
        excess -= _reduce(r, excess)
    await uow.supply_reservations.save_changes(held)


async def reserved_for(uow: WarehouseUnitOfWork, demands: Sequence[Demand]) -> dict[Demand, Decimal]:
    """What each demand line holds, on stock and on supply."""
    held: dict[Demand, Decimal] = {}
    for d in demands:
        found = Reserved(d, await uow.reservations.open_of_demand(d), await uow.supply_reservations.open_of_demand(d))
        held[d] = found.quantity
    return held


async def _cancel_excess(uow: WarehouseUnitOfWork, state: OpenLedgerState, now: Reserved, excess: Decimal) -> None:
    latest_first = sorted(now.on_supply, key=lambda r: (r.expected_date is not None, r.expected_date or date.min, r.id or 0),
                          reverse=True)
    for s in latest_first:
        excess -= _reduce(s, excess)
    for e in sorted(now.on_hand, key=lambda r: r.item_ledger_entry_no, reverse=True):
        excess -= _reduce(e, excess)
    await uow.supply_reservations.save_changes(now.on_supply)
    await uow.reservations.save_changes(state.reservation_changes())


def _reduce(r: ReservationEntry | SupplyReservation, excess: Decimal) -> Decimal:
    take = min(r.remaining_quantity, max(excess, ZERO))
    if take > 0:
        r.remaining_quantity -= take
        if r.remaining_quantity == 0:
            r.status = CANCELLED
    return take


async def cancel_supply_reservations(uow: WarehouseUnitOfWork, demand: Demand) -> list[SupplyReservation]:
    found = await uow.supply_reservations.open_of_demand(demand)
    await uow.items.lock({r.key[0] for r in found})
    found = await uow.supply_reservations.open_of_demand(demand)
    for r in found:
        r.status = CANCELLED
    await uow.supply_reservations.save_changes(found)
    return found


async def list_supply_reservations(
    uow: WarehouseUnitOfWork, item_no: str | None, source_type: str | None, source_id: str | None,
    supply_id: str | None, include_closed: bool,
) -> list[SupplyReservation]:
    return await uow.supply_reservations.find(item_no, source_type, source_id, supply_id, include_closed)


async def move_received_supply(uow: WarehouseUnitOfWork, ref: SupplyRef, posted: Sequence[ItemLedgerEntry]) -> None:
    """Move the supply's reservations onto the inbound entries its receipt posted (`posted` of that line only).

    The caller holds the item's lock and has written the entries: their open quantity is read back, so an entry
    that settled negative stock carries only what stays on hand."""
    held = await uow.supply_reservations.open_of_supplies([ref])
    if not held:
        return
    keys = {r.key for r in held}
    inbound = [e for e in posted if e.quantity > 0 and (e.item_no, e.variant_code, e.location_code) in keys]
    if not inbound:
        return
    open_now = await uow.ledger.open_entries_of(keys)
    reserved = OpenLedgerState(open_now, await uow.reservations.open_of(keys))
    received: dict[int, Decimal] = {}
    for e in inbound:
        key = (e.item_no, e.variant_code, e.location_code)
        entry = open_now.get(key, {}).get(e.entry_no)
        if entry is not None and entry.remaining_quantity > 0:
            received[e.entry_no] = entry.remaining_quantity - reserved.reserved_by_entry(key).get(e.entry_no, ZERO)
    moves = move_onto_receipt(held, received)
    by_no = {e.entry_no: e for e in inbound}
    await uow.supply_reservations.add_moved([
        (ReservationEntry(None, r.demand, r.key, entry_no, q, q, serial_no=by_no[entry_no].serial_no,
                          lot_no=by_no[entry_no].lot_no), r.id or 0)
        for r, entry_no, q in moves])
    await uow.supply_reservations.save_changes(held)


# allocation of short stock ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Worksheet:
    """The reservation worksheet of an item at a place: open demand not yet reserved, and what is free on hand."""

    key: Key
    available: Decimal
    lines: list[DemandToAllocate]

    @property
    def shortage(self) -> Decimal:
        return max(sum((l.wanted for l in self.lines), ZERO) - self.available, ZERO)


@dataclass(frozen=True)
class Allocation:
    worksheet: Worksheet
    policy: AllocationPolicy
    allocated: list[Allocated]
    made: list[ReservationEntry]
    run_id: int | None


async def reservation_worksheet(
    uow: WarehouseUnitOfWork, key: Key, named: Sequence[OpenDemandLine] = (), priorities: dict[str, int] | None = None,
    *, lock: bool = False,
) -> tuple[Worksheet, OpenLedgerState, Item]:
    """The open demand of the documents, plus the `named` demand lines, less what each holds already.

    `priorities` by demand document no. overrides the priority the document gives."""
    item = await reservable_item(uow, key) if lock else await uow.items.get(key[0])
    if item is None:
        raise UnknownItemError(f"item {key[0]} is unknown", item_no=key[0])
    state = OpenLedgerState(await uow.ledger.open_entries_of([key]), await uow.reservations.open_of([key]))
    held: dict[Demand, Decimal] = {}
    for r in state.reservations:
        if r.is_open:
            held[r.demand] = held.get(r.demand, ZERO) + r.remaining_quantity
    for s in await uow.supply_reservations.open_of_key(key):
        if s.is_open:
            held[s.demand] = held.get(s.demand, ZERO) + s.remaining_quantity
    demands = {d.demand: d for d in await uow.open_documents.demands_of(key)}
    for d in named:
        if d.demand in demands:
            raise InvalidDocumentError(
                f"{d.demand.source_type} {d.demand.source_id} line {d.demand.source_line_no} is an open document line "
                "already on the worksheet; name only demand the documents do not hold",
                source_type=d.demand.source_type, source_id=d.demand.source_id, source_line_no=d.demand.source_line_no)
        demands[d.demand] = d
    priorities = priorities or {}
    lines = [DemandToAllocate(d.demand, d.outstanding - held.get(d.demand, ZERO), d.due_date,
                              priorities.get(d.demand.source_id, d.priority))
             for d in demands.values() if d.outstanding - held.get(d.demand, ZERO) > 0]
    available = max(state.on_hand(key) - sum(state.reserved_by_entry(key).values(), ZERO), ZERO)
    lines.sort(key=lambda l: (l.due_date is None, l.due_date or date.min, l.demand.source_id, l.demand.source_line_no))
    return Worksheet(key, available, lines), state, item


async def allocate_short_stock(
    uow: WarehouseUnitOfWork, key: Key, policy: AllocationPolicy, named: Sequence[OpenDemandLine] = (),
    priorities: dict[str, int] | None = None, *, preview: bool,
) -> Allocation:
    """Propose how the free stock is divided among the worksheet's lines under `policy`; unless `preview`, reserve
    it and record the run."""
    worksheet, state, item = await reservation_worksheet(uow, key, named, priorities, lock=not preview)
    if preview:
        # What the allocation itself refuses (reservable_item, under the lock), the preview refuses too.
        item = await _check_reservable(uow, item, key, 0)
    allocated = allocate(worksheet.available, worksheet.lines, policy)
    if preview:
        return Allocation(worksheet, policy, allocated, [], None)
    made: list[ReservationEntry] = []
    for a in allocated:
        if a.quantity > 0:
            made += state.reserve(key, a.line.demand, a.quantity, newest_first=item.costing_method is CostingMethod.LIFO)
    for r, id_ in zip(made, await uow.reservations.add(made), strict=True):
        r.id = id_
    run_id = await uow.allocations.add_run(key, policy, worksheet.available, allocated)
    return Allocation(worksheet, policy, allocated, made, run_id)
