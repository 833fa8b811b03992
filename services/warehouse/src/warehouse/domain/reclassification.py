"""Reclassification: a new location, bin, serial, lot or expiration date, posted as a Transfer pair."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from inventory_contracts.warehouse import ItemLedgerEntryType

from warehouse.domain.errors import InvalidDocumentError, ItemTrackingError
from warehouse.domain.model import EntryDraft, Item, base_quantity, check_movable
from warehouse.domain.tracking import TrackingLine, split

TRANSFER = ItemLedgerEntryType.TRANSFER


@dataclass(frozen=True)
class ReclassTracking:
    """The numbers a part of the line has now, and (blank/None: unchanged) the ones it gets."""

    serial_no: str = ""
    lot_no: str = ""
    quantity: Decimal = Decimal(1)
    new_serial_no: str = ""
    new_lot_no: str = ""
    new_expiration_date: date | None = None


@dataclass(frozen=True)
class ReclassLine:
    item_no: str
    variant_code: str
    location_code: str
    bin_code: str
    new_location_code: str
    new_bin_code: str
    quantity: Decimal
    posting_date: date
    document_no: str
    line_no: int
    unit_of_measure_code: str = ""
    new_expiration_date: date | None = None
    """For an untracked-by-number line of an item with expiration dates: not allowed (dates live on numbers)."""
    tracking: tuple[ReclassTracking, ...] = ()


def new_place(
    location_code: str, bin_code: str, new_location_code: str | None, new_bin_code: str | None
) -> tuple[str, str]:
    """Where a line moves to: a new location unless none is named; its bin stays only within the same location."""
    to_location = location_code if new_location_code is None else new_location_code
    if new_bin_code is not None:
        return to_location, new_bin_code
    return to_location, bin_code if new_location_code in (None, location_code) else ""


def reclassification_drafts(line: ReclassLine, item: Item, first_index: int) -> list[EntryDraft]:
    """The line's Transfer pairs: out of the old place/numbers, into the new, the inbound taking the outbound's cost.

    `first_index` is the position of the first draft in the document (applies_from_draft points within it).
    """
    where = {"item_no": item.item_no, "line_no": line.line_no}
    check_movable(item, line.variant_code, line_no=line.line_no)
    if line.quantity <= 0:
        raise InvalidDocumentError(f"line {line.line_no}: quantity must be positive", **where)
    base, per = base_quantity(item, line.unit_of_measure_code, line.quantity, line_no=line.line_no)
    parts = split(item.tracking, str(TRANSFER), False,
                  base, [TrackingLine(t.serial_no, t.lot_no, t.quantity) for t in line.tracking],
                  item_no=item.item_no, line_no=line.line_no)
    changes = {(t.serial_no, t.lot_no): t for t in line.tracking}
    rules = item.tracking
    drafts: list[EntryDraft] = []
    for part in parts:
        change = changes.get((part.serial_no, part.lot_no), ReclassTracking())
        new_serial = change.new_serial_no or part.serial_no
        new_lot = change.new_lot_no or part.lot_no
        if (change.new_serial_no and (rules is None or not rules.tracks_serials)) or \
                (change.new_lot_no and (rules is None or not rules.tracks_lots)):
            raise ItemTrackingError(f"line {line.line_no}: item {item.item_no} does not track that kind of number", **where)
        if change.new_serial_no and not part.serial_no:
            raise ItemTrackingError(f"line {line.line_no}: a new serial no. replaces an old one; name serial_no", **where)
        if change.new_expiration_date is not None and (rules is None or not rules.use_expiration_dates):
            raise ItemTrackingError(f"line {line.line_no}: item {item.item_no} uses no expiration dates", **where)
        unchanged = (line.new_location_code == line.location_code and line.new_bin_code == line.bin_code
                     and new_serial == part.serial_no and new_lot == part.lot_no and change.new_expiration_date is None)
        if unchanged:
            raise InvalidDocumentError(
                f"line {line.line_no}: the line changes neither location, bin, serial, lot nor expiration date", **where
            )
        common: dict[str, Any] = dict(item_no=line.item_no, variant_code=line.variant_code, posting_date=line.posting_date,
                      entry_type=TRANSFER, document_no=line.document_no, line_no=line.line_no,
                      unit_of_measure_code=line.unit_of_measure_code or item.base_unit_of_measure,
                      qty_per_unit_of_measure=per, document_type="Reclassification")
        out_index = first_index + len(drafts)
        drafts.append(EntryDraft(
            **common, location_code=line.location_code, bin_code=line.bin_code, quantity=-part.quantity,
            serial_no=part.serial_no, lot_no=part.lot_no, check_expiration=False, never_negative=True, specific=True,
        ))
        drafts.append(EntryDraft(
            **common, location_code=line.new_location_code, bin_code=line.new_bin_code, quantity=part.quantity,
            serial_no=new_serial, lot_no=new_lot, expiration_date=change.new_expiration_date,
            applies_from_draft=out_index,
        ))
    return drafts
