"""HTTP response bodies of costing."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, Field

from inventory_contracts.costing import ValueEntryType, VarianceType
from inventory_contracts.limits import Amount, EntryNo, Quantity, UnitCost
from inventory_contracts.warehouse import AverageCostCalcType, AverageCostPeriod, ItemLedgerEntryType

from costing.domain.charges import ChargeSplit
from costing.domain.standard_cost import RoundingType


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
    item_charge_no: str | None = None
    sales_amount_actual: Decimal = Field(default=Decimal(0), description="Sales amount a sales invoice brought.")
    variance_type: VarianceType | None = Field(
        default=None, description="An assembly output's Variance entry: the standard cost share it is the variance of.")
    resource_no: str | None = Field(
        default=None, description="An assembly output's Direct or Indirect Cost entry of a resource's usage: the resource.")


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
    value: Decimal = Field(description="Cost amount (actual), plus (expected) when asked for.")


class InventoryValuation(BaseModel):
    at: date | None
    include_expected: bool = True
    lines: list[ValuationLine]
    quantity: Decimal
    cost_amount_actual: Decimal
    cost_amount_expected: Decimal
    value: Decimal


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


class CostAdjustmentStatus(BaseModel):
    cost_is_adjusted: bool = Field(description="Every entry of the item is valued and every change forwarded.")
    last_adjusted_at: datetime | None = None
    last_error: str | None = None
    last_error_at: datetime | None = None


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
    adjustment: CostAdjustmentStatus


class ChargeLineIn(BaseModel):
    item_ledger_entry_no: EntryNo = Field(description="A posted purchase receipt entry.")
    weight: Quantity | None = Field(default=None, ge=0, description="The line's weight (split By Weight).")
    volume: Quantity | None = Field(default=None, ge=0, description="The line's volume (split By Volume).")


class ItemChargeIn(BaseModel):
    """An item charge (freight, duty, insurance...) assigned to posted receipt entries."""

    item_charge_no: str = Field(min_length=1, max_length=20)
    document_no: str = Field(min_length=1, max_length=35)
    posting_date: date
    amount: Amount = Field(decimal_places=2)
    split: ChargeSplit = ChargeSplit.EQUALLY
    lines: list[ChargeLineIn] = Field(min_length=1, max_length=1000)


class RevaluationIn(BaseModel):
    """Revalue the item's quantity on hand at a date (or one item ledger entry's) by a new unit cost or a new value."""

    item_no: str
    posting_date: date
    new_unit_cost: UnitCost | None = Field(default=None, ge=0)
    new_value: Amount | None = Field(default=None, ge=0)
    item_ledger_entry_no: EntryNo | None = None


class ValueEntriesOut(BaseModel):
    entries: list[ValueEntryOut]


class InventorySetupReplica(BaseModel):
    """The warehouse's inventory setup as costing holds it (revision 0: none received; every date open, Day, per item)."""

    revision: int
    first_open_date: date | None = Field(description="Adjustments of entries dated earlier are posted on this date.")
    allow_posting_from: date | None
    closed_through: date | None
    average_cost_period: AverageCostPeriod
    average_cost_calc_type: AverageCostCalcType


StandardCost = Annotated[UnitCost, Field(ge=0, decimal_places=5)]


class RoundingMethodLineIn(BaseModel):
    """How amounts from `minimum_amount` up are rounded: add before, round to a multiple of `precision`, add after."""

    minimum_amount: StandardCost = Field(default=Decimal(0), description="The line applies from this amount up.")
    precision: StandardCost = Field(default=Decimal(0), description="Round to a multiple of this (0: do not round).")
    type: RoundingType = Field(default=RoundingType.NEAREST, description="Nearest (half up), Up or Down.")
    amount_added_before: UnitCost = Field(default=Decimal(0), decimal_places=5)
    amount_added_after: UnitCost = Field(default=Decimal(0), decimal_places=5, description="E.g. -0.01 for prices ending in .99.")


class SuggestStandardCostIn(BaseModel):
    """Suggest Item Standard Cost: a line per Standard item, its standard cost x the factor, rounded."""

    adjustment_factor: Decimal = Field(default=Decimal(1), ge=0, le=1000, decimal_places=5, allow_inf_nan=False)
    rounding_method: list[RoundingMethodLineIn] = Field(
        default_factory=list, max_length=100, description="The line with the highest minimum amount at or below the amount rounds it."
    )
    item_nos: list[Annotated[str, Field(min_length=1, max_length=20)]] | None = Field(
        default=None, max_length=1000, description="Only these items (each must be a Standard item); all Standard items when absent."
    )


class WorksheetLineIn(BaseModel):
    new_standard_cost: StandardCost


class ImplementStandardCostIn(BaseModel):
    """Implement Standard Cost Changes: revalue the lines' items at this date and make their new standard costs theirs."""

    posting_date: date


class WorksheetLineOut(BaseModel):
    worksheet_name: str
    item_no: str
    standard_cost: Decimal = Field(description="The item's standard cost when the line was written.")
    new_standard_cost: Decimal
    implemented: bool
    implementation_no: int | None = Field(default=None, description="Set once implemented; travels on costing.standard-cost-implemented.")
    posting_date: date | None = Field(default=None, description="The date it was implemented at.")


class StandardCostWorksheetOut(BaseModel):
    worksheet_name: str
    lines: list[WorksheetLineOut]


class StandardCostsImplementedOut(BaseModel):
    worksheet_name: str
    posting_date: date
    lines: list[WorksheetLineOut] = Field(description="The lines implemented now (none when every line was implemented before).")
    entries: list[ValueEntryOut] = Field(description="The revaluations' value entries and the adjustments they caused.")
