from datetime import date
from decimal import Decimal

import pytest

from inventory_contracts.catalog import CostingMethod, ItemType, PreventNegativeInventory
from inventory_contracts.warehouse import ItemLedgerEntryType

from warehouse.domain.errors import DocumentStateError, InvalidDocumentError, ItemTrackingError
from warehouse.domain.model import Item
from warehouse.domain.physical_inventory import (
    OrderStatus,
    PhysInvtOrder,
    PhysInvtOrderLine,
    RecordedLine,
    Unrecorded,
    adjustment_drafts,
    differences,
    expected_lines,
    finish,
    record,
)
from warehouse.domain.tracking import TrackingRules

D = Decimal
DAY = date(2026, 6, 30)
LOTS = TrackingRules("LOT", lot_specific=True, lot_required_for=frozenset({"Purchase", "Positive Adjmt."}))


def item(item_no: str = "1000", **extra: object) -> Item:
    values: dict[str, object] = dict(
        item_no=item_no, revision=1, description="x", type=ItemType.INVENTORY, base_unit_of_measure="PCS",
        costing_method=CostingMethod.FIFO, inventory_posting_group="RESALE", gen_prod_posting_group="RETAIL",
        prevent_negative_inventory=PreventNegativeInventory.DEFAULT, blocked=False, sales_blocked=False,
        purchasing_blocked=False,
    )
    return Item(**{**values, **extra})  # type: ignore[arg-type]


def line(line_no: int, expected: str, recorded: str | None = None, item_no: str = "1000", lot_no: str = "",
         serial_no: str = "") -> PhysInvtOrderLine:
    return PhysInvtOrderLine(line_no, item_no, "", "", lot_no, serial_no, D(expected),
                             None if recorded is None else D(recorded), None if recorded is None else "R1")


def order(*lines: PhysInvtOrderLine, status: OrderStatus = OrderStatus.OPEN, **extra: object) -> PhysInvtOrder:
    return PhysInvtOrder("PI1", "MAIN", DAY, lines=lines, lines_calculated=True, status=status, **extra)  # type: ignore[arg-type]


class TestDifferences:
    def test_difference_is_recorded_minus_expected(self) -> None:
        found = differences([line(20000, "10", "7"), line(10000, "5", "8"), line(30000, "4", "4")])
        assert [(d.line.line_no, d.quantity, d.entry_type) for d in found] == [
            (10000, D(3), ItemLedgerEntryType.POSITIVE_ADJMT),
            (20000, D(-3), ItemLedgerEntryType.NEGATIVE_ADJMT),
            (30000, D(0), None),
        ]

    def test_negative_expected_counted_zero_is_a_surplus(self) -> None:
        (d,) = differences([line(10000, "-2", "0")])
        assert d.quantity == D(2) and d.entry_type is ItemLedgerEntryType.POSITIVE_ADJMT

    def test_an_unrecorded_line_has_no_difference_yet(self) -> None:
        with pytest.raises(DocumentStateError):
            differences([line(10000, "1")])


class TestExpectedLines:
    def test_one_line_per_key_with_a_quantity_in_key_order(self) -> None:
        balances = {("B", "", "", "", ""): D(3), ("A", "", "", "L2", ""): D(1), ("A", "", "", "L1", ""): D(2),
                    ("C", "", "", "", ""): D(0)}
        lines = expected_lines(PhysInvtOrder("PI1", "MAIN", DAY), balances)
        assert [(l.line_no, l.item_no, l.lot_no, l.expected_quantity) for l in lines] == [
            (10000, "A", "L1", D(2)), (20000, "A", "L2", D(1)), (30000, "B", "", D(3))]

    def test_item_and_bin_filters_apply(self) -> None:
        balances = {("A", "", "B1", "", ""): D(1), ("A", "", "B2", "", ""): D(1), ("B", "", "B1", "", ""): D(1)}
        lines = expected_lines(PhysInvtOrder("PI1", "MAIN", DAY, item_nos=("A",), bin_code="B1"), balances)
        assert [(l.item_no, l.bin_code) for l in lines] == [("A", "B1")]

    def test_lines_are_not_recalculated_once_counting_started(self) -> None:
        with pytest.raises(DocumentStateError):
            expected_lines(order(line(10000, "1", "1")), {})


