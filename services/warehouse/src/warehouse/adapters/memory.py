"""In-memory fakes of the warehouse's repository ports, with the semantics of the PostgreSQL adapters, and a unit of
work over them that records what it publishes. For unit tests of the use cases: no I/O.

The fakes share one `WarehouseTables`: each writes its own rows and reads the others' where the SQL joins them.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from itertools import count
from typing import Any

from inventory_contracts import Envelope

from warehouse.adapters.memory_reservation_policies import (
    InMemoryAllocations,
    InMemoryOpenDocuments,
    InMemorySupplyReservations,
    ReservationPolicyTables,
)
from warehouse.domain.application import Application, OpenEntry
from warehouse.domain.availability import OpenTransfers, Stock
from warehouse.domain.availability_events import EventType, SupplyDemand
from warehouse.domain.documents import InvoiceLine, PostedEntry
from warehouse.domain.errors import AlreadyExistsError
from warehouse.domain.ledger_state import RESERVED, Demand, Key, ReservationEntry
from warehouse.domain.locations import Bin, BinContent, Location
from warehouse.domain.model import Item, ItemLedgerEntry, ListedEntry, StockAtLocation
from warehouse.domain.periods import InventoryPeriod, InventorySetup, PostingDates, closed_through
from warehouse.domain.planning_orders import Order, OrderLine, OrderPosting, OrderType
from warehouse.domain.physical_inventory import CountKey, PhysInvtLedgerEntry, PhysInvtOrder
from warehouse.domain.reconciliation import SettledQuantity
from warehouse.domain.responsibility_centers import ResponsibilityCenter
from warehouse.domain.transfers import ShipmentLine, TransferOrder, TransferOrderLine

ZERO = Decimal(0)


@dataclass
class WarehouseTables:
    """The rows of the warehouse's tables."""

    items: dict[str, Item] = field(default_factory=dict)
    entries: dict[int, ItemLedgerEntry] = field(default_factory=dict)
    """The item ledger entries by entry no."""
    open: dict[int, tuple[Key, OpenEntry]] = field(default_factory=dict)
    """The open (remaining) part of entries, by entry no."""
    corrected: set[int] = field(default_factory=set)
    invoice_lines: list[tuple[str, date, InvoiceLine]] = field(default_factory=list)
    reservations: dict[int, ReservationEntry] = field(default_factory=dict)
    transfer_orders: dict[str, TransferOrder] = field(default_factory=dict)
    shipments: dict[str, list[ShipmentLine]] = field(default_factory=dict)
    locations: dict[str, Location] = field(default_factory=dict)
    bins: dict[tuple[str, str], Bin] = field(default_factory=dict)
    setup: InventorySetup = field(default_factory=lambda: InventorySetup(True, PostingDates()))
    """As the migration creates it: negative inventory prevented."""
    setup_revision: int = 0
    periods: dict[date, InventoryPeriod] = field(default_factory=dict)
    orders: dict[str, PhysInvtOrder] = field(default_factory=dict)
    recordings: set[tuple[str, str]] = field(default_factory=set)
    phys_invt_ledger: list[PhysInvtLedgerEntry] = field(default_factory=list)
    phys_invt_ledger_nos: Iterator[int] = field(default_factory=lambda: count(1))
    recorded_at: dict[int, float] = field(default_factory=dict)
    """When each entry was recorded, in seconds on `clock`."""
    clock: Callable[[], float] = lambda: 0.0
    responsibility_centers: dict[str, ResponsibilityCenter] = field(default_factory=dict)

    planning_orders: dict[tuple[OrderType, str], Order] = field(default_factory=dict)
    order_postings: dict[int, OrderPosting] = field(default_factory=dict)

    def ledger(self) -> list[ItemLedgerEntry]:
        return [self.entries[no] for no in sorted(self.entries)]

    def remaining(self, entry_no: int) -> Decimal:
        return self.open[entry_no][1].remaining_quantity if entry_no in self.open else ZERO


# item cards, item ledger, invoices, reservations, transfer orders ---------------------------------------------------


