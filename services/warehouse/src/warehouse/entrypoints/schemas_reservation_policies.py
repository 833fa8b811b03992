"""HTTP bodies of reservations against supply, automatic reservation and the reservation worksheet."""

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from inventory_contracts.limits import LineNo
from inventory_contracts.limits import Quantity as BoundedQuantity

from warehouse.domain.allocation import AllocationPolicy
from warehouse.domain.reservation_policy import SupplyType
from warehouse.entrypoints.schemas import DemandLine, ReservationEntryOut, ReservationOut

_CODE = r"^[A-Za-z0-9_.\-/]*$"


class _Place(BaseModel):
    item_no: str = Field(min_length=1, max_length=20)
    variant_code: str = Field(default="", max_length=10, pattern=_CODE)
    location_code: str = Field(max_length=20, pattern=_CODE)


class SupplyReservationIn(DemandLine, _Place):
    quantity: BoundedQuantity = Field(gt=0, max_digits=20, decimal_places=5, description="Base-unit quantity to reserve.")
    supply_type: SupplyType = Field(description="Purchase Order, Transfer Order (its inbound side) or Assembly Order.")
    supply_id: str = Field(min_length=1, max_length=50, description="The supply document's no.")
    supply_line_no: LineNo = Field(default=0, ge=0, description="The supply line; 0 for an assembly order's output.")
    demand_date: date | None = Field(default=None, description="When the demand needs the item (e.g. the shipment "
                                                               "date): supply due later is refused unless allowed.")
    allow_later_supply: bool = Field(default=False, description="Reserve supply due after the demand's date.")


class SupplyReservationOut(BaseModel):
    id: int
    source_type: str
    source_id: str
    source_line_no: int
    item_no: str
    variant_code: str
    location_code: str
    supply_type: SupplyType
    supply_id: str
    supply_line_no: int
    expected_date: date | None = Field(description="The supply's due date when reserved.")
    quantity: Decimal
    remaining_quantity: Decimal = Field(description="Still reserved on the supply; falls as it is received.")
    status: str = Field(description="Reserved, Received (moved onto the received item ledger entries) or Cancelled.")


class SupplyReservationList(BaseModel):
    entries: list[SupplyReservationOut]


class CancelledReservationsOut(ReservationOut):
    supply_entries: list[SupplyReservationOut] = Field(default_factory=list,
                                                       description="Reservations of incoming supply cancelled.")


class AutoReserveIn(DemandLine, _Place):
    quantity: BoundedQuantity = Field(ge=0, max_digits=20, decimal_places=5,
                                      description="The demand line's outstanding base quantity: what it should hold.")
    demand_date: date | None = Field(default=None, description="Only supply due by this date is reserved.")


class ReservedOut(BaseModel):
    """What a demand line holds after an automatic reservation."""

    source_type: str
    source_id: str
    source_line_no: int
    reserved_quantity: Decimal
    from_inventory: Decimal
    from_supply: Decimal
    entries: list[ReservationEntryOut]
    supply_entries: list[SupplyReservationOut]


class WorksheetLineOut(BaseModel):
    source_type: str
    source_id: str
    source_line_no: int
    due_date: date | None
    priority: int = Field(description="The higher, the sooner served (By Priority); 0 is none.")
    wanted: Decimal = Field(description="Outstanding quantity not yet reserved.")
    allocated: Decimal | None = Field(default=None, description="What the allocation policy gives the line.")


class WorksheetOut(BaseModel):
    item_no: str
    variant_code: str
    location_code: str
    available: Decimal = Field(description="On-hand stock nobody reserved.")
    demand: Decimal = Field(description="What the lines want.")
    shortage: Decimal = Field(description="demand - available, when positive.")
    policy: AllocationPolicy | None = None
    lines: list[WorksheetLineOut]


class NamedDemandIn(DemandLine):
    quantity: BoundedQuantity = Field(gt=0, max_digits=20, decimal_places=5, description="Base quantity it wants.")
    due_date: date | None = None
    priority: int = Field(default=0, ge=0, le=1000)


class DemandPriorityIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source_id: str = Field(min_length=1, max_length=50, description="A demand document, e.g. a sales order no.")
    priority: int = Field(ge=0, le=1000, description="The higher, the sooner served; 0 is none (e.g. the customer's "
                                                      "priority).")


class AllocationIn(_Place):
    model_config = ConfigDict(extra="forbid")

    policy: AllocationPolicy
    demands: list[NamedDemandIn] = Field(default_factory=list, max_length=1000,
                                         description="Demand lines to allocate to besides the open documents'.")
    priorities: list[DemandPriorityIn] = Field(default_factory=list, max_length=1000,
                                               description="Priorities by demand document, over the documents' own.")


class AllocationOut(WorksheetOut):
    preview: bool
    run_id: int | None = Field(description="The allocation run recorded; none for a preview.")
    allocated: Decimal
    entries: list[ReservationEntryOut] = Field(description="The reservations written (none for a preview).")