class TestRecording:
    def test_a_line_is_recorded_once_across_recordings(self) -> None:
        counted = order(*record(order(line(10000, "5")), "R1", [RecordedLine(D(4), 10000)], {"1000": item()}))
        assert counted.lines[0].recorded_quantity == D(4) and counted.lines[0].recording_no == "R1"
        with pytest.raises(DocumentStateError):
            record(counted, "R2", [RecordedLine(D(5), 10000)], {})

    def test_a_line_twice_in_one_recording_is_refused(self) -> None:
        with pytest.raises(DocumentStateError):
            record(order(line(10000, "5")), "R1", [RecordedLine(D(4), 10000), RecordedLine(D(1), 10000)], {})

    def test_an_unexpected_lot_adds_a_line_expecting_zero(self) -> None:
        lines = record(order(line(10000, "5", lot_no="L1", item_no="LOT")), "R1",
                       [RecordedLine(D(2), item_no="LOT", lot_no="L9")], {"LOT": item("LOT", tracking=LOTS)})
        assert [(l.line_no, l.lot_no, l.expected_quantity, l.recorded_quantity, l.calculated) for l in lines] == [
            (10000, "L1", D(5), None, True), (20000, "L9", D(0), D(2), False)]

    def test_an_unexpected_line_that_an_order_line_expects_is_refused(self) -> None:
        with pytest.raises(InvalidDocumentError):
            record(order(line(10000, "5", lot_no="L1", item_no="LOT")), "R1",
                   [RecordedLine(D(2), item_no="LOT", lot_no="L1")], {"LOT": item("LOT", tracking=LOTS)})

    def test_a_lot_for_an_untracked_item_is_refused(self) -> None:
        with pytest.raises(InvalidDocumentError):
            record(order(), "R1", [RecordedLine(D(2), item_no="1000", lot_no="L1")], {"1000": item()})

    def test_a_serial_counts_zero_or_one(self) -> None:
        with pytest.raises(InvalidDocumentError):
            record(order(line(10000, "1", serial_no="S1")), "R1", [RecordedLine(D(2), 10000)], {})

    def test_a_finished_order_takes_no_recording(self) -> None:
        with pytest.raises(DocumentStateError):
            record(order(line(10000, "5", "5"), status=OrderStatus.FINISHED), "R2", [RecordedLine(D(1), 10000)], {})


class TestFinish:
    def test_unrecorded_lines_are_refused_unless_set(self) -> None:
        open_order = order(line(10000, "5", "4"), line(20000, "3"))
        with pytest.raises(DocumentStateError):
            finish(open_order, Unrecorded.REFUSE)
        assert [l.recorded_quantity for l in finish(open_order, Unrecorded.ZERO)] == [D(4), D(0)]
        assert [l.recorded_quantity for l in finish(open_order, Unrecorded.EXPECTED)] == [D(4), D(3)]


class TestAdjustmentDrafts:
    def test_shortages_post_first_and_surpluses_carry_no_unit_cost(self) -> None:
        finished = order(line(10000, "5", "8"), line(20000, "10", "7"), line(30000, "1", "1"),
                         status=OrderStatus.FINISHED)
        drafts, index_of = adjustment_drafts(finished, differences(finished.lines), {"1000": item()})
        assert [(d.line_no, d.entry_type, d.quantity, d.unit_cost) for d in drafts] == [
            (20000, ItemLedgerEntryType.NEGATIVE_ADJMT, D(-3), None),
            (10000, ItemLedgerEntryType.POSITIVE_ADJMT, D(3), None),
        ]
        assert index_of == {20000: 0, 10000: 1}
        assert all(d.document_no == "PI1" and d.posting_date == DAY and d.location_code == "MAIN" for d in drafts)

    def test_a_lot_shortage_takes_that_very_lot(self) -> None:
        finished = order(line(10000, "5", "3", item_no="LOT", lot_no="L1"), status=OrderStatus.FINISHED)
        (draft,), _ = adjustment_drafts(finished, differences(finished.lines), {"LOT": item("LOT", tracking=LOTS)})
        assert (draft.lot_no, draft.quantity, draft.specific) == ("L1", D(-2), True)

    def test_a_surplus_without_the_lot_the_tracking_code_requires_is_refused(self) -> None:
        finished = order(line(10000, "0", "2", item_no="LOT"), status=OrderStatus.FINISHED)
        with pytest.raises(ItemTrackingError):
            adjustment_drafts(finished, differences(finished.lines), {"LOT": item("LOT", tracking=LOTS)})

    def test_only_a_finished_order_posts(self) -> None:
        for status in (OrderStatus.OPEN, OrderStatus.POSTED):
            with pytest.raises(DocumentStateError):
                adjustment_drafts(order(line(10000, "1", "2"), status=status), [], {"1000": item()})
