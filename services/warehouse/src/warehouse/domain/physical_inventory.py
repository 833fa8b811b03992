"""Physical inventory orders: expected quantities, recordings, finishing, and the adjustments a count posts.

An order counts one location (optionally some items and one bin). Calculating its lines takes the expected
quantity per item, variant, bin, lot and serial from the item ledger as of the order's posting date. Recordings
fill in counted quantities, each order line at most once, and may add lines for what nobody expected (a lot, a
serial, a bin). Posting turns every difference into a Positive or Negative Adjmt. and keeps a physical inventory
ledger entry per counted line.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum

from inventory_contracts.warehouse import ItemLedgerEntryType

from warehouse.domain.errors import DocumentStateError, InvalidDocumentError
from warehouse.domain.model import EntryDraft, Item, check_movable
from warehouse.domain.tracking import TrackingLine, split

ZERO = Decimal(0)
LINE_STEP = 10000
DOCUMENT_TYPE = "Phys. Inventory"


class OrderStatus(StrEnum):
    OPEN = "Open"
    FINISHED = "Finished"
    POSTED = "Posted"


class Unrecorded(StrEnum):
    """What finishing does with lines no recording counted."""

    REFUSE = "refuse"
    ZERO = "zero"
    """Nothing was found: the whole expected quantity is a shortage."""
    EXPECTED = "expected"
    """Taken as counted at the expected quantity: no difference."""


CountKey = tuple[str, str, str, str, str]
"""(item_no, variant_code, bin_code, lot_no, serial_no): what one order line counts at the order's location."""


@dataclass(frozen=True)
class PhysInvtOrderLine:
    line_no: int
    item_no: str
    variant_code: str
    bin_code: str
    lot_no: str
    serial_no: str
    expected_quantity: Decimal
    recorded_quantity: Decimal | None = None
    recording_no: str | None = None
    """The recording that counted the line; None while uncounted (or set when finishing)."""
    expiration_date: date | None = None
    """For a line a recording added for an unexpected lot or serial: the date its positive adjustment carries."""
    calculated: bool = True
    """False for a line a recording added."""

    @property
    def key(self) -> CountKey:
        return (self.item_no, self.variant_code, self.bin_code, self.lot_no, self.serial_no)

    @property
    def recorded(self) -> bool:
        return self.recorded_quantity is not None


@dataclass(frozen=True)
class PhysInvtOrder:
    no: str
    location_code: str
    posting_date: date
    item_nos: tuple[str, ...] = ()
    """Empty: every item."""
    bin_code: str = ""
    """Blank: every bin."""
    status: OrderStatus = OrderStatus.OPEN
    lines_calculated: bool = False
    lines: tuple[PhysInvtOrderLine, ...] = ()
    responsibility_center: str = ""

    def covers(self, item_no: str, bin_code: str) -> bool:
        return (not self.item_nos or item_no in self.item_nos) and (not self.bin_code or bin_code == self.bin_code)


@dataclass(frozen=True)
class RecordedLine:
    """A counted quantity: for an order line (line_no), or a new line for what the order did not expect."""

    quantity: Decimal
    line_no: int | None = None
    item_no: str = ""
    variant_code: str = ""
    bin_code: str = ""
    lot_no: str = ""
    serial_no: str = ""
    expiration_date: date | None = None


@dataclass(frozen=True)
class Difference:
    line: PhysInvtOrderLine
    quantity: Decimal
    """recorded - expected: > 0 a surplus (Positive Adjmt.), < 0 a shortage (Negative Adjmt.), 0 nothing to post."""

    @property
    def entry_type(self) -> ItemLedgerEntryType | None:
        if self.quantity > 0:
            return ItemLedgerEntryType.POSITIVE_ADJMT
        if self.quantity < 0:
            return ItemLedgerEntryType.NEGATIVE_ADJMT
        return None


@dataclass(frozen=True)
class PhysInvtLedgerEntry:
    """What one counted line posted; append-only."""

    entry_no: int
    order_no: str
    order_line_no: int
    recording_no: str | None
    item_no: str
    variant_code: str
    location_code: str
    bin_code: str
    lot_no: str
    serial_no: str
    posting_date: date
    expected_quantity: Decimal
    recorded_quantity: Decimal
    difference: Decimal
    entry_type: ItemLedgerEntryType | None
    item_ledger_entry_no: int | None


def check_open(order: PhysInvtOrder, step: str) -> None:
    if order.status is not OrderStatus.OPEN:
        raise DocumentStateError(f"physical inventory order {order.no} is {order.status}; it cannot {step}",
                                 order_no=order.no, order_status=str(order.status))


def check_finished(order: PhysInvtOrder) -> None:
    if order.status is not OrderStatus.FINISHED:
        raise DocumentStateError(f"physical inventory order {order.no} is {order.status}; only a finished order "
                                 "posts", order_no=order.no, order_status=str(order.status))


