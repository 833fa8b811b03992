"""Periodic weighted average cost: every outbound entry of an average-cost period gets the period's average.

The average of a period is (value at its start + value received in it) / (quantity at its start +
quantity received in it). Costs within a period use cumulative rounding along the outbound entries
in entry order: the first k outbound entries together cost round(average x their quantity), so an
entry appended later never changes the earlier ones, and a period that ends with nothing on hand
ends with no value.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import Enum
from typing import NamedTuple
from inventory_contracts.warehouse import AverageCostPeriod

from costing.domain.errors import InvalidQuantityError
from costing.domain.fifo import UNIT_COST_PRECISION, ZERO, round_amount


def period_start(day: date, period: AverageCostPeriod) -> date:
    """First day of the average-cost period that holds `day` (weeks start on Monday)."""
    if period == AverageCostPeriod.DAY:
        return day
    if period == AverageCostPeriod.WEEK:
        return day - timedelta(days=day.weekday())
    if period == AverageCostPeriod.MONTH:
        return day.replace(day=1)
    if period == AverageCostPeriod.QUARTER:
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return date(day.year, 1, 1)


class AverageKey(NamedTuple):
    """What an average is kept for: the item, with blank location and variant unless averaged per them."""

    item_no: str
    location_code: str = ""
    variant_code: str = ""


class AverageInbound(Enum):
    """How an inbound entry counts in its period."""

    IN_AVERAGE = "in average"
    APART = "apart"
    """A transfer within the key: it takes the cost of what it moves, outside the average."""
    GIVES_BACK = "gives back"
    """A transfer back into the key within the period: it offsets what the outbound transfer took."""


def period_end(start: date, period: AverageCostPeriod) -> date:
    """Last day of the average-cost period that starts on `start`."""
    if period == AverageCostPeriod.DAY:
        return start
    if period == AverageCostPeriod.WEEK:
        return start + timedelta(days=6)
    months = {AverageCostPeriod.MONTH: 1, AverageCostPeriod.QUARTER: 3, AverageCostPeriod.YEAR: 12}[period]
    month = start.month - 1 + months
    return date(start.year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


@dataclass
class Period:
    """One item's average-cost period. Outbound quantity and value are <= 0."""

    start: date
    start_quantity: Decimal
    start_value: Decimal
    inbound_quantity: Decimal = ZERO
    inbound_value: Decimal = ZERO
    outbound_quantity: Decimal = ZERO
    outbound_value: Decimal = ZERO
    revaluation_value: Decimal = ZERO
    """Revaluations at the end of the previous period: part of what the period starts with, kept apart
    so that a change carried in from earlier periods (which resets the start) keeps them."""
    given_back_quantity: Decimal = ZERO
    given_back_value: Decimal = ZERO
    """Transfers back into the same place within the period (a bin moved, per location and variant): they
    give back what an outbound transfer of the period took, outside the average, which they would feed."""
    rounding_value: Decimal = ZERO
    """What a period ending with nothing on hand would otherwise keep as value (see `rounding_needed`)."""

    @property
    def available_quantity(self) -> Decimal:
        return self.start_quantity + self.inbound_quantity

    @property
    def available_value(self) -> Decimal:
        return self.start_value + self.revaluation_value + self.inbound_value

    @property
    def end_quantity(self) -> Decimal:
        return self.available_quantity + self.outbound_quantity + self.given_back_quantity

    @property
    def end_value(self) -> Decimal:
        return self.available_value + self.outbound_value + self.given_back_value + self.rounding_value

    def rounding_needed(self) -> Decimal:
        """The change of `rounding_value` that makes a period ending with nothing on hand end with no value
        (and takes it back once something is on hand at its end again)."""
        target = -(self.end_value - self.rounding_value) if self.end_quantity == ZERO else ZERO
        return target - self.rounding_value

    @property
    def average_unit_cost(self) -> Decimal:
        if self.available_quantity <= ZERO:
            return ZERO
        return (self.available_value / self.available_quantity).quantize(UNIT_COST_PRECISION)


def same_average(before: Period, after: Period) -> bool:
    """Whether every outbound entry of the period costs the same before and after a change of its start.

    Costs are round(available value x quantity taken / available quantity): the same while the ratio is
    exactly the same, or while nothing is available (then they are zero).
    """
    if before.available_quantity <= ZERO and after.available_quantity <= ZERO:
        return True
    if before.available_quantity <= ZERO or after.available_quantity <= ZERO:
        return False
    return before.available_value * after.available_quantity == after.available_value * before.available_quantity


def outbound_cost(period: Period, quantity_before: Decimal, quantity: Decimal) -> Decimal:
    """Cost (<= 0) of an outbound entry of `quantity` (> 0) after `quantity_before` left in the period.

    Without stock available in the period (negative inventory) nothing can be averaged: the entry
    costs nothing until an inbound entry of the period gives it an average.
    """
    if quantity <= ZERO or quantity_before < ZERO:
        raise InvalidQuantityError(f"outbound quantity {quantity} after {quantity_before} must be positive")
    if period.available_quantity <= ZERO:
        return ZERO

    def upto(taken: Decimal) -> Decimal:
        return round_amount(period.available_value * taken / period.available_quantity)

    return upto(quantity_before) - upto(quantity_before + quantity)


@dataclass(frozen=True)
class AverageOutbound:
    entry_no: int
    quantity: Decimal
    quantity_before: Decimal
    in_average: bool
    cost_amount: Decimal


def revalue_period(period: Period, outbound: list[AverageOutbound]) -> list[tuple[AverageOutbound, Decimal]]:
    """Each outbound entry of the period with its adjustment (new cost - cost so far); sets the period's outbound value.

    Outbound entries not `in_average` (transfers) take the average without counting in the period's sums.
    Same costs as `outbound_cost` entry by entry; the cumulative cost up to where an entry ends is reused
    by the next entry when it starts there (the usual case), so each entry takes one rounding, not two.
    """
    adjusted = []
    outbound_value = ZERO
    available_quantity = period.available_quantity
    available_value = period.available_value
    averaged = available_quantity > ZERO
    last_taken: Decimal | None = None
    last_upto = ZERO
    for entry in outbound:
        quantity = entry.quantity
        before = entry.quantity_before if entry.in_average else ZERO
        if quantity <= ZERO or before < ZERO:
            raise InvalidQuantityError(f"outbound quantity {quantity} after {before} must be positive")
        if averaged:
            upto_before = last_upto if before == last_taken else round_amount(available_value * before / available_quantity)
            last_taken = before + quantity
            last_upto = round_amount(available_value * last_taken / available_quantity)
            cost = upto_before - last_upto
        else:
            cost = ZERO
        if entry.in_average:
            outbound_value += cost
        adjusted.append((entry, cost - entry.cost_amount))
    period.outbound_value = outbound_value
    return adjusted
