"""In-memory fakes of the warehouse's repository ports, with the semantics of the SQL, and a unit of work over them.

For unit tests of the use cases: no database, events recorded in `InMemoryWarehouseUnitOfWork.events`.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from inventory_contracts import Envelope

from warehouse.domain.application import Application, OpenEntry
from warehouse.domain.documents import InvoiceLine, PostedEntry
from warehouse.domain.errors import AlreadyExistsError
from warehouse.domain.ledger_state import RESERVED, Demand, Key, ReservationEntry
from warehouse.domain.locations import Bin, Location
from warehouse.domain.model import Item, ItemLedgerEntry, ListedEntry, StockAtLocation
from warehouse.domain.periods import InventoryPeriod, PostingDates
from warehouse.domain.transfers import ShipmentLine, TransferOrder, TransferOrderLine

ZERO = Decimal(0)

# --- posting half ----------------------------------------------------------------------------------------------------


class InMemoryItems:
    def __init__(self, items: Iterable[Item] = ()) -> None:
        self.items = {item.item_no: item for item in items}

    async def upsert(self, item: Item) -> None:
        known = self.items.get(item.item_no)
        if known is None or known.revision < item.revision:
            self.items[item.item_no] = item

    async def lock(self, item_nos: Iterable[str]) -> dict[str, Item]:
        return {no: self.items[no] for no in sorted(set(item_nos)) if no in self.items}

    async def get(self, item_no: str) -> Item | None:
        return self.items.get(item_no)


class InMemoryItemLedger:
    def __init__(self) -> None:
        self.rows: dict[int, ItemLedgerEntry] = {}
        """The item ledger entries by entry no."""
        self.open: dict[int, tuple[Key, OpenEntry]] = {}
        self.corrected: set[int] = set()
        self._last_entry_no = 0

    async def next_entry_nos(self, count: int) -> list[int]:
        first = self._last_entry_no + 1
        self._last_entry_no += count
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

    async def entries(self, item_no: str | None, after: int | None, limit: int) -> list[ListedEntry]:
        chosen = [e for no, e in sorted(self.rows.items())
                  if (item_no is None or e.item_no == item_no) and (after is None or no > after)][:limit]
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

    def __init__(self, ledger: InMemoryItemLedger) -> None:
        self.ledger = ledger
        self.lines: list[tuple[str, date, InvoiceLine]] = []

    async def add(self, document_no: str, posting_date: date, lines: Sequence[InvoiceLine]) -> list[int]:
        first = len(self.lines) + 1
        for line in lines:
            self.lines.append((document_no, posting_date, line))
            entry = self.ledger.rows[line.entry_no]
            self.ledger.rows[line.entry_no] = replace(
                entry, invoiced_quantity=(entry.invoiced_quantity or ZERO) + line.quantity)
        return list(range(first, first + len(lines)))


class InMemoryReservations:
    """Reservation entries; reads hand out copies (the domain changes them) with the reserved entry's numbers."""

    def __init__(self, ledger: InMemoryItemLedger) -> None:
        self.ledger = ledger
        self.entries: dict[int, ReservationEntry] = {}

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
                entry = self.ledger.rows[r.item_ledger_entry_no]
                found.append(replace(r, serial_no=entry.serial_no, lot_no=entry.lot_no))
        return found


class InMemoryTransferOrders:
    def __init__(self) -> None:
        self.orders: dict[str, TransferOrder] = {}
        self.shipments: dict[str, list[ShipmentLine]] = {}
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


@dataclass
class InMemoryPostingSetup:
    """What posting reads of the setup half: locations, bins, allowed posting dates, periods, the negative default."""

    location_cards: dict[str, Location] = field(default_factory=dict)
    bin_cards: dict[str, list[Bin]] = field(default_factory=dict)
    dates: PostingDates = field(default_factory=PostingDates)
    periods: list[InventoryPeriod] = field(default_factory=list)
    prevent_negative: bool = False

    async def locations(self, codes: Iterable[str]) -> dict[str, Location]:
        return {code: self.location_cards[code] for code in set(codes) if code in self.location_cards}

    async def bins(self, location_codes: Iterable[str]) -> dict[str, list[Bin]]:
        return {code: list(self.bin_cards[code]) for code in set(location_codes) if code in self.bin_cards}

    async def posting_dates(self) -> PostingDates:
        return self.dates

    async def inventory_periods(self, *, for_change: bool = False) -> list[InventoryPeriod]:
        return sorted(self.periods, key=lambda p: p.ending_date)

    async def prevent_negative_inventory_default(self) -> bool:
        return self.prevent_negative


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


class InMemoryWarehouseUnitOfWork:
    """The repositories above and the events published, in order, as (topic, envelope)."""

    def __init__(self, items: Iterable[Item] = (), setup: InMemoryPostingSetup | None = None) -> None:
        # --- posting half ---
        self.items = InMemoryItems(items)
        self.ledger = InMemoryItemLedger()
        self.invoices = InMemoryInvoices(self.ledger)
        self.reservations = InMemoryReservations(self.ledger)
        self.transfer_orders = InMemoryTransferOrders()
        self.warehouse = setup or InMemoryPostingSetup()
        # --- end of the posting half ---
        self.events: list[tuple[str, Envelope[Any]]] = []

    async def publish(self, topic: str, event: Envelope[Any]) -> None:
        self.events.append((topic, event))

    async def publish_all(self, events: Sequence[tuple[str, Envelope[Any]]]) -> None:
        self.events.extend(events)


# --- end of the posting half -----------------------------------------------------------------------------------------
