"""In-memory fakes of the warehouse's repository ports, with the semantics of the PostgreSQL adapters, and the
in-memory unit of work that records what it publishes. For unit tests of the use cases: no I/O."""

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from itertools import count
from typing import Any

from inventory_contracts import Envelope

from warehouse.domain.availability import OpenTransfers, Stock
from warehouse.domain.errors import AlreadyExistsError
from warehouse.domain.ledger_state import RESERVED, ReservationEntry
from warehouse.domain.locations import Bin, BinContent, Location
from warehouse.domain.model import Item, ItemLedgerEntry
from warehouse.domain.periods import InventoryPeriod, InventorySetup, PostingDates, closed_through
from warehouse.domain.physical_inventory import CountKey, PhysInvtLedgerEntry, PhysInvtOrder
from warehouse.domain.ports import (
    AvailabilityRepository,
    InventoryPeriodRepository,
    InventorySetupRepository,
    Items,
    LocationRepository,
    PhysicalInventoryRepository,
    ReconciliationRepository,
)
from warehouse.domain.reconciliation import SettledQuantity
from warehouse.domain.transfers import TransferOrder

ZERO = Decimal(0)

# setup and counts ---------------------------------------------------------------------------------------------------


@dataclass
class SetupAndCountsTables:
    """The rows the setup-and-counts fakes keep, and what they read of the posting side's (items, entries, which
    entries are open, reservations, transfer orders): a test seeds those, or the posting side's fakes share them."""

    locations: dict[str, Location] = field(default_factory=dict)
    bins: dict[tuple[str, str], Bin] = field(default_factory=dict)
    setup: InventorySetup = field(default_factory=lambda: InventorySetup(False, PostingDates()))
    setup_revision: int = 0
    periods: dict[date, InventoryPeriod] = field(default_factory=dict)
    orders: dict[str, PhysInvtOrder] = field(default_factory=dict)
    recordings: set[tuple[str, str]] = field(default_factory=set)
    phys_invt_ledger: list[PhysInvtLedgerEntry] = field(default_factory=list)
    phys_invt_ledger_nos: Iterator[int] = field(default_factory=lambda: count(1))
    items: dict[str, Item] = field(default_factory=dict)
    entries: list[ItemLedgerEntry] = field(default_factory=list)
    remaining: dict[int, Decimal] = field(default_factory=dict)
    """Remaining quantity of the open entries, by entry no."""
    reservations: list[ReservationEntry] = field(default_factory=list)
    transfer_orders: list[TransferOrder] = field(default_factory=list)
    recorded_at: dict[int, float] = field(default_factory=dict)
    """When each entry was recorded, in seconds on `clock`."""
    clock: Callable[[], float] = lambda: 0.0


class InMemoryLocationRepository:
    def __init__(self, tables: SetupAndCountsTables) -> None:
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
        for e in self._t.entries:
            if e.bin_code and item_no in (None, e.item_no) and location_code in (None, e.location_code) \
                    and bin_code in (None, e.bin_code):
                sums[(e.location_code, e.bin_code, e.item_no, e.variant_code)] += e.quantity
        return [BinContent(*key, quantity=q) for key, q in sorted(sums.items()) if q != 0][:10000]


class InMemoryInventorySetupRepository:
    def __init__(self, tables: SetupAndCountsTables) -> None:
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
    def __init__(self, tables: SetupAndCountsTables) -> None:
        self._t = tables

    async def inventory_periods(self, *, for_change: bool = False) -> list[InventoryPeriod]:
        return [self._t.periods[d] for d in sorted(self._t.periods)]

    async def save(self, period: InventoryPeriod) -> None:
        before = self._t.periods.get(period.ending_date)
        keep_name = before is not None and period.name == ""
        self._t.periods[period.ending_date] = replace(period, name=before.name) if keep_name and before else period

    async def count_open_outbound_until(self, ending_date: date) -> int:
        return sum(1 for e in self._t.entries if self._t.remaining.get(e.entry_no, ZERO) < 0
                   and e.posting_date <= ending_date)


