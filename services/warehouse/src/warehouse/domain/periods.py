"""Allowed posting dates and inventory periods."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from inventory_contracts.warehouse import AverageCostCalcType, AverageCostPeriod

from warehouse.domain.errors import (
    AverageCostSetupFixedError,
    InventoryPeriodChangeError,
    InventoryPeriodClosedError,
    PostingDateNotAllowedError,
)


@dataclass(frozen=True)
class PostingDates:
    """The inventory setup's allowed posting dates; None means no limit on that side."""

    allow_posting_from: date | None = None
    allow_posting_to: date | None = None


@dataclass(frozen=True)
class InventorySetup:
    """The whole inventory setup: what the warehouse checks postings by and publishes for the other services."""

    prevent_negative_inventory: bool
    dates: PostingDates
    average_cost_period: AverageCostPeriod = AverageCostPeriod.DAY
    average_cost_calc_type: AverageCostCalcType = AverageCostCalcType.ITEM


@dataclass(frozen=True)
class InventoryPeriod:
    """Runs from the day after the previous period's ending date up to and including its own."""

    ending_date: date
    closed: bool
    name: str = ""


def period_of(posting_date: date, periods: Sequence[InventoryPeriod]) -> InventoryPeriod | None:
    """The period a date falls in: the one with the earliest ending date on or after it."""
    candidates = [p for p in periods if p.ending_date >= posting_date]
    return min(candidates, key=lambda p: p.ending_date) if candidates else None


def check_posting_date(
    posting_date: date, dates: PostingDates, periods: Sequence[InventoryPeriod], *, line_no: int, item_no: str
) -> None:
    where = {"item_no": item_no, "line_no": line_no, "posting_date": posting_date.isoformat()}
    too_early = dates.allow_posting_from is not None and posting_date < dates.allow_posting_from
    too_late = dates.allow_posting_to is not None and posting_date > dates.allow_posting_to
    if too_early or too_late:
        window = f"{dates.allow_posting_from or 'any date'} to {dates.allow_posting_to or 'any date'}"
        raise PostingDateNotAllowedError(
            f"line {line_no}: posting date {posting_date} is not within the allowed posting dates ({window})",
            allow_posting_from=dates.allow_posting_from.isoformat() if dates.allow_posting_from else None,
            allow_posting_to=dates.allow_posting_to.isoformat() if dates.allow_posting_to else None,
            **where,
        )
    period = period_of(posting_date, periods)
    if period is not None and period.closed:
        raise InventoryPeriodClosedError(
            f"line {line_no}: posting date {posting_date} falls in the inventory period ending {period.ending_date}, "
            "which is closed",
            period_ending_date=period.ending_date.isoformat(),
            **where,
        )


def check_close(ending_date: date, periods: Sequence[InventoryPeriod], open_outbound_entries: int) -> None:
    """Periods close in date order, and not while outbound entries of the period wait for stock."""
    earlier_open = sorted(p.ending_date for p in periods if p.ending_date < ending_date and not p.closed)
    if earlier_open:
        raise InventoryPeriodChangeError(
            f"the inventory period ending {earlier_open[0]} is still open; close periods in date order",
            ending_date=ending_date.isoformat(),
        )
    if open_outbound_entries:
        raise InventoryPeriodChangeError(
            f"{open_outbound_entries} outbound item ledger entries up to {ending_date} are not applied to stock "
            "(negative inventory); post the missing stock first",
            ending_date=ending_date.isoformat(),
        )


def check_reopen(ending_date: date, periods: Sequence[InventoryPeriod]) -> None:
    """Periods reopen from the latest back, so that no closed period follows an open one."""
    later_closed = sorted(p.ending_date for p in periods if p.ending_date > ending_date and p.closed)
    if later_closed:
        raise InventoryPeriodChangeError(
            f"the later inventory period ending {later_closed[-1]} is closed; reopen periods from the latest back",
            ending_date=ending_date.isoformat(),
        )


def check_setup_change(current: InventorySetup, new: InventorySetup, *, entries_exist: bool) -> None:
    """The average-cost settings decide how every average is kept: they are fixed once entries exist."""
    changed = [
        name for name in ("average_cost_period", "average_cost_calc_type") if getattr(current, name) != getattr(new, name)
    ]
    if changed and entries_exist:
        raise AverageCostSetupFixedError(
            f"{' and '.join(changed)} cannot change once item ledger entries exist: averages kept so far would not "
            "follow; they stay "
            f"{current.average_cost_period} per {current.average_cost_calc_type}",
            average_cost_period=str(current.average_cost_period),
            average_cost_calc_type=str(current.average_cost_calc_type),
        )


def closed_through(periods: Sequence[InventoryPeriod]) -> date | None:
    """Ending date of the latest closed period (periods close in date order)."""
    return max((p.ending_date for p in periods if p.closed), default=None)
