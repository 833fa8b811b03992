"""Routes of item attributes: their definitions (type, unit, options)."""

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from servicekit.auth import requires
from servicekit.endpoints import Runtime

from catalog.domain.model import ItemAttribute
from catalog.entrypoints.routes.common import ERRORS, IdempotencyKey
from catalog.entrypoints.schemas import AttributeIn, AttributeOut, AttributeUpdate
from catalog.service_layer import attributes
from catalog.service_layer.unit_of_work import CatalogUnitOfWork

router = APIRouter(tags=["categories"])


@router.post("/item-attributes", status_code=201, response_model=AttributeOut, responses=ERRORS,
             dependencies=[requires("catalog:write")])
async def create_attribute(runtime: Runtime, body: AttributeIn, request: Request,
                           idempotency_key: IdempotencyKey = None) -> JSONResponse:
    async def action(uow: CatalogUnitOfWork) -> tuple[int, AttributeOut]:
        created = await attributes.create_attribute(uow, ItemAttribute(**{**body.model_dump(), "options": tuple(body.options)}))
        return 201, AttributeOut.model_validate(created)

    return await runtime.post_once(request, idempotency_key, body, action)


@router.get("/item-attributes", response_model=list[AttributeOut], dependencies=[requires("catalog:read")])
async def list_attributes(runtime: Runtime) -> list[AttributeOut]:
    async with runtime.reading() as uow:
        return [AttributeOut.model_validate(a) for a in await attributes.list_attributes(uow)]


@router.get("/item-attributes/{name}", response_model=AttributeOut, responses=ERRORS, dependencies=[requires("catalog:read")])
async def get_attribute(runtime: Runtime, name: str) -> AttributeOut:
    async with runtime.reading() as uow:
        return AttributeOut.model_validate(await attributes.get_attribute(uow, name))


@router.patch("/item-attributes/{name}", response_model=AttributeOut, responses=ERRORS,
              dependencies=[requires("catalog:write")])
async def update_attribute(runtime: Runtime, name: str, body: AttributeUpdate) -> AttributeOut:
    changes = body.model_dump(exclude_unset=True, exclude_none=True)
    if "options" in changes:
        changes["options"] = tuple(changes["options"])
    async with runtime.unit_of_work() as uow:
        return AttributeOut.model_validate(await attributes.update_attribute(uow, name, changes))
