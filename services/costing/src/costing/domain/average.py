"""Periodic weighted average cost: the outbound entries of an average-cost period share its value.

What a period's outbound entries share is what it starts with and receives, less what its fixed-applied
outbound entries take out at the cost of the inbound entry they name (a purchase return applied to its
receipt, a negative adjustment with an applies-to entry): those stay out of the average.

Each outbound entry, in entry order, costs round(value left x its quantity / quantity left), from the
rounded value the earlier entries of the period left; the last unit out takes what is left. So no cent
is lost or made within a period, a period that ends with nothing on hand ends with no value, and what
a period leaves is what the next one starts with.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import Enum
from typing import NamedTuple

from inventory_contracts.limits import UNIT_COST_QUANTUM
from inventory_contracts.warehouse import AverageCostPeriod

from costing.domain.errors import InvalidQuantityError
from costing.domain.fifo import ZERO, round_amount


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
    """One item's average-cost period. Outbound and fixed quantities and values are <= 0."""

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
    """Transfers back into the same place within the period (a bin moved, per location and variant) and returns
    of its sales: they give back what an outbound entry of the period took, outside the average, which they
    would feed."""
    rounding_value: Decimal = ZERO
    """What a period ending with nothing on hand would otherwise keep as value (see `rounding_needed`)."""
    fixed_quantity: Decimal = ZERO
    fixed_value: Decimal = ZERO
    """Outbound entries fixed-applied to an inbound entry: they take that entry's cost, outside the average."""
    unrounded: bool = True
    """Every outbound entry of the period took exactly its quantity at the average, and every given-back one brought
    exactly that back: no cent was rounded, so any start at the same average leaves every cost as it is."""

    @property
    def available_quantity(self) -> Decimal:
        """Quantity the period's outbound entries share."""
        return self.start_quantity + self.inbound_quantity + self.fixed_quantity

    @property
    def available_value(self) -> Decimal:
        """Value the period's outbound entries share."""
        return self.start_value + self.revaluation_value + self.inbound_value + self.fixed_value

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

    def at_average(self, quantity: Decimal, amount: Decimal) -> bool:
        """Whether `amount` is exactly `quantity` (signed like it) at the period's average."""
        return self.available_quantity > ZERO and amount * self.available_quantity == quantity * self.available_value

    @property
    def average_unit_cost(self) -> Decimal:
        if self.available_quantity <= ZERO:
            return ZERO
        return (self.available_value / self.available_quantity).quantize(UNIT_COST_QUANTUM)


@dataclass
class PeriodChange:
    """Changes of a period's amounts caused by one change of an inbound entry's cost, applied together so that
    the period is revalued once (a receipt and its fixed-applied return in one period cancel out)."""

    inbound_value: Decimal = ZERO
    given_back_value: Decimal = ZERO
    fixed_value: Decimal = ZERO

    def apply_to(self, period: Period) -> None:
        period.inbound_value += self.inbound_value
        period.given_back_value += self.given_back_value
        period.fixed_value += self.fixed_value


def same_costs(before: Period, after: Period) -> bool:
    """Whether every outbound entry of the period costs the same before and after a change of its start: the same
    quantity and value to share, the same average for entries that took it without rounding, or nothing to share
    (then they cost nothing)."""
    if before.available_quantity <= ZERO or after.available_quantity <= ZERO:
        return before.available_quantity <= ZERO and after.available_quantity <= ZERO
    if (before.available_quantity, before.available_value) == (after.available_quantity, after.available_value):
        return True
    return before.unrounded and before.available_value * after.available_quantity == after.available_value * before.available_quantity


def share_of_what_is_left(value_left: Decimal, quantity_left: Decimal, quantity: Decimal) -> Decimal:
    """round(value left x quantity / quantity left); the last unit takes what is left."""
    if quantity == quantity_left:
        return value_left
    return round_amount(value_left * quantity / quantity_left)


def _outbound_cost(period: Period, value_left: Decimal, quantity_left: Decimal, quantity: Decimal) -> Decimal:
    """Cost (<= 0 for a positive value) of `quantity` (> 0) taken after the period's earlier entries left `value_left`
    for `quantity_left`.

    Without stock available in the period (negative inventory) nothing can be averaged: the entry costs nothing
    until an inbound entry of the period gives it an average. Once the period's earlier entries took everything,
    further quantity costs the period's average.
    """
    if quantity <= ZERO:
        raise InvalidQuantityError(f"outbound quantity must be positive, got {quantity}")
    if period.available_quantity <= ZERO:
        return ZERO
    if quantity_left <= ZERO:
        return -round_amount(period.available_value * quantity / period.available_quantity)
    return -share_of_what_is_left(value_left, quantity_left, quantity)


