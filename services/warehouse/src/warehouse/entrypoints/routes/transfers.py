"""Transfer orders: create, read, ship, receive, undo a shipment."""

from typing import Annotated

from fastapi import APIRouter, Header, Request
from fastapi.responses import JSONResponse

from servicekit.auth import requires
from servicekit.endpoints import Runtime

from warehouse.entrypoints.mapping import PROBLEM, entry_out, line_no, order_out, tracking
from warehouse.entrypoints.schemas import (
    InventoryPeriodIn,
    ReceiptIn,
    ShipmentIn,
    TransferOrderIn,
    TransferOrderOut,
    TransferPosting,
)
from warehouse.service_layer.transfers import (
    NewTransferLine,
    ReceiveLine,
    ShipLine,
    create_transfer_order,
    get_transfer_order,
    receive_transfer,
    ship_transfer,
    undo_transfer_shipment,
)
from warehouse.service_layer.unit_of_work import WarehouseUnitOfWork

router = APIRouter()


@router.post("/transfer-orders", status_code=201, response_model=TransferOrderOut, tags=["transfers"],
             responses={403: PROBLEM, 409: PROBLEM, 422: PROBLEM}, dependencies=[requires("inventory:post")])
async def create_transfer(
    body: TransferOrderIn, request: Request, runtime: Runtime, idempotency_key: Annotated[str | None, Header()] = None
) -> JSONResponse:
    """A transfer order between two locations, through an in-transit location unless direct."""
    lines = [NewTransferLine(line_no(l.line_no, i), l.item_no, l.variant_code, l.quantity, l.unit_of_measure_code)
             for i, l in enumerate(body.lines)]

    async def action(uow: WarehouseUnitOfWork) -> tuple[int, TransferOrderOut]:
        order = await create_transfer_order(uow, body.no, body.transfer_from_code, body.transfer_to_code,
                                            body.in_transit_code, body.direct_transfer, lines,
                                            body.responsibility_center)
        return 201, order_out(order)

    return await runtime.post_once(request, idempotency_key, body, action)


@router.get("/transfer-orders/{no}", response_model=TransferOrderOut, tags=["transfers"],
            responses={403: PROBLEM, 404: PROBLEM},
            dependencies=[requires("inventory:read")])
async def get_transfer(no: str, runtime: Runtime) -> TransferOrderOut:
    async with runtime.reading() as uow:
        return order_out(await get_transfer_order(uow, no))


@router.post("/transfer-orders/{no}/ship", response_model=TransferPosting, tags=["transfers"],
             responses={403: PROBLEM, 404: PROBLEM, 409: PROBLEM, 422: PROBLEM},
             dependencies=[requires("inventory:post")])
async def ship(
    no: str, body: ShipmentIn, request: Request, runtime: Runtime,
    idempotency_key: Annotated[str | None, Header()] = None,
) -> JSONResponse:
    """Ship (part of) lines: a Transfer pair out of the origin into the in-transit location (direct: into the
    destination, which also receives it). Tracking is fixed here. Transfers never go negative."""
    lines = [ShipLine(l.line_no, l.quantity, tracking(l.tracking), l.bin_code, l.to_bin_code) for l in body.lines]

    async def action(uow: WarehouseUnitOfWork) -> tuple[int, TransferPosting]:
        order, entries = await ship_transfer(uow, no, body.shipment_no, body.posting_date, lines)
        return 201, TransferPosting(order=order_out(order), entries=[entry_out(e) for e in entries])

    return await runtime.post_once(request, idempotency_key, body, action)


@router.post("/transfer-orders/{no}/receive", response_model=TransferPosting, tags=["transfers"],
             responses={403: PROBLEM, 404: PROBLEM, 409: PROBLEM, 422: PROBLEM},
             dependencies=[requires("inventory:post")])
async def receive(
    no: str, body: ReceiptIn, request: Request, runtime: Runtime,
    idempotency_key: Annotated[str | None, Header()] = None,
) -> JSONResponse:
    """Receive (part of) what is in transit: pairs out of the shipments' in-transit entries (oldest first, with
    the tracking fixed at shipment) into the destination."""
    lines = [ReceiveLine(l.line_no, l.quantity, l.bin_code) for l in body.lines]

    async def action(uow: WarehouseUnitOfWork) -> tuple[int, TransferPosting]:
        order, entries = await receive_transfer(uow, no, body.receipt_no, body.posting_date, lines)
        return 201, TransferPosting(order=order_out(order), entries=[entry_out(e) for e in entries])

    return await runtime.post_once(request, idempotency_key, body, action)


@router.post("/transfer-orders/{no}/shipments/{shipment_no}/undo", response_model=TransferPosting,
             tags=["transfers"], responses={403: PROBLEM, 404: PROBLEM, 409: PROBLEM},
             dependencies=[requires("inventory:post")])
async def undo_shipment(
    no: str, shipment_no: str, request: Request, runtime: Runtime,
    idempotency_key: Annotated[str | None, Header()] = None,
) -> JSONResponse:
    """Undo a shipment nothing of which is received: correcting pairs out of in-transit back into the origin."""
    async def action(uow: WarehouseUnitOfWork) -> tuple[int, TransferPosting]:
        order, entries = await undo_transfer_shipment(uow, no, shipment_no)
        return 201, TransferPosting(order=order_out(order), entries=[entry_out(e) for e in entries])

    return await runtime.post_once(request, idempotency_key, InventoryPeriodIn(), action)
