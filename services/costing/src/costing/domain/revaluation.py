"""Revaluation of on-hand quantity: the difference between a new value and the value at a date."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from costing.domain.errors import InvalidRevaluationError
from costing.domain.fifo import ZERO, reprice, round_amount


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
class LayerAtDate:
    """An inbound entry's layer seen at the revaluation date.

    `before` are the (quantity, cost) the outbound entries dated on or before the date took from it;
    `after` those dated after it, which consumed revalued quantity.
    """

    entry_no: int
    quantity: Decimal
    cost_amount: Decimal
    before: Sequence[tuple[Decimal, Decimal]]
    after: Sequence[tuple[Decimal, Decimal]]

    @property
    def quantity_at_date(self) -> Decimal:
        return self.quantity - sum((quantity for quantity, _ in self.before), ZERO)

    @property
    def value_at_date(self) -> Decimal:
        return self.cost_amount - sum((cost for _, cost in self.before), ZERO)


@dataclass(frozen=True)
class LayerRevaluation:
    entry_no: int
    amount: Decimal
    """The Revaluation value entry on the inbound entry: new value at the date - value at the date."""
    after_costs: list[Decimal]
    """What each outbound entry after the date now takes (>= 0), in the order of `after`."""


def revalue_layer(layer: LayerAtDate, new_value_at_date: Decimal) -> LayerRevaluation:
    """Revalue what the layer held at the date to `new_value_at_date`.

    The outbound entries after the date share the new value with what is still on hand, by cumulative
    rounding over the quantity at the date: they are adjusted by (new share - cost they took).
    """
    quantity = layer.quantity_at_date
    if quantity <= ZERO:
        raise InvalidRevaluationError(f"entry {layer.entry_no} has nothing on hand at the revaluation date")
    shares = reprice(new_value_at_date, quantity, [q for q, _ in layer.after])
    return LayerRevaluation(layer.entry_no, new_value_at_date - layer.value_at_date, shares)


def split_value(total: Decimal, quantities: Sequence[Decimal]) -> list[Decimal]:
    """A new value for several layers, shared by quantity (cumulative rounding: adds up to `total`)."""
    whole = sum(quantities, ZERO)
    if whole <= ZERO:
        raise InvalidRevaluationError("nothing on hand to revalue")
    return reprice(total, whole, quantities)