def expected_lines(order: PhysInvtOrder, balances: Mapping[CountKey, Decimal]) -> list[PhysInvtOrderLine]:
    """One line per (item, variant, bin, lot, serial) the ledger holds a quantity of, in key order.

    Recalculating is allowed until something is recorded: it replaces the lines, so a count starts from the ledger.
    """
    check_open(order, "calculate lines")
    if any(line.recorded for line in order.lines):
        raise DocumentStateError(f"physical inventory order {order.no} has recorded lines; lines are calculated "
                                 "before counting starts", order_no=order.no)
    keys = sorted(k for k, q in balances.items() if q != 0 and order.covers(k[0], k[2]))
    return [PhysInvtOrderLine((i + 1) * LINE_STEP, *key, expected_quantity=balances[key]) for i, key in enumerate(keys)]


def record(
    order: PhysInvtOrder, recording_no: str, recorded: Sequence[RecordedLine], items: Mapping[str, Item]
) -> list[PhysInvtOrderLine]:
    """The order's lines after a recording. Each line is recorded at most once, across all recordings."""
    check_open(order, "take a recording")
    if not order.lines_calculated:
        raise DocumentStateError(f"physical inventory order {order.no}: calculate its lines before recording",
                                 order_no=order.no)
    if not recorded:
        raise InvalidDocumentError("a recording needs lines", order_no=order.no)
    by_no = {line.line_no: line for line in order.lines}
    by_key = {line.key: line for line in order.lines}
    next_no = max(by_no, default=0) + LINE_STEP
    for r in recorded:
        where = {"order_no": order.no, "recording_no": recording_no}
        if r.quantity < 0:
            raise InvalidDocumentError("a counted quantity cannot be negative", line_no=r.line_no, **where)
        if r.line_no is not None:
            line = by_no.get(r.line_no)
            if line is None:
                raise InvalidDocumentError(f"physical inventory order {order.no} has no line {r.line_no}",
                                           line_no=r.line_no, **where)
        else:
            key = (r.item_no, r.variant_code, r.bin_code, r.lot_no, r.serial_no)
            if not r.item_no:
                raise InvalidDocumentError("a recorded line names an order line (line_no) or an item (item_no)", **where)
            if key in by_key:
                existing = by_key[key]
                raise InvalidDocumentError(
                    f"line {existing.line_no} counts item {r.item_no} {_place(r)} already; record that line",
                    line_no=existing.line_no, **where)
            if not order.covers(r.item_no, r.bin_code):
                raise InvalidDocumentError(f"item {r.item_no} {_place(r)} is outside the order's item and bin filter",
                                           item_no=r.item_no, **where)
            item = items.get(r.item_no)
            if item is None:
                raise InvalidDocumentError(f"item {r.item_no} is unknown", item_no=r.item_no, **where)
            check_movable(item, r.variant_code, line_no=next_no)
            _check_numbers(item, r, next_no)
            line = PhysInvtOrderLine(next_no, r.item_no, r.variant_code, r.bin_code, r.lot_no, r.serial_no, ZERO,
                                     expiration_date=r.expiration_date, calculated=False)
            next_no += LINE_STEP
        if line.recorded:
            raise DocumentStateError(
                f"line {line.line_no} is recorded already (recording {line.recording_no or 'when finishing'}); "
                "a line is recorded once", line_no=line.line_no, recorded_by=line.recording_no, **where)
        if line.serial_no and r.quantity not in (ZERO, Decimal(1)):
            raise InvalidDocumentError(f"line {line.line_no}: serial no. {line.serial_no} is one unit; count 0 or 1",
                                       line_no=line.line_no, **where)
        line = replace(line, recorded_quantity=r.quantity, recording_no=recording_no)
        by_no[line.line_no] = line
        by_key[line.key] = line
    return sorted(by_no.values(), key=lambda line: line.line_no)


def finish(order: PhysInvtOrder, unrecorded: Unrecorded) -> list[PhysInvtOrderLine]:
    """The lines of a finished order: every line recorded, or set as `unrecorded` says."""
    check_open(order, "be finished")
    if not order.lines_calculated:
        raise DocumentStateError(f"physical inventory order {order.no}: calculate its lines first", order_no=order.no)
    missing = [line.line_no for line in order.lines if not line.recorded]
    if missing and unrecorded is Unrecorded.REFUSE:
        raise DocumentStateError(
            f"physical inventory order {order.no} has {len(missing)} unrecorded line(s) ({_few(missing)}); record "
            "them, or finish with unrecorded = zero or expected", order_no=order.no, unrecorded_lines=missing)
    return [line if line.recorded else
            replace(line, recorded_quantity=ZERO if unrecorded is Unrecorded.ZERO else line.expected_quantity)
            for line in order.lines]


