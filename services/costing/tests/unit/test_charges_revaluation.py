from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from costing.domain.average import Period
from costing.domain.charges import ChargeSplit, bases_for, split_charge
from costing.domain.errors import InvalidChargeError, InvalidRevaluationError
from costing.domain.revaluation import LayerAtDate, revalue_layer, split_value, target_value

D = Decimal
amounts = st.decimals(min_value=D("-10000"), max_value=D("10000"), places=2)
bases = st.lists(st.decimals(min_value=D(0), max_value=D("1000"), places=3), min_size=1, max_size=20).filter(lambda b: sum(b) > 0)


@given(amounts, bases)
def test_item_charge_shares_add_up_to_the_charge(amount: Decimal, weights: list[Decimal]) -> None:
    shares = split_charge(amount, weights)
    assert sum(shares) == amount
    assert all(share == 0 for share, weight in zip(shares, weights, strict=True) if weight == 0)
    assert all(abs(share - amount * w / sum(weights)) < D("0.02") for share, w in zip(shares, weights, strict=True))


def test_charge_split_equally_by_amount_weight_and_volume() -> None:
    assert split_charge(D("10.00"), bases_for(ChargeSplit.EQUALLY, [D(1)] * 3, [None] * 3, [None] * 3)) == [D("3.33"), D("3.34"), D("3.33")]
    assert split_charge(D("10.00"), bases_for(ChargeSplit.BY_AMOUNT, [D(10), D(30)], [None] * 2, [None] * 2)) == [D("2.50"), D("7.50")]
    assert split_charge(D("9.00"), bases_for(ChargeSplit.BY_WEIGHT, [D(0)] * 2, [D(1), D(2)], [None] * 2)) == [D("3.00"), D("6.00")]


def test_charge_by_weight_needs_every_weight_and_something_to_split_by() -> None:
    with pytest.raises(InvalidChargeError):
        bases_for(ChargeSplit.BY_WEIGHT, [D(1)], [None], [None])
    with pytest.raises(InvalidChargeError):
        split_charge(D(1), [D(0), D(0)])


def test_revaluation_adjusts_only_outbound_entries_after_the_date() -> None:
    # 10 @ 10.00; 2 sold before the date, 3 after; the 8 on hand at the date revalued to 12.00 each.
    layer = LayerAtDate(1, D(10), D("100.00"), before=[(D(2), D("20.00"))], after=[(D(3), D("30.00"))])
    revaluation = revalue_layer(layer, target_value(layer.quantity_at_date, D("12.00"), None))
    assert (revaluation.amount, revaluation.after_costs) == (D("16.00"), [D("36.00")])


@given(st.integers(1, 50), st.integers(0, 50), st.decimals(min_value=D(0), max_value=D(100), places=2),
       st.decimals(min_value=D(0), max_value=D(100), places=5))
def test_revalued_layer_after_the_date_keeps_quantity_and_value_consistent(on_hand: int, sold: int, value: Decimal, unit: Decimal) -> None:
    sold = min(sold, on_hand)
    layer = LayerAtDate(1, D(on_hand), value, before=[], after=[(D(sold), D(0))] if sold else [])
    new_value = target_value(D(on_hand), unit, None)
    revaluation = revalue_layer(layer, new_value)
    assert revaluation.amount == new_value - value
    if sold == on_hand:
        assert revaluation.after_costs == [new_value]  # nothing left: no value left


def test_revaluation_needs_exactly_one_new_cost_and_stock() -> None:
    with pytest.raises(InvalidRevaluationError):
        target_value(D(1), None, None)
    with pytest.raises(InvalidRevaluationError):
        target_value(D(1), D(1), D(1))
    with pytest.raises(InvalidRevaluationError):
        revalue_layer(LayerAtDate(1, D(1), D(1), before=[(D(1), D(1))], after=[]), D(0))
    assert split_value(D("10.00"), [D(1), D(2)]) == [D("3.33"), D("6.67")]


def test_a_periods_revaluation_is_part_of_its_average() -> None:
    period = Period(start=date(2023, 1, 2), start_quantity=D(3), start_value=D(30), revaluation_value=D(30))
    assert (period.available_value, period.average_unit_cost) == (D(60), D("20.00000"))
