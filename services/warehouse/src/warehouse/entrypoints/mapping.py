"""Maps requests to the posting half's domain objects and its results to responses."""

from decimal import Decimal
from typing import Any

from warehouse.domain.ledger_state import Demand, ReservationEntry
from warehouse.domain.model import ItemLedgerEntry, JournalLine, ListedEntry
from warehouse.domain.reclassification import ReclassLine, ReclassTracking, new_place
from warehouse.domain.tracking import TrackingLine
from warehouse.domain.transfers import TransferOrder
from warehouse.entrypoints.schemas import (
    ApplicationOut,
    ItemJournalIn,
    ItemLedgerEntryOut,
    ReclassificationJournalIn,
    ReservationEntryOut,
    ReservationOut,
    TrackingLineIn,
    TransferOrderLineOut,
    TransferOrderOut,
)

PROBLEM: dict[str, Any] = {"content": {"application/problem+json": {}}}


def line_no(given: int | None, index: int) -> int:
    """A line without a number is numbered 10000, 20000, ... by its place in the document."""
    return given if given is not None else (index + 1) * 10000


def tracking(parts: list[TrackingLineIn]) -> tuple[TrackingLine, ...]:
    return tuple(TrackingLine(p.serial_no, p.lot_no, p.quantity if p.quantity is not None else Decimal(1),
                              p.expiration_date) for p in parts)


def journal_lines(body: ItemJournalIn) -> list[JournalLine]:
    return [
        JournalLine(
            item_no=line.item_no, entry_type=line.entry_type, quantity=line.quantity, posting_date=line.posting_date,
            location_code=line.location_code, document_no=body.document_no, line_no=line_no(line.line_no, index),
            variant_code=line.variant_code, unit_cost=line.unit_cost, bin_code=line.bin_code,
            demand=Demand(line.source_type, line.source_id, line.source_line_no)
            if line.source_type is not None and line.source_id is not None else None,
            unit_of_measure_code=line.unit_of_measure_code, tracking=tracking(line.tracking),
            applies_to_entry=line.applies_to_entry, explode_bom=line.explode_bom,
        )
        for index, line in enumerate(body.lines)
    ]


def reclass_lines(body: ReclassificationJournalIn) -> list[ReclassLine]:
    lines = []
    for index, line in enumerate(body.lines):
        new_location_code, new_bin_code = new_place(line.location_code, line.bin_code, line.new_location_code,
                                                    line.new_bin_code)
        lines.append(ReclassLine(
            item_no=line.item_no, variant_code=line.variant_code, location_code=line.location_code,
            bin_code=line.bin_code, new_location_code=new_location_code, new_bin_code=new_bin_code,
            quantity=line.quantity, posting_date=line.posting_date, document_no=body.document_no,
            line_no=line_no(line.line_no, index), unit_of_measure_code=line.unit_of_measure_code,
            tracking=tuple(ReclassTracking(t.serial_no, t.lot_no, t.quantity if t.quantity is not None else Decimal(1),
                                           t.new_serial_no, t.new_lot_no, t.new_expiration_date) for t in line.tracking),
        ))
    return lines


def entry_out(entry: ItemLedgerEntry) -> ItemLedgerEntryOut:
    return ItemLedgerEntryOut(
        **{k: v for k, v in entry.__dict__.items() if k != "applications"},
        applications=[ApplicationOut(**a.__dict__) for a in entry.applications],
    )


def listed_entry_out(listed: ListedEntry) -> ItemLedgerEntryOut:
    return entry_out(listed.entry).model_copy(
        update={"remaining_quantity": listed.remaining_quantity, "open": listed.open})


def order_out(order: TransferOrder) -> TransferOrderOut:
    return TransferOrderOut(**{k: v for k, v in order.__dict__.items() if k != "lines"},
                            lines=[TransferOrderLineOut(**l.__dict__) for l in order.lines])


def reservation_entry_out(r: ReservationEntry) -> ReservationEntryOut:
    assert r.id is not None
    return ReservationEntryOut(
        id=r.id, source_type=r.demand.source_type, source_id=r.demand.source_id, source_line_no=r.demand.source_line_no,
        item_no=r.key[0], variant_code=r.key[1], location_code=r.key[2], item_ledger_entry_no=r.item_ledger_entry_no,
        quantity=r.quantity, remaining_quantity=r.remaining_quantity, status=r.status, serial_no=r.serial_no,
        lot_no=r.lot_no,
    )


def reservation_out(demand: Demand, entries: list[ReservationEntry]) -> ReservationOut:
    return ReservationOut(
        source_type=demand.source_type, source_id=demand.source_id, source_line_no=demand.source_line_no,
        quantity=sum((r.remaining_quantity for r in entries), Decimal(0)),
        entries=[reservation_entry_out(r) for r in entries],
    )
