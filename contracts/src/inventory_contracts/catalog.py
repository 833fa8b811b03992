"""Events published by the catalog service on `catalog.items.v1`."""

from decimal import Decimal
from enum import StrEnum

from pydantic import Field

from .limits import IndirectCostPercent, Int32, Quantity, UnitCost
from .envelope import EventSpec, Payload
from .topics import CATALOG_ITEMS


class ItemType(StrEnum):
    INVENTORY = "Inventory"
    NON_INVENTORY = "Non-Inventory"
    SERVICE = "Service"


class CostingMethod(StrEnum):
    FIFO = "FIFO"
    LIFO = "LIFO"
    AVERAGE = "Average"
    STANDARD = "Standard"
    SPECIFIC = "Specific"


class PreventNegativeInventory(StrEnum):
    """`Default` follows the warehouse setup; `Yes` and `No` override it for the item."""

    DEFAULT = "Default"
    NO = "No"
    YES = "Yes"


class TrackedMovement(StrEnum):
    """Movements for which an item tracking code can require serial or lot numbers."""

    PURCHASE = "Purchase"
    SALE = "Sale"
    POSITIVE_ADJMT = "Positive Adjmt."
    NEGATIVE_ADJMT = "Negative Adjmt."
    TRANSFER = "Transfer"
    ASSEMBLY_CONSUMPTION = "Assembly Consumption"
    ASSEMBLY_OUTPUT = "Assembly Output"


class AssemblyPolicy(StrEnum):
    """Whether the item is assembled ahead into stock or only for the sales line that orders it."""

    ASSEMBLE_TO_STOCK = "Assemble-to-Stock"
    ASSEMBLE_TO_ORDER = "Assemble-to-Order"


class ReservePolicy(StrEnum):
    """The item card's Reserve field: whether demand for the item is reserved, and whether automatically."""

    NEVER = "Never"
    OPTIONAL = "Optional"
    ALWAYS = "Always"


class BomComponentType(StrEnum):
    ITEM = "Item"
    RESOURCE = "Resource"
    TEXT = "Text"


class ResourceUsageType(StrEnum):
    """Direct: the usage is per parent unit assembled. Fixed: the usage is once per assembly order."""

    DIRECT = "Direct"
    FIXED = "Fixed"


class AssemblyBomComponent(Payload):
    """One line of the item's assembly BOM: a component item, a resource's usage, or a text line."""

    line_no: Int32 = Field(ge=1, description="Line no., unique in the BOM; gives the lines' order.")
    type: BomComponentType
    no: str = Field(default="", description="Item no. or resource no.; blank on a text line.")
    description: str = Field(default="")
    quantity_per: Quantity = Field(default=Decimal(0), ge=0, description="Quantity per parent unit (in the line's unit).")
    unit_of_measure_code: str = Field(default="", description="Unit of `quantity_per`; blank is the component's base unit.")
    resource_usage_type: ResourceUsageType = Field(default=ResourceUsageType.DIRECT, description="Resource lines only.")


class ItemUnitOfMeasure(Payload):
    """A unit the item can be handled in, converted to the base unit."""

    code: str = Field(description="Unit of measure code.", examples=["BOX"])
    qty_per_unit_of_measure: Quantity = Field(description="Base units in one of this unit (1 for the base unit).", gt=0)


class ItemVariant(Payload):
    """A variant of the item (colour, size); postings name it by code."""

    code: str = Field(description="Variant code, unique per item.", examples=["RED"])
    description: str = Field(default="", description="Variant description.")
    blocked: bool = Field(default=False, description="No posting of this variant.")


class ItemTracking(Payload):
    """The item tracking code's rules, copied onto the card so the warehouse never asks for them."""

    code: str = Field(description="Item tracking code.", examples=["SN-ALL"])
    serial_specific: bool = Field(default=False, description="Serial numbers are tracked specifically (needed by Specific costing).")
    lot_specific: bool = Field(default=False, description="Lot numbers are tracked specifically.")
    serial_required_for: list[TrackedMovement] = Field(default_factory=list, description="Movements that need a serial no.")
    lot_required_for: list[TrackedMovement] = Field(default_factory=list, description="Movements that need a lot no.")
    use_expiration_dates: bool = Field(default=False, description="Entries carry an expiration date.")
    strict_expiration: bool = Field(default=False, description="Expired serial/lot numbers cannot be shipped.")


