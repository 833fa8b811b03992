"""FIFO valuation of item ledger entries, per item, in the order the entries arrive.

Each portion an outbound entry takes from a layer is rounded on its own: its quantity x the layer's
unit cost, to the cent. No cents are carried from one outbound entry to the next; once a layer is
completely applied, the residue between its cost and what it gave away is a Rounding value entry
on its inbound entry, so that zero quantity means zero value.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from inventory_contracts.limits import AMOUNT_QUANTUM, UNIT_COST_QUANTUM

from costing.domain.errors import CostLayerOverdrawnError, InvalidQuantityError, UnknownCostLayerError

ZERO = Decimal(0)


@dataclass
class CostLayer:
    """The cost source of one inbound item ledger entry."""

    entry_no: int
    quantity: Decimal
    cost_amount: Decimal
    """The inbound entry's cost with its revaluations, without its Rounding entries."""
    applied_quantity: Decimal = ZERO
    applied_cost: Decimal = ZERO
    revalued_amount: Decimal = ZERO
    """The part of `cost_amount` revaluations added: carried only by what takes the revalued quantity."""
    revalued_per_unit: Fraction = Fraction(0)
    """What each unit taken from now on carries of the revaluations (exact: amount / revalued quantity)."""
    revalued: bool = False
    """Whether any revaluation reached it: its revaluations may add up to nothing and still change what units carry."""
    rounding_amount: Decimal = ZERO

    @property
    def remaining_quantity(self) -> Decimal:
        return self.quantity - self.applied_quantity

    @property
    def remaining_cost(self) -> Decimal:
        return self.cost_amount + self.rounding_amount - self.applied_cost

    @property
    def base_unit_cost(self) -> Fraction:
        """Cost per unit before revaluations, exact."""
        cost, cost_scale = (self.cost_amount - self.revalued_amount).as_integer_ratio()
        quantity, quantity_scale = self.quantity.as_integer_ratio()
        return Fraction(cost * quantity_scale, cost_scale * quantity)

    @property
    def unit_cost(self) -> Fraction:
        """Cost per unit of what is taken from now on, exact."""
        if not self.revalued_per_unit:
            return self.base_unit_cost
        return self.base_unit_cost + self.revalued_per_unit

    def rounding_needed(self) -> Decimal:
        """The Rounding entry that leaves a completely applied layer with no value (0 while quantity remains)."""
        if self.remaining_quantity:
            return ZERO
        return -self.remaining_cost


@dataclass
class OutboundCost:
    """What costing remembers of an outbound item ledger entry: quantity < 0, cost so far <= 0."""

    entry_no: int
    quantity: Decimal
    cost_amount: Decimal


@dataclass(frozen=True)
class Portion:
    """Quantity and cost (>= 0) an outbound entry took from one inbound entry's layer."""

    inbound_entry_no: int
    outbound_entry_no: int
    quantity: Decimal
    cost_amount: Decimal


def round_amount(amount: Decimal) -> Decimal:
    return amount.quantize(AMOUNT_QUANTUM, rounding=ROUND_HALF_UP)


def round_exact(amount: Fraction) -> Decimal:
    """An exact amount to the cent, half away from zero (as `round_amount`)."""
    return _cents(amount.numerator, amount.denominator)


def portion_cost(quantity: Decimal, unit_cost: Fraction) -> Decimal:
    """`quantity` x `unit_cost` to the cent, half away from zero, computed exactly."""
    quantity_numerator, quantity_denominator = quantity.as_integer_ratio()
    return _cents(quantity_numerator * unit_cost.numerator, quantity_denominator * unit_cost.denominator)


def _cents(numerator: int, denominator: int) -> Decimal:
    """numerator / denominator (> 0) to the cent, half away from zero: floor(|x| x 100 + 1/2), in integers."""
    cents = (200 * abs(numerator) + denominator) // (2 * denominator)
    return Decimal(cents if numerator >= 0 else -cents).scaleb(-2)


def cost_of_inbound(quantity: Decimal, unit_cost: Decimal) -> Decimal:
    if quantity <= ZERO:
        raise InvalidQuantityError(f"inbound quantity must be positive, got {quantity}")
    return round_amount(quantity * unit_cost)


def take_from_layer(layer: CostLayer, quantity: Decimal) -> Decimal:
    """Move `quantity` (> 0) out of the layer, mutating it; return the cost taken."""
    if quantity <= ZERO:
        raise InvalidQuantityError(f"quantity taken from a layer must be positive, got {quantity}")
    if quantity > layer.remaining_quantity:
        raise CostLayerOverdrawnError(
            f"entry {layer.entry_no} has {layer.remaining_quantity} left, {quantity} asked"
        )
    cost = portion_cost(quantity, layer.unit_cost)
    layer.applied_quantity += quantity
    layer.applied_cost += cost
    return cost


