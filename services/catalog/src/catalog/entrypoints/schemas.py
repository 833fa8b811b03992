"""HTTP request and response bodies of the catalog."""

from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from inventory_contracts.catalog import CostingMethod, ItemType, PreventNegativeInventory

Code = Field(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-/]*$")


class ItemCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    item_no: str = Code
    description: str = Field(min_length=1, max_length=100)
    type: ItemType = ItemType.INVENTORY
    base_unit_of_measure: str = Field(min_length=1, max_length=10)
    costing_method: CostingMethod = CostingMethod.FIFO
    standard_cost: Decimal = Field(default=Decimal(0), ge=0, max_digits=20, decimal_places=5)
    unit_price: Decimal = Field(default=Decimal(0), ge=0, max_digits=20, decimal_places=5)
    inventory_posting_group: str = Field(min_length=1, max_length=20)
    gen_prod_posting_group: str = Field(min_length=1, max_length=20)
    prevent_negative_inventory: PreventNegativeInventory = PreventNegativeInventory.DEFAULT
    blocked: bool = False
    sales_blocked: bool = False
    purchasing_blocked: bool = False


class ItemOut(ItemCreate):
    model_config = ConfigDict(extra="ignore", from_attributes=True)

    revision: int


class ItemPage(BaseModel):
    items: list[ItemOut]
    next_cursor: str | None = None
