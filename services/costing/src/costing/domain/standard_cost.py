"""The standard cost worksheet: new standard costs proposed per item, implemented later at a date.

Suggesting follows Business Central's "Suggest Item Standard Cost": the new standard cost is the current one
times an adjustment factor (to 5 decimals), then rounded by a rounding method. Implementing revalues the item's
inventory to the new standard cost and makes it the item's standard cost (see service_layer/standard_costs.py).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from enum import StrEnum

from inventory_contracts.catalog import CostingMethod
from inventory_contracts.limits import UNIT_COST_MAX, UNIT_COST_QUANTUM

from costing.domain.errors import InvalidStandardCostError, NotAStandardItemError
from costing.domain.inbound import CostSetup

ZERO = Decimal(0)


class RoundingType(StrEnum):
    NEAREST = "Nearest"
    UP = "Up"
    DOWN = "Down"


_ROUNDING = {RoundingType.NEAREST: ROUND_HALF_UP, RoundingType.UP: ROUND_CEILING, RoundingType.DOWN: ROUND_FLOOR}


@dataclass(frozen=True)
class RoundingMethodLine:
    """One line of a rounding method: how amounts from `minimum_amount` up are rounded.

    The amount first gets `amount_added_before`, is then rounded to a multiple of `precision` (0: not rounded)
    and finally gets `amount_added_after` (e.g. precision 1, added after -0.01: prices ending in .99).
    """

    minimum_amount: Decimal = ZERO
    precision: Decimal = ZERO
    type: RoundingType = RoundingType.NEAREST
    amount_added_before: Decimal = ZERO
    amount_added_after: Decimal = ZERO


@dataclass(frozen=True)
class WorksheetLine:
    """A proposed standard cost change of one item; implemented once it has an implementation no."""

    worksheet_name: str
    item_no: str
    standard_cost: Decimal
    """The item's standard cost when the line was written."""
    new_standard_cost: Decimal
    implementation_no: int | None = None
    posting_date: date | None = None
    """The date the new standard cost was implemented at (its revaluation's posting date)."""

    @property
    def implemented(self) -> bool:
        return self.implementation_no is not None


def suggest_standard_cost(standard_cost: Decimal, adjustment_factor: Decimal, rounding_method: Sequence[RoundingMethodLine]) -> Decimal:
    """The new standard cost Suggest Item Standard Cost proposes: the current one x factor, rounded.

    The rounding method's line that applies is the one with the highest minimum amount at or below the
    adjusted amount; with none (or an empty method) the amount stays as it is. A zero standard cost stays zero.
    """
    if adjustment_factor < ZERO:
        raise InvalidStandardCostError(f"an adjustment factor cannot be negative, got {adjustment_factor}")
    if standard_cost == ZERO:
        return ZERO
    amount = (standard_cost * adjustment_factor).quantize(UNIT_COST_QUANTUM, rounding=ROUND_HALF_UP)
    applying = [line for line in rounding_method if line.minimum_amount <= amount]
    if applying:
        line = max(applying, key=lambda candidate: candidate.minimum_amount)
        amount += line.amount_added_before
        if line.precision > ZERO:
            # As Business Central does: the amount's magnitude is rounded (the amount is >= 0 before the addition).
            amount = (abs(amount) / line.precision).quantize(Decimal(1), rounding=_ROUNDING[line.type]) * line.precision
        amount += line.amount_added_after
    suggested = amount.quantize(UNIT_COST_QUANTUM, rounding=ROUND_HALF_UP)
    return checked_standard_cost(suggested, f"{standard_cost} x {adjustment_factor}, rounded,")


def checked_standard_cost(standard_cost: Decimal, what: str = "the standard cost") -> Decimal:
    if standard_cost < ZERO:
        raise InvalidStandardCostError(f"{what} is {standard_cost}: a standard cost cannot be negative")
    if standard_cost > UNIT_COST_MAX:
        raise InvalidStandardCostError(f"{what} is {standard_cost}: a standard cost cannot exceed {UNIT_COST_MAX}")
    return standard_cost


def check_standard_item(setup: CostSetup) -> None:
    """Only a Standard item's inventory is carried at its standard cost, so only its standard cost is implemented."""
    if setup.costing_method != CostingMethod.STANDARD:
        raise NotAStandardItemError(
            f"item {setup.item_no} uses costing method {setup.costing_method}; the standard cost worksheet changes "
            "Standard items only"
        )
