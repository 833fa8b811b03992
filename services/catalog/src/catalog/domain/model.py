"""The item card and the master data around it. Pure data: no I/O."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from inventory_contracts.catalog import (
    AssemblyPolicy,
    BomComponentType,
    CostingMethod,
    ItemType,
    PreventNegativeInventory,
    ReservePolicy,
    ResourceUsageType,
    TrackedMovement,
)


@dataclass(frozen=True)
class ItemUnitOfMeasure:
    code: str
    qty_per_unit_of_measure: Decimal


@dataclass(frozen=True)
class ItemVariant:
    code: str
    description: str = ""
    blocked: bool = False


@dataclass(frozen=True)
class AssemblyBomLine:
    """A line of an item's assembly BOM: a component item, a resource's usage, or a text."""

    line_no: int
    type: BomComponentType
    no: str = ""
    description: str = ""
    quantity_per: Decimal = Decimal(0)
    unit_of_measure_code: str = ""
    resource_usage_type: ResourceUsageType = ResourceUsageType.DIRECT


@dataclass(frozen=True)
class Item:
    item_no: str
    description: str
    type: ItemType
    base_unit_of_measure: str
    costing_method: CostingMethod
    inventory_posting_group: str
    gen_prod_posting_group: str
    standard_cost: Decimal = Decimal(0)
    unit_price: Decimal = Decimal(0)
    prevent_negative_inventory: PreventNegativeInventory = PreventNegativeInventory.DEFAULT
    blocked: bool = False
    sales_blocked: bool = False
    purchasing_blocked: bool = False
    revision: int = 1
    blocked_reason: str = ""
    sales_blocked_reason: str = ""
    purchasing_blocked_reason: str = ""
    indirect_cost_pct: Decimal = Decimal(0)
    overhead_rate: Decimal = Decimal(0)
    item_category_code: str = ""
    item_tracking_code: str = ""
    units_of_measure: tuple[ItemUnitOfMeasure, ...] = ()
    variants: tuple[ItemVariant, ...] = ()
    attributes: dict[str, str] = field(default_factory=dict)
    has_ledger_entries: bool = False
    nonstock_entry_no: int | None = None
    deleted: bool = False
    standard_cost_implementation_no: int = 0
    """The last standard cost implementation of costing's worksheet the card took (0: none)."""
    assembly_policy: AssemblyPolicy = AssemblyPolicy.ASSEMBLE_TO_STOCK
    reserve: ReservePolicy = ReservePolicy.OPTIONAL
    lot_size: Decimal = Decimal(0)
    """Parent units assembled at a time; a Fixed resource usage is spread over it (0: one)."""
    assembly_bom: tuple[AssemblyBomLine, ...] = ()
    single_level_material_cost: Decimal = Decimal(0)
    single_level_capacity_cost: Decimal = Decimal(0)
    single_level_cap_ovhd_cost: Decimal = Decimal(0)
    single_level_mfg_ovhd_cost: Decimal = Decimal(0)
    unit_cost: Decimal = Decimal(0)
    """Costing's unit cost of the item (costing.item-costs.v1); not the card's to change."""

    @property
    def etag(self) -> str:
        return f'"{self.revision}"'


@dataclass(frozen=True)
class ItemTrackingCode:
    code: str
    description: str = ""
    serial_specific: bool = False
    lot_specific: bool = False
    serial_required_for: tuple[TrackedMovement, ...] = ()
    lot_required_for: tuple[TrackedMovement, ...] = ()
    use_expiration_dates: bool = False
    strict_expiration: bool = False


class AttributeType(StrEnum):
    OPTION = "Option"
    TEXT = "Text"
    INTEGER = "Integer"
    DECIMAL = "Decimal"
    DATE = "Date"


@dataclass(frozen=True)
class ItemAttribute:
    name: str
    type: AttributeType
    unit_of_measure: str = ""
    blocked: bool = False
    options: tuple[str, ...] = ()


@dataclass(frozen=True)
class AttributeValue:
    """A validated attribute value: the text as entered plus its typed form for range searches."""

    text: str
    number: Decimal | None = None
    day: date | None = None


@dataclass(frozen=True)
class ItemCategory:
    code: str
    parent_code: str = ""
    description: str = ""
    # attribute name -> default value ("" when the category gives none)
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class UnitOfMeasure:
    code: str
    description: str = ""


@dataclass(frozen=True)
class ItemTemplate:
    """What a converted catalog item takes from its template."""

    code: str
    inventory_posting_group: str
    gen_prod_posting_group: str
    description: str = ""
    type: ItemType = ItemType.INVENTORY
    costing_method: CostingMethod = CostingMethod.FIFO
    item_category_code: str = ""
    item_tracking_code: str = ""
    prevent_negative_inventory: PreventNegativeInventory = PreventNegativeInventory.DEFAULT


@dataclass(frozen=True)
class NonstockItem:
    """A catalog item: offered by a vendor, not kept, until converted into an inventory item (`item_no`)."""

    entry_no: int
    vendor_no: str
    vendor_item_no: str
    manufacturer_code: str
    description: str
    unit_of_measure: str
    item_template_code: str
    published_cost: Decimal = Decimal(0)
    negotiated_cost: Decimal = Decimal(0)
    unit_price: Decimal = Decimal(0)
    item_no: str = ""


@dataclass(frozen=True)
class NonstockSetup:
    """How converted catalog items are numbered."""

    no_format: str
    no_format_separator: str
    no_series_prefix: str
    no_series_width: int
    no_series_next: int


@dataclass(frozen=True)
class ItemReference:
    """A customer, vendor or bar code number that stands for an item on a document line."""

    item_no: str
    reference_type: str
    reference_no: str
    reference_type_no: str = ""
    variant_code: str = ""
    unit_of_measure: str = ""
    description: str = ""
    starting_date: date | None = None
    ending_date: date | None = None
    id: int = 0
