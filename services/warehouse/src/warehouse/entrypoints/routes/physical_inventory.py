"""Physical inventory orders and the physical inventory ledger."""

from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import JSONResponse

from servicekit.auth import requires
from servicekit.endpoints import Runtime
from servicekit.pagination import decode_cursor, paginate

from warehouse.domain.physical_inventory import PhysInvtLedgerEntry, PhysInvtOrder, RecordedLine, Unrecorded
from warehouse.entrypoints.mapping import PROBLEM, entry_out
from warehouse.entrypoints.schemas import (
    FinishIn,
    InventoryPeriodIn,
    PhysInvtLedgerEntryOut,
    PhysInvtLedgerEntryPage,
    PhysInvtOrderIn,
    PhysInvtOrderLineOut,
    PhysInvtOrderOut,
    PhysInvtPosting,
    RecordingIn,
)
from warehouse.service_layer import physical_inventory as use_cases
from warehouse.service_layer.unit_of_work import WarehouseUnitOfWork

router = APIRouter(tags=["physical inventory"])

NO_BODY = InventoryPeriodIn()
"""What a request without a body is remembered by for its idempotency key."""


def phys_invt_order_out(order: PhysInvtOrder) -> PhysInvtOrderOut:
    return PhysInvtOrderOut(no=order.no, location_code=order.location_code, posting_date=order.posting_date,
                            item_nos=list(order.item_nos), bin_code=order.bin_code, status=str(order.status),
                            lines_calculated=order.lines_calculated, responsibility_center=order.responsibility_center,
                            lines=[PhysInvtOrderLineOut(**l.__dict__) for l in order.lines])


def phys_invt_ledger_out(entry: PhysInvtLedgerEntry) -> PhysInvtLedgerEntryOut:
    return PhysInvtLedgerEntryOut(**entry.__dict__)


@router.post("/physical-inventory-orders", status_code=201, response_model=PhysInvtOrderOut,
             responses={403: PROBLEM, 409: PROBLEM, 422: PROBLEM}, dependencies=[requires("inventory:post")])
async def create_phys_invt(
    body: PhysInvtOrderIn, request: Request, runtime: Runtime, idempotency_key: Annotated[str | None, Header()] = None
) -> JSONResponse:
    """A physical inventory order for a location (optionally some items, one bin); then calculate its lines."""
    async def action(uow: WarehouseUnitOfWork) -> tuple[int, PhysInvtOrderOut]:
        order = await use_cases.create_phys_invt_order(uow, body.no, body.location_code, body.posting_date,
                                                       body.item_nos, body.bin_code, body.responsibility_center)
        return 201, phys_invt_order_out(order)

    return await runtime.post_once(request, idempotency_key, body, action)


@router.get("/physical-inventory-orders/{no}", response_model=PhysInvtOrderOut, responses={403: PROBLEM, 404: PROBLEM},
            dependencies=[requires("inventory:read")])
async def get_phys_invt(no: str, runtime: Runtime) -> PhysInvtOrderOut:
    async with runtime.reading() as uow:
        return phys_invt_order_out(await use_cases.get_phys_invt_order(uow, no))


@router.post("/physical-inventory-orders/{no}/calculate-lines", response_model=PhysInvtOrderOut,
             responses={403: PROBLEM, 404: PROBLEM, 409: PROBLEM}, dependencies=[requires("inventory:post")])
async def calculate_phys_invt(
    no: str, request: Request, runtime: Runtime, idempotency_key: Annotated[str | None, Header()] = None
) -> JSONResponse:
    """Fill the lines with the expected quantity per item, variant, bin, lot and serial at the order's location,
    from the item ledger as of the posting date. Allowed again (replacing the lines) until something is recorded."""
    async def action(uow: WarehouseUnitOfWork) -> tuple[int, PhysInvtOrderOut]:
        return 200, phys_invt_order_out(await use_cases.calculate_lines(uow, no))

    return await runtime.post_once(request, idempotency_key, NO_BODY, action)


