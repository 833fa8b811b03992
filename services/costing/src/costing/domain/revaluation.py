"""Revaluation of on-hand quantity, and what each outbound entry takes of a layer's revalued cost.

A revaluation at a date revalues the quantity a layer still held then: what the outbound entries
dated on or before the date had not taken when it was posted. Only what takes from that quantity
carries it: the outbound entries dated after the date, and every one posted after the revaluation
(whatever its date: it takes what is left, and is valued at the revaluation's date).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from costing.domain.errors import InvalidRevaluationError
from costing.domain.fifo import ZERO, CostLayer, reprice, round_amount, round_exact


def target_value(quantity: Decimal, new_unit_cost: Decimal | None, new_value: Decimal | None) -> Decimal:
    """The value `quantity` should have: by a new unit cost or a new value (exactly one is given)."""
    if (new_unit_cost is None) == (new_value is None):
        raise InvalidRevaluationError("give either a new unit cost or a new value")
    if new_unit_cost is not None:
        if new_unit_cost < ZERO:
            raise InvalidRevaluationError("a unit cost cannot be negative")
        return round_amount(quantity * new_unit_cost)
    assert new_value is not None
    if new_value < ZERO:
        raise InvalidRevaluationError("a value cannot be negative")
    return round_amount(new_value)


@dataclass(frozen=True)
class Application:
    """What one outbound entry took from a layer: `seq` orders the applications as they were made."""

    seq: int
    outbound_entry_no: int
    quantity: Decimal
    cost_amount: Decimal
    posting_date: date


@dataclass(frozen=True)
class LayerRevaluation:
    revaluation_date: date
    amount: Decimal
    quantity: Decimal
    """The quantity revalued: what the layer held at the date."""
    last_application_seq: int
    """Applications up to this one existed when the revaluation was posted."""

    @property
    def per_unit(self) -> Fraction:
        return Fraction(self.amount) / Fraction(self.quantity)

    def affects(self, application: Application) -> bool:
        return application.seq > self.last_application_seq or application.posting_date > self.revaluation_date


def application_costs(layer: CostLayer, applications: Sequence[Application], revaluations: Sequence[LayerRevaluation]) -> list[Decimal]:
    """What each application takes (>= 0): its quantity x the layer's unit cost before revaluations plus each
    revaluation's cost per unit that reaches it, rounded on its own."""
    return [
        round_exact(Fraction(a.quantity) * (layer.base_unit_cost + sum((r.per_unit for r in revaluations if r.affects(a)), Fraction(0))))
        for a in applications
    ]


def held_at(
    layer: CostLayer, applications: Sequence[Application], revaluations: Sequence[LayerRevaluation], at: date
) -> tuple[Decimal, Decimal]:
    """Quantity and value the layer held at the end of `at`, as a revaluation posted now would see them."""
    taken = [a for a in applications if a.posting_date <= at]
    quantity = layer.quantity - sum((a.quantity for a in taken), ZERO)
    value = Fraction(quantity) * layer.base_unit_cost
    for revaluation in revaluations:
        still_held = revaluation.quantity - sum((a.quantity for a in taken if revaluation.affects(a)), ZERO)
        value += Fraction(still_held) * revaluation.per_unit
    return quantity, round_exact(value)


def revalue(
    layer: CostLayer, applications: Sequence[Application], revaluations: Sequence[LayerRevaluation], at: date, new_value: Decimal
) -> LayerRevaluation | None:
    """The revaluation of what the layer held at `at` to `new_value`, applied to `layer`; None when nothing changes."""
    quantity, value = held_at(layer, applications, revaluations, at)
    if quantity <= ZERO:
        raise InvalidRevaluationError(f"entry {layer.entry_no} has nothing on hand at the revaluation date")
    if new_value == value:
        return None
    revaluation = LayerRevaluation(at, new_value - value, quantity, max((a.seq for a in applications), default=0))
    layer.cost_amount += revaluation.amount
    layer.revalued_amount += revaluation.amount
    layer.revalued_per_unit += revaluation.per_unit
    layer.revalued = True
    return revaluation


def split_value(total: Decimal, quantities: Sequence[Decimal]) -> list[Decimal]:
    """A new value for several layers, shared by quantity (cumulative rounding: adds up to `total`)."""
    whole = sum(quantities, ZERO)
    if whole <= ZERO:
        raise InvalidRevaluationError("nothing on hand to revalue")
    return reprice(total, whole, quantities)
