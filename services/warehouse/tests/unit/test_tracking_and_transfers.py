from datetime import date
from decimal import Decimal

import pytest

from inventory_contracts.catalog import CostingMethod, ItemType, PreventNegativeInventory

from warehouse.domain.application import Application, OpenEntry
from warehouse.domain.errors import (
    DocumentStateError,
    ExpiredError,
    InvalidDocumentError,
    ItemTrackingError,
    UnknownUnitOfMeasureError,
    UnknownVariantError,
    ItemBlockedError,
)
from warehouse.domain.ledger_state import OpenLedgerState
from warehouse.domain.model import Item, ItemUnit, Variant, base_quantity, check_variant
from warehouse.domain.reclassification import ReclassLine, ReclassTracking, reclassification_drafts
from warehouse.domain.tracing import TraceDirection, next_links
from warehouse.domain.tracking import TrackingLine, TrackingRules, check_not_expired, split
from warehouse.domain.transfers import ShipmentLine, TransferOrder, TransferOrderLine, take_from_transit

D = Decimal
SERIALS = TrackingRules("SN", serial_specific=True, serial_required_for=frozenset({"Purchase", "Sale"}))
LOTS = TrackingRules("LOT", lot_specific=True, lot_required_for=frozenset({"Purchase"}), use_expiration_dates=True,
                     strict_expiration=True)


def item(**extra: object) -> Item:
    values: dict[str, object] = dict(
        item_no="1000", revision=1, description="x", type=ItemType.INVENTORY, base_unit_of_measure="PCS",
        costing_method=CostingMethod.FIFO, inventory_posting_group="RESALE", gen_prod_posting_group="RETAIL",
        prevent_negative_inventory=PreventNegativeInventory.DEFAULT, blocked=False, sales_blocked=False,
        purchasing_blocked=False,
    )
    return Item(**{**values, **extra})  # type: ignore[arg-type]


class TestUnitsAndVariants:
    def test_quantity_is_converted_to_the_base_unit(self) -> None:
        box = item(units_of_measure=(ItemUnit("BOX", D(12)),))
        assert base_quantity(box, "BOX", D("2.5"), line_no=1) == (D(30), D(12))
        assert base_quantity(box, "", D(3), line_no=1) == (D(3), D(1))
        assert base_quantity(box, "PCS", D(3), line_no=1) == (D(3), D(1))
        with pytest.raises(UnknownUnitOfMeasureError):
            base_quantity(box, "PALLET", D(1), line_no=1)

    def test_variant_must_exist_and_not_be_blocked(self) -> None:
        card = item(variants=(Variant("RED"), Variant("OLD", blocked=True)))
        check_variant(card, "RED", line_no=1)
        check_variant(card, "", line_no=1)
        with pytest.raises(UnknownVariantError):
            check_variant(card, "BLUE", line_no=1)
        with pytest.raises(ItemBlockedError):
            check_variant(card, "OLD", line_no=1)


class TestSplit:
    def test_serials_split_the_line_one_per_unit(self) -> None:
        parts = split(SERIALS, "Purchase", True, D(2), [TrackingLine("A"), TrackingLine("B")], item_no="1", line_no=1)
        assert [(p.serial_no, p.quantity) for p in parts] == [("A", 1), ("B", 1)]

    @pytest.mark.parametrize("tracking, why", [
        ([], "needs serial"),
        ([TrackingLine("A")], "add up"),
        ([TrackingLine("A"), TrackingLine("A")], "twice"),
        ([TrackingLine("A", quantity=D(2))], "must be 1"),
        ([TrackingLine("", "L1", D(2))], "not lot tracked"),
    ])
    def test_refusals(self, tracking: list[TrackingLine], why: str) -> None:
        with pytest.raises(ItemTrackingError, match=why):
            split(SERIALS, "Purchase", True, D(2), tracking, item_no="1", line_no=1)

    def test_untracked_movement_may_post_without_numbers(self) -> None:
        assert split(SERIALS, "Positive Adjmt.", True, D(2), [], item_no="1", line_no=1) == [TrackingLine(quantity=D(2))]

    def test_same_lot_lines_merge_into_one_entry(self) -> None:
        parts = split(LOTS, "Purchase", True, D(5), [TrackingLine("", "L", D(2)), TrackingLine("", "L", D(3))],
                      item_no="1", line_no=1)
        assert parts == [TrackingLine("", "L", D(5))]

    def test_expiration_dates_only_inbound_and_only_where_used(self) -> None:
        with pytest.raises(ItemTrackingError, match="outbound"):
            split(LOTS, "Sale", False, D(1), [TrackingLine("", "L", D(1), date(2026, 1, 1))], item_no="1", line_no=1)
        with pytest.raises(ItemTrackingError, match="no expiration"):
            split(SERIALS, "Purchase", True, D(1), [TrackingLine("A", "", D(1), date(2026, 1, 1))], item_no="1", line_no=1)

    def test_strict_expiration_refuses_an_expired_number(self) -> None:
        check_not_expired(LOTS, [date(2026, 1, 10)], date(2026, 1, 10), item_no="1", line_no=1, lot_no="L")
        with pytest.raises(ExpiredError):
            check_not_expired(LOTS, [date(2026, 1, 10)], date(2026, 1, 11), item_no="1", line_no=1, lot_no="L")