class InMemoryItems:
    def __init__(self, tables: WarehouseTables) -> None:
        self.items = tables.items

    async def upsert(self, item: Item) -> None:
        known = self.items.get(item.item_no)
        if known is None or known.revision < item.revision:
            self.items[item.item_no] = item

    async def lock(self, item_nos: Iterable[str]) -> dict[str, Item]:
        return {no: self.items[no] for no in sorted(set(item_nos)) if no in self.items}

    async def get(self, item_no: str) -> Item | None:
        return self.items.get(item_no)


class InMemoryItemLedger:
    def __init__(self, tables: WarehouseTables) -> None:
        self.rows = tables.entries
        self.open = tables.open
        self.corrected = tables.corrected
        self._last_entry_no = 0

    async def next_entry_nos(self, count: int) -> list[int]:
        first = max(self._last_entry_no, *self.rows, 0) + 1
        self._last_entry_no = first + count - 1
        return list(range(first, first + count))

    async def add(self, entries: Sequence[ItemLedgerEntry]) -> None:
        self.rows.update((e.entry_no, e) for e in entries)

    async def posted(self, entry_nos: Iterable[int], *, lock: bool) -> dict[int, PostedEntry]:
        return {no: _posted(self.rows[no], no in self.corrected) for no in sorted(set(entry_nos))
                if no in self.rows}

    async def returned_quantities(self, entry_nos: Iterable[int]) -> dict[int, Decimal]:
        wanted, found = set(entry_nos), dict[int, Decimal]()
        for e in self.rows.values():
            if e.applies_from_entry in wanted:
                found[e.applies_from_entry] = found.get(e.applies_from_entry, ZERO) + e.quantity
        return found

    async def mark_corrected(self, entry_nos: Sequence[int]) -> None:
        self.corrected |= set(entry_nos)

    async def keys_with_open_entries(self, item_nos: Iterable[str]) -> set[Key]:
        wanted = set(item_nos)
        return {key for key, _ in self.open.values() if key[0] in wanted}

    async def open_entries_of(self, keys: Iterable[Key]) -> dict[Key, dict[int, OpenEntry]]:
        found: dict[Key, dict[int, OpenEntry]] = {key: {} for key in set(keys)}
        for key, entry in self.open.values():
            if key in found:
                found[key][entry.entry_no] = entry
        return found

    async def bin_contents_of(self, places: Iterable[tuple[Key, str]]) -> dict[tuple[Key, str], Decimal]:
        return {(key, bin_code): sum((e.quantity for e in self.rows.values() if _key(e) == key
                                      and e.bin_code == bin_code), ZERO) for key, bin_code in set(places)}

    async def save_open_changes(
        self, closed: Sequence[int], changed: Sequence[tuple[int, Decimal]], opened: Sequence[tuple[Key, OpenEntry]]
    ) -> None:
        for entry_no in closed:
            self.open.pop(entry_no, None)
        for entry_no, remaining in changed:
            key, entry = self.open[entry_no]
            self.open[entry_no] = (key, replace(entry, remaining_quantity=remaining))
        for key, entry in opened:
            self.open[entry.entry_no] = (key, entry)

    async def entries(
        self, item_no: str | None, after: int | None, limit: int, responsibility_center: str | None = None
    ) -> list[ListedEntry]:
        chosen = [e for no, e in sorted(self.rows.items())
                  if (item_no is None or e.item_no == item_no) and (after is None or no > after)
                  and responsibility_center in (None, e.responsibility_center)][:limit]
        return [ListedEntry(replace(e, applications=self._applications_of(e.entry_no)),
                            self.open[e.entry_no][1].remaining_quantity if e.entry_no in self.open else ZERO,
                            e.entry_no in self.open) for e in chosen]

    async def on_hand(self, item_no: str) -> list[StockAtLocation]:
        sums: dict[tuple[str, str], Decimal] = {}
        for e in self.rows.values():
            if e.item_no == item_no:
                sums[(e.location_code, e.variant_code)] = sums.get((e.location_code, e.variant_code), ZERO) + e.quantity
        return [StockAtLocation(location, variant, q) for (location, variant), q in sorted(sums.items())]

    async def by_no(self, entry_nos: Iterable[int]) -> list[ItemLedgerEntry]:
        return [_bare(self.rows[no]) for no in sorted(set(entry_nos)) if no in self.rows]

    async def with_tracking(self, serial_no: str, lot_no: str, item_no: str | None) -> list[ItemLedgerEntry]:
        if not serial_no and not lot_no:
            return []
        return [_bare(e) for _, e in sorted(self.rows.items())
                if (not serial_no or e.serial_no == serial_no) and (not lot_no or e.lot_no == lot_no)
                and (item_no is None or e.item_no == item_no)][:10_000]

    async def trace_links(self, entry_nos: Sequence[int]) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        wanted = set(entry_nos)
        applications = sorted({(a.inbound_entry_no, a.outbound_entry_no) for a in self._all_applications()
                               if a.inbound_entry_no in wanted or a.outbound_entry_no in wanted})
        applies_from = [(e.entry_no, e.applies_from_entry) for e in self.rows.values()
                        if e.applies_from_entry is not None and (e.applies_from_entry in wanted or e.entry_no in wanted)]
        return applications, applies_from

    def _all_applications(self) -> list[Application]:
        return [a for _, e in sorted(self.rows.items()) for a in e.applications]

    def _applications_of(self, entry_no: int) -> tuple[Application, ...]:
        return tuple(a for a in self._all_applications() if entry_no in (a.inbound_entry_no, a.outbound_entry_no))


