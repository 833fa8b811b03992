"""Reservations of on-hand stock for demand lines."""

from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Header, Request
from fastapi.responses import JSONResponse

from servicekit.auth import requires
from servicekit.endpoints import Runtime

from warehouse.domain.ledger_state import Demand
from warehouse.entrypoints.mapping import PROBLEM, reservation_entry_out, reservation_out
from warehouse.entrypoints.schemas import DemandLine, ReservationIn, ReservationList, ReservationOut
from warehouse.entrypoints.routes.reservation_policies import supply_reservation_out
from warehouse.entrypoints.schemas_reservation_policies import CancelledReservationsOut
from warehouse.service_layer.reservation_policies import cancel_supply_reservations
from warehouse.service_layer.reservations import cancel_reservation, list_reservations as find_reservations, reserve
from warehouse.service_layer.unit_of_work import WarehouseUnitOfWork

router = APIRouter()


@router.post("/reservations", status_code=201, response_model=ReservationOut, tags=["reservations"],
             responses={403: PROBLEM, 409: PROBLEM, 422: PROBLEM}, dependencies=[requires("inventory:post")])
async def create_reservation(
    body: ReservationIn, request: Request, runtime: Runtime, idempotency_key: Annotated[str | None, Header()] = None
) -> JSONResponse:
    """Reserve on-hand stock at a location for a demand line. Reserved stock is not available to other demand;
    a sale that names the demand line (source_type, source_id, source_line_no) consumes it."""
    demand = Demand(body.source_type, body.source_id, body.source_line_no)

    async def action(uow: WarehouseUnitOfWork) -> tuple[int, ReservationOut]:
        made = await reserve(uow, demand, body.item_no, body.variant_code, body.location_code, body.quantity,
                             serial_no=body.serial_no, lot_no=body.lot_no)
        return 201, reservation_out(demand, made)

    return await runtime.post_once(request, idempotency_key, body, action)


@router.post("/reservations/cancel", response_model=CancelledReservationsOut, tags=["reservations"],
             responses={403: PROBLEM}, dependencies=[requires("inventory:post")])
async def cancel(
    body: DemandLine, request: Request, runtime: Runtime, idempotency_key: Annotated[str | None, Header()] = None
) -> JSONResponse:
    """Cancel what is still reserved for the demand line, on stock and on incoming supply (nothing to cancel is not
    an error)."""
    demand = Demand(body.source_type, body.source_id, body.source_line_no)

    async def action(uow: WarehouseUnitOfWork) -> tuple[int, CancelledReservationsOut]:
        on_stock = reservation_out(demand, await cancel_reservation(uow, demand))
        on_supply = await cancel_supply_reservations(uow, demand)
        return 200, CancelledReservationsOut(
            **on_stock.model_dump(exclude={"quantity"}),
            quantity=on_stock.quantity + sum((r.remaining_quantity for r in on_supply), Decimal(0)),
            supply_entries=[supply_reservation_out(r) for r in on_supply])

    return await runtime.post_once(request, idempotency_key, body, action)


@router.get("/reservations", response_model=ReservationList, tags=["reservations"],
            dependencies=[requires("inventory:read")])
async def list_reservations(
    runtime: Runtime, item_no: str | None = None, source_type: str | None = None, source_id: str | None = None,
    include_closed: bool = False,
) -> ReservationList:
    async with runtime.reading() as uow:
        found = await find_reservations(uow, item_no, source_type, source_id, include_closed)
    return ReservationList(entries=[reservation_entry_out(r) for r in found])
