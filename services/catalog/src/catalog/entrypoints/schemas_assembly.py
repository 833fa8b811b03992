"""HTTP bodies of assembly BOMs: the BOM, its tree, where-used, explosion and the cost roll-up."""

from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from inventory_contracts.catalog import BomComponentType, ResourceUsageType
from inventory_contracts.limits import INT32_MAX, Quantity

BomNo = Annotated[str, Field(max_length=20, pattern=r"^([A-Za-z0-9][A-Za-z0-9_.\-/]*)?$")]
BomUnit = Annotated[str, Field(max_length=10, pattern=r"^([A-Za-z0-9][A-Za-z0-9_.\-/]*)?$")]


class AssemblyBomLineIn(BaseModel):
    model_config = ConfigDict(extra="forbid", from_attributes=True)

    line_no: int = Field(ge=1, le=INT32_MAX, description="Unique in the BOM; gives the lines' order.")
    type: BomComponentType
    no: BomNo = Field(default="", description="Item no. or resource no.; blank on a text line.")
    description: str = Field(default="", max_length=100, description="Blank: the component's own description.")
    quantity_per: Quantity = Field(
        default=Decimal(0), ge=0, max_digits=20, decimal_places=5,
        description="Quantity per parent base unit, in the line's unit (0 on a text line).",
    )
    unit_of_measure_code: BomUnit = Field(default="", description="Blank: the component's base unit.")
    resource_usage_type: ResourceUsageType = Field(
        default=ResourceUsageType.DIRECT, description="Resource lines: Direct per parent unit, Fixed once per lot.",
    )


class AssemblyBomLineOut(AssemblyBomLineIn):
    model_config = ConfigDict(extra="ignore", from_attributes=True)


class AssemblyBomIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lines: list[AssemblyBomLineIn] = Field(max_length=1000, description="The whole BOM; an empty list removes it.")


class AssemblyBomOut(BaseModel):
    item_no: str
    revision: int = Field(description="The card's revision (its ETag) the BOM belongs to.")
    lines: list[AssemblyBomLineOut]


class BomTreeLineOut(BaseModel):
    level: int = Field(description="1 for the parent's own lines, 2 for a sub-assembly's, ...")
    parent_item_no: str = Field(description="The item whose BOM holds the line.")
    line_no: int
    type: BomComponentType
    no: str
    description: str
    quantity_per: Decimal = Field(description="Per unit of `parent_item_no`, in `unit_of_measure_code`.")
    unit_of_measure_code: str
    resource_usage_type: ResourceUsageType
    quantity_per_top_item: Decimal = Field(
        description="Per base unit of the tree's top item, in the component's base unit (resources: in the line's unit)."
    )
    low_level_code: int | None = Field(
        default=None, description="Items: the deepest level at which the item is a component in any BOM."
    )
    has_assembly_bom: bool = Field(default=False, description="The component is itself assembled (its lines follow).")


class BomTreeOut(BaseModel):
    item_no: str
    description: str
    low_level_code: int
    lines: list[BomTreeLineOut] = Field(description="Depth first, each component's own lines right after it.")


class WhereUsedOut(BaseModel):
    item_no: str
    entries: list["WhereUsedEntryOut"]


class WhereUsedEntryOut(BaseModel):
    level: int = Field(description="1: the BOM names the item itself; 2: it names a parent of level 1; ...")
    item_no: str = Field(description="The parent item.")
    description: str
    quantity_needed: Decimal = Field(description="Base units of the item in one base unit of this parent.")


WhereUsedOut.model_rebuild()


class ExplodedLineOut(BaseModel):
    line_no: int
    no: str
    description: str
    quantity: Decimal = Field(description="In `unit_of_measure_code`.")
    unit_of_measure_code: str
    quantity_base: Decimal = Field(description="In the component's base unit.")


class ExplodedBomOut(BaseModel):
    item_no: str
    quantity: Decimal
    unit_of_measure_code: str
    lines: list[ExplodedLineOut] = Field(description="The component items that replace the parent; text and resource lines are dropped.")


class RollUpLevels(StrEnum):
    TOP = "top"
    ALL = "all"


class CalculateStandardCostIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    levels: RollUpLevels = Field(
        default=RollUpLevels.TOP,
        description="top: components at their cost as it stands; all: sub-assemblies are calculated first (their cards too).",
    )


class StandardCostOut(BaseModel):
    item_no: str
    revision: int
    standard_cost: Decimal
    single_level_material_cost: Decimal
    single_level_capacity_cost: Decimal
    single_level_cap_ovhd_cost: Decimal
    single_level_mfg_ovhd_cost: Decimal
    updated_items: list[str] = Field(description="The cards the calculation changed, sub-assemblies first.")
