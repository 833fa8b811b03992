"""Availability figures of an item, and the calendar periods they may be answered per."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from warehouse.domain.errors import InvalidAvailabilityQueryError

ZERO = Decimal(0)
MAX_PERIODS = 1000


class PeriodType(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


@dataclass(frozen=True)
class Period:
    start: date
    end: date


@dataclass(frozen=True)
class Stock:
    """Inventory of an item as of a date, and the part of it at in-transit locations."""

    inventory: Decimal
    in_transit: Decimal


@dataclass(frozen=True)
class OpenTransfers:
    """Open transfer order quantities of an item: still to ship from, and still to arrive at, a location."""

    outbound: Decimal = ZERO
    inbound: Decimal = ZERO


@dataclass(frozen=True)
class Figures:
    """Availability as of a date. Order lines count by their dates; reservations for no order line and open transfer
    lines carry no date: they count at every date."""

    inventory: Decimal
    in_transit: Decimal
    reserved: Decimal
    available_inventory: Decimal
    gross_requirement: Decimal
    scheduled_receipts: Decimal
    projected_available_balance: Decimal


@dataclass(frozen=True)
class PeriodFigures:
    period: Period
    net_change: Decimal
    """Inventory at the period's end less inventory before it."""
    figures: Figures


def check_query(period: PeriodType | None, from_date: date | None, to_date: date | None, on_date: date | None) -> None:
    """One date (or none), or a period type with both ends."""
    if period is None and (from_date is not None or to_date is not None):
        raise InvalidAvailabilityQueryError("'from' and 'to' go with 'period' (day, week or month)")
    if period is not None and (from_date is None or to_date is None or on_date is not None):
        raise InvalidAvailabilityQueryError("'period' needs 'from' and 'to' dates (and no 'date')", period=str(period))


def as_of_dates(wanted: Sequence[Period]) -> list[date]:
    """The day before the first period, then each period's end: the dates the figures per period are taken at."""
    return [wanted[0].start - timedelta(days=1)] + [p.end for p in wanted]


def period_start(kind: PeriodType, day: date) -> date:
    """The first day of the calendar period holding `day` (weeks start on Monday)."""
    if kind is PeriodType.WEEK:
        return day - timedelta(days=day.weekday())
    if kind is PeriodType.MONTH:
        return day.replace(day=1)
    return day


def _next_start(kind: PeriodType, start: date) -> date:
    if kind is PeriodType.WEEK:
        return start + timedelta(days=7)
    if kind is PeriodType.MONTH:
        return date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return start + timedelta(days=1)


def periods(kind: PeriodType, from_date: date, to_date: date) -> list[Period]:
    """The calendar periods from the one holding `from_date` to the one holding `to_date`, both included."""
    if to_date < from_date:
        raise InvalidAvailabilityQueryError(f"'to' {to_date} is before 'from' {from_date}", from_date=str(from_date),
                              to_date=str(to_date))
    found: list[Period] = []
    start = period_start(kind, from_date)
    while start <= to_date:
        if len(found) == MAX_PERIODS:
            raise InvalidAvailabilityQueryError(f"{from_date} to {to_date} spans more than {MAX_PERIODS} {kind} periods",
                                  max_periods=MAX_PERIODS)
        following = _next_start(kind, start)
        found.append(Period(start, following - timedelta(days=1)))
        start = following
    return found