def value_outbound(
    outbound_entry_no: int,
    quantity: Decimal,
    applications: Sequence[tuple[int, Decimal]],
    layers: Mapping[int, CostLayer],
    unit_cost_for_unapplied: Decimal,
) -> tuple[Decimal, list[Portion]]:
    """Cost (<= 0) of an outbound entry and the portions it takes from the layers it applies to.

    `applications` are (inbound_entry_no, quantity > 0). Quantity not applied (negative inventory)
    is valued provisionally at `unit_cost_for_unapplied`. Layers are mutated only when every
    application fits, so a refused valuation leaves them untouched.
    """
    if quantity >= ZERO:
        raise InvalidQuantityError(f"outbound quantity must be negative, got {quantity}")
    _check_applications_fit(quantity, applications, layers)
    portions = [
        Portion(inbound_entry_no, outbound_entry_no, applied, take_from_layer(layers[inbound_entry_no], applied))
        for inbound_entry_no, applied in applications
    ]
    unapplied = quantity + sum((portion.quantity for portion in portions), ZERO)
    cost_amount = round_amount(unapplied * unit_cost_for_unapplied) - sum(
        (portion.cost_amount for portion in portions), ZERO
    )
    return cost_amount, portions


def adjustment_for_late_inbound(
    outbound: OutboundCost, portion_cost: Decimal, quantity: Decimal, provisional_unit_cost: Decimal
) -> Decimal:
    """Adjustment to post on an outbound entry when a late inbound entry covers `quantity` (> 0) of it.

    That quantity was valued provisionally at -round(quantity * provisional_unit_cost); it must now
    cost -portion_cost. `outbound` itself is not changed.
    """
    if quantity <= ZERO or quantity > -outbound.quantity:
        raise InvalidQuantityError(
            f"covered quantity must be in (0, {-outbound.quantity}] for entry {outbound.entry_no}, got {quantity}"
        )
    provisional_cost = -round_amount(quantity * provisional_unit_cost)
    return -portion_cost - provisional_cost


def average_unit_cost(quantity_on_hand: Decimal, value_on_hand: Decimal) -> Decimal:
    if quantity_on_hand == ZERO:
        return ZERO
    return (value_on_hand / quantity_on_hand).quantize(UNIT_COST_QUANTUM, rounding=ROUND_HALF_UP)


def _check_applications_fit(
    quantity: Decimal, applications: Sequence[tuple[int, Decimal]], layers: Mapping[int, CostLayer]
) -> None:
    asked: dict[int, Decimal] = {}
    for inbound_entry_no, applied in applications:
        if inbound_entry_no not in layers:
            raise UnknownCostLayerError(f"no cost layer for inbound entry {inbound_entry_no}")
        if applied <= ZERO:
            raise InvalidQuantityError(f"applied quantity must be positive, got {applied}")
        asked[inbound_entry_no] = asked.get(inbound_entry_no, ZERO) + applied
    for inbound_entry_no, total in asked.items():
        if total > layers[inbound_entry_no].remaining_quantity:
            raise CostLayerOverdrawnError(
                f"entry {inbound_entry_no} has {layers[inbound_entry_no].remaining_quantity} left, {total} asked"
            )
    if sum(asked.values(), ZERO) > -quantity:
        raise InvalidQuantityError(f"applications exceed the outbound quantity {quantity}")


def cumulative_share(total: Decimal, whole_quantity: Decimal, before: Decimal, quantity: Decimal) -> Decimal:
    """The part of `total` that `quantity` more units of `whole_quantity` carry, after `before` units.

    Cumulative rounding: the shares of parts that add up to the whole add up to exactly `total`.
    """
    if quantity <= ZERO or before < ZERO or before + quantity > whole_quantity:
        raise InvalidQuantityError(f"share of {quantity} after {before} does not fit in {whole_quantity}")

    def upto(taken: Decimal) -> Decimal:
        return round_amount(total * taken / whole_quantity)

    return upto(before + quantity) - upto(before)


def reprice(total: Decimal, whole_quantity: Decimal, quantities: Sequence[Decimal]) -> list[Decimal]:
    """Shares of `total` for consecutive parts of `whole_quantity`, in order (cumulative rounding)."""
    shares, before = [], ZERO
    for quantity in quantities:
        shares.append(cumulative_share(total, whole_quantity, before, quantity))
        before += quantity
    return shares


def provisional_share(provisional_cost: Decimal, provisional_quantity: Decimal, covered_before: Decimal, covered: Decimal) -> Decimal:
    """The part of a provisional cost (>= 0) that `covered` more units carry, after `covered_before` were covered.

    Cumulative rounding again: once the whole provisional quantity is covered, exactly the
    provisional cost has been replaced, so the adjustments leave no cent behind.
    """
    return cumulative_share(provisional_cost, provisional_quantity, covered_before, covered)