class InMemoryInvoices:
    """Invoice lines; like the SQL, each raises the invoiced quantity of the entry it invoices."""

    def __init__(self, tables: WarehouseTables) -> None:
        self.rows = tables.entries
        self.lines = tables.invoice_lines

    async def add(self, document_no: str, posting_date: date, lines: Sequence[InvoiceLine]) -> list[int]:
        first = len(self.lines) + 1
        for line in lines:
            self.lines.append((document_no, posting_date, line))
            entry = self.rows[line.entry_no]
            self.rows[line.entry_no] = replace(
                entry, invoiced_quantity=(entry.invoiced_quantity or ZERO) + line.quantity)
        return list(range(first, first + len(lines)))


class InMemoryReservations:
    """Reservation entries; reads hand out copies (the domain changes them) with the reserved entry's numbers."""

    def __init__(self, tables: WarehouseTables) -> None:
        self.rows = tables.entries
        self.entries = tables.reservations

    async def open_of(self, keys: Iterable[Key]) -> list[ReservationEntry]:
        wanted = set(keys)
        return self._read(lambda r: r.status == RESERVED and r.key in wanted)

    async def open_of_demand(self, demand: Demand) -> list[ReservationEntry]:
        return self._read(lambda r: r.status == RESERVED and r.demand == demand)

    async def add(self, made: Sequence[ReservationEntry]) -> list[int]:
        ids = list(range(len(self.entries) + 1, len(self.entries) + 1 + len(made)))
        for id_, r in zip(ids, made, strict=True):
            self.entries[id_] = replace(r, id=id_, status=RESERVED)
        return ids

    async def save_changes(self, changed: Sequence[ReservationEntry]) -> None:
        for r in changed:
            assert r.id is not None
            self.entries[r.id] = replace(self.entries[r.id], remaining_quantity=r.remaining_quantity, status=r.status)

    async def find(
        self, item_no: str | None, source_type: str | None, source_id: str | None, include_closed: bool
    ) -> list[ReservationEntry]:
        return self._read(lambda r: (item_no is None or r.key[0] == item_no)
                          and (source_type is None or r.demand.source_type == source_type)
                          and (source_id is None or r.demand.source_id == source_id)
                          and (include_closed or r.status == RESERVED))

    def _read(self, wanted: Any) -> list[ReservationEntry]:
        found = []
        for _, r in sorted(self.entries.items()):
            if wanted(r):
                entry = self.rows[r.item_ledger_entry_no]
                found.append(replace(r, serial_no=entry.serial_no, lot_no=entry.lot_no))
        return found


