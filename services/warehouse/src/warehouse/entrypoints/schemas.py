"""HTTP request and response bodies of the warehouse."""

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

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
