"""The item card."""

from dataclasses import dataclass
from decimal import Decimal

from inventory_contracts.catalog import CostingMethod, ItemType, PreventNegativeInventory


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