def differences(lines: Iterable[PhysInvtOrderLine]) -> list[Difference]:
    """recorded - expected for every line, in line order. Every line must be recorded."""
    found = []
    for line in sorted(lines, key=lambda line: line.line_no):
        if line.recorded_quantity is None:
            raise DocumentStateError(f"line {line.line_no} is not recorded", line_no=line.line_no)
        found.append(Difference(line, line.recorded_quantity - line.expected_quantity))
    return found


def adjustment_drafts(
    order: PhysInvtOrder, found: Sequence[Difference], items: Mapping[str, Item]
) -> tuple[list[EntryDraft], dict[int, int]]:
    """The adjustments a finished order posts, shortages first, and for each line with a difference the index of
    its draft.

    Shortages go first so that they take the stock that was there when counting started, at its cost, rather than
    a surplus posted in the same document. A surplus carries no unit cost: costing values it at the item's unit cost.
    """
    check_finished(order)
    drafts: list[EntryDraft] = []
    index_of: dict[int, int] = {}
    for d in sorted((d for d in found if d.quantity < 0), key=lambda d: d.line.line_no) + \
            sorted((d for d in found if d.quantity > 0), key=lambda d: d.line.line_no):
        line, item = d.line, items[d.line.item_no]
        entry_type = d.entry_type
        assert entry_type is not None
        check_movable(item, line.variant_code, line_no=line.line_no)
        inbound = d.quantity > 0
        numbered = bool(line.serial_no or line.lot_no)
        # split refuses what the tracking code does not allow, e.g. a surplus without the lot no. it requires.
        split(item.tracking, str(entry_type), inbound, abs(d.quantity),
              [TrackingLine(line.serial_no, line.lot_no, abs(d.quantity), line.expiration_date if inbound else None)]
              if numbered else [], item_no=item.item_no, line_no=line.line_no)
        index_of[line.line_no] = len(drafts)
        drafts.append(EntryDraft(
            item_no=line.item_no, variant_code=line.variant_code, location_code=order.location_code,
            bin_code=line.bin_code, posting_date=order.posting_date, entry_type=entry_type, document_no=order.no,
            line_no=line.line_no, quantity=d.quantity, serial_no=line.serial_no, lot_no=line.lot_no,
            expiration_date=line.expiration_date if inbound else None,
            unit_of_measure_code=item.base_unit_of_measure, document_type=DOCUMENT_TYPE,
            # A shortage takes the counted numbers themselves; writing off expired stock is what a count is for.
            specific=numbered and not inbound, check_expiration=False,
        ))
    return drafts, index_of


def ledger_entries(
    order: PhysInvtOrder, found: Sequence[Difference], entry_nos: Sequence[int], item_entry_no_of: Mapping[int, int]
) -> list[PhysInvtLedgerEntry]:
    """One physical inventory ledger entry per counted line (`found`, numbered by `entry_nos`), with the item ledger
    entry its difference posted (`item_entry_no_of` by order line no.; none for a line without difference)."""
    return [
        PhysInvtLedgerEntry(
            entry_no=no, order_no=order.no, order_line_no=d.line.line_no, recording_no=d.line.recording_no,
            item_no=d.line.item_no, variant_code=d.line.variant_code, location_code=order.location_code,
            bin_code=d.line.bin_code, lot_no=d.line.lot_no, serial_no=d.line.serial_no, posting_date=order.posting_date,
            expected_quantity=d.line.expected_quantity, recorded_quantity=d.line.expected_quantity + d.quantity,
            difference=d.quantity, entry_type=d.entry_type, item_ledger_entry_no=item_entry_no_of.get(d.line.line_no),
        )
        for d, no in zip(found, entry_nos, strict=True)
    ]


def _check_numbers(item: Item, r: RecordedLine, line_no: int) -> None:
    rules = item.tracking
    where = {"item_no": item.item_no, "line_no": line_no}
    if r.serial_no and (rules is None or not rules.tracks_serials):
        raise InvalidDocumentError(f"item {item.item_no} is not serial tracked; omit serial_no", **where)
    if r.lot_no and (rules is None or not rules.tracks_lots):
        raise InvalidDocumentError(f"item {item.item_no} is not lot tracked; omit lot_no", **where)
    if r.expiration_date is not None and (rules is None or not rules.use_expiration_dates):
        raise InvalidDocumentError(f"item {item.item_no} uses no expiration dates; omit expiration_date", **where)


def _place(r: RecordedLine) -> str:
    parts = [f"variant {r.variant_code}" if r.variant_code else "", f"bin {r.bin_code}" if r.bin_code else "",
             f"lot {r.lot_no}" if r.lot_no else "", f"serial {r.serial_no}" if r.serial_no else ""]
    return "(" + ", ".join(p for p in parts if p) + ")" if any(parts) else "(no bin, lot or serial)"


def _few(numbers: Sequence[int]) -> str:
    return ", ".join(str(n) for n in numbers[:5]) + (", ..." if len(numbers) > 5 else "")