class InMemoryTransferOrders:
    def __init__(self, tables: WarehouseTables) -> None:
        self.orders = tables.transfer_orders
        self.shipments = tables.shipments
        self._last_shipment_id = 0

    async def add(self, order: TransferOrder) -> None:
        if order.no in self.orders:
            raise AlreadyExistsError(f"transfer order {order.no} exists already", order_no=order.no)
        self.orders[order.no] = order

    async def get(self, no: str, *, for_update: bool = False) -> TransferOrder | None:
        return self.orders.get(no)

    async def save_lines(self, order_no: str, lines: Sequence[TransferOrderLine]) -> None:
        order = self.orders[order_no]
        changed = {l.line_no: l for l in lines}
        self.orders[order_no] = replace(order, lines=tuple(
            replace(l, quantity_shipped=changed[l.line_no].quantity_shipped,
                    quantity_received=changed[l.line_no].quantity_received) if l.line_no in changed else l
            for l in order.lines))

    async def shipment_lines(self, order_no: str) -> list[ShipmentLine]:
        return list(self.shipments.get(order_no, []))

    async def add_shipment_lines(self, order_no: str, lines: Sequence[ShipmentLine]) -> None:
        for line in lines:
            self._last_shipment_id += 1
            self.shipments.setdefault(order_no, []).append(replace(line, id=self._last_shipment_id))

    async def save_shipment_progress(self, changed: Sequence[ShipmentLine]) -> None:
        by_id = {s.id: s for s in changed}
        for order_no, lines in self.shipments.items():
            self.shipments[order_no] = [
                replace(s, received_quantity=by_id[s.id].received_quantity, undone=by_id[s.id].undone)
                if s.id in by_id else s for s in lines]


# locations, setup, periods, counts, availability, reconciliation -----------------------------------------------


class InMemoryLocationRepository:
    def __init__(self, tables: WarehouseTables) -> None:
        self._t = tables

    async def add(self, location: Location) -> None:
        if location.code in self._t.locations:
            raise AlreadyExistsError(f"location {location.code} exists already", location_code=location.code)
        self._t.locations[location.code] = location

    async def locations(self, codes: Iterable[str]) -> dict[str, Location]:
        return {code: self._t.locations[code] for code in sorted(set(codes)) if code in self._t.locations}

    async def page(self, after: str | None, limit: int) -> list[Location]:
        return [self._t.locations[c] for c in sorted(self._t.locations) if after is None or c > after][:limit]

    async def add_bin(self, bin_: Bin) -> None:
        if (bin_.location_code, bin_.code) in self._t.bins:
            raise AlreadyExistsError(f"bin {bin_.code} exists already at location {bin_.location_code}",
                                     location_code=bin_.location_code, bin_code=bin_.code)
        self._t.bins[(bin_.location_code, bin_.code)] = bin_

    async def bins(self, location_codes: Iterable[str]) -> dict[str, list[Bin]]:
        wanted = set(location_codes)
        found: dict[str, list[Bin]] = {}
        for key in sorted(self._t.bins):
            if key[0] in wanted:
                found.setdefault(key[0], []).append(self._t.bins[key])
        return found

    async def bin_contents(
        self, item_no: str | None, location_code: str | None, bin_code: str | None
    ) -> list[BinContent]:
        sums: dict[tuple[str, str, str, str], Decimal] = defaultdict(Decimal)
        for e in self._t.ledger():
            if e.bin_code and item_no in (None, e.item_no) and location_code in (None, e.location_code) \
                    and bin_code in (None, e.bin_code):
                sums[(e.location_code, e.bin_code, e.item_no, e.variant_code)] += e.quantity
        return [BinContent(*key, quantity=q) for key, q in sorted(sums.items()) if q != 0][:10000]


class InMemoryInventorySetupRepository:
    def __init__(self, tables: WarehouseTables) -> None:
        self._t = tables

    async def get(self, *, for_change: bool = False) -> tuple[InventorySetup, int]:
        return self._t.setup, self._t.setup_revision

    async def as_published(self) -> tuple[InventorySetup, int, date | None]:
        return self._t.setup, self._t.setup_revision, closed_through(list(self._t.periods.values()))

    async def save(self, setup: InventorySetup) -> None:
        self._t.setup = setup

    async def next_revision(self) -> int:
        self._t.setup_revision += 1
        return self._t.setup_revision

    async def posting_dates(self) -> PostingDates:
        return self._t.setup.dates

    async def has_item_ledger_entries(self) -> bool:
        return bool(self._t.entries)

    async def prevent_negative_inventory_default(self) -> bool:
        return self._t.setup.prevent_negative_inventory


