"""Events published by the catalog service on `catalog.items.v1`."""

from decimal import Decimal
from enum import StrEnum

from pydantic import Field

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


class ItemUpserted(Payload):
    """The full item card after a create or change; consumers replace their replica with it."""

    item_no: str = Field(description="Item no., the item's key everywhere.", examples=["1000"])
    revision: int = Field(description="Increases with every change of the card; a replica ignores older revisions.", ge=1)
    description: str = Field(description="Item description.")
    type: ItemType = Field(description="Inventory items have stock and cost; the others do not.")
    base_unit_of_measure: str = Field(description="Unit in which quantities are kept.", examples=["PCS"])
    costing_method: CostingMethod = Field(description="How outbound entries are valued.")
    standard_cost: Decimal = Field(default=Decimal(0), description="Standard cost per base unit (Standard items).")
    unit_price: Decimal = Field(default=Decimal(0), description="Sales price per base unit.")
    inventory_posting_group: str = Field(description="Selects the inventory accounts per location.", examples=["RESALE"])
    gen_prod_posting_group: str = Field(description="General product posting group.", examples=["RETAIL"])
    prevent_negative_inventory: PreventNegativeInventory = Field(default=PreventNegativeInventory.DEFAULT)
    blocked: bool = Field(default=False, description="No posting of any kind.")
    sales_blocked: bool = Field(default=False, description="No sales postings (sales returns stay allowed).")
    purchasing_blocked: bool = Field(default=False, description="No purchase postings (purchase returns stay allowed).")


ITEM_UPSERTED_V1 = EventSpec(type="catalog.item-upserted", version=1, topic=CATALOG_ITEMS, payload=ItemUpserted)
