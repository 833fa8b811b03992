"""Routes of the resource card: create, read, change, list."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from servicekit.auth import requires
from servicekit.endpoints import Runtime

from catalog.domain.resources import Resource
from catalog.entrypoints.routes.common import ERRORS, PROBLEM, IdempotencyKey
from catalog.entrypoints.schemas_resources import ResourceCreate, ResourceOut, ResourcePage, ResourceUpdate
from catalog.service_layer import resources
from catalog.service_layer.unit_of_work import CatalogUnitOfWork

router = APIRouter(tags=["resources"])


def resource_out(resource: Resource) -> ResourceOut:
    return ResourceOut.model_validate(resource)


@router.post("/resources", status_code=201, response_model=ResourceOut, responses=ERRORS,
             dependencies=[requires("catalog:write")])
async def create_resource(runtime: Runtime, body: ResourceCreate, request: Request,
                          idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """Create a resource card (a person or a machine); its unit cost is derived from the direct cost and indirect %."""
    async def action(uow: CatalogUnitOfWork) -> tuple[int, ResourceOut]:
        created = await resources.create_resource(uow, Resource(**body.model_dump(exclude={"unit_cost"})))
        return 201, resource_out(created)

    return await runtime.post_once(request, idempotency_key, body, action)


@router.get("/resources", response_model=ResourcePage, responses={400: PROBLEM}, dependencies=[requires("catalog:read")])
async def list_resources(runtime: Runtime, limit: Annotated[int, Query(ge=1, le=1000)] = 100,
                         cursor: str | None = None) -> ResourcePage:
    """Resource cards in number order; follow `next_cursor` for the next page."""
    async with runtime.reading() as uow:
        page, next_cursor = await resources.list_resources(uow, limit, cursor)
    return ResourcePage(resources=[resource_out(r) for r in page], next_cursor=next_cursor)


@router.get("/resources/{no}", response_model=ResourceOut, responses=ERRORS, dependencies=[requires("catalog:read")])
async def get_resource(runtime: Runtime, no: str) -> ResourceOut:
    async with runtime.reading() as uow:
        return resource_out(await resources.get_resource(uow, no))


@router.patch("/resources/{no}", response_model=ResourceOut, responses=ERRORS, dependencies=[requires("catalog:write")])
async def update_resource(runtime: Runtime, no: str, body: ResourceUpdate) -> ResourceOut:
    """Change the card; a field left out (or null) keeps its value."""
    changes = {k: v for k, v in body.model_dump(exclude_unset=True).items() if v is not None}
    async with runtime.unit_of_work() as uow:
        return resource_out(await resources.update_resource(uow, no, changes))
