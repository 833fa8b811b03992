from datetime import date
from decimal import Decimal

import pytest

from warehouse.domain.availability import MAX_PERIODS, Period, PeriodType, figures, periods
from warehouse.domain.errors import InvalidAvailabilityQueryError

D = Decimal


def test_days_weeks_and_months_are_calendar_periods_covering_from_to() -> None:
    assert periods(PeriodType.DAY, date(2026, 2, 27), date(2026, 3, 1)) == [
        Period(date(2026, 2, 27), date(2026, 2, 27)), Period(date(2026, 2, 28), date(2026, 2, 28)),
        Period(date(2026, 3, 1), date(2026, 3, 1))]
    # 2026-09-02 is a Wednesday: its week runs from Monday 08-31.
    assert periods(PeriodType.WEEK, date(2026, 9, 2), date(2026, 9, 7)) == [
        Period(date(2026, 8, 31), date(2026, 9, 6)), Period(date(2026, 9, 7), date(2026, 9, 13))]
    assert periods(PeriodType.MONTH, date(2025, 11, 15), date(2026, 2, 1)) == [
        Period(date(2025, 11, 1), date(2025, 11, 30)), Period(date(2025, 12, 1), date(2025, 12, 31)),
        Period(date(2026, 1, 1), date(2026, 1, 31)), Period(date(2026, 2, 1), date(2026, 2, 28))]
    assert periods(PeriodType.MONTH, date(2026, 5, 5), date(2026, 5, 5)) == [Period(date(2026, 5, 1), date(2026, 5, 31))]


def test_periods_that_end_before_they_start_or_too_many_are_refused() -> None:
    with pytest.raises(InvalidAvailabilityQueryError):
        periods(PeriodType.DAY, date(2026, 5, 2), date(2026, 5, 1))
    assert len(periods(PeriodType.DAY, date(2026, 1, 1), date(2026, 1, 1).fromordinal(
        date(2026, 1, 1).toordinal() + MAX_PERIODS - 1))) == MAX_PERIODS
    with pytest.raises(InvalidAvailabilityQueryError):
        periods(PeriodType.DAY, date(2020, 1, 1), date(2026, 1, 1))


def test_transfers_count_only_at_a_location() -> None:
    at_location = figures(D(10), D(3), D(2), D(4), D(5), per_location=True)
    assert (at_location.available_inventory, at_location.gross_requirement, at_location.scheduled_receipts,
            at_location.projected_available_balance) == (5, 6, 5, 9)
    everywhere = figures(D(10), D(3), D(2), D(4), D(5), per_location=False)
    assert (everywhere.gross_requirement, everywhere.scheduled_receipts, everywhere.projected_available_balance) == (
        2, 0, 8)
