from datetime import date
from decimal import Decimal

import pytest

from inventory_contracts.catalog import CostingMethod, ItemType
from catalog.domain import rules
from catalog.domain.attributes import FilterOp, build_filter, chain_defaults, parse_value, reassign, split_filter
from catalog.domain.errors import (
    CostingMethodLockedError,
    InvalidAttributeValueError,
    InvalidItemCardError,
    InvalidNumberError,
    InvalidSearchError,
    SpecificCostingNeedsSerialTrackingError,
)
from catalog.domain.model import AttributeType, Item, ItemAttribute, ItemCategory, ItemTrackingCode, ItemUnitOfMeasure
from catalog.domain.numbering import NonstockNoFormat, nonstock_item_no, series_no

D = Decimal


def item(**fields: object) -> Item:
    return Item(**{"item_no": "1000", "description": "Bike", "type": ItemType.INVENTORY, "base_unit_of_measure": "PCS",
                   "costing_method": CostingMethod.FIFO, "inventory_posting_group": "RESALE",
                   "gen_prod_posting_group": "RETAIL", **fields})  # type: ignore[arg-type]


class TestValidateCard:
    def test_base_unit_is_added_with_quantity_one(self) -> None:
        card = rules.validate_card(item(units_of_measure=(ItemUnitOfMeasure("BOX", D(12)),)), None)
        assert card.units_of_measure == (ItemUnitOfMeasure("BOX", D(12)), ItemUnitOfMeasure("PCS", D(1)))

    def test_base_unit_with_another_quantity_is_refused(self) -> None:
        with pytest.raises(InvalidItemCardError, match="base unit"):
            rules.validate_card(item(units_of_measure=(ItemUnitOfMeasure("PCS", D(2)),)), None)

    def test_specific_needs_serial_specific_tracking(self) -> None:
        lot = ItemTrackingCode("LOT", lot_specific=True)
        with pytest.raises(SpecificCostingNeedsSerialTrackingError):
            rules.validate_card(item(costing_method=CostingMethod.SPECIFIC, item_tracking_code="LOT"), lot)

    def test_specific_without_a_tracking_code_is_refused(self) -> None:
        with pytest.raises(SpecificCostingNeedsSerialTrackingError):
            rules.validate_card(item(costing_method=CostingMethod.SPECIFIC), None)

    def test_specific_with_serial_specific_tracking_is_supported(self) -> None:
        card = rules.validate_card(
            item(costing_method=CostingMethod.SPECIFIC, item_tracking_code="SN"), ItemTrackingCode("SN", serial_specific=True)
        )
        assert card.costing_method == CostingMethod.SPECIFIC

    def test_every_costing_method_is_supported(self) -> None:
        assert rules.SUPPORTED_COSTING_METHODS == frozenset(CostingMethod)

    def test_average_and_standard_are_supported(self) -> None:
        for method in (CostingMethod.AVERAGE, CostingMethod.STANDARD):
            assert rules.validate_card(item(costing_method=method), None).costing_method == method

    def test_service_items_carry_no_tracking_or_overhead(self) -> None:
        with pytest.raises(InvalidItemCardError):
            rules.validate_card(item(type=ItemType.SERVICE, item_tracking_code="SN"), ItemTrackingCode("SN"))
        with pytest.raises(InvalidItemCardError):
            rules.validate_card(item(type=ItemType.SERVICE, overhead_rate=D(1)), None)

    def test_costing_method_is_locked_once_posted(self) -> None:
        with pytest.raises(CostingMethodLockedError):
            rules.check_change(item(has_ledger_entries=True), item(costing_method=CostingMethod.LIFO))
        rules.check_change(item(), item(costing_method=CostingMethod.LIFO))


OPTION = ItemAttribute("Color", AttributeType.OPTION, options=("Red", "Blue"))


class TestAttributeValues:
    @pytest.mark.parametrize("attribute, raw, text, number, day", [
        (OPTION, "Red", "Red", None, None),
        (ItemAttribute("N", AttributeType.INTEGER), " 042 ", "42", D(42), None),
        (ItemAttribute("W", AttributeType.DECIMAL), "12.50", "12.50", D("12.50"), None),
        (ItemAttribute("R", AttributeType.DATE), "2026-02-01", "2026-02-01", None, date(2026, 2, 1)),
        (ItemAttribute("T", AttributeType.TEXT), "oak", "oak", None, None),
        (OPTION, "", "", None, None),
    ])
    def test_valid_values(self, attribute: ItemAttribute, raw: str, text: str, number: Decimal | None, day: date | None) -> None:
        value = parse_value(attribute, raw)
        assert (value.text, value.number, value.day) == (text, number, day)

    @pytest.mark.parametrize("attribute, raw", [
        (OPTION, "Purple"), (ItemAttribute("N", AttributeType.INTEGER), "1.5"),
        (ItemAttribute("W", AttributeType.DECIMAL), "NaN"), (ItemAttribute("W", AttributeType.DECIMAL), "1.123456"),
        (ItemAttribute("R", AttributeType.DATE), "01/02/2026"), (ItemAttribute("T", AttributeType.TEXT), "x" * 251),
    ])
    def test_invalid_values(self, attribute: ItemAttribute, raw: str) -> None:
        with pytest.raises(InvalidAttributeValueError):
            parse_value(attribute, raw)