def test_an_outbound_pass_takes_only_the_entries_it_accepts() -> None:
    key = ("1", "", "MAIN")
    state = OpenLedgerState({key: {1: OpenEntry(1, date(2026, 1, 1), D(5), lot_no="OLD"),
                                   2: OpenEntry(2, date(2026, 1, 2), D(5), lot_no="NEW")}})
    applications = state.post(key, OpenEntry(10, date(2026, 2, 1), D(-3), lot_no="NEW"), newest_first=False,
                              prevent_negative=True, accept=[lambda e: e.lot_no == "NEW"])
    assert applications == [Application(2, 10, D(3))]
    # A second pass without filter takes the rest from any entry.
    applications = state.post(key, OpenEntry(11, date(2026, 2, 1), D(-4), lot_no="NEW"), newest_first=False,
                              prevent_negative=True, accept=[lambda e: e.lot_no == "NEW", None])
    assert applications == [Application(2, 11, D(2)), Application(1, 11, D(2))]
    assert state.in_stock("1", lot_no="OLD") == [OpenEntry(1, date(2026, 1, 1), D(3), lot_no="OLD")]


class TestTracing:
    APPLICATIONS = [(1, 2), (3, 4)]  # purchase 1 -> transfer out 2; transfer in 3 -> sale 4
    APPLIES_FROM = [(3, 2)]  # transfer in 3 takes its cost from transfer out 2

    def test_usage_goes_from_receipt_to_sale(self) -> None:
        assert next_links(TraceDirection.USAGE, [1], self.APPLICATIONS, self.APPLIES_FROM) == [(1, 2)]
        assert next_links(TraceDirection.USAGE, [2], self.APPLICATIONS, self.APPLIES_FROM) == [(2, 3)]
        assert next_links(TraceDirection.USAGE, [3], self.APPLICATIONS, self.APPLIES_FROM) == [(3, 4)]

    def test_origin_goes_back(self) -> None:
        assert next_links(TraceDirection.ORIGIN, [4], self.APPLICATIONS, self.APPLIES_FROM) == [(4, 3)]
        assert next_links(TraceDirection.ORIGIN, [3], self.APPLICATIONS, self.APPLIES_FROM) == [(3, 2)]
        assert next_links(TraceDirection.ORIGIN, [2], self.APPLICATIONS, self.APPLIES_FROM) == [(2, 1)]


class TestReclassification:
    def line(self, **extra: object) -> ReclassLine:
        values: dict[str, object] = dict(item_no="1000", variant_code="", location_code="MAIN", bin_code="",
                                         new_location_code="EAST", new_bin_code="", quantity=D(2),
                                         posting_date=date(2026, 1, 1), document_no="RC-1", line_no=10000)
        return ReclassLine(**{**values, **extra})  # type: ignore[arg-type]

    def test_a_pair_whose_inbound_takes_the_outbounds_cost(self) -> None:
        out, into = reclassification_drafts(self.line(), item(), 4)
        assert (out.quantity, out.location_code, out.never_negative) == (-2, "MAIN", True)
        assert (into.quantity, into.location_code, into.unit_cost, into.applies_from_draft) == (2, "EAST", None, 4)

    def test_new_lot_and_date(self) -> None:
        lots = item(tracking=LOTS)
        out, into = reclassification_drafts(self.line(new_location_code="MAIN", tracking=(
            ReclassTracking("", "L1", D(2), new_lot_no="L2", new_expiration_date=date(2027, 1, 1)),)), lots, 0)
        assert (out.lot_no, into.lot_no, into.expiration_date, out.check_expiration) == ("L1", "L2", date(2027, 1, 1), False)

    def test_a_line_that_changes_nothing_is_refused(self) -> None:
        with pytest.raises(InvalidDocumentError):
            reclassification_drafts(self.line(new_location_code="MAIN"), item(), 0)


def test_a_receipt_takes_the_oldest_shipment_still_in_transit() -> None:
    order = TransferOrder("TO-1", "MAIN", "EAST", "IN-TRANSIT", False)
    line = TransferOrderLine(10000, "1000", "", D(10), quantity_shipped=D(6), quantity_received=D(1))
    shipped = [ShipmentLine(1, 10000, "S1", date(2026, 1, 1), 11, 12, D(3), D(1), False),
               ShipmentLine(2, 10000, "S2", date(2026, 1, 2), 13, 14, D(2), D(0), True),
               ShipmentLine(3, 10000, "S3", date(2026, 1, 3), 15, 16, D(3), D(0), False)]
    taken = take_from_transit(order, line, D(4), shipped)
    assert [(s.id, q) for s, q in taken] == [(1, D(2)), (3, D(2))]
    with pytest.raises(DocumentStateError):
        take_from_transit(order, line, D(6), shipped)
