"""Suggest Item Standard Cost as a pure function: current standard cost x adjustment factor, rounded by a rounding method.

Business Central rounds to 5 decimals after the factor, then applies the rounding method's line with the highest
minimum amount at or below the amount: add before, round to the precision (nearest, up, down), add after.
"""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inventory_contracts.catalog import CostingMethod
from inventory_contracts.limits import UNIT_COST_MAX

from costing.domain.errors import InvalidStandardCostError, NotAStandardItemError
from costing.domain.inbound import CostSetup
from costing.domain.standard_cost import (
    RoundingMethodLine,
    RoundingType,
    WorksheetLine,
    check_standard_item,
    suggest_standard_cost,
)

D = Decimal

# Prices by size: cents below 10.00, tenths below 100.00, whole units ending in .99 from 100.00 on.
BY_SIZE = (
    RoundingMethodLine(minimum_amount=D(0), precision=D("0.01")),
    RoundingMethodLine(minimum_amount=D(10), precision=D("0.10")),
    RoundingMethodLine(minimum_amount=D(100), precision=D(1), amount_added_after=D("-0.01")),
)


class TestSuggestStandardCost:
    def test_the_factor_alone_adjusts_to_five_decimals(self) -> None:
        assert suggest_standard_cost(D("12.50"), D("1.1"), ()) == D("13.75000")
        assert suggest_standard_cost(D("9.99"), D("1.05"), ()) == D("10.48950")
        assert suggest_standard_cost(D("0.33333"), D("0.33333"), ()) == D("0.11111")

    @pytest.mark.parametrize(("rounding", "suggested"), [
        (RoundingType.NEAREST, D("10.50")), (RoundingType.UP, D("10.50")), (RoundingType.DOWN, D("10.45")),
    ])
    def test_rounding_to_a_precision_nearest_up_or_down(self, rounding: RoundingType, suggested: Decimal) -> None:
        method = (RoundingMethodLine(precision=D("0.05"), type=rounding),)
        assert suggest_standard_cost(D("9.99"), D("1.05"), method) == suggested

    def test_half_a_precision_rounds_up(self) -> None:
        assert suggest_standard_cost(D("10.25"), D(1), (RoundingMethodLine(precision=D("0.50")),)) == D("10.50")

    @pytest.mark.parametrize(("standard_cost", "suggested"), [
        (D("8.123"), D("8.12")), (D("23.456"), D("23.50")), (D("123.45"), D("122.99")), (D("99.96"), D("100.00")),
    ])
    def test_the_line_with_the_highest_minimum_at_or_below_the_amount_rounds(self, standard_cost: Decimal, suggested: Decimal) -> None:
        assert suggest_standard_cost(standard_cost, D(1), BY_SIZE) == suggested

    def test_an_amount_below_every_minimum_is_not_rounded(self) -> None:
        assert suggest_standard_cost(D("4.567"), D(1), (RoundingMethodLine(minimum_amount=D(5), precision=D(1)),)) == D("4.567")

    def test_amounts_added_before_and_after_rounding(self) -> None:
        method = (RoundingMethodLine(precision=D(1), type=RoundingType.DOWN, amount_added_before=D("0.60"),
                                     amount_added_after=D("0.95")),)
        assert suggest_standard_cost(D("10.40"), D(1), method) == D("11.95")
        assert suggest_standard_cost(D("10.30"), D(1), method) == D("10.95")

    def test_a_zero_standard_cost_stays_zero(self) -> None:
        assert suggest_standard_cost(D(0), D(2), (RoundingMethodLine(amount_added_after=D(5)),)) == D(0)

    def test_a_factor_of_zero_suggests_zero(self) -> None:
        assert suggest_standard_cost(D("12.00"), D(0), ()) == D(0)

    def test_a_negative_factor_is_refused(self) -> None:
        with pytest.raises(InvalidStandardCostError, match="negative"):
            suggest_standard_cost(D("12.00"), D("-1"), ())

    def test_a_negative_result_is_refused(self) -> None:
        with pytest.raises(InvalidStandardCostError, match="cannot be negative"):
            suggest_standard_cost(D("0.50"), D(1), (RoundingMethodLine(amount_added_after=D(-1)),))

    def test_a_result_beyond_the_largest_unit_cost_is_refused(self) -> None:
        with pytest.raises(InvalidStandardCostError, match="cannot exceed"):
            suggest_standard_cost(UNIT_COST_MAX, D(2), ())

    @given(st.decimals(min_value=D("0.00001"), max_value=D(100000), places=5),
           st.decimals(min_value=D(0), max_value=D(10), places=5),
           st.sampled_from([D("0.01"), D("0.05"), D("0.25"), D(1), D(5)]),
           st.sampled_from(list(RoundingType)))
    def test_the_suggestion_is_a_multiple_of_the_precision_within_one_precision(
        self, standard_cost: Decimal, factor: Decimal, precision: Decimal, rounding: RoundingType,
    ) -> None:
        suggested = suggest_standard_cost(standard_cost, factor, (RoundingMethodLine(precision=precision, type=rounding),))
        adjusted = (standard_cost * factor).quantize(D("0.00001"))
        assert suggested % precision == 0
        assert abs(suggested - adjusted) <= precision
        if rounding is RoundingType.UP:
            assert suggested >= adjusted
        if rounding is RoundingType.DOWN:
            assert suggested <= adjusted


class TestStandardItems:
    def test_a_standard_item_may_be_implemented(self) -> None:
        check_standard_item(CostSetup("1000", CostingMethod.STANDARD, standard_cost=D("10.00")))

    @pytest.mark.parametrize("method", [m for m in CostingMethod if m != CostingMethod.STANDARD])
    def test_other_costing_methods_are_refused(self, method: CostingMethod) -> None:
        with pytest.raises(NotAStandardItemError, match=f"uses costing method {method}"):
            check_standard_item(CostSetup("1000", method))

    def test_a_line_is_implemented_once_it_has_an_implementation_no(self) -> None:
        line = WorksheetLine("DEFAULT", "1000", D("10.00"), D("12.00"))
        assert not line.implemented
        assert WorksheetLine("DEFAULT", "1000", D("10.00"), D("12.00"), implementation_no=7).implemented
