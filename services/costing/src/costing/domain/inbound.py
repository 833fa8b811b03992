"""What an inbound entry costs by the item's costing method: direct, indirect and variance parts."""

from dataclasses import dataclass
from decimal import Decimal

from inventory_contracts.catalog import CostingMethod

from costing.domain.errors import InvalidQuantityError
from costing.domain.fifo import ZERO, round_amount


@dataclass(frozen=True)
class CostSetup:
    """What costing knows of the item card (replica of catalog.items.v1)."""

    item_no: str
    costing_method: CostingMethod
    standard_cost: Decimal = ZERO
    indirect_cost_pct: Decimal = ZERO
    overhead_rate: Decimal = ZERO
    single_level_material_cost: Decimal = ZERO
    single_level_capacity_cost: Decimal = ZERO
    single_level_cap_ovhd_cost: Decimal = ZERO
    single_level_mfg_ovhd_cost: Decimal = ZERO


@dataclass(frozen=True)
class InboundCost:
    """Amounts (>= 0 for direct and indirect) of one inbound entry; `value` is what its cost layer holds."""

    direct: Decimal
    indirect: Decimal = ZERO
    variance: Decimal = ZERO

    @property
    def value(self) -> Decimal:
        return self.direct + self.indirect + self.variance


def cost_of_receipt(quantity: Decimal, direct_unit_cost: Decimal, setup: CostSetup | None, *, is_purchase: bool) -> InboundCost:
    """Cost of an inbound entry given a direct unit cost.

    A purchase adds indirect cost: unit cost = direct unit cost x (1 + indirect cost % / 100) + overhead
    rate, the part above the direct cost being an Indirect Cost entry. A Standard item holds every
    entry at its standard cost; for a purchase the difference to the direct and indirect cost is a
    Variance entry, for any other inbound entry the given cost is not used (the ledger knows variance
    only on purchases). Without a replica of the card (`setup` None) the entry takes its own cost.
    """
    if quantity <= ZERO:
        raise InvalidQuantityError(f"inbound quantity must be positive, got {quantity}")
    direct = round_amount(quantity * direct_unit_cost)
    indirect = ZERO
    if is_purchase and setup is not None:
        unit_cost = direct_unit_cost * (1 + setup.indirect_cost_pct / 100) + setup.overhead_rate
        indirect = round_amount(quantity * unit_cost) - direct
    if setup is None or setup.costing_method != CostingMethod.STANDARD:
        return InboundCost(direct, indirect)
    standard = round_amount(quantity * setup.standard_cost)
    if not is_purchase:
        return InboundCost(standard)
    return InboundCost(direct, indirect, standard - direct - indirect)