class InMemoryInventoryPeriodRepository:
    def __init__(self, tables: WarehouseTables) -> None:
        self._t = tables

    async def inventory_periods(self, *, for_change: bool = False) -> list[InventoryPeriod]:
        return [self._t.periods[d] for d in sorted(self._t.periods)]

    async def save(self, period: InventoryPeriod) -> None:
        before = self._t.periods.get(period.ending_date)
        keep_name = before is not None and period.name == ""
        self._t.periods[period.ending_date] = replace(period, name=before.name) if keep_name and before else period

    async def count_open_outbound_until(self, ending_date: date) -> int:
        return sum(1 for e in self._t.ledger() if self._t.remaining(e.entry_no) < 0
                   and e.posting_date <= ending_date)


class InMemoryPhysicalInventoryRepository:
    def __init__(self, tables: WarehouseTables) -> None:
        self._t = tables

    async def add(self, order: PhysInvtOrder) -> None:
        if order.no in self._t.orders:
            raise AlreadyExistsError(f"physical inventory order {order.no} exists already", order_no=order.no)
        self._t.orders[order.no] = order

    async def get(self, no: str, *, for_update: bool = False) -> PhysInvtOrder | None:
        return self._t.orders.get(no)

    async def count_balances(self, order: PhysInvtOrder) -> dict[CountKey, Decimal]:
        sums: dict[CountKey, Decimal] = defaultdict(Decimal)
        for e in self._t.ledger():
            if e.location_code == order.location_code and e.posting_date <= order.posting_date \
                    and (not order.item_nos or e.item_no in order.item_nos) and order.bin_code in ("", e.bin_code):
                sums[(e.item_no, e.variant_code, e.bin_code, e.lot_no, e.serial_no)] += e.quantity
        return {key: q for key, q in sums.items() if q != 0}

    async def save(self, order: PhysInvtOrder, *, replace_lines: bool = False) -> None:
        """Like the SQL upsert: a kept line takes only its new recorded quantity and recording no."""
        before = {} if replace_lines else {line.line_no: line for line in self._t.orders[order.no].lines}
        lines = {**before}
        for line in order.lines:
            kept = before.get(line.line_no)
            lines[line.line_no] = line if kept is None else replace(
                kept, recorded_quantity=line.recorded_quantity, recording_no=line.recording_no)
        self._t.orders[order.no] = replace(order, lines=tuple(lines[no] for no in sorted(lines)))

    async def add_recording(self, order_no: str, recording_no: str) -> None:
        if (order_no, recording_no) in self._t.recordings:
            raise AlreadyExistsError(f"recording {recording_no} of physical inventory order {order_no} exists already",
                                     order_no=order_no, recording_no=recording_no)
        self._t.recordings.add((order_no, recording_no))

    async def next_ledger_entry_nos(self, count: int) -> list[int]:
        numbers = iter(self._t.phys_invt_ledger_nos)
        return [next(numbers) for _ in range(count)]

    async def add_ledger_entries(self, entries: Sequence[PhysInvtLedgerEntry]) -> None:
        self._t.phys_invt_ledger.extend(entries)

    async def ledger_entries(
        self, item_no: str | None, order_no: str | None, after: int | None, limit: int,
        responsibility_center: str | None = None,
    ) -> list[PhysInvtLedgerEntry]:
        found = [e for e in self._t.phys_invt_ledger if item_no in (None, e.item_no) and order_no in (None, e.order_no)
                 and (after is None or e.entry_no > after)
                 and responsibility_center in (None, self._t.orders[e.order_no].responsibility_center)]
        return sorted(found, key=lambda e: e.entry_no)[:limit]


