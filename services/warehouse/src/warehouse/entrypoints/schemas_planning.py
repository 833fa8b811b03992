"""HTTP bodies of sales and purchase orders and of availability by event and by BOM level."""

import datetime as dt
from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from inventory_contracts.limits import LineNo
from inventory_contracts.limits import Quantity as BoundedQuantity

DocumentNo = Field(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9_.\-/]+$")
Code = Field(default="", max_length=20, pattern=r"^[A-Za-z0-9_.\-/]*$")


class _OrderLineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    item_no: str = Field(min_length=1, max_length=20)
    variant_code: str = Field(default="", max_length=10)
    location_code: str = Code
    quantity: BoundedQuantity = Field(gt=0, max_digits=20, decimal_places=5, description="In `unit_of_measure_code`.")
    unit_of_measure_code: str = Field(default="", max_length=10, description="Blank: the item's base unit.")


class SalesOrderLineChange(_OrderLineIn):
    shipment_date: date = Field(description="When the quantity is to leave: the date of its gross requirement.")


class SalesOrderLineIn(SalesOrderLineChange):
    line_no: LineNo | None = Field(default=None, ge=1, description="10000, 20000, ... by place when omitted.")


class PurchaseOrderLineChange(_OrderLineIn):
    expected_receipt_date: date = Field(description="When the quantity is to arrive: the date of its scheduled receipt.")


class PurchaseOrderLineIn(PurchaseOrderLineChange):
    line_no: LineNo | None = Field(default=None, ge=1, description="10000, 20000, ... by place when omitted.")


class SalesOrderIn(BaseModel):
    """An open sales order as the sales system registers it."""

    model_config = ConfigDict(extra="forbid")

    no: str = DocumentNo
    sell_to_customer_no: str = Field(default="", max_length=20)
    order_date: date
    lines: list[SalesOrderLineIn] = Field(min_length=1, max_length=10_000)
    responsibility_center: str = Field(default="", max_length=10,
                                       description="Blank: the first line's location's center (else the caller's).")


class PurchaseOrderIn(BaseModel):
    """An open purchase order as the purchasing system registers it."""

    model_config = ConfigDict(extra="forbid")

    no: str = DocumentNo
    buy_from_vendor_no: str = Field(default="", max_length=20)
    order_date: date
    lines: list[PurchaseOrderLineIn] = Field(min_length=1, max_length=10_000)
    responsibility_center: str = Field(default="", max_length=10,
                                       description="Blank: the first line's location's center (else the caller's).")


class _OrderLineOut(BaseModel):
    line_no: int
    item_no: str
    variant_code: str
    location_code: str
    unit_of_measure_code: str
    qty_per_unit_of_measure: Decimal
    quantity: Decimal = Field(description="In the line's unit.")
    quantity_base: Decimal = Field(description="In the item's base unit.")
    outstanding_quantity: Decimal = Field(description="In the line's unit: not yet shipped or received.")
    outstanding_qty_base: Decimal


class SalesOrderLineOut(_OrderLineOut):
    shipment_date: date
    quantity_shipped: Decimal = Field(description="In the line's unit, by the shipments that named the line.")
    qty_shipped_base: Decimal
    reserved_qty_base: Decimal = Field(default=Decimal(0), description="What the line holds reserved, on stock and on "
                                       "incoming supply (an item with Reserve Always is reserved automatically).")


class PurchaseOrderLineOut(_OrderLineOut):
    expected_receipt_date: date
    quantity_received: Decimal = Field(description="In the line's unit, by the receipts that named the line.")
    qty_received_base: Decimal


class SalesOrderOut(BaseModel):
    no: str
    sell_to_customer_no: str
    order_date: date
    lines: list[SalesOrderLineOut]
    responsibility_center: str


class PurchaseOrderOut(BaseModel):
    no: str
    buy_from_vendor_no: str
    order_date: date
    lines: list[PurchaseOrderLineOut]
    responsibility_center: str


class SalesOrderPage(BaseModel):
    orders: list[SalesOrderOut]
    next_cursor: str | None


class PurchaseOrderPage(BaseModel):
    orders: list[PurchaseOrderOut]
    next_cursor: str | None


class AvailabilityEventOut(BaseModel):
    date: dt.date | None = Field(description="Shipment, receipt or due date; null for undated lines (open transfer "
                                          "lines, reservations for no sales order line), which count first.")
    type: str = Field(description="Sales Order, Purchase Order, Transfer Shipment, Transfer Receipt, Assembly Order, "
                                  "Assembly Component or Reservation.")
    document_no: str
    line_no: int
    location_code: str
    variant_code: str
    gross_requirement: Decimal = Field(description="In the base unit, still outstanding.")
    scheduled_receipt: Decimal = Field(description="In the base unit, still outstanding.")
    projected_available_balance: Decimal = Field(description="After this event.")


class AvailabilityByEvent(BaseModel):
    """The inventory on hand, then each supply and demand event in date order with the balance it leaves."""

    item_no: str
    location_code: str | None
    variant_code: str | None
    to: date | None
    inventory: Decimal = Field(description="On hand: every posted entry (at the location, of the variant).")
    events: list[AvailabilityEventOut]
    projected_available_balance: Decimal = Field(description="After the last event (the inventory if none).")


class BomLevelLineOut(BaseModel):
    level: int = Field(description="0 for the item asked about, 1 for its components, ...")
    item_no: str
    description: str
    parent_item_no: str | None
    base_unit_of_measure: str
    is_assembly: bool = Field(description="The line's item has components of its own.")
    quantity_per: Decimal = Field(description="Base units per one parent base unit.")
    total_quantity_per: Decimal = Field(description="Base units per one top item.")
    available: Decimal = Field(description="Projected available balance as of `date`: inventory + scheduled "
                                           "receipts - gross requirements.")
    able_to_make_parent: Decimal = Field(description="Whole parent units this line allows: (available + what its "
                                                     "own components make) / quantity per. On the top line, what the "
                                                     "components allow.")
    able_to_make_top_item: Decimal = Field(description="Whole top items this line allows, through its parents' stock.")
    bottleneck: bool = Field(description="This line limits the top item and none of its components does.")


class AvailabilityByBomLevel(BaseModel):
    item_no: str
    location_code: str | None
    date: dt.date | None
    lines: list[BomLevelLineOut]
