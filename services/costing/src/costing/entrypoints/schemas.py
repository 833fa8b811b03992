"""HTTP response bodies of costing."""

from datetime import date
from decimal import Decimal

from pydantic import BaseModel

from inventory_contracts.costing import ValueEntryType
from inventory_contracts.warehouse import ItemLedgerEntryType


class ValueEntryOut(BaseModel):
    entry_no: int
    item_no: str
    item_ledger_entry_no: int
    item_ledger_entry_type: ItemLedgerEntryType
    entry_type: ValueEntryType
    posting_date: date
    valuation_date: date
    location_code: str
    variant_code: str
    document_no: str
    valued_quantity: Decimal
    invoiced_quantity: Decimal
    cost_per_unit: Decimal
    cost_amount_actual: Decimal
    cost_amount_expected: Decimal
    adjustment: bool
    applies_to_entry: int | None
    inventory_posting_group: str
    gen_prod_posting_group: str
    gen_bus_posting_group: str


class ValueEntryPage(BaseModel):
    entries: list[ValueEntryOut]
    next_cursor: str | None = None


class ValuationLine(BaseModel):
    item_no: str
    location_code: str
    inventory_posting_group: str
    quantity: Decimal
    cost_amount_actual: Decimal
    cost_amount_expected: Decimal


class InventoryValuation(BaseModel):
    at: date | None
    lines: list[ValuationLine]
    quantity: Decimal
    cost_amount_actual: Decimal
    cost_amount_expected: Decimal


class PostingGroupValue(BaseModel):
    location_code: str
    inventory_posting_group: str
    cost_amount_actual: Decimal
    cost_amount_expected: Decimal
    value_entries: int


class ValuationByPostingGroup(BaseModel):
    """Inventory value as the G/L sees it: per location and inventory posting group."""

    lines: list[PostingGroupValue]
    value_entries: int


class ItemCost(BaseModel):
    """The item card as costing replicates it, with what is on hand and the item's current unit cost."""

    item_no: str
    revision: int
    costing_method: str
    standard_cost: Decimal
    indirect_cost_pct: Decimal
    overhead_rate: Decimal
    quantity_on_hand: Decimal
    value_on_hand: Decimal
    unit_cost: Decimal