@router.post("/physical-inventory-orders/{no}/recordings", status_code=201, response_model=PhysInvtOrderOut,
             responses={403: PROBLEM, 404: PROBLEM, 409: PROBLEM, 422: PROBLEM},
             dependencies=[requires("inventory:post")])
async def record_phys_invt(
    no: str, body: RecordingIn, request: Request, runtime: Runtime,
    idempotency_key: Annotated[str | None, Header()] = None,
) -> JSONResponse:
    """Record counted quantities. Each order line is recorded once across all recordings (again: 409); a line
    for an unexpected item, lot, serial or bin is added with expected quantity 0."""
    recorded = [RecordedLine(l.quantity, l.line_no, l.item_no, l.variant_code, l.bin_code, l.lot_no, l.serial_no,
                             l.expiration_date) for l in body.lines]

    async def action(uow: WarehouseUnitOfWork) -> tuple[int, PhysInvtOrderOut]:
        return 201, phys_invt_order_out(await use_cases.record_counts(uow, no, body.recording_no, recorded))

    return await runtime.post_once(request, idempotency_key, body, action)


@router.post("/physical-inventory-orders/{no}/finish", response_model=PhysInvtOrderOut,
             responses={403: PROBLEM, 404: PROBLEM, 409: PROBLEM}, dependencies=[requires("inventory:post")])
async def finish_phys_invt(
    no: str, body: FinishIn, request: Request, runtime: Runtime, idempotency_key: Annotated[str | None, Header()] = None
) -> JSONResponse:
    """Finish counting: every line recorded, or the unrecorded ones set to zero or to the expected quantity."""
    async def action(uow: WarehouseUnitOfWork) -> tuple[int, PhysInvtOrderOut]:
        return 200, phys_invt_order_out(await use_cases.finish_order(uow, no, Unrecorded(body.unrecorded)))

    return await runtime.post_once(request, idempotency_key, body, action)


@router.post("/physical-inventory-orders/{no}/post", status_code=201, response_model=PhysInvtPosting,
             responses={403: PROBLEM, 404: PROBLEM, 409: PROBLEM, 422: PROBLEM},
             dependencies=[requires("inventory:post")])
async def post_phys_invt(
    no: str, request: Request, runtime: Runtime, idempotency_key: Annotated[str | None, Header()] = None
) -> JSONResponse:
    """Post a finished order: each difference a Positive Adjmt. (no unit cost: costing values it at the item's
    unit cost) or Negative Adjmt., and a physical inventory ledger entry per line. All or nothing; a posted
    order cannot change."""
    async def action(uow: WarehouseUnitOfWork) -> tuple[int, PhysInvtPosting]:
        order, entries, ledger = await use_cases.post_order(uow, no)
        return 201, PhysInvtPosting(order=phys_invt_order_out(order), entries=[entry_out(e) for e in entries],
                                    physical_inventory_ledger_entries=[phys_invt_ledger_out(p) for p in ledger])

    return await runtime.post_once(request, idempotency_key, NO_BODY, action)


@router.get("/physical-inventory-ledger-entries", response_model=PhysInvtLedgerEntryPage,
            responses={400: PROBLEM, 403: PROBLEM},
            dependencies=[requires("inventory:read")])
async def list_phys_invt_ledger(
    runtime: Runtime, item_no: str | None = None, order_no: str | None = None, cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100, responsibility_center: str | None = None,
) -> PhysInvtLedgerEntryPage:
    after = decode_cursor(cursor)
    async with runtime.reading() as uow:
        found = await use_cases.list_phys_invt_ledger_entries(uow, item_no, order_no, after, limit + 1,
                                                              responsibility_center)
    page, next_cursor = paginate(found, limit, lambda entry: entry.entry_no)
    return PhysInvtLedgerEntryPage(entries=[phys_invt_ledger_out(e) for e in page], next_cursor=next_cursor)
