"""Events published by the warehouse service on `warehouse.item-entries.v1` and `warehouse.inventory-setup.v1`."""

from datetime import date, datetime
from enum import StrEnum

from pydantic import Field

from .catalog import CostingMethod
from .limits import Amount, Int32, Int64, Quantity, UnitCost
from .envelope import EventSpec, Payload
from .topics import WAREHOUSE_INVENTORY_SETUP, WAREHOUSE_ITEM_ENTRIES


class ItemLedgerEntryType(StrEnum):
    PURCHASE = "Purchase"
    SALE = "Sale"
    POSITIVE_ADJMT = "Positive Adjmt."
    NEGATIVE_ADJMT = "Negative Adjmt."
    TRANSFER = "Transfer"
    ASSEMBLY_CONSUMPTION = "Assembly Consumption"
    ASSEMBLY_OUTPUT = "Assembly Output"


class OrderType(StrEnum):
    NONE = ""
    ASSEMBLY = "Assembly"


class AssemblyResourceUsage(Payload):
    """A resource's usage posted with an assembly output; its cost is part of the output's cost."""

    resource_no: str
    order_line_no: Int32 = Field(description="The assembly order line of the resource.")
    quantity: Quantity = Field(gt=0, description="Quantity used, in the resource's base unit.")
    direct_unit_cost: UnitCost = Field(ge=0, description="The resource's direct unit cost.")
    unit_cost: UnitCost = Field(ge=0, description="The resource's unit cost: direct cost plus its indirect cost.")


class ItemApplication(Payload):
    """Quantity of an outbound entry taken from an inbound entry, decided once by the warehouse."""

    inbound_entry_no: Int64
    outbound_entry_no: Int64
    quantity: Quantity = Field(gt=0, description="Applied quantity in the base unit.")


class ItemEntryPosted(Payload):
    """One item ledger entry, with the applications decided when it was posted.

    For an outbound entry the applications name the inbound entries it took from. For an inbound
    entry they name earlier outbound entries (negative inventory) that it now covers.
    """

    entry_no: Int64 = Field(description="Item ledger entry no.; increases, never reused.")
    item_no: str
    variant_code: str = ""
    location_code: str
    bin_code: str = Field(default="", description="Bin the quantity went into or came from; blank where the location has no bins.")
    posting_date: date
    entry_type: ItemLedgerEntryType
    document_no: str
    document_line_no: Int32 = 0
    quantity: Quantity = Field(description="Base-unit quantity; positive inbound, negative outbound.")
    unit_cost: UnitCost | None = Field(
        default=None,
        description="Cost per base unit given on an inbound posting. None on an inbound entry: it takes the cost "
        "of `applies_from_entry`, or else the item's current unit cost.",
    )
    applies_from_entry: Int64 | None = Field(
        default=None,
        description="The outbound entry whose cost this inbound entry takes instead of a unit cost of its own: the "
        "receiving side of a transfer or reclassification, a sales return.",
    )
    applies_to_entry: Int64 | None = Field(
        default=None,
        description="The inbound entry this outbound entry is fixed-applied to (a purchase return applied to its "
        "receipt, the undo of a receipt, a negative adjustment with an applies-to entry): it takes only from that entry "
        "and takes its cost, also under Average, where it stays out of the period's average. None: applied by the "
        "costing method (`applications` say to what).",
    )
    serial_no: str = Field(default="", description="Serial number; one entry per serial.")
    lot_no: str = Field(default="", description="Lot number; one entry per lot.")
    expiration_date: date | None = Field(default=None, description="Expiration date of the serial or lot.")
    applications: list[ItemApplication] = Field(default_factory=list)
    invoiced_quantity: Quantity | None = Field(
        default=None,
        description="Quantity invoiced when the entry posted. None: invoiced as it posts (item journal, returns), "
        "valued at actual cost. 0: a purchase receipt or sales shipment (or its undo), valued at expected cost until "
        "`warehouse.item-entry-invoiced` events invoice it.",
    )
    correction: bool = Field(default=False, description="An undo of a receipt or shipment, applied to the original entry.")
    costing_method: CostingMethod = Field(description="The item's costing method when it was posted.")
    inventory_posting_group: str
    gen_prod_posting_group: str
    gen_bus_posting_group: str = ""
    recorded_at: datetime = Field(description="System time the entry was written.")
    # Added within v1: optional, so older consumers and older events still parse.
    order_type: OrderType = Field(default=OrderType.NONE, description="The order the entry was posted from.")
    order_no: str = Field(default="", description="Assembly order no. (the posted assembly's entries share it).")
    order_line_no: Int32 = Field(default=0, description="The order line of a consumption entry (0 on an output).")
    consumption_entries: list[Int64] = Field(
        default_factory=list,
        description="Assembly Output: the Assembly Consumption entries posted with it, whose actual cost (with "
        "`resources` and the parent's overhead) is the cost of the posting's output. Posted before it, possibly on "
        "other items' partitions. Every output entry of the posting names them all.",
    )
    resources: list[AssemblyResourceUsage] = Field(
        default_factory=list,
        description="Assembly Output: the resource usage posted with the posting's output (every output entry of the "
        "posting names it all).",
    )
    output_quantities: list[Quantity] = Field(
        default_factory=list,
        description="Assembly Output: the quantity of each output entry of the posting, in entry order (a serial- or "
        "lot-tracked parent gets one entry per serial or lot). Each entry costs its share of the consumptions, the "
        "resources and the overhead by quantity: rounded to the cent, the last entry taking what the others leave. "
        "Empty (an output posted before this field): the entry takes the whole cost.",
    )
    output_index: Int32 = Field(
        default=0, ge=0, description="Assembly Output: this entry's position in `output_quantities`, from 0."
    )


