"""Assembly orders: create, read, change lines, component availability, post, undo a posting."""

from typing import Annotated

import httpx
from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import JSONResponse

from inventory_contracts.catalog import BomComponentType
from servicekit.auth import requires
from servicekit.endpoints import Runtime
from servicekit.pagination import decode_cursor, paginate
from servicekit.runtime import ServiceRuntime

from warehouse.adapters.catalog import CatalogUnavailableError, HttpCatalog
from warehouse.config import WarehouseSettings
from warehouse.domain.assembly import AssemblyOrder, AssemblyPosting, LineChange, ResourceCost
from warehouse.domain.errors import CatalogUnavailableProblem
from warehouse.domain.model import ItemLedgerEntry
from warehouse.domain.responsibility_centers import visible_center
from warehouse.entrypoints.mapping import PROBLEM, entry_out, tracking
from warehouse.entrypoints.schemas import InventoryPeriodIn
from warehouse.entrypoints.schemas_assembly import (
    AssemblyAvailabilityOut,
    AssemblyEntryOut,
    AssemblyLineChangeIn,
    AssemblyLineIn,
    AssemblyOrderIn,
    AssemblyOrderLineOut,
    AssemblyOrderOut,
    AssemblyOrderPage,
    AssemblyPostedOut,
    AssemblyPostingIn,
    AssemblyPostingOut,
    AssemblyUndoOut,
    ComponentAvailabilityOut,
    PostedAssemblyOrderOut,
    ResourceUsageOut,
)
from warehouse.service_layer import assembly as use_cases
from warehouse.service_layer.assembly import (
    AssemblyPostingRequest,
    AssemblyUnitOfWork,
    NewAssemblyLine,
    NewAssemblyOrder,
)
from warehouse.service_layer.responsibility_centers import caller_center

router = APIRouter(tags=["assembly"])


@router.post("/assembly-orders", status_code=201, response_model=AssemblyOrderOut,
             responses={403: PROBLEM, 409: PROBLEM, 422: PROBLEM, 503: PROBLEM},
             dependencies=[requires("inventory:post")])
async def create_assembly_order(
    body: AssemblyOrderIn, request: Request, runtime: Runtime, idempotency_key: Annotated[str | None, Header()] = None
) -> JSONResponse:
    """An assembly order for a parent item, its lines copied from the item's assembly BOM (quantity per x quantity;
    a Fixed resource once). Resource lines take their costs from the catalog's resource card."""
    async with runtime.reading() as uow:
        resource_nos = await use_cases.resources_of_bom(uow, body.item_no)
    resources = await _resource_costs(runtime, resource_nos)
    link = body.assemble_to_order
    new = NewAssemblyOrder(
        no=body.no, item_no=body.item_no, quantity=body.quantity, due_date=body.due_date,
        starting_date=body.starting_date, unit_of_measure_code=body.unit_of_measure_code,
        location_code=body.location_code, bin_code=body.bin_code, variant_code=body.variant_code,
        sales_no=link.sales_order_no if link else "", sales_line_no=link.sales_line_no if link else 0,
        responsibility_center=body.responsibility_center,
    )

    async def action(uow: AssemblyUnitOfWork) -> tuple[int, AssemblyOrderOut]:
        return 201, order_out(await use_cases.create_assembly_order(uow, new, resources))

    return await runtime.post_once(request, idempotency_key, body, action)


@router.get("/assembly-orders", response_model=AssemblyOrderPage, responses={403: PROBLEM, 400: PROBLEM},
            dependencies=[requires("inventory:read")])
async def list_assembly_orders(
    runtime: Runtime, cursor: str | None = None, limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    responsibility_center: str | None = None,
) -> AssemblyOrderPage:
    """Assembly orders in number order; of one responsibility center with `responsibility_center` (a caller whose
    token ties it to a center sees only its own)."""
    after = decode_cursor(cursor)
    center = visible_center(caller_center(), responsibility_center)
    async with runtime.reading() as uow:
        found = await uow.assembly_orders.page(after, limit + 1, center)
    page, next_cursor = paginate(found, limit, lambda order: order.no)
    return AssemblyOrderPage(orders=[order_out(o) for o in page], next_cursor=next_cursor)