class InMemoryPhysicalInventoryRepository:
    def __init__(self, tables: SetupAndCountsTables) -> None:
        self._t = tables

    async def add(self, order: PhysInvtOrder) -> None:
        if order.no in self._t.orders:
            raise AlreadyExistsError(f"physical inventory order {order.no} exists already", order_no=order.no)
        self._t.orders[order.no] = order

    async def get(self, no: str, *, for_update: bool = False) -> PhysInvtOrder | None:
        return self._t.orders.get(no)

    async def count_balances(self, order: PhysInvtOrder) -> dict[CountKey, Decimal]:
        sums: dict[CountKey, Decimal] = defaultdict(Decimal)
        for e in self._t.entries:
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
        self, item_no: str | None, order_no: str | None, after: int | None, limit: int
    ) -> list[PhysInvtLedgerEntry]:
        found = [e for e in self._t.phys_invt_ledger if item_no in (None, e.item_no) and order_no in (None, e.order_no)
                 and (after is None or e.entry_no > after)]
        return sorted(found, key=lambda e: e.entry_no)[:limit]


class InMemoryAvailabilityRepository:
    def __init__(self, tables: SetupAndCountsTables) -> None:
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
        return sum((r.remaining_quantity for r in self._t.reservations if r.status == RESERVED
                    and r.key[0] == item_no and location_code in (None, r.key[2])), ZERO)

    async def open_transfers(self, item_no: str, location_code: str | None) -> OpenTransfers:
        outbound = inbound = ZERO
        for order in self._t.transfer_orders:
            for line in (l for l in order.lines if l.item_no == item_no):
                if order.transfer_from_code == location_code:
                    outbound += line.quantity - line.quantity_shipped
                if order.transfer_to_code == location_code:
                    inbound += line.quantity - line.quantity_received
        return OpenTransfers(outbound, inbound)

    def _stock(self, item_no: str, location_code: str | None, on_date: date | None) -> Stock:
        counted = [e for e in self._t.entries if e.item_no == item_no and location_code in (None, e.location_code)
                   and (on_date is None or e.posting_date <= on_date)]
        in_transit = [e for e in counted if e.location_code in self._t.locations
                      and self._t.locations[e.location_code].use_as_in_transit]
        return Stock(sum((e.quantity for e in counted), ZERO), sum((e.quantity for e in in_transit), ZERO))


class InMemoryReconciliationRepository:
    def __init__(self, tables: SetupAndCountsTables) -> None:
        self._t = tables

    async def settled_quantities(self, settle_seconds: float) -> list[SettledQuantity]:
        settled_before = self._t.clock() - settle_seconds
        through: dict[str, int] = {}
        for e in self._t.entries:
            if self._t.recorded_at.get(e.entry_no, 0.0) <= settled_before:
                through[e.item_no] = max(through.get(e.item_no, e.entry_no), e.entry_no)
        sums: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
        for e in self._t.entries:
            if e.item_no in through and e.entry_no <= through[e.item_no]:
                sums[(e.item_no, e.location_code)] += e.quantity
        return [SettledQuantity(item, location, q, through[item]) for (item, location), q in sorted(sums.items())]


class StandInItems:
    """Stand-in for the posting side's fake of the item cards (InMemoryItems)."""

    def __init__(self, tables: SetupAndCountsTables) -> None:
        self._t = tables

    async def lock(self, item_nos: Iterable[str]) -> dict[str, Item]:
        return {no: self._t.items[no] for no in sorted(set(item_nos)) if no in self._t.items}

    async def get(self, item_no: str) -> Item | None:
        return self._t.items.get(item_no)


class InMemoryWarehouseUnitOfWork:
    """The repositories over in-memory tables; `events` holds the (topic, event) pairs in the order published."""

    def __init__(self, tables: SetupAndCountsTables | None = None) -> None:
        self.events: list[tuple[str, Envelope[Any]]] = []
        # setup and counts
        self.tables = tables or SetupAndCountsTables()
        self.locations: LocationRepository = InMemoryLocationRepository(self.tables)
        self.inventory_setup: InventorySetupRepository = InMemoryInventorySetupRepository(self.tables)
        self.periods: InventoryPeriodRepository = InMemoryInventoryPeriodRepository(self.tables)
        self.physical_inventory: PhysicalInventoryRepository = InMemoryPhysicalInventoryRepository(self.tables)
        self.availability: AvailabilityRepository = InMemoryAvailabilityRepository(self.tables)
        self.reconciliation: ReconciliationRepository = InMemoryReconciliationRepository(self.tables)
        # stand-in for the posting side's items fake
        self.items: Items = StandInItems(self.tables)

    async def publish(self, topic: str, event: Envelope[Any]) -> None:
        self.events.append((topic, event))

    async def publish_all(self, events: Sequence[tuple[str, Envelope[Any]]]) -> None:
        self.events.extend(events)
