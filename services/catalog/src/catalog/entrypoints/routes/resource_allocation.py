"""Routes of resource allocation: skill codes, service zones, service item groups, customers, resource skills,
service orders, qualified resources, allocations and a resource's availability per day."""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import JSONResponse

from inventory_contracts.limits import INT32_MAX, INT64_MAX
from servicekit.auth import requires
from servicekit.endpoints import Runtime

from catalog.domain.resource_allocation import (
    AllocationSourceType,
    AllocationStatus,
    Candidate,
    CodeDescription,
    Customer,
    Demand,
    ResourceAllocation,
    ResourceSkill,
    ResourceSkillType,
    ServiceMasterKind,
    ServiceOrder,
    ServiceOrderLine,
)
from catalog.entrypoints.routes.common import ERRORS, PROBLEM, IdempotencyKey
from catalog.entrypoints.schemas_resources import (
    AllocationOut,
    AssemblyAllocationIn,
    CodeDescriptionIn,
    CodeDescriptionOut,
    CodeDescriptionUpdate,
    CustomerIn,
    CustomerOut,
    CustomerUpdate,
    DayAvailabilityOut,
    PositiveHours,
    ProposedResource,
    QualifiedResources,
    ResourceSkillIn,
    ServiceAllocationIn,
    ServiceOrderIn,
    ServiceOrderLineIn,
    ServiceOrderPage,
)
from catalog.service_layer import resource_allocation as allocation
from catalog.service_layer.unit_of_work import CatalogUnitOfWork

router = APIRouter(tags=["resource allocation"])
READ, WRITE = [requires("catalog:read")], [requires("catalog:write")]
LineNo = Annotated[int, Path(ge=1, le=INT32_MAX)]
EntryNo = Annotated[int, Path(ge=1, le=INT64_MAX)]


def _code_routes(path: str, kind: ServiceMasterKind) -> None:
    """Create, list, read and change one kind of code-and-description master data."""
    noun = kind.lower()

    @router.post(path, status_code=201, response_model=CodeDescriptionOut, responses=ERRORS, dependencies=WRITE,
                 summary=f"Create a {noun}", operation_id=f"create_{kind.name.lower()}")
    async def create(runtime: Runtime, body: CodeDescriptionIn, request: Request,
                     idempotency_key: IdempotencyKey = None) -> JSONResponse:
        async def action(uow: CatalogUnitOfWork) -> tuple[int, CodeDescriptionOut]:
            created = await allocation.create_code(uow, kind, CodeDescription(body.code, body.description))
            return 201, CodeDescriptionOut.model_validate(created)

        return await runtime.post_once(request, idempotency_key, body, action)

    @router.get(path, response_model=list[CodeDescriptionOut], dependencies=READ, summary=f"List {noun}s",
                operation_id=f"list_{kind.name.lower()}")
    async def list_all(runtime: Runtime) -> list[CodeDescriptionOut]:
        async with runtime.reading() as uow:
            return [CodeDescriptionOut.model_validate(r) for r in await allocation.list_codes(uow, kind)]

    @router.get(f"{path}/{{code}}", response_model=CodeDescriptionOut, responses=ERRORS, dependencies=READ,
                summary=f"Read a {noun}", operation_id=f"get_{kind.name.lower()}")
    async def get_one(runtime: Runtime, code: str) -> CodeDescriptionOut:
        async with runtime.reading() as uow:
            return CodeDescriptionOut.model_validate(await allocation.get_code(uow, kind, code))

    @router.patch(f"{path}/{{code}}", response_model=CodeDescriptionOut, responses=ERRORS, dependencies=WRITE,
                  summary=f"Change a {noun}", operation_id=f"update_{kind.name.lower()}")
    async def update(runtime: Runtime, code: str, body: CodeDescriptionUpdate) -> CodeDescriptionOut:
        async with runtime.unit_of_work() as uow:
            return CodeDescriptionOut.model_validate(await allocation.update_code(uow, kind, code, body.description))


_code_routes("/skill-codes", ServiceMasterKind.SKILL_CODES)
_code_routes("/service-zones", ServiceMasterKind.SERVICE_ZONES)
_code_routes("/service-item-groups", ServiceMasterKind.SERVICE_ITEM_GROUPS)


