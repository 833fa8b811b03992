"""Events published by the costing service on `costing.value-entries.v1`, `costing.item-costs.v1`,
`costing.reconciliation.v1` and `costing.standard-costs.v1`."""

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from pydantic import Field

from .limits import StoredAmount, UnitCost
from .envelope import EventSpec, Payload
from .topics import COSTING_ITEM_COSTS, COSTING_RECONCILIATION, COSTING_STANDARD_COSTS, COSTING_VALUE_ENTRIES
from .warehouse import ItemLedgerEntryType


class ValueEntryType(StrEnum):
    DIRECT_COST = "Direct Cost"
    INDIRECT_COST = "Indirect Cost"
    REVALUATION = "Revaluation"
    ROUNDING = "Rounding"
    VARIANCE = "Variance"


class VarianceType(StrEnum):
    """What a Variance value entry is the variance of: a purchase's cost, or a share of an assembled item's standard cost."""

    PURCHASE = "Purchase"
    MATERIAL = "Material"
    CAPACITY = "Capacity"
    CAPACITY_OVERHEAD = "Capacity Overhead"
    MANUFACTURING_OVERHEAD = "Manufacturing Overhead"


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
    cost_amount_actual: StoredAmount
    cost_amount_expected: StoredAmount = Decimal(0)
    sales_amount_actual: StoredAmount = Field(
        default=Decimal(0), description="Sales invoice: the sales amount of the invoiced quantity; 0 on other entries."
    )
    adjustment: bool = Field(default=False, description="Written by cost adjustment, not by the original posting.")
    applies_to_entry: int | None = Field(default=None, description="The value entry this one corrects.")
    inventory_posting_group: str
    gen_prod_posting_group: str
    gen_bus_posting_group: str = ""
    item_charge_no: str | None = Field(
        default=None, description="The item charge (freight, duty...) this entry assigns to a receipt; None otherwise."
    )
    # Added within v1: optional, so older consumers and older events still parse.
    variance_type: VarianceType | None = Field(
        default=None,
        description="Variance entries of an Assembly Output: the standard cost share it is the variance of (Material, "
        "Capacity, Capacity Overhead, Manufacturing Overhead). None on other entries (a purchase's Variance is Purchase).",
    )
    resource_no: str | None = Field(
        default=None,
        description="Direct Cost and Indirect Cost entries of an Assembly Output that carry a resource's usage: the "
        "resource. None on the output's material cost, its own overhead and every other entry.",
    )


class ValueEntriesPosted(Payload):
    """Value entries written for one item in one transaction, in entry order."""

    item_no: str
    value_entries: list[ValueEntry] = Field(min_length=1)


VALUE_ENTRIES_POSTED_V1 = EventSpec(
    type="costing.value-entries-posted", version=1, topic=COSTING_VALUE_ENTRIES, payload=ValueEntriesPosted
)


class ItemUnitCostChanged(Payload):
    """The item's current unit cost changed: the average of its value on hand (the standard cost for Standard items)."""

    item_no: str
    costing_method: str = Field(description="FIFO, LIFO, Average, Standard or Specific, as costing values the item.")
    unit_cost: Decimal = Field(description="Cost per base unit of measure, 5 decimals.")
    quantity_on_hand: Decimal
    value_on_hand: Decimal = Field(description="Sum of cost amount (actual) of the item's value entries.")
    sequence: int = Field(ge=1, description="Increases with every change of the item's unit cost; a reader ignores lower ones.")


ITEM_UNIT_COST_CHANGED_V1 = EventSpec(
    type="costing.item-unit-cost-changed", version=1, topic=COSTING_ITEM_COSTS, payload=ItemUnitCostChanged
)


class QuantityDifferenceFound(Payload):
    """An item's quantity at a location in costing differs from the warehouse's, counting only entries the
    warehouse recorded long enough ago to have reached costing.

    Raised when a difference appears or changes; a later event with difference 0 says it is resolved.
    """

    item_no: str
    location_code: str
    warehouse_quantity: Decimal = Field(description="Sum of the warehouse's item ledger entries compared.")
    costing_quantity: Decimal = Field(description="Sum of the same item ledger entries as costing received them.")
    difference: Decimal = Field(description="Costing's quantity minus the warehouse's.")
    through_entry_no: int = Field(description="The item's entries up to this item ledger entry no. were compared.")
    checked_at: datetime


QUANTITY_DIFFERENCE_FOUND_V1 = EventSpec(
    type="costing.quantity-difference-found", version=1, topic=COSTING_RECONCILIATION, payload=QuantityDifferenceFound
)


class StandardCostImplemented(Payload):
    """A standard cost worksheet line was implemented: the item's inventory was revalued to the new standard cost
    at `posting_date` (its value entries are on costing.value-entries.v1) and costing values the item at it from now on.

    The item card takes the new standard cost as a new revision and records `implementation_no`, so that a card
    written before it took the change is recognised as older than the implementation.
    """

    item_no: str = Field(description="The Standard item whose standard cost changed.", examples=["1000"])
    standard_cost: UnitCost = Field(ge=0, description="The new standard cost per base unit, 5 decimals.", examples=["12.50"])
    previous_standard_cost: UnitCost = Field(ge=0, description="The standard cost costing valued the item at before.")
    posting_date: date = Field(description="The revaluation's posting date: on-hand quantity at this date was revalued.")
    implementation_no: int = Field(
        ge=1, description="Increases with every implementation, for all items; the card keeps the last one it took."
    )
    worksheet_name: str = Field(description="The standard cost worksheet the line was implemented from.", examples=["DEFAULT"])


STANDARD_COST_IMPLEMENTED_V1 = EventSpec(
    type="costing.standard-cost-implemented", version=1, topic=COSTING_STANDARD_COSTS, payload=StandardCostImplemented
)
