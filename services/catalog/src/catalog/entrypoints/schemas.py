"""HTTP request and response bodies of the catalog."""

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from inventory_contracts.catalog import (
    AssemblyPolicy,
    CostingMethod,
    ItemType,
    PreventNegativeInventory,
    ReservePolicy,
    TrackedMovement,
)
from inventory_contracts.limits import EntryNo, IndirectCostPercent, Quantity, UnitCost

from catalog.domain.model import AttributeType
from catalog.domain.numbering import NonstockNoFormat
from catalog.entrypoints.schemas_assembly import AssemblyBomLineOut

Code = Field(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-/]*$")
CodeStr = Annotated[str, Field(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-/]*$")]
OptionalCode = Annotated[str, Field(max_length=20, pattern=r"^([A-Za-z0-9][A-Za-z0-9_.\-/]*)?$")]
UnitCode = Annotated[str, Field(min_length=1, max_length=10, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-/]*$")]
Amount = Annotated[UnitCost, Field(ge=0, max_digits=20, decimal_places=5)]
Percent = Annotated[IndirectCostPercent, Field(max_digits=20, decimal_places=5)]
Reason = Annotated[str, Field(max_length=250)]
AttributeName = Annotated[str, Field(min_length=1, max_length=50, pattern=r"^[^:\s](.*[^:\s])?$")]
READ_ONLY: dict[str, Any] = {"readOnly": True}


class UnitOfMeasureOnItem(BaseModel):
    model_config = ConfigDict(extra="forbid", from_attributes=True)

    code: UnitCode
    qty_per_unit_of_measure: Quantity = Field(gt=0, max_digits=20, decimal_places=5, description="Base units in one of this unit.")


class VariantOnItem(BaseModel):
    model_config = ConfigDict(extra="forbid", from_attributes=True)

    code: Annotated[str, Field(min_length=1, max_length=10, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-/]*$")]
    description: str = Field(default="", max_length=100)
    blocked: bool = False


class ItemCard(BaseModel):
    """The writable fields of the item card."""

    model_config = ConfigDict(extra="forbid")

    item_no: str = Code
    description: str = Field(min_length=1, max_length=100)
    type: ItemType = ItemType.INVENTORY
    base_unit_of_measure: str = Field(min_length=1, max_length=10, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-/]*$")
    costing_method: CostingMethod = CostingMethod.FIFO
    standard_cost: Amount = Decimal(0)
    unit_price: Amount = Decimal(0)
    indirect_cost_pct: Percent = Field(default=Decimal(0), description="Indirect cost %, added to the direct unit cost.")
    overhead_rate: Amount = Field(default=Decimal(0), description="Overhead per base unit.")
    inventory_posting_group: str = Field(min_length=1, max_length=20)
    gen_prod_posting_group: str = Field(min_length=1, max_length=20)
    item_category_code: OptionalCode = ""
    item_tracking_code: OptionalCode = ""
    prevent_negative_inventory: PreventNegativeInventory = PreventNegativeInventory.DEFAULT
    blocked: bool = False
    blocked_reason: Reason = ""
    sales_blocked: bool = False
    sales_blocked_reason: Reason = ""
    purchasing_blocked: bool = False
    purchasing_blocked_reason: Reason = ""
    units_of_measure: list[UnitOfMeasureOnItem] = Field(
        default_factory=list, description="Item units of measure; the base unit (quantity 1) is added when missing."
    )
    variants: list[VariantOnItem] = Field(default_factory=list)
    attributes: dict[AttributeName, Annotated[str, Field(max_length=250)]] = Field(
        default_factory=dict, description="Attribute values by attribute name; the category chain's are added."
    )
    assembly_policy: AssemblyPolicy = AssemblyPolicy.ASSEMBLE_TO_STOCK
    reserve: ReservePolicy = Field(default=ReservePolicy.OPTIONAL, description="Whether demand for the item is reserved.")
    lot_size: Quantity = Field(default=Decimal(0), ge=0, max_digits=20, decimal_places=5,
                               description="Units assembled at a time (a Fixed resource usage is spread over it; 0: one).")


class ItemCreate(ItemCard):
    # A client may send back a card it read: the read-only fields are accepted and ignored.
    revision: int | None = Field(default=None, json_schema_extra=READ_ONLY)
    has_ledger_entries: bool | None = Field(default=None, json_schema_extra=READ_ONLY)
    nonstock_entry_no: int | None = Field(default=None, json_schema_extra=READ_ONLY)
    assembly_bom: list[AssemblyBomLineOut] | None = Field(default=None, json_schema_extra=READ_ONLY)
    single_level_material_cost: Decimal | None = Field(default=None, json_schema_extra=READ_ONLY)
    single_level_capacity_cost: Decimal | None = Field(default=None, json_schema_extra=READ_ONLY)
    single_level_cap_ovhd_cost: Decimal | None = Field(default=None, json_schema_extra=READ_ONLY)
    single_level_mfg_ovhd_cost: Decimal | None = Field(default=None, json_schema_extra=READ_ONLY)
    unit_cost: Decimal | None = Field(default=None, json_schema_extra=READ_ONLY)


class ItemOut(ItemCard):
    model_config = ConfigDict(extra="ignore", from_attributes=True)

    revision: int = Field(description="Increases with every change; the ETag is its quoted value.")
    has_ledger_entries: bool = Field(default=False, description="Learned from the warehouse: the costing method is fixed.")
    nonstock_entry_no: int | None = Field(default=None, description="The catalog item it was converted from.")
    assembly_bom: list[AssemblyBomLineOut] = Field(default_factory=list, description="Change it with PUT .../assembly-bom.")
    single_level_material_cost: Decimal = Field(default=Decimal(0), description="From the last cost roll-up.")
    single_level_capacity_cost: Decimal = Field(default=Decimal(0), description="From the last cost roll-up.")
    single_level_cap_ovhd_cost: Decimal = Field(default=Decimal(0), description="From the last cost roll-up.")
    single_level_mfg_ovhd_cost: Decimal = Field(default=Decimal(0), description="From the last cost roll-up.")
    unit_cost: Decimal = Field(default=Decimal(0), description="Costing's unit cost (costing.item-costs.v1).")


class ItemUpdate(BaseModel):
    """A partial change of the card (send only what changes); `attributes` merges, a null value removes one."""

    model_config = ConfigDict(extra="forbid")

    description: str | None = Field(default=None, min_length=1, max_length=100)
    type: ItemType | None = None
    base_unit_of_measure: UnitCode | None = None
    costing_method: CostingMethod | None = None
    standard_cost: Amount | None = None
    unit_price: Amount | None = None
    indirect_cost_pct: Percent | None = None
    overhead_rate: Amount | None = None
    inventory_posting_group: str | None = Field(default=None, min_length=1, max_length=20)
    gen_prod_posting_group: str | None = Field(default=None, min_length=1, max_length=20)
    item_category_code: OptionalCode | None = None
    item_tracking_code: OptionalCode | None = None
    prevent_negative_inventory: PreventNegativeInventory | None = None
    blocked: bool | None = None
    blocked_reason: Reason | None = None
    sales_blocked: bool | None = None
    sales_blocked_reason: Reason | None = None
    purchasing_blocked: bool | None = None
    purchasing_blocked_reason: Reason | None = None
    units_of_measure: list[UnitOfMeasureOnItem] | None = None
    variants: list[VariantOnItem] | None = None
    attributes: dict[AttributeName, Annotated[str, Field(max_length=250)] | None] | None = None
    assembly_policy: AssemblyPolicy | None = None
    reserve: ReservePolicy | None = None
    lot_size: Quantity | None = Field(default=None, ge=0, max_digits=20, decimal_places=5)


class ItemPage(BaseModel):
    items: list[ItemOut]
    next_cursor: str | None = None


class UnitOfMeasureIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    description: str = Field(default="", max_length=50)


class UnitOfMeasureOut(UnitOfMeasureIn):
    code: str


class TrackingCodeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    description: str = Field(default="", max_length=100)
    serial_specific: bool = False
    lot_specific: bool = False
    serial_required_for: list[TrackedMovement] = Field(default_factory=list)
    lot_required_for: list[TrackedMovement] = Field(default_factory=list)
    use_expiration_dates: bool = False
    strict_expiration: bool = Field(default=False, description="Expired numbers cannot be shipped (needs expiration dates).")


class TrackingCodeOut(TrackingCodeIn):
    model_config = ConfigDict(from_attributes=True)

    code: str


class CategoryIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Code
    parent_code: OptionalCode = ""
    description: str = Field(default="", max_length=100)
    attributes: dict[AttributeName, Annotated[str, Field(max_length=250)]] = Field(
        default_factory=dict, description="Attribute definitions of the category: name -> default value ('' for none)."
    )


class CategoryOut(CategoryIn):
    model_config = ConfigDict(from_attributes=True)


class CategoryUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    parent_code: OptionalCode | None = Field(default=None, description="Move under another parent ('' = to the root).")
    description: str | None = Field(default=None, max_length=100)
    attributes: dict[AttributeName, Annotated[str, Field(max_length=250)]] | None = None


class AttributeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: AttributeName
    type: AttributeType
    unit_of_measure: str = Field(default="", max_length=10, description="For Integer and Decimal attributes.")
    blocked: bool = False
    options: list[Annotated[str, Field(min_length=1, max_length=250)]] = Field(default_factory=list, description="Values of an Option attribute.")


class AttributeOut(AttributeIn):
    model_config = ConfigDict(from_attributes=True)


class AttributeUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    unit_of_measure: str | None = Field(default=None, max_length=10)
    blocked: bool | None = None
    options: list[Annotated[str, Field(min_length=1, max_length=250)]] | None = None


class TemplateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    description: str = Field(default="", max_length=100)
    type: ItemType = ItemType.INVENTORY
    costing_method: CostingMethod = CostingMethod.FIFO
    inventory_posting_group: str = Field(min_length=1, max_length=20)
    gen_prod_posting_group: str = Field(min_length=1, max_length=20)
    item_category_code: OptionalCode = ""
    item_tracking_code: OptionalCode = ""
    prevent_negative_inventory: PreventNegativeInventory = PreventNegativeInventory.DEFAULT


class TemplateOut(TemplateIn):
    model_config = ConfigDict(from_attributes=True)

    code: str


class NonstockSetupIn(BaseModel):
    model_config = ConfigDict(extra="forbid", from_attributes=True)

    no_format: NonstockNoFormat = NonstockNoFormat.VENDOR_ITEM_NO
    no_format_separator: str = Field(default="", max_length=1, pattern=r"^[_.\-/]?$")
    no_series_prefix: str = Field(default="NS", max_length=10, pattern=r"^[A-Za-z0-9_.\-/]*$")
    no_series_width: int = Field(default=5, ge=1, le=10)
    no_series_next: EntryNo = Field(default=1, ge=1)


class NonstockIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    vendor_no: str = Code
    vendor_item_no: str = Field(min_length=1, max_length=20)
    manufacturer_code: OptionalCode = ""
    description: str = Field(min_length=1, max_length=100)
    unit_of_measure: UnitCode
    published_cost: Amount = Decimal(0)
    negotiated_cost: Amount = Decimal(0)
    unit_price: Amount = Decimal(0)
    item_template_code: str = Code


class NonstockOut(NonstockIn):
    model_config = ConfigDict(from_attributes=True)

    entry_no: int
    vendor_item_no: str
    item_no: str = Field(default="", description="The inventory item it was converted into.")


class NonstockPage(BaseModel):
    nonstock_items: list[NonstockOut]
    next_cursor: str | None = None


class ReferenceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reference_type: Annotated[str, Field(pattern=r"^(Customer|Vendor|Bar Code)$")]
    reference_type_no: OptionalCode = Field(default="", description="Customer or vendor no.; empty for bar codes.")
    reference_no: str = Field(min_length=1, max_length=50)
    variant_code: str = Field(default="", max_length=10)
    unit_of_measure: str = Field(default="", max_length=10, description="Empty: the base unit.")
    description: str = Field(default="", max_length=100)
    starting_date: date | None = None
    ending_date: date | None = None


class ReferenceOut(ReferenceIn):
    model_config = ConfigDict(from_attributes=True)

    id: int
    item_no: str


class ReferenceMatchOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    item_no: str
    variant_code: str
    unit_of_measure: str
    description: str
    reference_type: str
    reference_type_no: str


class ConvertedOut(BaseModel):
    created: bool
    item: ItemOut
