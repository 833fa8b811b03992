"""Item tracking: which serial and lot numbers and expiration dates a movement needs, and how it splits."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from warehouse.domain.errors import ExpiredError, ItemTrackingError

ONE = Decimal(1)


@dataclass(frozen=True)
class TrackingRules:
    """The item tracking code's rules as the catalog publishes them on the item card."""

    code: str
    serial_specific: bool = False
    lot_specific: bool = False
    serial_required_for: frozenset[str] = frozenset()
    """Entry types (Purchase, Sale, Positive Adjmt., Negative Adjmt., Transfer) that need a serial no."""
    lot_required_for: frozenset[str] = frozenset()
    use_expiration_dates: bool = False
    strict_expiration: bool = False

    @property
    def tracks_serials(self) -> bool:
        return self.serial_specific or bool(self.serial_required_for)

    @property
    def tracks_lots(self) -> bool:
        return self.lot_specific or bool(self.lot_required_for)


@dataclass(frozen=True)
class TrackingLine:
    """A part of a document line with one serial and/or lot no.; `quantity` is in the base unit (1 for a serial)."""

    serial_no: str = ""
    lot_no: str = ""
    quantity: Decimal = ONE
    expiration_date: date | None = None


def split(
    rules: TrackingRules | None,
    entry_type: str,
    inbound: bool,
    base_quantity: Decimal,
    tracking: Sequence[TrackingLine],
    *,
    item_no: str,
    line_no: int,
) -> list[TrackingLine]:
    """The parts a line posts as, one item ledger entry each: its tracking lines, or the whole line untracked.

    `base_quantity` is positive. Raises ItemTrackingError for what the rules refuse.
    """
    where = {"item_no": item_no, "line_no": line_no}

    def refuse(detail: str, **more: object) -> ItemTrackingError:
        return ItemTrackingError(f"line {line_no}: {detail}", **where, **more)

    if rules is None:
        if tracking:
            raise refuse(f"item {item_no} has no item tracking code; omit the tracking lines")
        return [TrackingLine(quantity=base_quantity)]
    serial_required = entry_type in rules.serial_required_for
    lot_required = entry_type in rules.lot_required_for
    if not tracking:
        if serial_required or lot_required:
            needed = " and ".join(n for n, r in (("serial", serial_required), ("lot", lot_required)) if r)
            raise refuse(f"item {item_no} needs {needed} numbers for {entry_type} postings; add tracking lines",
                         tracking_code=rules.code)
        return [TrackingLine(quantity=base_quantity)]
    _check_parts(rules, entry_type, inbound, tracking, refuse, item_no=item_no)
    total = sum((p.quantity for p in tracking), Decimal(0))
    if total != base_quantity:
        raise refuse(f"the tracking lines add up to {total.normalize():f}, the line is {base_quantity.normalize():f} "
                     "(in the base unit)", tracking_quantity=str(total), quantity=str(base_quantity))
    merged: dict[tuple[str, str, date | None], Decimal] = {}
    for part in tracking:
        number = (part.serial_no, part.lot_no, part.expiration_date)
        merged[number] = merged.get(number, Decimal(0)) + part.quantity
    return [TrackingLine(s, lot, q, e) for (s, lot, e), q in merged.items()]


def _check_parts(
    rules: TrackingRules, entry_type: str, inbound: bool, tracking: Sequence[TrackingLine],
    refuse: Callable[..., ItemTrackingError], *, item_no: str,
) -> None:
    """Each tracking line on its own: numbers the rules want, serials of one unit and not repeated, dates inbound."""
    serial_required = entry_type in rules.serial_required_for
    lot_required = entry_type in rules.lot_required_for
    serials: set[str] = set()
    for part in tracking:
        if part.quantity <= 0:
            raise refuse("a tracking line's quantity must be positive")
        if part.serial_no and not rules.tracks_serials:
            raise refuse(f"item {item_no} is not serial tracked; omit serial_no", serial_no=part.serial_no)
        if part.lot_no and not rules.tracks_lots:
            raise refuse(f"item {item_no} is not lot tracked; omit lot_no", lot_no=part.lot_no)
        if not part.serial_no and not part.lot_no:
            raise refuse("a tracking line needs a serial_no or a lot_no")
        if serial_required and not part.serial_no:
            raise refuse(f"item {item_no} needs a serial no. on every unit of a {entry_type} posting", tracking_code=rules.code)
        if lot_required and not part.lot_no:
            raise refuse(f"item {item_no} needs a lot no. for {entry_type} postings", tracking_code=rules.code)
        if part.serial_no:
            if part.quantity != ONE:
                raise refuse(f"serial no. {part.serial_no} is one unit; its quantity must be 1", serial_no=part.serial_no)
            if part.serial_no in serials:
                raise refuse(f"serial no. {part.serial_no} appears twice", serial_no=part.serial_no)
            serials.add(part.serial_no)
        if part.expiration_date is not None:
            if not rules.use_expiration_dates:
                raise refuse(f"item {item_no}'s tracking code uses no expiration dates; omit expiration_date")
            if not inbound:
                raise refuse("an outbound line takes the expiration date of the stock it takes; omit expiration_date")


def check_not_expired(
    rules: TrackingRules | None, expiration_dates: Sequence[date | None], posting_date: date, *,
    item_no: str, line_no: int, serial_no: str = "", lot_no: str = "",
) -> None:
    """Strict expiration: the named serial or lot cannot leave after its expiration date."""
    if rules is None or not rules.strict_expiration:
        return
    expired = [d for d in expiration_dates if d is not None and d < posting_date]
    if expired and len(expired) == len(expiration_dates):
        number = f"serial no. {serial_no}" if serial_no else f"lot no. {lot_no}"
        raise ExpiredError(
            f"line {line_no}: {number} of item {item_no} expired on {max(expired)}; strict expiration lets nothing "
            f"leave after that (posting date {posting_date})",
            item_no=item_no, line_no=line_no, serial_no=serial_no, lot_no=lot_no,
            expiration_date=max(expired).isoformat(),
        )


def is_expired(expiration_date: date | None, posting_date: date) -> bool:
    return expiration_date is not None and expiration_date < posting_date
