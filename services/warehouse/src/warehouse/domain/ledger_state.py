"""The open part of the item ledger that a document touches, worked in memory.

A posting loads the open entries, reservations and bin contents of its (item, variant, location)
keys once, applies every line here, and writes only the difference. This keeps a 1,000-line
document to a handful of database round trips; the item rows locked by the caller keep the
loaded state current until the transaction ends.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from inventory_contracts.limits import QUANTITY_QUANTUM

from warehouse.domain.application import ZERO, Application, OpenEntry, apply_inbound, apply_outbound
from warehouse.domain.errors import InsufficientBinContentError, InsufficientInventoryError

Key = tuple[str, str, str]
"""(item_no, variant_code, location_code): application never crosses it."""

RESERVED, CANCELLED, CONSUMED = "Reserved", "Cancelled", "Consumed"

Accept = Callable[[OpenEntry], bool]
"""Which open inbound entries an outbound entry may take from (a serial, a lot, the entries a transfer names)."""


@dataclass(frozen=True)
class Demand:
    """The demand line a reservation is for, e.g. a sales order line."""

    source_type: str
    source_id: str
    source_line_no: int = 0


@dataclass
class ReservationEntry:
    """Quantity of one inbound item ledger entry reserved for a demand line."""

    id: int | None
    demand: Demand
    key: Key
    item_ledger_entry_no: int
    quantity: Decimal
    remaining_quantity: Decimal
    status: str = RESERVED
    serial_no: str = ""
    lot_no: str = ""
    """The reserved entry's serial and lot no. (a reservation of a specific serial or lot takes only such entries)."""

    @property
    def is_open(self) -> bool:
        return self.status == RESERVED and self.remaining_quantity > ZERO


