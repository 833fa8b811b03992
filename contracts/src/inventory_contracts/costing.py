"""Events published by the costing service on `costing.value-entries.v1`."""

from datetime import date
from decimal import Decimal
from enum import StrEnum

from pydantic import Field

from .envelope import EventSpec, Payload
from .topics import COSTING_VALUE_ENTRIES
from .warehouse import ItemLedgerEntryType


class ValueEntryType(StrEnum):
    DIRECT_COST = "Direct Cost"
    INDIRECT_COST = "Indirect Cost"
    REVALUATION = "Revaluation"
    ROUNDING = "Rounding"
    VARIANCE = "Variance"


class ValueEntry(Payload):
    """A change of an item ledger entry's cost. Amounts are this entry's own, not running totals."""

    entry_no: int = Field(description="Value entry no.; increases, never reused.")
    item_ledger_entry_no: int
    item_ledger_entry_type: ItemLedgerEntryType
    entry_type: ValueEntryType
    posting_date: date
    valuation_date: date
    location_code: str
    variant_code: str = ""
    document_no: str
    valued_quantity: Decimal
    invoiced_quantity: Decimal
    cost_per_unit: Decimal
    cost_amount_actual: Decimal
    cost_amount_expected: Decimal = Decimal(0)
    adjustment: bool = Field(default=False, description="Written by cost adjustment, not by the original posting.")
    applies_to_entry: int | None = Field(default=None, description="The value entry this one corrects.")
    inventory_posting_group: str
    gen_prod_posting_group: str
    gen_bus_posting_group: str = ""


class ValueEntriesPosted(Payload):
    """Value entries written for one item in one transaction, in entry order."""

    item_no: str
    value_entries: list[ValueEntry] = Field(min_length=1)


VALUE_ENTRIES_POSTED_V1 = EventSpec(
    type="costing.value-entries-posted", version=1, topic=COSTING_VALUE_ENTRIES, payload=ValueEntriesPosted
)
