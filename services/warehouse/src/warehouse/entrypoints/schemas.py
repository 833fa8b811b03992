"""HTTP request and response bodies of the warehouse."""

from datetime import date
from decimal import Decimal

from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from inventory_contracts.warehouse import ItemLedgerEntryType

Code = Field(max_length=20, pattern=r"^[A-Za-z0-9_.\-/]*$")
Quantity = Field(max_digits=20, decimal_places=5)


class JournalLineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    item_no: str = Field(min_length=1, max_length=20)
    entry_type: ItemLedgerEntryType
    quantity: Decimal = Field(max_digits=20, decimal_places=5, description="Positive; the entry type gives the direction.")
    posting_date: date
    location_code: str = Code
    variant_code: str = Field(default="", max_length=10)
    unit_cost: Decimal | None = Field(default=None, ge=0, max_digits=20, decimal_places=5, description="Inbound lines only.")
    line_no: int | None = Field(default=None, ge=0)
    bin_code: str = Field(default="", max_length=20, pattern=r"^[A-Za-z0-9_.\-/]*$",
                          description="Required at a bin-mandatory location, refused elsewhere.")
    source_type: str | None = Field(default=None, min_length=1, max_length=30,
                                    description="With source_id (and source_line_no): the demand line whose reservation "
                                                "this outbound line consumes; it applies to the reserved entries first.")
    source_id: str | None = Field(default=None, min_length=1, max_length=50)
    source_line_no: int = Field(default=0, ge=0)

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
    unit_cost: Decimal | None
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

    @model_validator(mode="after")
    def _window_in_order(self) -> Self:
        if self.allow_posting_from and self.allow_posting_to and self.allow_posting_from > self.allow_posting_to:
            raise ValueError("allow_posting_from is after allow_posting_to")
        return self


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
    source_line_no: int = Field(default=0, ge=0)


class ReservationIn(DemandLine):
    item_no: str = Field(min_length=1, max_length=20)
    variant_code: str = Field(default="", max_length=10)
    location_code: str = Field(max_length=20, pattern=r"^[A-Za-z0-9_.\-/]*$")
    quantity: Decimal = Field(gt=0, max_digits=20, decimal_places=5, description="Base-unit quantity to reserve.")


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
        description="Open demand. Today only the demand behind open reservations; sales orders and outbound "
                    "transfers do not exist yet."
    )
    scheduled_receipts: Decimal = Field(
        description="Open supply. Always 0 until purchase orders and inbound transfers exist."
    )
    projected_available_balance: Decimal = Field(description="inventory + scheduled_receipts - gross_requirement.")
