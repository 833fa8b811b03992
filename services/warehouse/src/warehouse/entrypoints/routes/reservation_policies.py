"""Reservations against incoming supply, automatic reservation, and the reservation worksheet's allocation."""

from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import JSONResponse, Response

from servicekit.auth import requires
from servicekit.endpoints import Runtime

from warehouse.domain.allocation import AllocationPolicy, DemandToAllocate, allocate
from warehouse.domain.ledger_state import Demand
from warehouse.domain.ports_reservation_policies import OpenDemandLine
from warehouse.domain.reservation_policy import SupplyRef, SupplyReservation
from warehouse.entrypoints.mapping import PROBLEM, reservation_entry_out
from warehouse.entrypoints.schemas_reservation_policies import (
    AllocationIn,
    AllocationOut,
    AutoReserveIn,
    ReservedOut,
    SupplyReservationIn,
    SupplyReservationList,
    SupplyReservationOut,
    WorksheetLineOut,
    WorksheetOut,
)
from warehouse.service_layer.reservation_policies import (
    Allocation,
    Worksheet,
    allocate_short_stock,
    list_supply_reservations,
    reservation_worksheet,
    reserve_against_supply,
    reserve_automatically,
)
from warehouse.service_layer.unit_of_work import WarehouseUnitOfWork

router = APIRouter()
_CODE = r"^[A-Za-z0-9_.\-/]*$"


@router.post("/reservations/supply", status_code=201, response_model=SupplyReservationOut, tags=["reservations"],
             responses={409: PROBLEM, 422: PROBLEM}, dependencies=[requires("inventory:post")])
async def create_supply_reservation(
    body: SupplyReservationIn, request: Request, runtime: Runtime,
    idempotency_key: Annotated[str | None, Header()] = None,
) -> JSONResponse:
    """Reserve incoming supply for a demand line: a purchase order line, the inbound side of a transfer order line or
    an assembly order's output. At most its outstanding quantity less what other demand reserved on it, and only
    supply due by the demand's date unless `allow_later_supply`. When the supply is received, the reservation moves
    onto the new item ledger entries."""

    async def action(uow: WarehouseUnitOfWork) -> tuple[int, SupplyReservationOut]:
        made = await reserve_against_supply(
            uow, Demand(body.source_type, body.source_id, body.source_line_no),
            (body.item_no, body.variant_code, body.location_code), body.quantity,
            SupplyRef(body.supply_type, body.supply_id, body.supply_line_no), body.demand_date,
            allow_later=body.allow_later_supply)
        return 201, supply_reservation_out(made)

    return await runtime.post_once(request, idempotency_key, body, action)


@router.get("/reservations/supply", response_model=SupplyReservationList, tags=["reservations"],
            dependencies=[requires("inventory:read")])
async def supply_reservations(
    runtime: Runtime, item_no: str | None = None, source_type: str | None = None, source_id: str | None = None,
    supply_id: str | None = None, include_closed: bool = False,
) -> SupplyReservationList:
    async with runtime.reading() as uow:
        found = await list_supply_reservations(uow, item_no, source_type, source_id, supply_id, include_closed)
    return SupplyReservationList(entries=[supply_reservation_out(r) for r in found])


@router.post("/reservations/auto", response_model=ReservedOut, tags=["reservations"],
             responses={409: PROBLEM, 422: PROBLEM}, dependencies=[requires("inventory:post")])
async def auto_reserve(
    body: AutoReserveIn, request: Request, runtime: Runtime, idempotency_key: Annotated[str | None, Header()] = None,
) -> JSONResponse:
    """Bring what the demand line holds to `quantity`: on-hand stock first, then supply due by `demand_date`; a lower
    quantity cancels the excess. What cannot be reserved stays unreserved (reserved_quantity says what is held)."""

    async def action(uow: WarehouseUnitOfWork) -> tuple[int, ReservedOut]:
        demand = Demand(body.source_type, body.source_id, body.source_line_no)
        held = await reserve_automatically(uow, demand, (body.item_no, body.variant_code, body.location_code),
                                           body.quantity, body.demand_date)
        from_inventory = sum((r.remaining_quantity for r in held.on_hand), Decimal(0))
        from_supply = sum((r.remaining_quantity for r in held.on_supply), Decimal(0))
        return 200, ReservedOut(
            source_type=demand.source_type, source_id=demand.source_id, source_line_no=demand.source_line_no,
            reserved_quantity=from_inventory + from_supply, from_inventory=from_inventory, from_supply=from_supply,
            entries=[reservation_entry_out(r) for r in held.on_hand],
            supply_entries=[supply_reservation_out(r) for r in held.on_supply])

    return await runtime.post_once(request, idempotency_key, body, action)


