"""HTTP request and response bodies of assembly orders."""

from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from inventory_contracts.catalog import BomComponentType, ResourceUsageType
from inventory_contracts.limits import LineNo, UnitCost
from inventory_contracts.limits import Quantity as BoundedQuantity

from warehouse.entrypoints.schemas import ItemLedgerEntryOut, TrackingLineIn

def _code() -> Any:
    return Field(default="", max_length=20, pattern=r"^[A-Za-z0-9_.\-/]*$")


class AssembleToOrderIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sales_order_no: str = Field(min_length=1, max_length=20)
    sales_line_no: int = Field(ge=0, le=2_147_483_647)


class AssemblyOrderIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    no: str | None = Field(default=None, min_length=1, max_length=20, pattern=r"^[A-Za-z0-9_.\-/]+$",
                           description="Numbered A000001, A000002, ... when omitted.")
    item_no: str = Field(min_length=1, max_length=20, description="The parent: an item with an assembly BOM.")
    quantity: BoundedQuantity = Field(gt=0, max_digits=20, decimal_places=5, description="In unit_of_measure_code.")
    unit_of_measure_code: str = Field(default="", max_length=20, description="Blank: the parent's base unit.")
    location_code: str = _code()
    bin_code: str = _code()
    variant_code: str = _code()
    due_date: date
    starting_date: date | None = Field(default=None, description="Blank: the due date.")
    assemble_to_order: AssembleToOrderIn | None = Field(
        default=None, description="The sales line this order assembles for; its shipment posts the assembly.")
    responsibility_center: str = Field(default="", max_length=10,
                                       description="Blank: the location's center (else the caller's).")


class AssemblyLineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    line_no: LineNo | None = Field(default=None, gt=0, description="Next multiple of 10000 when omitted.")
    type: BomComponentType
    no: str = Field(default="", max_length=20)
    description: str = Field(default="", max_length=100)
    quantity_per: BoundedQuantity = Field(default=Decimal(0), ge=0, max_digits=20, decimal_places=5)
    unit_of_measure_code: str = Field(default="", max_length=20)
    variant_code: str = _code()
    location_code: str | None = Field(default=None, max_length=20, description="Item lines; blank: the order's.")
    bin_code: str = _code()
    resource_usage_type: ResourceUsageType = ResourceUsageType.DIRECT
    direct_unit_cost: UnitCost | None = Field(default=None, ge=0, description="Resource lines: else the catalog's.")
    unit_cost: UnitCost | None = Field(default=None, ge=0, description="Resource lines: else the catalog's.")


class AssemblyLineChangeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    quantity: BoundedQuantity | None = Field(default=None, ge=0, max_digits=20, decimal_places=5,
                                             description="In the line's unit of measure.")
    location_code: str | None = Field(default=None, max_length=20)
    bin_code: str | None = Field(default=None, max_length=20)


class AssemblyOrderLineOut(BaseModel):
    line_no: int
    type: BomComponentType
    no: str
    description: str
    variant_code: str
    location_code: str
    bin_code: str
    unit_of_measure_code: str
    quantity_per: Decimal
    quantity: Decimal = Field(description="Items: in the base unit. Resources: in the resource's unit.")
    remaining_quantity: Decimal = Field(description="Not yet consumed.")
    due_date: date | None
    resource_usage_type: ResourceUsageType | None
    direct_unit_cost: Decimal | None
    unit_cost: Decimal | None


class AssemblyOrderOut(BaseModel):
    no: str
    item_no: str
    variant_code: str
    location_code: str
    bin_code: str
    unit_of_measure_code: str
    qty_per_unit_of_measure: Decimal
    quantity: Decimal = Field(description="In the base unit.")
    remaining_quantity: Decimal = Field(description="In the base unit, not yet assembled.")
    due_date: date
    starting_date: date
    assemble_to_order_sales_no: str
    assemble_to_order_sales_line_no: int
    status: str = Field(description="Open or Posted.")
    lines: list[AssemblyOrderLineOut]
    responsibility_center: str = Field(description="The center the order and its entries belong to.")


class AssemblyOrderPage(BaseModel):
    orders: list[AssemblyOrderOut]
    next_cursor: str | None = None


class ComponentAvailabilityOut(BaseModel):
    line_no: int
    item_no: str
    location_code: str
    needed: Decimal = Field(description="Still to consume, in the base unit.")
    available: Decimal = Field(description="Available inventory of the item at the line's location.")
    shortage: Decimal


class AssemblyAvailabilityOut(BaseModel):
    order_no: str
    remaining_quantity: Decimal
    able_to_assemble: Decimal = Field(description="Parents (base unit) the available components make now.")
    lines: list[ComponentAvailabilityOut]


class ConsumptionTrackingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    line_no: LineNo = Field(gt=0)
    tracking: list[TrackingLineIn] = Field(min_length=1, max_length=10_000)


class AssemblyPostingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    quantity_to_assemble: BoundedQuantity = Field(gt=0, max_digits=20, decimal_places=5,
                                                  description="In the order's unit; at most what remains.")
    posting_date: date
    document_no: str | None = Field(default=None, min_length=1, max_length=20,
                                    description="Blank: the posting's own no. (PA000001, ...).")
    output_tracking: list[TrackingLineIn] = Field(default_factory=list, max_length=10_000)
    consumption_tracking: list[ConsumptionTrackingIn] = Field(default_factory=list, max_length=10_000)


class ResourceUsageOut(BaseModel):
    resource_no: str
    order_line_no: int
    quantity: Decimal
    direct_unit_cost: Decimal
    unit_cost: Decimal


class AssemblyEntryOut(ItemLedgerEntryOut):
    consumption_entries: list[int] = Field(default_factory=list)
    resources: list[ResourceUsageOut] = Field(default_factory=list)


class AssemblyPostingOut(BaseModel):
    posting_no: str
    order_no: str
    document_no: str
    posting_date: date
    quantity: Decimal
    output_entry_nos: list[int]
    consumption_entry_nos: list[int]
    undone: bool
    entries: list[AssemblyEntryOut]


class AssemblyPostedOut(BaseModel):
    order: AssemblyOrderOut
    posting: AssemblyPostingOut


class AssemblyUndoOut(BaseModel):
    order: AssemblyOrderOut
    entries: list[AssemblyEntryOut]


class PostedAssemblyOrderOut(BaseModel):
    order: AssemblyOrderOut
    postings: list[AssemblyPostingOut]