@dataclass
class OpenLedgerState:
    open_entries: dict[Key, dict[int, OpenEntry]]
    reservations: list[ReservationEntry] = field(default_factory=list)
    bin_content: dict[tuple[Key, str], Decimal] = field(default_factory=dict)
    _original: dict[int, tuple[Key, OpenEntry]] = field(init=False)
    _original_reserved: dict[int, tuple[Decimal, str]] = field(init=False)

    def __post_init__(self) -> None:
        self._original = {no: (key, e) for key, entries in self.open_entries.items() for no, e in entries.items()}
        self._original_reserved = {r.id: (r.remaining_quantity, r.status) for r in self.reservations if r.id is not None}

    # queries ---------------------------------------------------------------------------------

    def reserved_by_entry(self, key: Key, demand: Demand | None = None) -> dict[int, Decimal]:
        """Open reserved quantity per inbound entry of `key` (only `demand`'s when given)."""
        reserved: dict[int, Decimal] = {}
        for r in self.reservations:
            if r.key == key and r.is_open and (demand is None or r.demand == demand):
                reserved[r.item_ledger_entry_no] = reserved.get(r.item_ledger_entry_no, ZERO) + r.remaining_quantity
        return reserved

    def on_hand(self, key: Key) -> Decimal:
        return sum((e.remaining_quantity for e in self.open_entries.get(key, {}).values() if e.remaining_quantity > 0), ZERO)

    def in_stock(self, item_no: str, *, serial_no: str = "", lot_no: str = "", key: Key | None = None) -> list[OpenEntry]:
        """Open inbound entries of the item (at `key` only, when given) carrying that serial and/or lot."""
        found = []
        for k, entries in self.open_entries.items():
            if k[0] != item_no or (key is not None and k != key):
                continue
            found += [e for e in entries.values() if e.remaining_quantity > 0
                      and (not serial_no or e.serial_no == serial_no) and (not lot_no or e.lot_no == lot_no)]
        return found

    # postings --------------------------------------------------------------------------------

    def post(
        self,
        key: Key,
        entry: OpenEntry,
        *,
        newest_first: bool,
        prevent_negative: bool,
        demand: Demand | None = None,
        bin_code: str = "",
        line_no: int = 0,
        accept: Sequence[Accept | None] = (None,),
    ) -> list[Application]:
        """Apply a new entry (its remaining_quantity is its signed quantity) and record what stays open.

        An outbound entry takes first what its own demand reserved, then stock nobody reserved. `accept` are
        passes in order: each takes only the entries its filter accepts (None: any), e.g. first the named lot.
        """
        quantity = entry.remaining_quantity
        entries = self.open_entries.setdefault(key, {})
        if bin_code:
            self._move_bin(key, bin_code, quantity, line_no)
        if quantity > 0:
            waiting = [e for e in entries.values() if e.remaining_quantity < 0]
            applications, remaining = apply_inbound(entry.entry_no, quantity, waiting)
            for a in applications:
                self._reduce(entries, a.outbound_entry_no, a.quantity)
        else:
            applications, remaining = self._apply_outbound(key, entry, newest_first, demand, accept)
            if remaining != 0 and prevent_negative:
                on_hand = self.on_hand(key)
                reserved = sum(self.reserved_by_entry(key).values(), ZERO) - sum(
                    self.reserved_by_entry(key, demand).values() if demand else [], ZERO
                )
                item_no, _, location_code = key
                raise InsufficientInventoryError(
                    f"item {item_no} has {_text(on_hand)} on hand at {location_code or 'the blank location'}"
                    + (f", of which {_text(reserved)} reserved for other demand" if reserved else "")
                    + f"; {_text(-quantity)} cannot be taken and negative inventory is prevented",
                    item_no=item_no,
                    location_code=location_code,
                    line_no=line_no,
                    on_hand=str(on_hand.quantize(QUANTITY_QUANTUM)),
                    reserved_for_others=str(reserved.quantize(QUANTITY_QUANTUM)),
                )
            for a in applications:
                self._reduce(entries, a.inbound_entry_no, a.quantity)
        if remaining != 0:
            entries[entry.entry_no] = replace(entry, remaining_quantity=remaining)
        return applications

    def reserve(
        self, key: Key, demand: Demand, quantity: Decimal, *, newest_first: bool, serial_no: str = "", lot_no: str = ""
    ) -> list[ReservationEntry]:
        """Reserve `quantity` (> 0) of stock nobody else reserved, oldest entries first (newest for LIFO).

        With `serial_no` and/or `lot_no`, only entries carrying that serial / lot are reserved.
        """
        free = [e for e in self._free_entries(key)
                if (not serial_no or e.serial_no == serial_no) and (not lot_no or e.lot_no == lot_no)]
        available = sum((e.remaining_quantity for e in free), ZERO)
        if available < quantity:
            item_no, _, location_code = key
            numbers = {k: v for k, v in (("serial_no", serial_no), ("lot_no", lot_no)) if v}
            named = "".join(f" of {k.replace('_no', '')} {v}" for k, v in numbers.items())
            raise InsufficientInventoryError(
                f"item {item_no} has {_text(available)}{named} unreserved on hand at "
                f"{location_code or 'the blank location'}; {_text(quantity)} cannot be reserved",
                item_no=item_no,
                location_code=location_code,
                available=str(available.quantize(QUANTITY_QUANTUM)),
                **numbers,
            )
        applications, _ = apply_outbound(0, -quantity, free, newest_first=newest_first)
        by_no = {e.entry_no: e for e in free}
        made = [ReservationEntry(None, demand, key, a.inbound_entry_no, a.quantity, a.quantity,
                                 serial_no=by_no[a.inbound_entry_no].serial_no, lot_no=by_no[a.inbound_entry_no].lot_no)
                for a in applications]
        self.reservations += made
        return made

    def cancel(self, demand: Demand) -> list[ReservationEntry]:
        cancelled = [r for r in self.reservations if r.demand == demand and r.is_open]
        for r in cancelled:
            r.status = CANCELLED
        return cancelled

    # what to write ---------------------------------------------------------------------------

    def changes(self) -> tuple[list[int], list[tuple[int, Decimal]], list[tuple[Key, OpenEntry]]]:
        """(entries no longer open, (entry, new remaining) of entries still open, newly open entries)."""
        now = {no: (key, e) for key, entries in self.open_entries.items() for no, e in entries.items()}
        closed = [no for no in self._original if no not in now]
        changed = [(no, e.remaining_quantity) for no, (_, e) in now.items()
                   if no in self._original and self._original[no][1].remaining_quantity != e.remaining_quantity]
        opened = [(key, e) for no, (key, e) in now.items() if no not in self._original]
        return closed, changed, opened

    def reservation_changes(self) -> list[ReservationEntry]:
        """Loaded reservation entries whose remaining quantity or status changed."""
        return [r for r in self.reservations
                if r.id is not None and self._original_reserved[r.id] != (r.remaining_quantity, r.status)]

    # internals -------------------------------------------------------------------------------

    def _free_entries(self, key: Key, taken: dict[int, Decimal] | None = None) -> list[OpenEntry]:
        """Inbound entries' quantity nobody reserved, less what `taken` already took of them."""
        reserved = self.reserved_by_entry(key)
        taken = taken or {}
        free = []
        for e in self.open_entries.get(key, {}).values():
            quantity = e.remaining_quantity - reserved.get(e.entry_no, ZERO) - taken.get(e.entry_no, ZERO)
            if e.remaining_quantity > 0 and quantity > 0:
                free.append(replace(e, remaining_quantity=quantity))
        return free

    def _apply_outbound(
        self, key: Key, entry: OpenEntry, newest_first: bool, demand: Demand | None, accept: Sequence[Accept | None]
    ) -> tuple[list[Application], Decimal]:
        to_apply = entry.remaining_quantity
        applications: list[Application] = []
        entries = self.open_entries.get(key, {})
        for allowed in accept:
            if to_apply == 0:
                break
            taken: dict[int, Decimal] = {}
            for a in applications:
                taken[a.inbound_entry_no] = taken.get(a.inbound_entry_no, ZERO) + a.quantity
            if demand is not None:
                own = self.reserved_by_entry(key, demand)
                reserved = [replace(entries[no], remaining_quantity=min(q, entries[no].remaining_quantity - taken.get(no, ZERO)))
                            for no, q in own.items() if no in entries]
                reserved = [e for e in reserved if e.remaining_quantity > 0 and (allowed is None or allowed(e))]
                if reserved:
                    mine, to_apply = apply_outbound(entry.entry_no, to_apply, reserved, newest_first=newest_first)
                    self._consume(key, demand, mine)
                    applications = _merge(applications + mine)
                    for a in mine:
                        taken[a.inbound_entry_no] = taken.get(a.inbound_entry_no, ZERO) + a.quantity
            # The reserved entries are reduced only after every pass: what an earlier pass took is not free.
            free = [e for e in self._free_entries(key, taken) if allowed is None or allowed(e)]
            if to_apply != 0 and free:
                more, to_apply = apply_outbound(entry.entry_no, to_apply, free, newest_first=newest_first)
                applications = _merge(applications + more)
        return applications, to_apply

    def _consume(self, key: Key, demand: Demand, applications: Iterable[Application]) -> None:
        for a in applications:
            left = a.quantity
            for r in self.reservations:
                if left == 0:
                    break
                if r.key == key and r.demand == demand and r.is_open and r.item_ledger_entry_no == a.inbound_entry_no:
                    taken = min(left, r.remaining_quantity)
                    r.remaining_quantity -= taken
                    left -= taken
                    if r.remaining_quantity == 0:
                        r.status = CONSUMED

    def _move_bin(self, key: Key, bin_code: str, quantity: Decimal, line_no: int) -> None:
        content = self.bin_content.get((key, bin_code), ZERO)
        if quantity < 0 and content + quantity < 0:
            item_no, _, location_code = key
            raise InsufficientBinContentError(
                f"line {line_no}: bin {bin_code} at {location_code} holds {_text(content)} of item {item_no}; "
                f"{_text(-quantity)} cannot be taken",
                item_no=item_no, location_code=location_code, bin_code=bin_code, line_no=line_no,
                bin_content=str(content.quantize(QUANTITY_QUANTUM)),
            )
        self.bin_content[(key, bin_code)] = content + quantity

    @staticmethod
    def _reduce(entries: dict[int, OpenEntry], entry_no: int, quantity: Decimal) -> None:
        current = entries[entry_no]
        remaining = current.remaining_quantity - (quantity if current.remaining_quantity > 0 else -quantity)
        if remaining == 0:
            del entries[entry_no]
        else:
            entries[entry_no] = replace(current, remaining_quantity=remaining)


def _merge(applications: list[Application]) -> list[Application]:
    merged: dict[int, Application] = {}
    for a in applications:
        if a.inbound_entry_no in merged:
            before = merged[a.inbound_entry_no]
            merged[a.inbound_entry_no] = Application(a.inbound_entry_no, a.outbound_entry_no, before.quantity + a.quantity)
        else:
            merged[a.inbound_entry_no] = a
    return list(merged.values())


def _text(quantity: Decimal) -> str:
    return f"{quantity.normalize():f}"