@router.get("/assembly-orders/{no}", response_model=PostedAssemblyOrderOut, responses={403: PROBLEM, 404: PROBLEM},
            dependencies=[requires("inventory:read")])
async def get_assembly_order(no: str, runtime: Runtime) -> PostedAssemblyOrderOut:
    """The order with its lines, and its postings (the posted assembly orders) with the entries they posted."""
    async with runtime.reading() as uow:
        order, postings = await use_cases.assembly_postings(uow, no)
    return PostedAssemblyOrderOut(order=order_out(order), postings=[posting_out(p, e) for p, e in postings])


@router.post("/assembly-orders/{no}/lines", status_code=201, response_model=AssemblyOrderOut,
             responses={403: PROBLEM, 404: PROBLEM, 409: PROBLEM, 422: PROBLEM, 503: PROBLEM},
             dependencies=[requires("inventory:post")])
async def add_assembly_line(
    no: str, body: AssemblyLineIn, request: Request, runtime: Runtime,
    idempotency_key: Annotated[str | None, Header()] = None,
) -> JSONResponse:
    """Add an item, resource or text line to an open order (quantity per x the order's quantity)."""
    resources: dict[str, ResourceCost] = {}
    if body.type is BomComponentType.RESOURCE:
        if body.direct_unit_cost is not None and body.unit_cost is not None:
            resources = {body.no: ResourceCost(body.direct_unit_cost, body.unit_cost)}
        else:
            resources = await _resource_costs(runtime, [body.no])
    new = NewAssemblyLine(
        line_no=body.line_no, type=body.type, no=body.no, description=body.description, quantity_per=body.quantity_per,
        unit_of_measure_code=body.unit_of_measure_code, variant_code=body.variant_code,
        location_code=body.location_code, bin_code=body.bin_code, resource_usage_type=body.resource_usage_type,
    )

    async def action(uow: AssemblyUnitOfWork) -> tuple[int, AssemblyOrderOut]:
        return 201, order_out(await use_cases.add_assembly_line(uow, no, new, resources))

    return await runtime.post_once(request, idempotency_key, body, action)


@router.patch("/assembly-orders/{no}/lines/{line_no}", response_model=AssemblyOrderOut,
              responses={403: PROBLEM, 404: PROBLEM, 409: PROBLEM, 422: PROBLEM},
              dependencies=[requires("inventory:post")])
async def change_assembly_line(no: str, line_no: int, body: AssemblyLineChangeIn, runtime: Runtime) -> AssemblyOrderOut:
    """Change an open order's line: its quantity (nothing of it consumed yet), location or bin."""
    async with runtime.unit_of_work() as uow:
        order = await use_cases.change_assembly_line(
            uow, no, line_no, LineChange(body.quantity, body.location_code, body.bin_code))
    return order_out(order)


@router.delete("/assembly-orders/{no}/lines/{line_no}", response_model=AssemblyOrderOut,
               responses={403: PROBLEM, 404: PROBLEM, 409: PROBLEM, 422: PROBLEM},
               dependencies=[requires("inventory:post")])
async def delete_assembly_line(no: str, line_no: int, runtime: Runtime) -> AssemblyOrderOut:
    """Delete an open order's line nothing of which is consumed."""
    async with runtime.unit_of_work() as uow:
        order = await use_cases.delete_assembly_line(uow, no, line_no)
    return order_out(order)


@router.get("/assembly-orders/{no}/availability", response_model=AssemblyAvailabilityOut,
            responses={403: PROBLEM, 404: PROBLEM},
            dependencies=[requires("inventory:read")])
async def assembly_availability(no: str, runtime: Runtime) -> AssemblyAvailabilityOut:
    """Per item line still to consume: needed, available at its location, shortage; and the parents that can be
    assembled now."""
    async with runtime.reading() as uow:
        order, lines, able = await use_cases.assembly_availability(uow, no)
    return AssemblyAvailabilityOut(
        order_no=order.no, remaining_quantity=order.remaining_quantity, able_to_assemble=able,
        lines=[ComponentAvailabilityOut(**l.__dict__) for l in lines])


