"""Routes of item categories: the tree, and the attributes every item below a category inherits."""

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from servicekit.auth import requires
from servicekit.endpoints import Runtime

from catalog.domain.model import ItemCategory
from catalog.entrypoints.routes.common import ERRORS, IdempotencyKey
from catalog.entrypoints.schemas import CategoryIn, CategoryOut, CategoryUpdate
from catalog.service_layer import categories
from catalog.service_layer.unit_of_work import CatalogUnitOfWork

router = APIRouter(tags=["categories"])


@router.post("/item-categories", status_code=201, response_model=CategoryOut, responses=ERRORS,
             dependencies=[requires("catalog:write")])
async def create_category(runtime: Runtime, body: CategoryIn, request: Request,
                          idempotency_key: IdempotencyKey = None) -> JSONResponse:
    async def action(uow: CatalogUnitOfWork) -> tuple[int, CategoryOut]:
        created = await categories.create_category(uow, ItemCategory(**body.model_dump()))
        return 201, CategoryOut.model_validate(created)

    return await runtime.post_once(request, idempotency_key, body, action)


@router.get("/item-categories", response_model=list[CategoryOut], dependencies=[requires("catalog:read")])
async def list_categories(runtime: Runtime) -> list[CategoryOut]:
    async with runtime.reading() as uow:
        return [CategoryOut.model_validate(c) for c in await categories.list_categories(uow)]


@router.get("/item-categories/{code}", response_model=CategoryOut, responses=ERRORS, dependencies=[requires("catalog:read")])
async def get_category(runtime: Runtime, code: str) -> CategoryOut:
    async with runtime.reading() as uow:
        return CategoryOut.model_validate(await categories.get_category(uow, code))


@router.patch("/item-categories/{code}", response_model=CategoryOut, responses=ERRORS,
              dependencies=[requires("catalog:write")])
async def update_category(runtime: Runtime, code: str, body: CategoryUpdate) -> CategoryOut:
    """Move (parent_code), rename or change the attribute definitions; every item below follows its new chain."""
    changes = body.model_dump(exclude_unset=True, exclude_none=True)
    async with runtime.unit_of_work() as uow:
        return CategoryOut.model_validate(await categories.update_category(uow, code, changes))


@router.delete("/item-categories/{code}", status_code=204, responses=ERRORS, dependencies=[requires("catalog:write")])
async def delete_category(runtime: Runtime, code: str) -> Response:
    """Refused (409) while an item, a template or a child category uses it."""
    async with runtime.unit_of_work() as uow:
        await categories.delete_category(uow, code)
    return Response(status_code=204)
