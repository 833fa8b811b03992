"""What an assembly output costs: the actual cost of its consumptions, its resources and the assembled item's overhead,
and for a Standard item the variances that bring it to the standard cost, by variance type.

A posting of a serial- or lot-tracked parent writes one output entry per serial or lot: each costs its share of the
posting's material, resources and overhead by quantity (`OutputShare`)."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from inventory_contracts.catalog import CostingMethod
from inventory_contracts.costing import ValueEntryType, VarianceType
from inventory_contracts.warehouse import AssemblyResourceUsage

from costing.domain.errors import InvalidAssemblyOutputError
from costing.domain.fifo import ZERO, round_amount
from costing.domain.inbound import CostSetup


@dataclass(frozen=True)
class OutputShare:
    """Which part of its posting's output an output entry is: the quantities of all the posting's output entries, in
    entry order, and this entry's position among them."""

    quantities: tuple[Decimal, ...]
    index: int = 0

    @classmethod
    def posted(cls, quantity: Decimal, quantities: Sequence[Decimal], index: int, *, entry_no: int) -> "OutputShare":
        """The share an output entry of `quantity` names; no quantities: the whole posting (an output posted before
        outputs named their posting's quantities)."""
        if not quantities:
            return cls((quantity,))
        share = cls(tuple(quantities), index)
        if index >= len(quantities) or quantities[index] != quantity or min(quantities) <= 0:
            raise InvalidAssemblyOutputError(
                f"assembly output {entry_no} of {quantity} cannot be entry {index} of a posting of output quantities "
                f"{', '.join(str(q) for q in quantities)}")
        return share

    @property
    def quantity(self) -> Decimal:
        return self.quantities[self.index]

    @property
    def posting_quantity(self) -> Decimal:
        return sum(self.quantities, ZERO)

    def of(self, total: Decimal) -> Decimal:
        """This entry's share of an amount of the whole posting by quantity, rounded to the cent; the last entry takes
        what the others leave, so that the shares add up to `total` exactly."""
        if len(self.quantities) == 1:
            return total
        posting_quantity = self.posting_quantity
        if self.index < len(self.quantities) - 1:
            return round_amount(total * self.quantity / posting_quantity)
        return total - sum((round_amount(total * q / posting_quantity) for q in self.quantities[:-1]), ZERO)


@dataclass(frozen=True)
class CostPart:
    """One value entry of an output: its type and amount, the resource it carries, the variance type."""

    entry_type: ValueEntryType
    amount: Decimal
    resource_no: str | None = None
    variance_type: VarianceType | None = None


@dataclass(frozen=True)
class OutputCost:
    """The value entries of an output, and the resource cost (direct and indirect) of its whole posting."""

    parts: list[CostPart]
    posting_capacity_cost: Decimal


def output_cost(
    share: OutputShare, material: Decimal, posting_material: Decimal, resources: Sequence[AssemblyResourceUsage],
    setup: CostSetup | None,
) -> OutputCost:
    """The value entries of an output entry whose share of its posting's consumptions costs `material` (>= 0), of
    `posting_material` for the whole posting.

    First the material as Direct Cost (the entry that values the output's quantity). Each resource adds its share of
    quantity x direct unit cost as Direct Cost and of quantity x (unit cost - direct unit cost) as Indirect Cost. The
    assembled item's overhead, indirect cost % of everything before plus overhead rate per unit, is computed for the
    posting and its share is Indirect Cost. A Standard item is held at its standard cost: each share of it on the card
    (material, capacity, capacity overhead, manufacturing overhead) less its actual counterpart is a Variance of that
    type. Shares that do not add up to the standard cost (no cost roll-up) leave the difference in the material share.
    """
    parts = [CostPart(ValueEntryType.DIRECT_COST, material)]
    capacity = capacity_overhead = posting_capacity = ZERO
    for usage in resources:
        posting_direct = round_amount(usage.quantity * usage.direct_unit_cost)
        posting_indirect = round_amount(usage.quantity * usage.unit_cost) - posting_direct
        posting_capacity += posting_direct + posting_indirect
        direct, indirect = share.of(posting_direct), share.of(posting_indirect)
        capacity += direct
        capacity_overhead += indirect
        parts.append(CostPart(ValueEntryType.DIRECT_COST, direct, resource_no=usage.resource_no))
        if indirect:
            parts.append(CostPart(ValueEntryType.INDIRECT_COST, indirect, resource_no=usage.resource_no))
    overhead = ZERO
    if setup is not None:
        overhead = share.of(assembly_overhead(share.posting_quantity, posting_material + posting_capacity,
                                              setup.indirect_cost_pct, setup.overhead_rate))
    if overhead:
        parts.append(CostPart(ValueEntryType.INDIRECT_COST, overhead))
    if setup is None or setup.costing_method != CostingMethod.STANDARD:
        return OutputCost(parts, posting_capacity)
    actual = {VarianceType.MATERIAL: material, VarianceType.CAPACITY: capacity,
              VarianceType.CAPACITY_OVERHEAD: capacity_overhead, VarianceType.MANUFACTURING_OVERHEAD: overhead}
    return OutputCost(parts + standard_variances(share.quantity, setup, actual), posting_capacity)


def standard_variances(quantity: Decimal, setup: CostSetup, actual: Mapping[VarianceType, Decimal]) -> list[CostPart]:
    """Each share of the standard cost of `quantity` less its `actual` counterpart, where they differ."""
    standard = round_amount(quantity * setup.standard_cost)
    shares = {
        VarianceType.CAPACITY: round_amount(quantity * setup.single_level_capacity_cost),
        VarianceType.CAPACITY_OVERHEAD: round_amount(quantity * setup.single_level_cap_ovhd_cost),
        VarianceType.MANUFACTURING_OVERHEAD: round_amount(quantity * setup.single_level_mfg_ovhd_cost),
    }
    shares = {VarianceType.MATERIAL: standard - sum(shares.values(), ZERO), **shares}
    return [CostPart(ValueEntryType.VARIANCE, share - actual[variance_type], variance_type=variance_type)
            for variance_type, share in shares.items() if share != actual[variance_type]]


def assembly_overhead(quantity: Decimal, cost: Decimal, indirect_cost_pct: Decimal, overhead_rate: Decimal) -> Decimal:
    """The assembled item's own overhead: indirect cost % of the output's material and resource cost, plus the
    overhead rate per unit."""
    return round_amount(cost * indirect_cost_pct / 100 + quantity * overhead_rate)


@dataclass
class AssemblyOutput:
    """What an output's overhead was computed from, kept so that a forwarded material cost recomputes it: its own
    quantity and costs, and those of its whole posting, of which it takes `share`."""

    entry_no: int
    quantity: Decimal
    indirect_cost_pct: Decimal
    overhead_rate: Decimal
    capacity_cost: Decimal
    material_cost: Decimal
    overhead_amount: Decimal
    share: OutputShare
    posting_material_cost: Decimal
    posting_capacity_cost: Decimal

    def take_material_change(self, change: Decimal, posting_change: Decimal) -> Decimal:
        """Add `change` to the material cost, `posting_change` to the posting's; the change of the overhead share
        that follows from it."""
        self.material_cost += change
        self.posting_material_cost += posting_change
        overhead = self.share.of(assembly_overhead(
            self.share.posting_quantity, self.posting_material_cost + self.posting_capacity_cost,
            self.indirect_cost_pct, self.overhead_rate))
        change, self.overhead_amount = overhead - self.overhead_amount, overhead
        return change