@router.post("/assembly-orders/{no}/post", status_code=201, response_model=AssemblyPostedOut,
             responses={403: PROBLEM, 404: PROBLEM, 409: PROBLEM, 422: PROBLEM},
             dependencies=[requires("inventory:post")])
async def post_assembly_order(
    no: str, body: AssemblyPostingIn, request: Request, runtime: Runtime,
    idempotency_key: Annotated[str | None, Header()] = None,
) -> JSONResponse:
    """Assemble (part of) the order in one transaction: an Assembly Consumption entry per item line (its share of the
    quantity, applied like any outbound entry) and an Assembly Output entry of the parent, which names those
    consumptions and the resources' usage. Remaining quantities fall; a fully assembled order becomes Posted."""
    posting = AssemblyPostingRequest(
        quantity_to_assemble=body.quantity_to_assemble, posting_date=body.posting_date, document_no=body.document_no,
        output_tracking=tracking(body.output_tracking),
        consumption_tracking={c.line_no: tracking(c.tracking) for c in body.consumption_tracking},
    )

    async def action(uow: AssemblyUnitOfWork) -> tuple[int, AssemblyPostedOut]:
        order, posted, entries = await use_cases.post_assembly_order(uow, no, posting)
        return 201, AssemblyPostedOut(order=order_out(order), posting=posting_out(posted, entries))

    return await runtime.post_once(request, idempotency_key, body, action)


@router.post("/assembly-orders/{no}/postings/{posting_no}/undo", status_code=201, response_model=AssemblyUndoOut,
             responses={403: PROBLEM, 404: PROBLEM, 409: PROBLEM, 422: PROBLEM},
             dependencies=[requires("inventory:post")])
async def undo_assembly_posting(
    no: str, posting_no: str, request: Request, runtime: Runtime,
    idempotency_key: Annotated[str | None, Header()] = None,
) -> JSONResponse:
    """Undo a posted assembly whose output is all still on hand: a negative Assembly Output applied to the output
    and positive Assembly Consumptions applying from the consumptions, as corrections; the order is open again."""
    async def action(uow: AssemblyUnitOfWork) -> tuple[int, AssemblyUndoOut]:
        order, entries = await use_cases.undo_assembly_posting(uow, no, posting_no)
        return 201, AssemblyUndoOut(order=order_out(order), entries=[assembly_entry_out(e) for e in entries])

    return await runtime.post_once(request, idempotency_key, InventoryPeriodIn(), action)


async def _resource_costs(runtime: ServiceRuntime, nos: list[str]) -> dict[str, ResourceCost]:
    """The resources' costs from the catalog (read before the transaction; absent ones stay out, so the use case
    refuses them as unknown)."""
    if not nos:
        return {}
    settings = runtime.settings_as(WarehouseSettings)
    found: dict[str, ResourceCost] = {}
    async with httpx.AsyncClient(timeout=settings.catalog_timeout_seconds, auth=settings.catalog_auth()) as client:
        catalog = HttpCatalog(client, settings.catalog_url)
        for no in nos:
            try:
                cost = await catalog.resource(no)
            except CatalogUnavailableError as exc:
                raise CatalogUnavailableProblem(f"the catalog could not be asked for resource {no}",
                                                resource_no=no) from exc
            if cost is not None:
                found[no] = cost
    return found


def order_out(order: AssemblyOrder) -> AssemblyOrderOut:
    return AssemblyOrderOut(**{k: v for k, v in order.__dict__.items() if k != "lines"},
                            lines=[AssemblyOrderLineOut(**l.__dict__) for l in order.lines])


def assembly_entry_out(entry: ItemLedgerEntry) -> AssemblyEntryOut:
    return AssemblyEntryOut(
        **entry_out(entry).model_dump(), consumption_entries=list(entry.consumption_entries),
        resources=[ResourceUsageOut(**r.__dict__) for r in entry.resources])


def posting_out(posting: AssemblyPosting, entries: list[ItemLedgerEntry]) -> AssemblyPostingOut:
    return AssemblyPostingOut(
        **{k: v for k, v in posting.__dict__.items() if k != "consumed"},
        entries=[assembly_entry_out(e) for e in entries])
