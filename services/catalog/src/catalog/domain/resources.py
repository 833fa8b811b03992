"""The resource card: a person or machine with a cost, a price and a daily capacity in hours. Pure data: no I/O."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

UNIT_COST_PRECISION = Decimal("0.00001")


class ResourceType(StrEnum):
    PERSON = "Person"
    MACHINE = "Machine"


def resource_unit_cost(direct_unit_cost: Decimal, indirect_cost_pct: Decimal) -> Decimal:
    """Unit Cost = Direct Unit Cost * (1 + Indirect Cost % / 100), rounded to the nearest 0.00001 (halves up)."""
    return (direct_unit_cost * (1 + indirect_cost_pct / 100)).quantize(UNIT_COST_PRECISION, ROUND_HALF_UP)


@dataclass(frozen=True)
class Resource:
    no: str
    name: str
    type: ResourceType
    base_unit_of_measure: str
    direct_unit_cost: Decimal = Decimal(0)
    indirect_cost_pct: Decimal = Decimal(0)
    unit_price: Decimal = Decimal(0)
    capacity_per_day: Decimal = Decimal(0)
    service_zone_code: str = ""
    blocked: bool = False

    @property
    def unit_cost(self) -> Decimal:
        return resource_unit_cost(self.direct_unit_cost, self.indirect_cost_pct)
