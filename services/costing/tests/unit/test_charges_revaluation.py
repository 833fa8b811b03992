from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from costing.domain.average import Period
from costing.domain.charges import ChargeSplit, bases_for, split_charge
from costing.domain.errors import InvalidChargeError, InvalidRevaluationError
from costing.domain.fifo import CostLayer
from costing.domain.revaluation import Application, application_costs, held_at, revalue, split_value, target_value

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


def _sale(seq: int, day: int, cost: str = "10.00") -> Application:
    return Application(seq, 100 + seq, D(1), D(cost), date(2020, 1 + day, 1))


def test_revaluing_a_partly_consumed_layer_revalues_what_it_held_at_the_date() -> None:
    """Business Central's FIFO revaluation example: 6 bought at 10.00 on 01-01; sales on 02-01 (A), 03-01 (B) and
    04-01 (C); then a revaluation on 03-01 to 8.00; then sales on 02-01 (D), 03-01 (E) and 04-01 (F).
    The 4 held at 03-01 are revalued (-8.00, valued quantity 4); B, on the date, keeps 10.00; C, after it, and every
    sale posted after the revaluation, whatever its date, takes 8.00."""
    layer = CostLayer(1, D(6), D("60.00"), applied_quantity=D(3), applied_cost=D("30.00"))
    a, b, c = _sale(1, 1), _sale(2, 2), _sale(3, 3)

    assert held_at(layer, [a, b, c], [], date(2020, 3, 1)) == (D(4), D("40.00"))
    revaluation = revalue(layer, [a, b, c], [], date(2020, 3, 1), target_value(D(4), D("8.00"), None))
    assert revaluation is not None
    assert (revaluation.amount, revaluation.quantity, revaluation.last_application_seq) == (D("-8.00"), D(4), 3)
    assert layer.cost_amount == D("52.00") and layer.unit_cost == D("8.00")

    d, e, f = _sale(4, 1), _sale(5, 2), _sale(6, 3)
    costs = application_costs(layer, [a, b, c, d, e, f], [revaluation])
    assert costs == [D("10.00"), D("10.00"), D("8.00"), D("8.00"), D("8.00"), D("8.00")]
    assert sum(costs) == layer.cost_amount


def test_a_second_revaluation_sees_what_the_first_left_on_hand() -> None:
    # 10 @ 10.00; 2 sold on 02-01; revalued on 03-01 to 12.00 (8 x 2.00); 3 sold on 04-01; revalued on 05-01 to 9.00.
    layer = CostLayer(1, D(10), D("100.00"))
    first = revalue(layer, [_sale(1, 1), _sale(2, 1)], [], date(2020, 3, 1), D("96.00"))
    assert first is not None and first.amount == D("16.00")
    sold = [_sale(1, 1), _sale(2, 1), *(_sale(n, 3, "12.00") for n in (3, 4, 5))]
    assert held_at(layer, sold, [first], date(2020, 5, 1)) == (D(5), D("60.00"))
    second = revalue(layer, sold, [first], date(2020, 5, 1), D("45.00"))
    assert second is not None and (second.amount, second.quantity) == (D("-15.00"), D(5))
    assert application_costs(layer, [*sold, _sale(6, 5)], [first, second])[-4:] == [D("12.00")] * 3 + [D("9.00")]


def test_revaluing_to_the_same_value_is_nothing_to_post() -> None:
    layer = CostLayer(1, D(3), D("30.00"))
    assert revalue(layer, [], [], date(2020, 1, 1), D("30.00")) is None


@given(st.integers(1, 50), st.integers(0, 50), st.decimals(min_value=D(0), max_value=D(100), places=2),
       st.decimals(min_value=D(0), max_value=D(100), places=5))
def test_what_takes_the_revalued_quantity_carries_the_revaluation(on_hand: int, sold: int, value: Decimal, unit: Decimal) -> None:
    sold = min(sold, on_hand)
    layer = CostLayer(1, D(on_hand), value)
    new_value = target_value(D(on_hand), unit, None)
    revaluation = revalue(layer, [], [], date(2020, 1, 1), new_value)
    after = [Application(1, 2, D(sold), D(0), date(2020, 1, 2))] if sold else []
    if revaluation is None:
        assert new_value == value
        return
    assert revaluation.amount == new_value - value and layer.cost_amount == new_value
    if sold == on_hand:
        # everything taken: what it took differs from the new value by rounding only
        (taken,) = application_costs(layer, after, [revaluation])
        assert abs(taken - new_value) <= D("0.01")


def test_revaluation_needs_exactly_one_new_cost_and_stock() -> None:
    with pytest.raises(InvalidRevaluationError):
        target_value(D(1), None, None)
    with pytest.raises(InvalidRevaluationError):
        target_value(D(1), D(1), D(1))
    with pytest.raises(InvalidRevaluationError):
        revalue(CostLayer(1, D(1), D(1)), [Application(1, 2, D(1), D(1), date(2020, 1, 1))], [], date(2020, 1, 1), D(0))
    assert split_value(D("10.00"), [D(1), D(2)]) == [D("3.33"), D("6.67")]


def test_a_periods_revaluation_is_part_of_its_average() -> None:
    period = Period(start=date(2023, 1, 2), start_quantity=D(3), start_value=D(30), revaluation_value=D(30))
    assert (period.available_value, period.average_unit_cost) == (D(60), D("20.00000"))