@router.post("/customers", status_code=201, response_model=CustomerOut, responses=ERRORS, dependencies=WRITE)
async def create_customer(runtime: Runtime, body: CustomerIn, request: Request,
                          idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """A customer, with the service zone its service orders are done in."""
    async def action(uow: CatalogUnitOfWork) -> tuple[int, CustomerOut]:
        return 201, CustomerOut.model_validate(await allocation.create_customer(uow, Customer(**body.model_dump())))

    return await runtime.post_once(request, idempotency_key, body, action)


@router.get("/customers", response_model=list[CustomerOut], dependencies=READ)
async def list_customers(runtime: Runtime) -> list[CustomerOut]:
    async with runtime.reading() as uow:
        return [CustomerOut.model_validate(c) for c in await allocation.list_customers(uow)]


@router.get("/customers/{no}", response_model=CustomerOut, responses=ERRORS, dependencies=READ)
async def get_customer(runtime: Runtime, no: str) -> CustomerOut:
    async with runtime.reading() as uow:
        return CustomerOut.model_validate(await allocation.get_customer(uow, no))


@router.patch("/customers/{no}", response_model=CustomerOut, responses=ERRORS, dependencies=WRITE)
async def update_customer(runtime: Runtime, no: str, body: CustomerUpdate) -> CustomerOut:
    changes = {k: v for k, v in body.model_dump(exclude_unset=True).items() if v is not None}
    async with runtime.unit_of_work() as uow:
        return CustomerOut.model_validate(await allocation.update_customer(uow, no, changes))


@router.post("/resource-skills", status_code=201, response_model=ResourceSkillIn, responses=ERRORS, dependencies=WRITE)
async def add_resource_skill(runtime: Runtime, body: ResourceSkillIn, request: Request,
                             idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """Record a skill of a resource, or a skill an item or a service item group requires."""
    async def action(uow: CatalogUnitOfWork) -> tuple[int, ResourceSkillIn]:
        added = await allocation.add_resource_skill(uow, ResourceSkill(body.type, body.no, body.skill_code))
        return 201, ResourceSkillIn.model_validate(added)

    return await runtime.post_once(request, idempotency_key, body, action)


@router.get("/resource-skills", response_model=list[ResourceSkillIn], dependencies=READ)
async def list_resource_skills(runtime: Runtime, type: ResourceSkillType | None = None,
                               no: Annotated[str | None, Query(max_length=20)] = None) -> list[ResourceSkillIn]:
    async with runtime.reading() as uow:
        return [ResourceSkillIn.model_validate(s) for s in await allocation.list_resource_skills(uow, type, no)]


@router.delete("/resource-skills", status_code=204, responses=ERRORS, dependencies=WRITE)
async def remove_resource_skill(runtime: Runtime, type: ResourceSkillType, no: Annotated[str, Query(max_length=20)],
                                skill_code: Annotated[str, Query(max_length=20)]) -> Response:
    async with runtime.unit_of_work() as uow:
        await allocation.remove_resource_skill(uow, ResourceSkill(type, no, skill_code))
    return Response(status_code=204)


def _order_out(order: ServiceOrder) -> ServiceOrderIn:
    return ServiceOrderIn(no=order.no, customer_no=order.customer_no, order_date=order.order_date,
                          lines=[ServiceOrderLineIn.model_validate(line) for line in order.lines])


@router.post("/service-orders", status_code=201, response_model=ServiceOrderIn, responses=ERRORS, dependencies=WRITE)
async def create_service_order(runtime: Runtime, body: ServiceOrderIn, request: Request,
                               idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """A service order: a customer, and lines that each need hours of a skilled resource on a date."""
    order = ServiceOrder(body.no, body.customer_no, body.order_date,
                         tuple(ServiceOrderLine(**line.model_dump()) for line in body.lines))

    async def action(uow: CatalogUnitOfWork) -> tuple[int, ServiceOrderIn]:
        return 201, _order_out(await allocation.create_service_order(uow, order))

    return await runtime.post_once(request, idempotency_key, body, action)


@router.get("/service-orders", response_model=ServiceOrderPage, responses={400: PROBLEM}, dependencies=READ)
async def list_service_orders(runtime: Runtime, limit: Annotated[int, Query(ge=1, le=1000)] = 100,
                              cursor: str | None = None) -> ServiceOrderPage:
    async with runtime.reading() as uow:
        page, next_cursor = await allocation.list_service_orders(uow, limit, cursor)
    return ServiceOrderPage(service_orders=[_order_out(o) for o in page], next_cursor=next_cursor)


@router.get("/service-orders/{no}", response_model=ServiceOrderIn, responses=ERRORS, dependencies=READ)
async def get_service_order(runtime: Runtime, no: str) -> ServiceOrderIn:
    async with runtime.reading() as uow:
        return _order_out(await allocation.get_service_order(uow, no))


def _proposal(demand: Demand, found: list[Candidate]) -> QualifiedResources:
    return QualifiedResources(
        date=demand.day, hours=demand.hours, required_skills=sorted(demand.required_skills),
        service_zone_code=demand.service_zone_code,
        resources=[ProposedResource(
            resource_no=c.resource.no, name=c.resource.name, type=c.resource.type,
            service_zone_code=c.resource.service_zone_code, capacity=c.resource.capacity_per_day,
            allocated_hours=c.allocated_hours, free_hours=c.free_hours, unit_cost=c.resource.unit_cost,
        ) for c in found],
    )


@router.get("/service-orders/{no}/lines/{line_no}/qualified-resources", response_model=QualifiedResources,
            responses=ERRORS, dependencies=READ)
async def service_line_qualified_resources(
    runtime: Runtime, no: str, line_no: LineNo,
    day: Annotated[date | None, Query(alias="date", description="Default: the line's needed date.")] = None,
    hours: Annotated[PositiveHours | None, Query(description="Default: the line's hours needed.")] = None,
) -> QualifiedResources:
    """The resources that may be allocated to the line on the date, each with its free hours."""
    async with runtime.reading() as uow:
        demand = await allocation.service_line_demand(uow, no, line_no, day, hours)
        return _proposal(demand, await allocation.qualified_resources(uow, demand))


def _allocation_response(created: ResourceAllocation) -> tuple[int, AllocationOut]:
    return 201, AllocationOut.model_validate(created)


@router.post("/service-orders/{no}/lines/{line_no}/allocations", status_code=201, response_model=AllocationOut,
             responses=ERRORS, dependencies=WRITE)
async def allocate_to_service_line(runtime: Runtime, no: str, line_no: LineNo, body: ServiceAllocationIn,
                                   request: Request, idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """Allocate a qualified resource with the hours free; 422 if it is not qualified, 409 if it lacks the hours."""
    async def action(uow: CatalogUnitOfWork) -> tuple[int, AllocationOut]:
        return _allocation_response(await allocation.allocate_to_service_line(
            uow, no, line_no, body.resource_no, body.allocation_date, body.hours))

    return await runtime.post_once(request, idempotency_key, body, action)


@router.get("/assembly-orders/{no}/lines/{line_no}/qualified-resources", response_model=QualifiedResources,
            responses=ERRORS, dependencies=READ)
async def assembly_line_qualified_resources(
    runtime: Runtime, no: str, line_no: LineNo,
    parent_item_no: Annotated[str, Query(min_length=1, max_length=20, description="The item the order assembles.")],
    day: Annotated[date, Query(alias="date")], hours: Annotated[PositiveHours, Query()],
) -> QualifiedResources:
    """The resources with every skill the assembled item requires and the hours free on the date (any zone)."""
    async with runtime.reading() as uow:
        demand = await allocation.assembly_line_demand(uow, parent_item_no, day, hours)
        return _proposal(demand, await allocation.qualified_resources(uow, demand))


@router.post("/assembly-orders/{no}/lines/{line_no}/allocations", status_code=201, response_model=AllocationOut,
             responses=ERRORS, dependencies=WRITE)
async def allocate_to_assembly_line(runtime: Runtime, no: str, line_no: LineNo, body: AssemblyAllocationIn,
                                    request: Request, idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """Allocate a resource to a line of an assembly order (the order lives in the warehouse; only its number is kept)."""
    async def action(uow: CatalogUnitOfWork) -> tuple[int, AllocationOut]:
        return _allocation_response(await allocation.allocate_to_assembly_line(
            uow, no, line_no, body.parent_item_no, body.resource_no, body.allocation_date, body.hours))

    return await runtime.post_once(request, idempotency_key, body, action)


@router.get("/resource-allocations", response_model=list[AllocationOut], dependencies=READ)
async def list_allocations(
    runtime: Runtime, resource_no: Annotated[str | None, Query(max_length=20)] = None,
    source_type: AllocationSourceType | None = None, source_no: Annotated[str | None, Query(max_length=20)] = None,
    source_line_no: Annotated[int | None, Query(ge=1, le=INT32_MAX)] = None, status: AllocationStatus | None = None,
) -> list[AllocationOut]:
    filters: dict[str, Any] = {"resource_no": resource_no, "source_type": source_type, "source_no": source_no,
                               "source_line_no": source_line_no, "status": status}
    async with runtime.reading() as uow:
        return [AllocationOut.model_validate(a) for a in await allocation.list_allocations(uow, **filters)]


@router.get("/resource-allocations/{entry_no}", response_model=AllocationOut, responses=ERRORS, dependencies=READ)
async def get_allocation(runtime: Runtime, entry_no: EntryNo) -> AllocationOut:
    async with runtime.reading() as uow:
        return AllocationOut.model_validate(await allocation.get_allocation(uow, entry_no))


@router.post("/resource-allocations/{entry_no}/cancel", response_model=AllocationOut, responses=ERRORS,
             dependencies=WRITE)
async def cancel_allocation(runtime: Runtime, entry_no: EntryNo) -> AllocationOut:
    """Cancel the allocation: its hours are free again. Cancelling it again answers the same."""
    async with runtime.unit_of_work() as uow:
        return AllocationOut.model_validate(await allocation.cancel_allocation(uow, entry_no))


@router.get("/resources/{no}/availability", response_model=list[DayAvailabilityOut], responses=ERRORS,
            dependencies=READ)
async def resource_availability(runtime: Runtime, no: str, first: Annotated[date, Query(alias="from")],
                                last: Annotated[date, Query(alias="to")]) -> list[DayAvailabilityOut]:
    """Per day from `from` to `to` (at most 366 days): capacity, hours of active allocations, hours available."""
    async with runtime.reading() as uow:
        found = await allocation.resource_availability(uow, no, first, last)
    return [DayAvailabilityOut(date=d.day, capacity=d.capacity, allocated_hours=d.allocated_hours,
                               available_hours=d.available_hours) for d in found]