class TestCategoryChain:
    def test_a_child_inherits_and_may_override_a_default(self) -> None:
        chain = [ItemCategory("ROOT", attributes={"Color": "Red", "Width": ""}), ItemCategory("CHILD", "ROOT", attributes={"Color": "Blue", "Size": ""})]
        assert chain_defaults(chain) == {"Color": "Blue", "Width": "", "Size": ""}

    def test_a_blank_child_default_keeps_the_parents(self) -> None:
        chain = [ItemCategory("ROOT", attributes={"Color": "Red"}), ItemCategory("CHILD", "ROOT", attributes={"Color": ""})]
        assert chain_defaults(chain) == {"Color": "Red"}

    def test_changing_category_removes_old_chain_adds_new_and_keeps_values(self) -> None:
        current = {"Color": "Green", "Width": "12", "Own": "x"}
        old = {"Color": "Red", "Width": ""}
        new = {"Width": "3", "Material": "steel"}
        assert reassign(current, old, new) == {"Width": "12", "Own": "x", "Material": "steel"}

    def test_first_category_adds_its_defaults(self) -> None:
        assert reassign({}, {}, {"Color": "Red"}) == {"Color": "Red"}


class TestSearchFilters:
    def test_split_keeps_colons_in_the_value(self) -> None:
        assert split_filter("Opening hours:eq:9:00") == ("Opening hours", FilterOp.EQ, "9:00")

    def test_number_eq_becomes_a_closed_range(self) -> None:
        f = build_filter(ItemAttribute("W", AttributeType.DECIMAL), FilterOp.EQ, "4.5")
        assert (f.op, f.low, f.high) == (FilterOp.RANGE, D("4.5"), D("4.5"))

    def test_open_date_range(self) -> None:
        f = build_filter(ItemAttribute("R", AttributeType.DATE), FilterOp.RANGE, "2026-01-01..")
        assert (f.low, f.high) == (date(2026, 1, 1), None)

    @pytest.mark.parametrize("attribute, op, value", [
        (OPTION, FilterOp.CONTAINS, "R"), (ItemAttribute("W", AttributeType.DECIMAL), FilterOp.RANGE, "1-2"),
        (ItemAttribute("W", AttributeType.DECIMAL), FilterOp.RANGE, "a..b"),
        (ItemAttribute("T", AttributeType.TEXT), FilterOp.RANGE, "a..b"),
    ])
    def test_filters_that_do_not_fit_the_type_are_refused(self, attribute: ItemAttribute, op: FilterOp, value: str) -> None:
        with pytest.raises(InvalidSearchError):
            build_filter(attribute, op, value)

    def test_malformed_expression(self) -> None:
        with pytest.raises(InvalidSearchError):
            split_filter("Color=Red")


class TestNonstockNumbering:
    @pytest.mark.parametrize("fmt, expected", [
        (NonstockNoFormat.VENDOR_ITEM_NO, "V-77"),
        (NonstockNoFormat.MFR_VENDOR_ITEM_NO, "ACME-V-77"),
        (NonstockNoFormat.VENDOR_ITEM_NO_MFR, "V-77-ACME"),
        (NonstockNoFormat.ENTRY_NO, "12"),
        (NonstockNoFormat.NO_SERIES, "NS00007"),
    ])
    def test_formats(self, fmt: NonstockNoFormat, expected: str) -> None:
        assert nonstock_item_no(fmt, entry_no=12, vendor_item_no="V-77", manufacturer_code="ACME", separator="-",
                                next_series_no=series_no("NS", 7, 5)) == expected

    def test_too_long_or_invalid_numbers_are_refused(self) -> None:
        with pytest.raises(InvalidNumberError):
            nonstock_item_no(NonstockNoFormat.VENDOR_ITEM_NO, entry_no=1, vendor_item_no="X" * 21, manufacturer_code="")
        with pytest.raises(InvalidNumberError):
            nonstock_item_no(NonstockNoFormat.MFR_VENDOR_ITEM_NO, entry_no=1, vendor_item_no="V1", manufacturer_code="")
