from datetime import date

import pytest

from warehouse.domain.errors import (
    BinRequiredError,
    InTransitLocationError,
    InvalidLocationError,
    InventoryPeriodChangeError,
    InventoryPeriodClosedError,
    PostingDateNotAllowedError,
    UnknownBinError,
    UnknownLocationError,
)
from warehouse.domain.locations import Location, check_destination
from warehouse.domain.periods import InventoryPeriod, PostingDates, check_close, check_posting_date, check_reopen, period_of

MAIN = Location("MAIN", "Main")
BINS = Location("BINS", "With bins", bin_mandatory=True)
TRANSIT = Location("IN-TRANSIT", "Transit", use_as_in_transit=True)


def where(code: str, bin_code: str = "", location: Location | None = None, bins: frozenset[str] = frozenset()) -> None:
    check_destination(code, bin_code, location, bins, line_no=10000, item_no="1000")


def test_blank_and_ordinary_locations_take_postings() -> None:
    where("")
    where("MAIN", location=MAIN)
    where("BINS", "A1", BINS, frozenset({"A1"}))


@pytest.mark.parametrize(
    "code, bin_code, location, error",
    [
        ("NOWHERE", "", None, UnknownLocationError),
        ("IN-TRANSIT", "", TRANSIT, InTransitLocationError),
        ("BINS", "", BINS, BinRequiredError),
        ("BINS", "Z9", BINS, UnknownBinError),
        ("MAIN", "A1", MAIN, UnknownBinError),
        ("", "A1", None, UnknownBinError),
    ],
)
def test_refused_destinations(code: str, bin_code: str, location: Location | None, error: type[Exception]) -> None:
    with pytest.raises(error):
        where(code, bin_code, location, frozenset({"A1"}))


def test_in_transit_location_cannot_be_bin_mandatory() -> None:
    with pytest.raises(InvalidLocationError):
        Location("T", "x", use_as_in_transit=True, bin_mandatory=True).check()


JAN = InventoryPeriod(date(2026, 1, 31), closed=True)
FEB = InventoryPeriod(date(2026, 2, 28), closed=False)


def check(day: date, dates: PostingDates = PostingDates(), periods: list[InventoryPeriod] = [JAN, FEB]) -> None:
    check_posting_date(day, dates, periods, line_no=1, item_no="1000")


def test_a_date_belongs_to_the_first_period_ending_on_or_after_it() -> None:
    assert period_of(date(2026, 1, 31), [JAN, FEB]) == JAN
    assert period_of(date(2026, 2, 1), [JAN, FEB]) == FEB
    assert period_of(date(2026, 3, 1), [JAN, FEB]) is None


def test_posting_in_a_closed_period_is_refused_and_after_it_allowed() -> None:
    with pytest.raises(InventoryPeriodClosedError):
        check(date(2025, 12, 1))
    with pytest.raises(InventoryPeriodClosedError):
        check(date(2026, 1, 31))
    check(date(2026, 2, 1))
    check(date(2026, 6, 1))


def test_posting_outside_the_allowed_dates_is_refused() -> None:
    dates = PostingDates(date(2026, 2, 1), date(2026, 2, 28))
    check(date(2026, 2, 1), dates)
    check(date(2026, 2, 28), dates)
    for day in (date(2026, 1, 31), date(2026, 3, 1)):
        with pytest.raises(PostingDateNotAllowedError):
            check(day, dates, [])


def test_periods_close_in_order_and_reopen_from_the_latest() -> None:
    check_close(date(2026, 2, 28), [JAN, FEB], 0)
    with pytest.raises(InventoryPeriodChangeError):
        check_close(date(2026, 3, 31), [InventoryPeriod(date(2026, 1, 31), False), FEB], 0)
    with pytest.raises(InventoryPeriodChangeError):
        check_close(date(2026, 2, 28), [JAN, FEB], 2)
    closed_feb = InventoryPeriod(date(2026, 2, 28), True)
    with pytest.raises(InventoryPeriodChangeError):
        check_reopen(date(2026, 1, 31), [JAN, closed_feb])
    check_reopen(date(2026, 2, 28), [JAN, closed_feb])