@router.get("/reservation-worksheet", response_model=WorksheetOut, tags=["reservations"],
            responses={422: PROBLEM}, dependencies=[requires("inventory:read")])
async def worksheet(
    runtime: Runtime,
    item_no: Annotated[str, Query(min_length=1, max_length=20)],
    location_code: Annotated[str, Query(max_length=20, pattern=_CODE)] = "",
    variant_code: Annotated[str, Query(max_length=10, pattern=_CODE)] = "",
    policy: AllocationPolicy | None = None,
) -> WorksheetOut:
    """The open demand for the item at the location not yet reserved, and the on-hand stock nobody reserved; with
    `policy`, what that allocation policy would give each line (nothing is written)."""
    async with runtime.reading() as uow:
        sheet, _, _ = await reservation_worksheet(uow, (item_no, variant_code, location_code))
    given = {id(a.line): a.quantity for a in allocate(sheet.available, sheet.lines, policy)} if policy else {}
    return WorksheetOut(**_sheet_fields(sheet), policy=policy, lines=[
        WorksheetLineOut(**_line_fields(l), allocated=given.get(id(l))) for l in sheet.lines])


@router.post("/reservation-worksheet/allocate", response_model=AllocationOut, tags=["reservations"],
             responses={409: PROBLEM, 422: PROBLEM}, dependencies=[requires("inventory:post")])
async def allocate_stock(
    body: AllocationIn, request: Request, runtime: Runtime, preview: bool = False,
    idempotency_key: Annotated[str | None, Header()] = None,
) -> Response:
    """Divide the free stock of the item at the location among the open demand by `policy` (Basic, By Priority,
    Equally) and reserve it; with `preview=true`, only show the proposal."""
    key = (body.item_no, body.variant_code, body.location_code)
    named = [OpenDemandLine(Demand(d.source_type, d.source_id, d.source_line_no), key, d.quantity, d.due_date,
                            d.priority) for d in body.demands]
    priorities = {p.source_id: p.priority for p in body.priorities}
    if preview:
        async with runtime.reading() as uow:
            made = await allocate_short_stock(uow, key, body.policy, named, priorities, preview=True)
        return JSONResponse(allocation_out(made, preview=True).model_dump(mode="json"))

    async def action(uow: WarehouseUnitOfWork) -> tuple[int, AllocationOut]:
        made = await allocate_short_stock(uow, key, body.policy, named, priorities, preview=False)
        return 200, allocation_out(made, preview=False)

    return await runtime.post_once(request, idempotency_key, body, action)


def supply_reservation_out(r: SupplyReservation) -> SupplyReservationOut:
    assert r.id is not None
    return SupplyReservationOut(
        id=r.id, source_type=r.demand.source_type, source_id=r.demand.source_id, source_line_no=r.demand.source_line_no,
        item_no=r.key[0], variant_code=r.key[1], location_code=r.key[2], supply_type=r.supply.supply_type,
        supply_id=r.supply.supply_id, supply_line_no=r.supply.supply_line_no, expected_date=r.expected_date,
        quantity=r.quantity, remaining_quantity=r.remaining_quantity, status=r.status)


def allocation_out(made: Allocation, *, preview: bool) -> AllocationOut:
    return AllocationOut(
        **_sheet_fields(made.worksheet), policy=made.policy, preview=preview, run_id=made.run_id,
        allocated=sum((a.quantity for a in made.allocated), Decimal(0)),
        lines=[WorksheetLineOut(**_line_fields(a.line), allocated=a.quantity) for a in made.allocated],
        entries=[reservation_entry_out(r) for r in made.made])


def _sheet_fields(sheet: Worksheet) -> dict[str, Any]:
    item_no, variant_code, location_code = sheet.key
    return {"item_no": item_no, "variant_code": variant_code, "location_code": location_code,
            "available": sheet.available, "demand": sum((l.wanted for l in sheet.lines), Decimal(0)),
            "shortage": sheet.shortage}


def _line_fields(l: DemandToAllocate) -> dict[str, Any]:
    d = l.demand
    return {"source_type": d.source_type, "source_id": d.source_id, "source_line_no": d.source_line_no,
            "due_date": l.due_date, "priority": l.priority, "wanted": l.wanted}
