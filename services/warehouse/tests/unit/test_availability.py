from datetime import date
from decimal import Decimal

import pytest

from warehouse.domain.availability import MAX_PERIODS, Period, PeriodType, Stock, periods
from warehouse.domain.availability_events import EventType, SupplyDemand, figures_as_of
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


def test_undated_transfers_and_reservations_count_at_every_date() -> None:
    undated = [SupplyDemand(EventType.RESERVATION, None, "SO1", 10000, "BLUE", "", D(-2)),
               SupplyDemand(EventType.TRANSFER_SHIPMENT, None, "T1", 10000, "BLUE", "", D(-4)),
               SupplyDemand(EventType.TRANSFER_RECEIPT, None, "T2", 10000, "BLUE", "", D(5))]
    found = figures_as_of(Stock(D(10), D(3)), D(2), undated, date(2000, 1, 1))
    assert (found.available_inventory, found.gross_requirement, found.scheduled_receipts,
            found.projected_available_balance) == (5, 6, 5, 9)