class ItemUpserted(Payload):
    """The full item card after a create or change; consumers replace their replica with it."""

    item_no: str = Field(description="Item no., the item's key everywhere.", examples=["1000"])
    revision: int = Field(description="Increases with every change of the card; a replica ignores older revisions.", ge=1)
    description: str = Field(description="Item description.")
    type: ItemType = Field(description="Inventory items have stock and cost; the others do not.")
    base_unit_of_measure: str = Field(description="Unit in which quantities are kept.", examples=["PCS"])
    costing_method: CostingMethod = Field(description="How outbound entries are valued.")
    standard_cost: UnitCost = Field(default=Decimal(0), description="Standard cost per base unit (Standard items).")
    unit_price: UnitCost = Field(default=Decimal(0), description="Sales price per base unit.")
    inventory_posting_group: str = Field(description="Selects the inventory accounts per location.", examples=["RESALE"])
    gen_prod_posting_group: str = Field(description="General product posting group.", examples=["RETAIL"])
    prevent_negative_inventory: PreventNegativeInventory = Field(default=PreventNegativeInventory.DEFAULT)
    blocked: bool = Field(default=False, description="No posting of any kind.")
    sales_blocked: bool = Field(default=False, description="No sales postings (sales returns stay allowed).")
    purchasing_blocked: bool = Field(default=False, description="No purchase postings (purchase returns stay allowed).")
    # Added within v1: every field below is optional, so older consumers and older events still parse.
    blocked_reason: str = Field(default="", description="Why the item is blocked.")
    sales_blocked_reason: str = Field(default="", description="Why sales are blocked.")
    purchasing_blocked_reason: str = Field(default="", description="Why purchases are blocked.")
    item_units_of_measure: list[ItemUnitOfMeasure] = Field(
        default_factory=list, description="Units of the item with their quantity per base unit; includes the base unit."
    )
    variants: list[ItemVariant] = Field(default_factory=list, description="Variants of the item.")
    item_category_code: str = Field(default="", description="Item category (empty: none).")
    indirect_cost_pct: IndirectCostPercent = Field(default=Decimal(0), description="Indirect cost % added to the direct unit cost.")
    overhead_rate: UnitCost = Field(default=Decimal(0), description="Overhead amount per base unit.")
    item_tracking_code: str = Field(default="", description="Item tracking code (empty: not tracked).")
    item_tracking: ItemTracking | None = Field(default=None, description="The tracking code's rules, when the item has one.")
    created_from_nonstock_item: bool = Field(default=False, description="Made by converting a catalog (nonstock) item.")
    standard_cost_implementation_no: int = Field(
        default=0, ge=0,
        description="The last of costing's standard cost implementations (costing.standard-cost-implemented) the card "
        "took: a replica that applied a later implementation keeps its own standard cost over this card's (0: none).",
    )
    assembly_policy: AssemblyPolicy = Field(default=AssemblyPolicy.ASSEMBLE_TO_STOCK)
    assembly_bom: list[AssemblyBomComponent] = Field(
        default_factory=list, description="The item's assembly BOM, in line order (empty: the item is not assembled)."
    )
    reserve: ReservePolicy = Field(default=ReservePolicy.OPTIONAL, description="The item's reservation policy.")
    single_level_material_cost: UnitCost = Field(
        default=Decimal(0), description="Share of the standard cost from the BOM's component items (cost roll-up)."
    )
    single_level_capacity_cost: UnitCost = Field(
        default=Decimal(0), description="Share of the standard cost from the BOM's resources' direct cost."
    )
    single_level_cap_ovhd_cost: UnitCost = Field(
        default=Decimal(0), description="Share of the standard cost from the BOM's resources' indirect cost."
    )
    single_level_mfg_ovhd_cost: UnitCost = Field(
        default=Decimal(0), description="Share of the standard cost from the item's own indirect cost % and overhead rate."
    )
    deleted: bool = Field(
        default=False,
        description="The card was deleted (only possible before any ledger entry); it is also `blocked`, so a consumer "
        "that does not know this field refuses postings of it.",
    )


ITEM_UPSERTED_V1 = EventSpec(type="catalog.item-upserted", version=1, topic=CATALOG_ITEMS, payload=ItemUpserted)
