"""What an assembly output costs: the actual cost of its consumptions, its resources and the assembled item's overhead,
and for a Standard item the variances that bring it to the standard cost, by variance type."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from inventory_contracts.catalog import CostingMethod
from inventory_contracts.costing import ValueEntryType, VarianceType
from inventory_contracts.warehouse import AssemblyResourceUsage

from costing.domain.fifo import ZERO, round_amount
from costing.domain.inbound import CostSetup


@dataclass(frozen=True)
class CostPart:
    """One value entry of an output: its type and amount, the resource it carries, the variance type."""

    entry_type: ValueEntryType
    amount: Decimal
    resource_no: str | None = None
    variance_type: VarianceType | None = None


def output_cost(
    quantity: Decimal, material: Decimal, resources: Sequence[AssemblyResourceUsage], setup: CostSetup | None
) -> list[CostPart]:
    """The value entries of an assembly output of `quantity` whose consumptions cost `material` (>= 0).

    First the material as Direct Cost (the entry that values the output's quantity). Each resource adds its
    quantity x direct unit cost as Direct Cost and quantity x (unit cost - direct unit cost) as Indirect Cost. The
    assembled item's overhead, indirect cost % of everything before plus overhead rate per unit, is Indirect Cost.
    A Standard item is held at its standard cost: each share of it on the card (material, capacity, capacity
    overhead, manufacturing overhead) less its actual counterpart is a Variance of that type. Shares that do not add
    up to the standard cost (no cost roll-up) leave the difference in the material share.
    """
    parts = [CostPart(ValueEntryType.DIRECT_COST, material)]
    capacity = capacity_overhead = ZERO
    for usage in resources:
        direct = round_amount(usage.quantity * usage.direct_unit_cost)
        indirect = round_amount(usage.quantity * usage.unit_cost) - direct
        capacity += direct
        capacity_overhead += indirect
        parts.append(CostPart(ValueEntryType.DIRECT_COST, direct, resource_no=usage.resource_no))
        if indirect:
            parts.append(CostPart(ValueEntryType.INDIRECT_COST, indirect, resource_no=usage.resource_no))
    if setup is None:
        return parts
    overhead = assembly_overhead(quantity, material + capacity + capacity_overhead, setup.indirect_cost_pct,
                                 setup.overhead_rate)
    if overhead:
        parts.append(CostPart(ValueEntryType.INDIRECT_COST, overhead))
    if setup.costing_method != CostingMethod.STANDARD:
        return parts
    actual = {VarianceType.MATERIAL: material, VarianceType.CAPACITY: capacity,
              VarianceType.CAPACITY_OVERHEAD: capacity_overhead, VarianceType.MANUFACTURING_OVERHEAD: overhead}
    return parts + standard_variances(quantity, setup, actual)


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
    """What an output's overhead was computed from, kept so that a forwarded material cost recomputes it."""

    entry_no: int
    quantity: Decimal
    indirect_cost_pct: Decimal
    overhead_rate: Decimal
    capacity_cost: Decimal
    material_cost: Decimal
    overhead_amount: Decimal

    def take_material_change(self, change: Decimal) -> Decimal:
        """Add `change` to the material cost; the change of the overhead that follows from it."""
        self.material_cost += change
        overhead = assembly_overhead(self.quantity, self.material_cost + self.capacity_cost, self.indirect_cost_pct,
                                     self.overhead_rate)
        change, self.overhead_amount = overhead - self.overhead_amount, overhead
        return change
