"""HTTP request and response bodies of the warehouse."""

from datetime import date
from decimal import Decimal

from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from inventory_contracts.limits import Amount, EntryNo, LineNo, UnitCost
from inventory_contracts.limits import Quantity as BoundedQuantity
from inventory_contracts.warehouse import AverageCostCalcType, AverageCostPeriod, ItemLedgerEntryType

Code = Field(max_length=20, pattern=r"^[A-Za-z0-9_.\-/]*$")
Quantity = Field(max_digits=20, decimal_places=5)


TrackingNo = Field(default="", max_length=50, pattern=r"^[A-Za-z0-9_.\-/]*$")


class TrackingLineIn(BaseModel):
    """A part of a line with one serial and/or lot no. The tracking lines of a line add up to its base quantity."""

    model_config = ConfigDict(extra="forbid")

    serial_no: str = TrackingNo
    lot_no: str = TrackingNo
    quantity: BoundedQuantity | None = Field(default=None, gt=0, max_digits=20, decimal_places=5,
                                     description="In the item's base unit; 1 when omitted with a serial no.")
    expiration_date: date | None = Field(default=None, description="Inbound only, where the tracking code uses expiration dates.")

    @model_validator(mode="after")
    def _quantity_known(self) -> Self:
        if self.quantity is None and not self.serial_no:
            raise ValueError("a tracking line without serial_no needs a quantity")
        return self


class JournalLineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    item_no: str = Field(min_length=1, max_length=20)
    entry_type: ItemLedgerEntryType
    quantity: BoundedQuantity = Field(max_digits=20, decimal_places=5, description="Positive; the entry type gives the direction.")
    posting_date: date
    location_code: str = Code
    variant_code: str = Field(default="", max_length=10)
    unit_cost: UnitCost | None = Field(default=None, ge=0, max_digits=20, decimal_places=5, description="Inbound lines only.")
    line_no: LineNo | None = Field(default=None, ge=0)
    bin_code: str = Field(default="", max_length=20, pattern=r"^[A-Za-z0-9_.\-/]*$",
                          description="Required at a bin-mandatory location, refused elsewhere.")
    source_type: str | None = Field(default=None, min_length=1, max_length=30,
                                    description="With source_id (and source_line_no): the demand line whose reservation "
                                                "this outbound line consumes; it applies to the reserved entries first.")
    source_id: str | None = Field(default=None, min_length=1, max_length=50)
    source_line_no: LineNo = Field(default=0, ge=0)
    unit_of_measure_code: str = Field(default="", max_length=10,
                                      description="Unit of `quantity` and `unit_cost`; blank is the base unit. Posted "
                                                  "in the base unit.")
    tracking: list[TrackingLineIn] = Field(default_factory=list, max_length=10_000,
                                           description="Serial/lot numbers as the item's tracking code requires.")
    applies_to_entry: EntryNo | None = Field(
        default=None, description="Outbound lines: the inbound entry (appl.-to item entry) this line takes from, and "
                                  "whose cost it takes, whatever the costing method; it must have the quantity left.")
    explode_bom: bool = Field(
        default=False, description="Sale lines of a kit: post Sale entries of its assembly BOM's component items "
                                   "(quantity per x quantity) instead of the item itself.")

    @model_validator(mode="after")
    def _demand_named_whole(self) -> Self:
        if (self.source_type is None) != (self.source_id is None):
            raise ValueError("source_type and source_id go together")
        return self


class ItemJournalIn(BaseModel):
    """An item journal posted as one document: all lines or none."""

    model_config = ConfigDict(extra="forbid")

    document_no: str = Field(min_length=1, max_length=20)
    lines: list[JournalLineIn] = Field(min_length=1, max_length=10_000)


class ApplicationOut(BaseModel):
    inbound_entry_no: int
    outbound_entry_no: int
    quantity: Decimal


class ItemLedgerEntryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    entry_no: int
    item_no: str
    variant_code: str
    location_code: str
    bin_code: str = ""
    posting_date: date
    entry_type: ItemLedgerEntryType
    document_no: str
    document_line_no: int
    quantity: Decimal
    unit_cost: Decimal | None = Field(description="Per base unit.")
    serial_no: str = ""
    lot_no: str = ""
    expiration_date: date | None = None
    applies_from_entry: int | None = None
    unit_of_measure_code: str = ""
    qty_per_unit_of_measure: Decimal = Decimal(1)
    document_type: str = ""
    correction: bool = False
    invoiced_quantity: Decimal | None = Field(
        default=None, description="Null: invoiced as it posted. Otherwise the part of a receipt or shipment invoiced.")
    applies_to_entry: int | None = None
    order_type: str = Field(default="", description="Assembly: posted from an assembly order.")
    order_no: str = ""
    order_line_no: int = Field(default=0, description="The order line of an assembly consumption.")
    remaining_quantity: Decimal | None = None
    open: bool | None = None
    applications: list[ApplicationOut] = []


class PostedDocument(BaseModel):
    document_no: str
    entries: list[ItemLedgerEntryOut]


class ItemLedgerEntryPage(BaseModel):
    entries: list[ItemLedgerEntryOut]
    next_cursor: str | None = None


class LocationQuantity(BaseModel):
    location_code: str
    variant_code: str
    quantity: Decimal


class QuantityOnHand(BaseModel):
    item_no: str
    quantity: Decimal
    locations: list[LocationQuantity]


class InventorySetup(BaseModel):
    model_config = ConfigDict(extra="forbid")

    prevent_negative_inventory: bool = Field(description="Default for items whose own setting is Default.")
    allow_posting_from: date | None = Field(default=None, description="Earliest posting date allowed; none when null.")
    allow_posting_to: date | None = Field(default=None, description="Latest posting date allowed; none when null.")
    average_cost_period: AverageCostPeriod | None = Field(
        default=None, description="Day, Week, Month, Quarter or Year; null: unchanged. Fixed once item ledger entries exist."
    )
    average_cost_calc_type: AverageCostCalcType | None = Field(
        default=None, description="Item, or Item & Location & Variant; null: unchanged. Fixed once item ledger entries exist."
    )
    closed_through: date | None = Field(default=None, description="Read-only (inventory periods set it); ignored here.")
    revision: int | None = Field(default=None, description="Read-only; ignored here, so that a GET body can be PUT back.")

    @model_validator(mode="after")
    def _window_in_order(self) -> Self:
        if self.allow_posting_from and self.allow_posting_to and self.allow_posting_from > self.allow_posting_to:
            raise ValueError("allow_posting_from is after allow_posting_to")
        return self


class InventorySetupOut(BaseModel):
    prevent_negative_inventory: bool
    allow_posting_from: date | None
    allow_posting_to: date | None
    average_cost_period: AverageCostPeriod
    average_cost_calc_type: AverageCostCalcType
    closed_through: date | None = Field(description="Ending date of the latest closed inventory period.")
    revision: int = Field(description="Increases with every change, each published on warehouse.inventory-setup.v1.")


class LocationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=10, pattern=r"^[A-Za-z0-9_.\-/]+$")
    name: str = Field(min_length=1, max_length=100)
    use_as_in_transit: bool = Field(default=False, description="Stock on its way between locations; only transfers post here.")
    bin_mandatory: bool = Field(default=False, description="Every posting names a bin of the location.")
    responsibility_center: str = Field(default="", max_length=10)


class LocationOut(BaseModel):
    code: str
    name: str
    use_as_in_transit: bool
    bin_mandatory: bool
    responsibility_center: str


class LocationPage(BaseModel):
    locations: list[LocationOut]
    next_cursor: str | None = None


class BinIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9_.\-/]+$")
    description: str = Field(default="", max_length=100)


class BinOut(BaseModel):
    location_code: str
    code: str
    description: str


class BinList(BaseModel):
    bins: list[BinOut]


class BinContent(BaseModel):
    location_code: str
    bin_code: str
    item_no: str
    variant_code: str
    quantity: Decimal = Field(description="Sum of the item ledger entries posted with this bin.")


