"""Item charges (freight, duty, insurance...) split over the receipt entries they are assigned to."""

from collections.abc import Sequence
from decimal import Decimal
from enum import StrEnum

from costing.domain.errors import InvalidChargeError
from costing.domain.fifo import ZERO, round_amount


class ChargeSplit(StrEnum):
    EQUALLY = "Equally"
    BY_AMOUNT = "By Amount"
    BY_WEIGHT = "By Weight"
    BY_VOLUME = "By Volume"


def split_charge(amount: Decimal, bases: Sequence[Decimal]) -> list[Decimal]:
    """Shares of `amount` proportional to `bases` (>= 0), in order.

    Cumulative rounding: the first k shares together are round(amount x their part of the bases), so
    the shares add up to exactly `amount` and no cent of the charge is lost or made up.
    """
    if not bases:
        raise InvalidChargeError("a charge needs at least one assignment")
    if any(basis < ZERO for basis in bases):
        raise InvalidChargeError("weights, volumes and amounts to split by must not be negative")
    whole = sum(bases, ZERO)
    if whole == ZERO:
        raise InvalidChargeError("the assignments have nothing to split by (all zero)")
    shares, before, given = [], ZERO, ZERO
    for basis in bases:
        before += basis
        upto = round_amount(amount * before / whole)
        shares.append(upto - given)
        given = upto
    return shares


def bases_for(split: ChargeSplit, amounts: Sequence[Decimal], weights: Sequence[Decimal | None],
              volumes: Sequence[Decimal | None]) -> list[Decimal]:
    """What each assignment line weighs in the split: 1 each, its receipt's amount, its weight or its volume."""
    if split == ChargeSplit.EQUALLY:
        return [Decimal(1)] * len(amounts)
    if split == ChargeSplit.BY_AMOUNT:
        return [abs(amount) for amount in amounts]
    given = weights if split == ChargeSplit.BY_WEIGHT else volumes
    if any(value is None for value in given):
        raise InvalidChargeError(f"split {split} needs a {'weight' if split == ChargeSplit.BY_WEIGHT else 'volume'} on every line")
    return [value for value in given if value is not None]
