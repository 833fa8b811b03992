"""HTTP request and response bodies of resources and their allocation."""

from decimal import Decimal
from pydantic import BaseModel, ConfigDict, Field, model_validator

from inventory_contracts.limits import Quantity

from catalog.domain.resources import ResourceType, resource_unit_cost
from catalog.entrypoints.schemas import Amount, Code, CodeStr, OptionalCode, Percent, UnitCode

Hours = Quantity


class ResourceCard(BaseModel):
    """The writable fields of the resource card."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100)
    type: ResourceType = ResourceType.PERSON
    base_unit_of_measure: UnitCode = "HOUR"
    direct_unit_cost: Amount = Field(default=Decimal(0), description="Cost of one unit (hour) before indirect costs.")
    indirect_cost_pct: Percent = Field(default=Decimal(0), description="Indirect cost %, added to the direct unit cost.")
    unit_price: Amount = Decimal(0)
    capacity_per_day: Hours = Field(default=Decimal(0), ge=0, max_digits=20, decimal_places=5,
                                    description="Hours the resource can work on one day.")
    service_zone_code: OptionalCode = ""
    blocked: bool = False


class ResourceCreate(ResourceCard):
    no: str = Code
    unit_cost: Amount | None = Field(default=None, json_schema_extra={"readOnly": True},
                                     description="Derived; accepted only when it equals the derived value.")

    @model_validator(mode="after")
    def _unit_cost_is_derived(self) -> "ResourceCreate":
        # A client may send back the card it read; a unit cost other than the derived one is refused, not ignored.
        derived = resource_unit_cost(self.direct_unit_cost, self.indirect_cost_pct)
        if self.unit_cost is not None and self.unit_cost != derived:
            raise ValueError(f"unit_cost is direct_unit_cost * (1 + indirect_cost_pct / 100) = {derived}, not {self.unit_cost}")
        return self


class ResourceUpdate(BaseModel):
    """Fields to change; those left out keep their value."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=100)
    type: ResourceType | None = None
    base_unit_of_measure: UnitCode | None = None
    direct_unit_cost: Amount | None = None
    indirect_cost_pct: Percent | None = None
    unit_price: Amount | None = None
    capacity_per_day: Hours | None = Field(default=None, ge=0, max_digits=20, decimal_places=5)
    service_zone_code: OptionalCode | None = None
    blocked: bool | None = None


class ResourceOut(ResourceCard):
    model_config = ConfigDict(extra="forbid", from_attributes=True)

    no: CodeStr
    unit_cost: Decimal = Field(description="direct_unit_cost * (1 + indirect_cost_pct / 100), rounded to 0.00001.")


class ResourcePage(BaseModel):
    resources: list[ResourceOut]
    next_cursor: str | None = None