class BinContentList(BaseModel):
    bin_contents: list[BinContent]


class InventoryPeriodIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(default="", max_length=50)


class InventoryPeriodOut(BaseModel):
    ending_date: date = Field(description="The period runs from the day after the previous period's ending date to this date.")
    closed: bool
    name: str


class InventoryPeriodList(BaseModel):
    periods: list[InventoryPeriodOut]


class DemandLine(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source_type: str = Field(min_length=1, max_length=30, description="Kind of demand, e.g. 'Sales Order'.")
    source_id: str = Field(min_length=1, max_length=50, description="The demand document, e.g. the sales order no.")
    source_line_no: LineNo = Field(default=0, ge=0)


class ReservationIn(DemandLine):
    item_no: str = Field(min_length=1, max_length=20)
    variant_code: str = Field(default="", max_length=10)
    location_code: str = Field(max_length=20, pattern=r"^[A-Za-z0-9_.\-/]*$")
    quantity: BoundedQuantity = Field(gt=0, max_digits=20, decimal_places=5, description="Base-unit quantity to reserve.")
    serial_no: str = Field(default="", max_length=50, pattern=r"^[A-Za-z0-9_.\-/]*$",
                           description="Reserve only the entry of this serial no. (quantity 1).")
    lot_no: str = Field(default="", max_length=50, pattern=r"^[A-Za-z0-9_.\-/]*$",
                        description="Reserve only entries of this lot no.")


class ReservationEntryOut(BaseModel):
    id: int
    source_type: str
    source_id: str
    source_line_no: int
    item_no: str
    variant_code: str
    location_code: str
    item_ledger_entry_no: int = Field(description="The inbound item ledger entry the quantity is reserved on.")
    quantity: Decimal
    remaining_quantity: Decimal = Field(description="Still reserved; falls as the demand posts.")
    status: str = Field(description="Reserved, Cancelled or Consumed.")
    serial_no: str = Field(default="", description="Serial no. of the reserved entry.")
    lot_no: str = Field(default="", description="Lot no. of the reserved entry.")


class ReservationOut(BaseModel):
    source_type: str
    source_id: str
    source_line_no: int
    quantity: Decimal = Field(description="Quantity this request reserved or cancelled.")
    entries: list[ReservationEntryOut]


class ReservationList(BaseModel):
    entries: list[ReservationEntryOut]


class Availability(BaseModel):
    """Availability of an item, company-wide or at one location, as of a date (on-hand reservations have no date)."""

    item_no: str
    location_code: str | None
    as_of: date | None = Field(description="The date filter: entries posted up to this date; null for all.")
    inventory: Decimal = Field(description="Sum of the item ledger entries' quantities (posting date up to `date`).")
    in_transit: Decimal = Field(description="Of the inventory, what sits at in-transit locations: available at neither end.")
    reserved: Decimal = Field(description="On-hand quantity reserved for demand lines.")
    available_inventory: Decimal = Field(description="inventory - in_transit - reserved: what a new demand can take.")
    gross_requirement: Decimal = Field(
        description="Open demand: the demand behind open reservations, and with a location filter the quantity of "
                    "transfer order lines still to ship from it."
    )
    scheduled_receipts: Decimal = Field(
        description="Open supply: with a location filter, transfer order quantity still to be received there "
                    "(company-wide transfers net out); purchase orders do not exist yet."
    )
    projected_available_balance: Decimal = Field(description="inventory + scheduled_receipts - gross_requirement.")


class AvailabilityPeriod(BaseModel):
    """An item's availability as of the end of one period."""

    period_start: date
    period_end: date
    net_change: Decimal = Field(description="Sum of the quantities of the entries posted within the period.")
    inventory: Decimal = Field(description="Inventory as of the period's end.")
    in_transit: Decimal
    reserved: Decimal = Field(description="On-hand reservations carry no date: the same in every period.")
    available_inventory: Decimal
    gross_requirement: Decimal = Field(description="Reservations and (with a location) open transfer lines from it; "
                                                   "undated, so the same in every period.")
    scheduled_receipts: Decimal = Field(description="With a location, open transfer lines to it; undated.")
    projected_available_balance: Decimal


class AvailabilityByPeriod(BaseModel):
    """Availability of an item per calendar period (`period`, `from`, `to`), company-wide or at one location."""

    item_no: str
    location_code: str | None
    period: str = Field(description="day, week (Monday to Sunday) or month.")
    periods: list[AvailabilityPeriod]


class ReclassTrackingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    serial_no: str = TrackingNo
    lot_no: str = TrackingNo
    quantity: BoundedQuantity | None = Field(default=None, gt=0, max_digits=20, decimal_places=5,
                                     description="In the base unit; 1 when omitted with a serial no.")
    new_serial_no: str = TrackingNo
    new_lot_no: str = TrackingNo
    new_expiration_date: date | None = None

    @model_validator(mode="after")
    def _quantity_known(self) -> Self:
        if self.quantity is None and not self.serial_no:
            raise ValueError("a tracking line without serial_no needs a quantity")
        return self


class ReclassLineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    item_no: str = Field(min_length=1, max_length=20)
    variant_code: str = Field(default="", max_length=10)
    location_code: str = Code
    bin_code: str = Field(default="", max_length=20, pattern=r"^[A-Za-z0-9_.\-/]*$")
    new_location_code: str | None = Field(default=None, max_length=20, pattern=r"^[A-Za-z0-9_.\-/]*$",
                                          description="Omitted: the same location.")
    new_bin_code: str | None = Field(default=None, max_length=20, pattern=r"^[A-Za-z0-9_.\-/]*$",
                                     description="Omitted: the same bin when the location stays, else none.")
    quantity: BoundedQuantity = Field(gt=0, max_digits=20, decimal_places=5)
    unit_of_measure_code: str = Field(default="", max_length=10)
    posting_date: date
    line_no: LineNo | None = Field(default=None, ge=0)
    tracking: list[ReclassTrackingIn] = Field(default_factory=list, max_length=10_000)


class ReclassificationJournalIn(BaseModel):
    """Posted as Transfer pairs: out of the old location/bin/numbers, into the new ones at unchanged cost."""

    model_config = ConfigDict(extra="forbid")

    document_no: str = Field(min_length=1, max_length=20)
    lines: list[ReclassLineIn] = Field(min_length=1, max_length=10_000)


class TracedEntryOut(ItemLedgerEntryOut):
    level: int = Field(description="0: carries the number; n: linked to an entry of level n-1.")
    traced_from: int | None = Field(description="The entry of the previous level it was reached from.")


class ItemTracing(BaseModel):
    serial_no: str
    lot_no: str
    direction: str
    entries: list[TracedEntryOut]


class TransferLineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    line_no: LineNo | None = Field(default=None, ge=0)
    item_no: str = Field(min_length=1, max_length=20)
    variant_code: str = Field(default="", max_length=10)
    quantity: BoundedQuantity = Field(gt=0, max_digits=20, decimal_places=5)
    unit_of_measure_code: str = Field(default="", max_length=10, description="Blank: the base unit. Kept in the base unit.")


class TransferOrderIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    no: str = Field(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9_.\-/]+$")
    transfer_from_code: str = Field(min_length=1, max_length=20)
    transfer_to_code: str = Field(min_length=1, max_length=20)
    in_transit_code: str | None = Field(default=None, max_length=20, description="Required unless direct_transfer.")
    direct_transfer: bool = Field(default=False, description="Ship posts one pair straight into the destination.")
    lines: list[TransferLineIn] = Field(min_length=1, max_length=10_000)


class TransferOrderLineOut(BaseModel):
    line_no: int
    item_no: str
    variant_code: str
    quantity: Decimal = Field(description="In the base unit.")
    quantity_shipped: Decimal
    quantity_received: Decimal


class TransferOrderOut(BaseModel):
    no: str
    transfer_from_code: str
    transfer_to_code: str
    in_transit_code: str | None
    direct_transfer: bool
    lines: list[TransferOrderLineOut]


class ShipLineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    line_no: LineNo = Field(ge=0)
    quantity: BoundedQuantity = Field(gt=0, max_digits=20, decimal_places=5, description="In the base unit.")
    tracking: list[TrackingLineIn] = Field(default_factory=list, description="Fixed here; the receipt takes these.")
    bin_code: str = Field(default="", max_length=20, pattern=r"^[A-Za-z0-9_.\-/]*$",
                          description="The from-bin: required at a bin-mandatory origin, refused elsewhere.")
    to_bin_code: str = Field(default="", max_length=20, pattern=r"^[A-Za-z0-9_.\-/]*$",
                             description="Direct transfers only: the bin at a bin-mandatory destination (otherwise "
                                         "the to-bin goes on the receipt).")


class ShipmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    shipment_no: str = Field(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9_.\-/]+$")
    posting_date: date
    lines: list[ShipLineIn] = Field(min_length=1, max_length=10_000)


class ReceiveLineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    line_no: LineNo = Field(ge=0)
    quantity: BoundedQuantity = Field(gt=0, max_digits=20, decimal_places=5, description="In the base unit.")
    bin_code: str = Field(default="", max_length=20, pattern=r"^[A-Za-z0-9_.\-/]*$",
                          description="The to-bin: required at a bin-mandatory destination, refused elsewhere.")


class ReceiptIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    receipt_no: str = Field(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9_.\-/]+$")
    posting_date: date
    lines: list[ReceiveLineIn] = Field(min_length=1, max_length=10_000)


class TransferPosting(BaseModel):
    order: TransferOrderOut
    entries: list[ItemLedgerEntryOut]


class PhysInvtOrderIn(BaseModel):
    """A physical inventory order counts one location, optionally only some items and one bin."""

    model_config = ConfigDict(extra="forbid")

    no: str = Field(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9_.\-/]+$")
    location_code: str = Code
    posting_date: date = Field(description="Expected quantities are calculated as of this date; the adjustments post on it.")
    item_nos: list[str] = Field(default_factory=list, max_length=1000, description="Only these items; empty: every item.")
    bin_code: str = Field(default="", max_length=20, pattern=r"^[A-Za-z0-9_.\-/]*$", description="Only this bin; blank: every bin.")


class PhysInvtOrderLineOut(BaseModel):
    line_no: int
    item_no: str
    variant_code: str
    bin_code: str
    lot_no: str
    serial_no: str
    expected_quantity: Decimal = Field(description="Base unit, from the item ledger as of the posting date.")
    recorded_quantity: Decimal | None = Field(description="Counted; null until recorded.")
    recording_no: str | None = Field(description="The recording that counted the line; null when set by finishing.")
    expiration_date: date | None
    calculated: bool = Field(description="False for a line a recording added (an unexpected lot, serial or bin).")


class PhysInvtOrderOut(BaseModel):
    no: str
    location_code: str
    posting_date: date
    item_nos: list[str]
    bin_code: str
    status: str = Field(description="Open, Finished or Posted.")
    lines_calculated: bool
    lines: list[PhysInvtOrderLineOut]


class RecordedLineIn(BaseModel):
    """A counted quantity for an order line (line_no), or for something the order did not expect (item_no with its
    variant, bin, lot and serial), which adds a line with expected quantity 0."""

    model_config = ConfigDict(extra="forbid")

    line_no: LineNo | None = Field(default=None, ge=0)
    item_no: str = Field(default="", max_length=20)
    variant_code: str = Field(default="", max_length=10)
    bin_code: str = Field(default="", max_length=20, pattern=r"^[A-Za-z0-9_.\-/]*$")
    lot_no: str = TrackingNo
    serial_no: str = TrackingNo
    expiration_date: date | None = Field(default=None, description="For a new lot or serial of an item with expiration dates.")
    quantity: BoundedQuantity = Field(ge=0, max_digits=20, decimal_places=5, description="Counted, in the base unit.")

    @model_validator(mode="after")
    def _line_or_item(self) -> Self:
        if (self.line_no is None) == (not self.item_no):
            raise ValueError("name either line_no (an order line) or item_no (a new line)")
        if self.line_no is not None and (self.variant_code or self.bin_code or self.lot_no or self.serial_no
                                         or self.expiration_date):
            raise ValueError("a recorded order line takes only line_no and quantity")
        return self


class RecordingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    recording_no: str = Field(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9_.\-/]+$")
    lines: list[RecordedLineIn] = Field(min_length=1, max_length=10_000)


class FinishIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    unrecorded: str = Field(default="refuse", pattern=r"^(refuse|zero|expected)$",
                            description="refuse: every line must be recorded; zero: unrecorded lines counted 0; "
                                        "expected: unrecorded lines counted at their expected quantity.")


class PhysInvtLedgerEntryOut(BaseModel):
    entry_no: int
    order_no: str
    order_line_no: int
    recording_no: str | None
    item_no: str
    variant_code: str
    location_code: str
    bin_code: str
    lot_no: str
    serial_no: str
    posting_date: date
    expected_quantity: Decimal
    recorded_quantity: Decimal
    difference: Decimal = Field(description="recorded - expected.")
    entry_type: ItemLedgerEntryType | None = Field(description="Positive or Negative Adjmt.; null without a difference.")
    item_ledger_entry_no: int | None = Field(description="The adjustment the difference posted.")


class PhysInvtPosting(BaseModel):
    order: PhysInvtOrderOut
    entries: list[ItemLedgerEntryOut]
    physical_inventory_ledger_entries: list[PhysInvtLedgerEntryOut]


class PhysInvtLedgerEntryPage(BaseModel):
    entries: list[PhysInvtLedgerEntryOut]
    next_cursor: str | None = None


# purchase and sales documents --------------------------------------------------------------------


class ReturnLineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    entry_no: EntryNo = Field(ge=1, description="Purchase return: the receipt entry it applies to. Sales return: the "
                                            "shipment entry it applies from, whose cost it takes.")
    quantity: BoundedQuantity = Field(gt=0, max_digits=20, decimal_places=5, description="In the base unit.")
    line_no: LineNo | None = Field(default=None, ge=0)


class ReturnIn(BaseModel):
    """A purchase return or sales return: every line names the entry it reverses. Invoiced as it posts."""

    model_config = ConfigDict(extra="forbid")

    document_no: str = Field(min_length=1, max_length=20)
    posting_date: date
    lines: list[ReturnLineIn] = Field(min_length=1, max_length=10_000)


class UndoIn(BaseModel):
    """Undo receipt or shipment entries nothing of which is invoiced: correcting entries at their date."""

    model_config = ConfigDict(extra="forbid")

    entry_nos: list[int] = Field(min_length=1, max_length=10_000)

    @model_validator(mode="after")
    def _distinct(self) -> Self:
        if len(set(self.entry_nos)) != len(self.entry_nos):
            raise ValueError("an entry is undone once")
        return self


class InvoiceLineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    entry_no: EntryNo = Field(ge=1, description="The receipt (purchase invoice) or shipment (sales invoice) entry.")
    quantity: BoundedQuantity = Field(gt=0, max_digits=20, decimal_places=5, description="Base-unit quantity to invoice.")
    unit_cost: UnitCost | None = Field(default=None, ge=0, max_digits=20, decimal_places=5,
                                      description="Purchase invoice: actual direct cost per base unit.")
    sales_amount: Amount | None = Field(default=None, ge=0, max_digits=20, decimal_places=2,
                                         description="Sales invoice: sales amount of the invoiced quantity.")
    line_no: LineNo | None = Field(default=None, ge=0)


class InvoiceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    document_no: str = Field(min_length=1, max_length=20)
    posting_date: date
    lines: list[InvoiceLineIn] = Field(min_length=1, max_length=10_000)


class InvoiceLineOut(BaseModel):
    line_no: int
    entry_no: int
    quantity: Decimal
    unit_cost: Decimal | None = None
    sales_amount: Decimal | None = None


class PostedInvoice(BaseModel):
    document_no: str
    lines: list[InvoiceLineOut]
