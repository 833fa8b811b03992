"""Transfer orders: which moves a shipment, a receipt and an undo post."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from inventory_contracts.warehouse import ItemLedgerEntryType

from warehouse.domain.errors import DocumentStateError, InvalidDocumentError
from warehouse.domain.locations import Location
from warehouse.domain.model import EntryDraft, Item
from warehouse.domain.tracking import TrackingLine

TRANSFER = ItemLedgerEntryType.TRANSFER
ZERO = Decimal(0)


@dataclass(frozen=True)
class TransferOrderLine:
    line_no: int
    item_no: str
    variant_code: str
    quantity: Decimal
    quantity_shipped: Decimal = ZERO
    quantity_received: Decimal = ZERO

    @property
    def outstanding(self) -> Decimal:
        return self.quantity - self.quantity_shipped

    @property
    def in_transit(self) -> Decimal:
        return self.quantity_shipped - self.quantity_received


@dataclass(frozen=True)
class TransferOrder:
    no: str
    transfer_from_code: str
    transfer_to_code: str
    in_transit_code: str | None
    direct_transfer: bool
    lines: tuple[TransferOrderLine, ...] = ()
    responsibility_center: str = ""


@dataclass(frozen=True)
class ShipmentLine:
    """A part a shipment put in transit: its in-transit entry is what the receipt (or the undo) takes back out."""

    id: int
    line_no: int
    shipment_no: str
    posting_date: date
    origin_entry_no: int
    in_transit_entry_no: int
    quantity: Decimal
    received_quantity: Decimal
    undone: bool
    serial_no: str = ""
    lot_no: str = ""
    bin_code: str = ""
    """The from-bin the shipment took from (at a bin-mandatory origin); its undo puts the stock back there."""


def check_order(order: TransferOrder, locations: dict[str, Location]) -> None:
    where = {"order_no": order.no}
    for code in (order.transfer_from_code, order.transfer_to_code):
        location = locations.get(code)
        if location is None:
            raise InvalidDocumentError(f"location {code} does not exist", location_code=code, **where)
        if location.use_as_in_transit:
            raise InvalidDocumentError(f"location {code} is an in-transit location; transfers go from and to others",
                                       location_code=code, **where)
    if order.transfer_from_code == order.transfer_to_code:
        raise InvalidDocumentError("a transfer goes between two different locations", **where)
    if order.direct_transfer:
        if order.in_transit_code:
            raise InvalidDocumentError("a direct transfer has no in-transit location", **where)
    else:
        transit = locations.get(order.in_transit_code or "")
        if transit is None or not transit.use_as_in_transit:
            raise InvalidDocumentError(
                f"in-transit code {order.in_transit_code or '(none)'} is not an in-transit location; name one, or make "
                "the transfer direct", **where)
    if not order.lines or len({line.line_no for line in order.lines}) != len(order.lines):
        raise InvalidDocumentError("a transfer order needs lines with distinct line numbers", **where)


def shipment_drafts(
    order: TransferOrder, line: TransferOrderLine, quantity: Decimal, parts: Sequence[TrackingLine], item: Item,
    posting_date: date, shipment_no: str, first_index: int, *, from_bin: str = "", to_bin: str = "",
) -> list[EntryDraft]:
    """Pairs out of the origin (its `from_bin`) into in-transit (or, direct, into the destination's `to_bin`).
    Tracking is fixed here."""
    if quantity > line.outstanding:
        raise DocumentStateError(
            f"line {line.line_no}: {quantity.normalize():f} cannot be shipped; {line.outstanding.normalize():f} is left "
            "to ship", order_no=order.no, line_no=line.line_no)
    to_code = order.transfer_to_code if order.direct_transfer else order.in_transit_code
    assert to_code is not None
    drafts: list[EntryDraft] = []
    for part in parts:
        common: dict[str, Any] = dict(item_no=line.item_no, variant_code=line.variant_code, posting_date=posting_date, entry_type=TRANSFER,
                      document_no=shipment_no, line_no=line.line_no, serial_no=part.serial_no, lot_no=part.lot_no,
                      unit_of_measure_code=item.base_unit_of_measure,
                      document_type="Direct Transfer" if order.direct_transfer else "Transfer Shipment")
        out_index = first_index + len(drafts)
        drafts.append(EntryDraft(**common, location_code=order.transfer_from_code, bin_code=from_bin,
                                 quantity=-part.quantity, never_negative=True, specific=bool(part.serial_no or part.lot_no)))
        drafts.append(EntryDraft(**common, location_code=to_code, bin_code=to_bin if order.direct_transfer else "",
                                 quantity=part.quantity, applies_from_draft=out_index))
    return drafts


def take_from_transit(
    order: TransferOrder, line: TransferOrderLine, quantity: Decimal, shipped: Sequence[ShipmentLine]
) -> list[tuple[ShipmentLine, Decimal]]:
    """What a receipt of `quantity` takes, oldest shipment first: (shipment line, quantity)."""
    if quantity > line.in_transit:
        raise DocumentStateError(
            f"line {line.line_no}: {quantity.normalize():f} cannot be received; {line.in_transit.normalize():f} is in "
            "transit", order_no=order.no, line_no=line.line_no)
    taken: list[tuple[ShipmentLine, Decimal]] = []
    left = quantity
    for s in sorted(shipped, key=lambda s: s.id):
        if left == 0:
            break
        if s.undone or s.line_no != line.line_no or s.quantity == s.received_quantity:
            continue
        q = min(left, s.quantity - s.received_quantity)
        taken.append((s, q))
        left -= q
    return taken


def from_transit_drafts(
    order: TransferOrder, line: TransferOrderLine, shipment: ShipmentLine, quantity: Decimal, item: Item,
    posting_date: date, document_no: str, first_index: int, *, undo: bool = False, to_bin: str = "",
) -> list[EntryDraft]:
    """A pair out of the in-transit entry a shipment made: into the destination's `to_bin` (receipt) or back into
    the bin it was shipped from (undo)."""
    assert order.in_transit_code is not None
    common: dict[str, Any] = dict(item_no=line.item_no, variant_code=line.variant_code, posting_date=posting_date, entry_type=TRANSFER,
                  document_no=document_no, line_no=line.line_no, serial_no=shipment.serial_no, lot_no=shipment.lot_no,
                  unit_of_measure_code=item.base_unit_of_measure, correction=undo,
                  document_type="Transfer Shipment" if undo else "Transfer Receipt")
    return [
        EntryDraft(**common, location_code=order.in_transit_code, quantity=-quantity,
                   applies_to_entries=frozenset({shipment.in_transit_entry_no}), check_expiration=False,
                   never_negative=True),
        EntryDraft(**common, location_code=order.transfer_from_code if undo else order.transfer_to_code,
                   bin_code=shipment.bin_code if undo else to_bin, quantity=quantity, applies_from_draft=first_index),
    ]


def check_undo(order: TransferOrder, shipment_no: str, shipped: Sequence[ShipmentLine]) -> list[ShipmentLine]:
    lines = [s for s in shipped if s.shipment_no == shipment_no]
    if not lines:
        raise DocumentStateError(f"transfer order {order.no} has no shipment {shipment_no}", order_no=order.no)
    if order.direct_transfer:
        raise DocumentStateError("a direct transfer is received when it ships; it cannot be undone", order_no=order.no)
    if any(s.undone for s in lines):
        raise DocumentStateError(f"shipment {shipment_no} is undone already", order_no=order.no)
    if any(s.received_quantity > 0 for s in lines):
        raise DocumentStateError(f"shipment {shipment_no} is (partly) received; it can no longer be undone",
                                 order_no=order.no)
    return lines
