"""Routes of item references: customer, vendor and bar code numbers of an item, and their lookup."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse

from servicekit.auth import requires
from servicekit.endpoints import Runtime

from catalog.domain.model import ItemReference
from catalog.entrypoints.routes.common import ERRORS, IdempotencyKey
from catalog.entrypoints.schemas import ReferenceIn, ReferenceMatchOut, ReferenceOut
from catalog.service_layer import references
from catalog.service_layer.unit_of_work import CatalogUnitOfWork

router = APIRouter(tags=["item references"])


@router.post("/items/{item_no}/references", status_code=201, response_model=ReferenceOut, responses=ERRORS,
             dependencies=[requires("catalog:write")])
async def add_reference(runtime: Runtime, item_no: str, body: ReferenceIn, request: Request,
                        idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """A customer, vendor or bar code reference; unique per (type, type no., reference no.)."""
    async def action(uow: CatalogUnitOfWork) -> tuple[int, ReferenceOut]:
        added = await references.add_reference(uow, ItemReference(item_no=item_no, **body.model_dump()))
        return 201, ReferenceOut.model_validate(added)

    return await runtime.post_once(request, idempotency_key, body, action)


@router.get("/items/{item_no}/references", response_model=list[ReferenceOut], responses=ERRORS,
            dependencies=[requires("catalog:read")])
async def list_references(runtime: Runtime, item_no: str) -> list[ReferenceOut]:
    async with runtime.reading() as uow:
        return [ReferenceOut.model_validate(r) for r in await references.references_of(uow, item_no)]


@router.delete("/items/{item_no}/references/{reference_id}", status_code=204, responses=ERRORS,
               dependencies=[requires("catalog:write")])
async def delete_reference(runtime: Runtime, item_no: str, reference_id: int) -> Response:
    async with runtime.unit_of_work() as uow:
        await references.delete_reference(uow, item_no, reference_id)
    return Response(status_code=204)


@router.get("/item-references/lookup", response_model=list[ReferenceMatchOut], responses=ERRORS,
            dependencies=[requires("catalog:read")])
async def lookup_reference(
    runtime: Runtime,
    reference_no: str,
    reference_type: Annotated[str | None, Query(pattern=r"^(Customer|Vendor|Bar Code)$")] = None,
    reference_type_no: str | None = None,
    on: Annotated[date | None, Query(description="Only references valid on this date.")] = None,
) -> list[ReferenceMatchOut]:
    """Item, variant, unit of measure and description for a reference no. (404 when none matches)."""
    async with runtime.reading() as uow:
        found = await references.lookup(uow, reference_no, reference_type, reference_type_no, on)
    return [ReferenceMatchOut.model_validate(m) for m in found]
