"""The replica of the inventory setup: which dates are open and where adjustments are dated."""

from datetime import date

import pytest

from inventory_contracts.warehouse import AverageCostCalcType

from costing.domain.calendar import InventoryCalendar


@pytest.mark.parametrize(
    ("allow_from", "closed_through", "first_open"),
    [
        (None, None, None),
        (date(2026, 2, 10), None, date(2026, 2, 10)),
        (None, date(2026, 1, 31), date(2026, 2, 1)),
        (date(2026, 1, 15), date(2026, 1, 31), date(2026, 2, 1)),
        (date(2026, 2, 10), date(2026, 1, 31), date(2026, 2, 10)),
    ],
)
def test_first_open_date_is_the_later_of_allowed_from_and_the_day_after_the_closed_period(
    allow_from: date | None, closed_through: date | None, first_open: date | None
) -> None:
    assert InventoryCalendar(allow_from, closed_through).first_open_date == first_open


def test_an_adjustment_keeps_an_open_date_and_moves_a_closed_one_to_the_first_open_date() -> None:
    calendar = InventoryCalendar(closed_through=date(2026, 1, 31))
    assert calendar.adjustment_date(date(2026, 1, 15)) == date(2026, 2, 1)
    assert calendar.adjustment_date(date(2026, 3, 1)) == date(2026, 3, 1)
    assert not calendar.is_open(date(2026, 1, 31)) and calendar.is_open(date(2026, 2, 1))
    assert InventoryCalendar().adjustment_date(date(1999, 1, 1)) == date(1999, 1, 1)


def test_average_per_location_only_when_set_up_so() -> None:
    assert not InventoryCalendar().per_location
    assert InventoryCalendar(average_cost_calc_type=AverageCostCalcType.ITEM_LOCATION_VARIANT).per_location