def outbound_cost(period: Period, quantity: Decimal) -> Decimal:
    """Cost (<= 0) of an outbound entry of `quantity` (> 0) appended to the period: its share of what the
    period's entries left."""
    return _outbound_cost(period, period.end_value - period.rounding_value, period.end_quantity, quantity)


@dataclass(frozen=True)
class AverageOutbound:
    """An outbound entry of a period valued at its average; not `in_average`: a transfer within the average's key,
    which takes its share of what is left without taking it away (its receiving side does not bring it back)."""

    entry_no: int
    quantity: Decimal
    in_average: bool
    cost_amount: Decimal


@dataclass(frozen=True)
class GivenBack:
    """An inbound entry giving back, at its place in the period, what an outbound entry of the period took."""

    entry_no: int
    quantity: Decimal
    value: Decimal


def revalue_period(
    period: Period, outbound: list[AverageOutbound], given_back: list[GivenBack] | None = None
) -> list[tuple[AverageOutbound, Decimal]]:
    """Each outbound entry of the period with its adjustment (new cost - cost so far), in entry order.

    Sets the period's outbound and given-back sums from the entries, and whether they all took the average
    unrounded. An entry's cost is its share of what the entries before it left: the outbound entries took, the
    given-back ones brought back.
    """
    given_back = given_back or []
    adjusted = []
    quantity_left, value_left = period.available_quantity, period.available_value
    outbound_quantity = outbound_value = ZERO
    unrounded = True
    entries: list[AverageOutbound | GivenBack] = sorted([*outbound, *given_back], key=lambda entry: entry.entry_no)
    for entry in entries:
        if isinstance(entry, GivenBack):
            quantity_left += entry.quantity
            value_left += entry.value
            unrounded = unrounded and period.at_average(entry.quantity, entry.value)
            continue
        cost = _outbound_cost(period, value_left, quantity_left, entry.quantity)
        unrounded = unrounded and period.at_average(-entry.quantity, cost)
        if entry.in_average:
            quantity_left -= entry.quantity
            value_left += cost
            outbound_quantity -= entry.quantity
            outbound_value += cost
        adjusted.append((entry, cost - entry.cost_amount))
    period.outbound_quantity, period.outbound_value = outbound_quantity, outbound_value
    period.given_back_quantity = sum((entry.quantity for entry in given_back), ZERO)
    period.given_back_value = sum((entry.value for entry in given_back), ZERO)
    period.unrounded = unrounded
    return adjusted


@dataclass(frozen=True)
class AverageInboundEntry:
    """An inbound entry of an Average item where it counts, with what it brought in: its own cost, without the
    Rounding and Revaluation entries its period may have put on it (what a given-back entry gives back, what
    a fixed application takes its share of)."""

    entry_no: int
    key: AverageKey
    period_start: date
    counted: AverageInbound
    quantity: Decimal
    cost_amount: Decimal


@dataclass(frozen=True)
class FixedOutbound:
    """An outbound entry fixed-applied to an inbound entry (`applies_to_entry`); its cost (<= 0) so far."""

    entry_no: int
    key: AverageKey
    period_start: date
    applies_to_entry: int
    quantity: Decimal
    cost_amount: Decimal


def fixed_costs(inbound_cost: Decimal, inbound_quantity: Decimal, quantities: list[Decimal]) -> list[Decimal]:
    """Costs (<= 0 for a positive inbound cost) of the outbound entries fixed-applied to one inbound entry, in entry
    order: each takes its share of what the earlier ones left of the inbound entry's cost; the last unit of the
    entry takes what is left, so an entry returned in parts gives back exactly its cost."""
    costs = []
    value_left, quantity_left = inbound_cost, inbound_quantity
    for quantity in quantities:
        if quantity <= ZERO or quantity > quantity_left:
            raise InvalidQuantityError(f"{quantity} cannot be fixed-applied to an inbound entry with {quantity_left} left")
        share = share_of_what_is_left(value_left, quantity_left, quantity)
        costs.append(-share)
        value_left -= share
        quantity_left -= quantity
    return costs
