"""HTTP request and response bodies of resources and their allocation."""

from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from inventory_contracts.limits import INT32_MAX, Quantity

from catalog.domain.resource_allocation import AllocationSourceType, AllocationStatus, ResourceSkillType
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


PositiveHours = Annotated[Quantity, Field(gt=0, max_digits=20, decimal_places=5)]
LineNo = Annotated[int, Field(ge=1, le=INT32_MAX)]
Description = Annotated[str, Field(max_length=100)]


class CodeDescriptionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: CodeStr
    description: Description = ""


class CodeDescriptionUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    description: Description


class CodeDescriptionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    description: str


class CustomerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    no: CodeStr
    name: str = Field(min_length=1, max_length=100)
    service_zone_code: OptionalCode = Field(default="", description="The service zone the customer is in.")


class CustomerUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=100)
    service_zone_code: OptionalCode | None = None


class CustomerOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    no: str
    name: str
    service_zone_code: str


class ResourceSkillIn(BaseModel):
    """A skill a resource has (type Resource), or one an item or a service item group requires."""

    model_config = ConfigDict(extra="forbid", from_attributes=True)

    type: ResourceSkillType
    no: CodeStr
    skill_code: CodeStr


class ServiceOrderLineIn(BaseModel):
    model_config = ConfigDict(extra="forbid", from_attributes=True)

    line_no: LineNo
    item_no: OptionalCode = Field(default="", description="The item serviced; its skills are required.")
    service_item_group_code: OptionalCode = Field(default="", description="Its skills are required too.")
    description: Description = ""
    needed_date: date
    hours_needed: PositiveHours


class ServiceOrderIn(BaseModel):
    model_config = ConfigDict(extra="forbid", from_attributes=True)

    no: CodeStr
    customer_no: CodeStr
    order_date: date
    lines: list[ServiceOrderLineIn] = Field(min_length=1, max_length=1000)


class ServiceOrderPage(BaseModel):
    service_orders: list[ServiceOrderIn]
    next_cursor: str | None = None


class ProposedResource(BaseModel):
    resource_no: str
    name: str
    type: ResourceType
    service_zone_code: str
    capacity: Decimal = Field(description="Hours per day.")
    allocated_hours: Decimal = Field(description="Hours of active allocations on the day.")
    free_hours: Decimal = Field(description="capacity - allocated_hours.")
    unit_cost: Decimal


class QualifiedResources(BaseModel):
    """The resources that have every required skill, are in the zone, are not blocked and have the hours free."""

    date: date
    hours: Decimal
    required_skills: list[str]
    service_zone_code: str | None = Field(description="The zone a resource must be in; null: any.")
    resources: list[ProposedResource]


class ServiceAllocationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    resource_no: CodeStr
    allocation_date: date | None = Field(default=None, description="Default: the line's needed date.")
    hours: PositiveHours | None = Field(default=None, description="Default: the line's hours needed.")


class AssemblyAllocationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    resource_no: CodeStr
    parent_item_no: CodeStr = Field(description="The item the assembly order makes; its skills are required.")
    allocation_date: date
    hours: PositiveHours


class AllocationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    entry_no: int
    source_type: AllocationSourceType
    source_no: str
    source_line_no: int
    parent_item_no: str
    resource_no: str
    allocation_date: date
    hours: Decimal
    status: AllocationStatus


class DayAvailabilityOut(BaseModel):
    date: date
    capacity: Decimal
    allocated_hours: Decimal
    available_hours: Decimal