class InMemoryAvailabilityRepository:
    def __init__(self, tables: WarehouseTables) -> None:
        self._t = tables

    async def item_known(self, item_no: str) -> bool:
        return item_no in self._t.items

    async def stock_and_reserved(
        self, item_no: str, location_code: str | None, on_date: date | None
    ) -> tuple[Stock, Decimal]:
        return self._stock(item_no, location_code, on_date), await self.reserved(item_no, location_code)

    async def stock_as_of(self, item_no: str, location_code: str | None, dates: Sequence[date]) -> list[Stock]:
        return [self._stock(item_no, location_code, d) for d in sorted(dates)]

    async def reserved(self, item_no: str, location_code: str | None) -> Decimal:
        return sum((r.remaining_quantity for r in self._t.reservations.values() if r.status == RESERVED
                    and r.key[0] == item_no and location_code in (None, r.key[2])), ZERO)

    async def open_transfers(self, item_no: str, location_code: str | None) -> OpenTransfers:
        outbound = inbound = ZERO
        for order in self._t.transfer_orders.values():
            for line in (l for l in order.lines if l.item_no == item_no):
                if order.transfer_from_code == location_code:
                    outbound += line.quantity - line.quantity_shipped
                if order.transfer_to_code == location_code:
                    inbound += line.quantity - line.quantity_received
        return OpenTransfers(outbound, inbound)

    def _stock(self, item_no: str, location_code: str | None, on_date: date | None) -> Stock:
        counted = [e for e in self._t.ledger() if e.item_no == item_no and location_code in (None, e.location_code)
                   and (on_date is None or e.posting_date <= on_date)]
        in_transit = [e for e in counted if e.location_code in self._t.locations
                      and self._t.locations[e.location_code].use_as_in_transit]
        return Stock(sum((e.quantity for e in counted), ZERO), sum((e.quantity for e in in_transit), ZERO))


class InMemoryReconciliationRepository:
    def __init__(self, tables: WarehouseTables) -> None:
        self._t = tables

    async def settled_quantities(self, settle_seconds: float) -> list[SettledQuantity]:
        settled_before = self._t.clock() - settle_seconds
        through: dict[str, int] = {}
        for e in self._t.ledger():
            if self._t.recorded_at.get(e.entry_no, 0.0) <= settled_before:
                through[e.item_no] = max(through.get(e.item_no, e.entry_no), e.entry_no)
        sums: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
        for e in self._t.ledger():
            if e.item_no in through and e.entry_no <= through[e.item_no]:
                sums[(e.item_no, e.location_code)] += e.quantity
        return [SettledQuantity(item, location, q, through[item]) for (item, location), q in sorted(sums.items())]


def _key(e: ItemLedgerEntry) -> Key:
    return (e.item_no, e.variant_code, e.location_code)


def _bare(e: ItemLedgerEntry) -> ItemLedgerEntry:
    """An entry as the SQL reads it back outside a listing: without its applications."""
    return replace(e, applications=())


def _posted(e: ItemLedgerEntry, corrected: bool) -> PostedEntry:
    return PostedEntry(
        entry_no=e.entry_no, item_no=e.item_no, variant_code=e.variant_code, location_code=e.location_code,
        bin_code=e.bin_code, posting_date=e.posting_date, entry_type=e.entry_type, document_no=e.document_no,
        quantity=e.quantity, invoiced_quantity=e.invoiced_quantity, correction=e.correction, corrected=corrected,
        serial_no=e.serial_no, lot_no=e.lot_no, unit_of_measure_code=e.unit_of_measure_code,
        document_line_no=e.document_line_no,
    )


class InMemoryResponsibilityCenters:
    def __init__(self, tables: WarehouseTables) -> None:
        self._t = tables

    async def add(self, center: ResponsibilityCenter) -> None:
        if center.code in self._t.responsibility_centers:
            raise AlreadyExistsError(f"responsibility center {center.code} exists already",
                                     responsibility_center=center.code)
        self._t.responsibility_centers[center.code] = center

    async def centers(self, codes: Iterable[str]) -> dict[str, ResponsibilityCenter]:
        known = self._t.responsibility_centers
        return {code: known[code] for code in sorted(set(codes)) if code in known}

    async def page(self, after: str | None, limit: int) -> list[ResponsibilityCenter]:
        known = self._t.responsibility_centers
        return [known[c] for c in sorted(known) if after is None or c > after][:limit]

    async def change(self, center: ResponsibilityCenter) -> None:
        self._t.responsibility_centers[center.code] = center

    async def assign_location(self, location_code: str, center: str) -> None:
        self._t.locations[location_code] = replace(self._t.locations[location_code], responsibility_center=center)

    async def locations_page(self, center: str, after: str | None, limit: int) -> list[Location]:
        return [self._t.locations[c] for c in sorted(self._t.locations)
                if self._t.locations[c].responsibility_center == center and (after is None or c > after)][:limit]

    async def entry_centers(self, entry_nos: Iterable[int]) -> dict[int, str]:
        return {no: self._t.entries[no].responsibility_center for no in set(entry_nos) if no in self._t.entries}


