"""Events published by the warehouse service on `warehouse.item-entries.v1`."""

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from pydantic import Field

from .catalog import CostingMethod
from .envelope import EventSpec, Payload
from .topics import WAREHOUSE_ITEM_ENTRIES


class ItemLedgerEntryType(StrEnum):
    PURCHASE = "Purchase"
    SALE = "Sale"
    POSITIVE_ADJMT = "Positive Adjmt."
    NEGATIVE_ADJMT = "Negative Adjmt."
    TRANSFER = "Transfer"


class ItemApplication(Payload):
    """Quantity of an outbound entry taken from an inbound entry, decided once by the warehouse."""

    inbound_entry_no: int
    outbound_entry_no: int
    quantity: Decimal = Field(gt=0, description="Applied quantity in the base unit.")


class ItemEntryPosted(Payload):
    """One item ledger entry, with the applications decided when it was posted.

    For an outbound entry the applications name the inbound entries it took from. For an inbound
    entry they name earlier outbound entries (negative inventory) that it now covers.
    """

    entry_no: int = Field(description="Item ledger entry no.; increases, never reused.")
    item_no: str
    variant_code: str = ""
    location_code: str
    bin_code: str = Field(default="", description="Bin the quantity went into or came from; blank where the location has no bins.")
    posting_date: date
    entry_type: ItemLedgerEntryType
    document_no: str
    document_line_no: int = 0
    quantity: Decimal = Field(description="Base-unit quantity; positive inbound, negative outbound.")
    unit_cost: Decimal | None = Field(
        default=None,
        description="Cost per base unit given on an inbound posting. None on an inbound entry: it takes the cost "
        "of `applies_from_entry`, or else the item's current unit cost.",
    )
    applies_from_entry: int | None = Field(
        default=None,
        description="The outbound entry whose cost this inbound entry takes instead of a unit cost of its own: the "
        "receiving side of a transfer or reclassification, a sales return.",
    )
    serial_no: str = Field(default="", description="Serial number; one entry per serial.")
    lot_no: str = Field(default="", description="Lot number; one entry per lot.")
    expiration_date: date | None = Field(default=None, description="Expiration date of the serial or lot.")
    applications: list[ItemApplication] = Field(default_factory=list)
    costing_method: CostingMethod = Field(description="The item's costing method when it was posted.")
    inventory_posting_group: str
    gen_prod_posting_group: str
    gen_bus_posting_group: str = ""
    recorded_at: datetime = Field(description="System time the entry was written.")


ITEM_ENTRY_POSTED_V1 = EventSpec(
    type="warehouse.item-entry-posted", version=1, topic=WAREHOUSE_ITEM_ENTRIES, payload=ItemEntryPosted
)