ITEM_ENTRY_POSTED_V1 = EventSpec(
    type="warehouse.item-entry-posted", version=1, topic=WAREHOUSE_ITEM_ENTRIES, payload=ItemEntryPosted
)


class ItemEntryInvoiced(Payload):
    """Part of a posted purchase receipt or sales shipment entry is invoiced: its expected cost becomes actual.

    A purchase invoice names the actual direct unit cost; a sales invoice the sales amount (the cost of a sale
    stays the cost of what it took).
    """

    item_no: str
    item_ledger_entry_no: Int64 = Field(description="The receipt or shipment entry invoiced.")
    document_no: str = Field(description="Invoice no.")
    document_line_no: Int32 = 0
    invoice_entry_no: Int64 | None = Field(
        default=None, description="The warehouse's no. of this invoice line: the same no. again is the same invoice."
    )
    posting_date: date
    invoiced_quantity: Quantity = Field(gt=0, description="Base-unit quantity invoiced now (positive for both directions).")
    unit_cost: UnitCost | None = Field(
        default=None, description="Purchase invoice: actual direct cost per base unit. None on a sales invoice."
    )
    sales_amount: Amount | None = Field(default=None, description="Sales invoice: sales amount of the invoiced quantity.")
    recorded_at: datetime = Field(description="System time the invoice was posted.")


ITEM_ENTRY_INVOICED_V1 = EventSpec(
    type="warehouse.item-entry-invoiced", version=1, topic=WAREHOUSE_ITEM_ENTRIES, payload=ItemEntryInvoiced
)


class AverageCostPeriod(StrEnum):
    DAY = "Day"
    WEEK = "Week"
    MONTH = "Month"
    QUARTER = "Quarter"
    YEAR = "Year"


class AverageCostCalcType(StrEnum):
    ITEM = "Item"
    ITEM_LOCATION_VARIANT = "Item & Location & Variant"


class InventorySetupChanged(Payload):
    """The inventory calendar and average-cost settings every service must agree on, whole, as the warehouse owns them.

    Published on every change (key "inventory-setup"); a replica keeps the highest revision.
    """

    revision: int = Field(ge=1, description="Increases with every change; a reader ignores lower ones.")
    allow_posting_from: date | None = Field(default=None, description="Earliest posting date allowed; no limit when null.")
    allow_posting_to: date | None = Field(default=None, description="Latest posting date allowed; no limit when null.")
    closed_through: date | None = Field(
        default=None, description="Ending date of the latest closed inventory period; nothing on or before it may post."
    )
    average_cost_period: AverageCostPeriod = Field(
        default=AverageCostPeriod.DAY, description="Period whose outbound entries all take its average cost (weeks start on Monday)."
    )
    average_cost_calc_type: AverageCostCalcType = Field(
        default=AverageCostCalcType.ITEM,
        description="Average cost per item, or per item, location and variant. Fixed once item ledger entries exist.",
    )


INVENTORY_SETUP_CHANGED_V1 = EventSpec(
    type="warehouse.inventory-setup-changed", version=1, topic=WAREHOUSE_INVENTORY_SETUP, payload=InventorySetupChanged
)