class InMemoryWarehouseUnitOfWork:
    """The repositories over in-memory tables; `events` holds the (topic, event) pairs in the order published."""

    def __init__(self, items: Iterable[Item] = (), tables: WarehouseTables | None = None) -> None:
        self.tables = tables or WarehouseTables()
        self.tables.items.update((item.item_no, item) for item in items)
        self.items = InMemoryItems(self.tables)
        self.ledger = InMemoryItemLedger(self.tables)
        self.invoices = InMemoryInvoices(self.tables)
        self.reservations = InMemoryReservations(self.tables)
        self.transfer_orders = InMemoryTransferOrders(self.tables)
        self.locations = InMemoryLocationRepository(self.tables)
        self.inventory_setup = InMemoryInventorySetupRepository(self.tables)
        self.periods = InMemoryInventoryPeriodRepository(self.tables)
        self.physical_inventory = InMemoryPhysicalInventoryRepository(self.tables)
        self.availability = InMemoryAvailabilityRepository(self.tables)
        self.reconciliation = InMemoryReconciliationRepository(self.tables)
        self.responsibility_centers = InMemoryResponsibilityCenters(self.tables)

        self.planning_orders = InMemoryPlanningOrders(self.tables)
        self.reservation_policy_tables = ReservationPolicyTables()
        self.supply_reservations = InMemorySupplyReservations(self.reservation_policy_tables, self.tables.reservations)
        self.open_documents = InMemoryOpenDocuments(self.reservation_policy_tables, self.tables)
        self.allocations = InMemoryAllocations(self.reservation_policy_tables)
        self.availability_events = InMemoryAvailabilityEvents(self.tables)
        self.events: list[tuple[str, Envelope[Any]]] = []

    async def publish(self, topic: str, event: Envelope[Any]) -> None:
        self.events.append((topic, event))

    async def publish_all(self, events: Sequence[tuple[str, Envelope[Any]]]) -> None:
        self.events.extend(events)


class InMemoryPlanningOrders:
    def __init__(self, tables: WarehouseTables) -> None:
        self._t = tables

    async def add(self, order: Order) -> None:
        if (order.type, order.no) in self._t.planning_orders:
            raise AlreadyExistsError(f"{order.type.value.lower()} {order.no} exists already", order_no=order.no)
        self._t.planning_orders[(order.type, order.no)] = order

    async def get(self, order_type: OrderType, no: str, *, for_update: bool = False) -> Order | None:
        return self._t.planning_orders.get((order_type, no))

    async def get_many(self, order_type: OrderType, nos: Iterable[str], *, for_update: bool = False) -> dict[str, Order]:
        return {no: self._t.planning_orders[(order_type, no)] for no in nos if (order_type, no) in self._t.planning_orders}

    async def page(self, order_type: OrderType, after: str | None, limit: int, item_no: str | None,
                   responsibility_center: str | None = None) -> list[Order]:
        found = sorted((o for (t, no), o in self._t.planning_orders.items() if t is order_type
                        and (after is None or no > after) and (item_no is None or any(l.item_no == item_no for l in o.lines))
                        and (responsibility_center is None or o.responsibility_center == responsibility_center)),
                       key=lambda o: o.no)
        return found[:limit]

    async def save_lines(self, order_type: OrderType, order_no: str, changed: Sequence[OrderLine]) -> None:
        order = self._t.planning_orders[(order_type, order_no)]
        lines = {l.line_no: l for l in order.lines} | {l.line_no: l for l in changed}
        self._t.planning_orders[(order_type, order_no)] = replace(order, lines=tuple(lines[n] for n in sorted(lines)))

    async def delete_line(self, order_type: OrderType, order_no: str, line_no: int) -> None:
        order = self._t.planning_orders[(order_type, order_no)]
        self._t.planning_orders[(order_type, order_no)] = replace(
            order, lines=tuple(l for l in order.lines if l.line_no != line_no))

    async def add_postings(self, postings: Sequence[OrderPosting]) -> None:
        self._t.order_postings.update((p.item_ledger_entry_no, p) for p in postings)

    async def postings_of(self, entry_nos: Sequence[int]) -> list[OrderPosting]:
        return [self._t.order_postings[n] for n in sorted(set(entry_nos)) if n in self._t.order_postings]

    async def give_back(self, undone: Mapping[tuple[OrderType, str, int], Decimal]) -> None:
        for (order_type, no, line_no), quantity in undone.items():
            order = self._t.planning_orders[(order_type, no)]
            line = order.line(line_no)
            assert line is not None
            await self.save_lines(order_type, no, [replace(line, quantity_posted_base=line.quantity_posted_base - quantity)])


class InMemoryAvailabilityEvents:
    """Order lines, transfer lines and reservations of the tables; assembly orders are not kept in memory."""

    def __init__(self, tables: WarehouseTables) -> None:
        self._t = tables

    async def supply_and_demand(
        self, item_no: str, location_code: str | None, variant_code: str | None
    ) -> list[SupplyDemand]:
        def wanted(item: str, location: str, variant: str) -> bool:
            return item == item_no and location_code in (None, location) and variant_code in (None, variant)

        found: list[SupplyDemand] = []
        for order in self._t.planning_orders.values():
            sign, kind = (-1, EventType.SALES_ORDER) if order.type is OrderType.SALES else (1, EventType.PURCHASE_ORDER)
            found += [SupplyDemand(kind, l.due_date, order.no, l.line_no, l.location_code, l.variant_code,
                                   sign * l.outstanding_base)
                      for l in order.lines if wanted(l.item_no, l.location_code, l.variant_code) and l.outstanding_base]
        for t in self._t.transfer_orders.values():
            for l in t.lines:
                if location_code is not None and wanted(l.item_no, t.transfer_from_code, l.variant_code) and l.outstanding:
                    found.append(SupplyDemand(EventType.TRANSFER_SHIPMENT, None, t.no, l.line_no, t.transfer_from_code,
                                              l.variant_code, -l.outstanding))
                if (location_code is not None and wanted(l.item_no, t.transfer_to_code, l.variant_code)
                        and l.quantity > l.quantity_received):
                    found.append(SupplyDemand(EventType.TRANSFER_RECEIPT, None, t.no, l.line_no, t.transfer_to_code,
                                              l.variant_code, l.quantity - l.quantity_received))
        sales_lines = {(o.no, l.line_no) for (kind, _), o in self._t.planning_orders.items() if kind is OrderType.SALES
                       for l in o.lines}
        reserved: dict[tuple[str, int, str, str], Decimal] = defaultdict(Decimal)
        for r in self._t.reservations.values():
            own_line = r.demand.source_type == OrderType.SALES.value and (
                r.demand.source_id, r.demand.source_line_no) in sales_lines
            if r.status == RESERVED and r.remaining_quantity and wanted(r.key[0], r.key[2], r.key[1]) and not own_line:
                reserved[(r.demand.source_id, r.demand.source_line_no, r.key[2], r.key[1])] += r.remaining_quantity
        found += [SupplyDemand(EventType.RESERVATION, None, no, line_no, location, variant, -q)
                  for (no, line_no, location, variant), q in reserved.items()]
        return found

    async def on_hand(self, item_no: str, location_code: str | None, variant_code: str | None,
                      on_date: date | None = None) -> Stock:
        counted = [e for e in self._t.ledger() if e.item_no == item_no and location_code in (None, e.location_code)
                   and variant_code in (None, e.variant_code) and (on_date is None or e.posting_date <= on_date)]
        in_transit = [e for e in counted if e.location_code in self._t.locations
                      and self._t.locations[e.location_code].use_as_in_transit]
        return Stock(sum((e.quantity for e in counted), ZERO), sum((e.quantity for e in in_transit), ZERO))
