"""Routes of catalog (nonstock) items: templates, the numbering setup, the items and their conversion."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse

from servicekit.auth import requires
from servicekit.endpoints import Runtime

from catalog.domain.model import ItemTemplate, NonstockItem, NonstockSetup
from catalog.entrypoints.routes.common import CODE_PATTERN, ERRORS, PROBLEM, IdempotencyKey
from catalog.entrypoints.routes.items import item_out
from catalog.entrypoints.schemas import ConvertedOut, NonstockIn, NonstockOut, NonstockPage, NonstockSetupIn, TemplateIn, TemplateOut
from catalog.service_layer import nonstock
from catalog.service_layer.unit_of_work import CatalogUnitOfWork

router = APIRouter(tags=["catalog items"])


@router.put("/item-templates/{code}", response_model=TemplateOut, responses=ERRORS, dependencies=[requires("catalog:write")])
async def put_template(runtime: Runtime, code: Annotated[str, Path(max_length=20, pattern=CODE_PATTERN)],
                       body: TemplateIn) -> TemplateOut:
    template = ItemTemplate(code=code, **body.model_dump())
    async with runtime.unit_of_work() as uow:
        return TemplateOut.model_validate(await nonstock.put_template(uow, template))


@router.get("/item-templates", response_model=list[TemplateOut], dependencies=[requires("catalog:read")])
async def list_templates(runtime: Runtime) -> list[TemplateOut]:
    async with runtime.reading() as uow:
        return [TemplateOut.model_validate(t) for t in await nonstock.list_templates(uow)]


@router.get("/nonstock-setup", response_model=NonstockSetupIn, dependencies=[requires("catalog:read")])
async def get_setup(runtime: Runtime) -> NonstockSetupIn:
    async with runtime.reading() as uow:
        return NonstockSetupIn.model_validate(await nonstock.get_setup(uow))


@router.put("/nonstock-setup", response_model=NonstockSetupIn, dependencies=[requires("catalog:write")])
async def put_setup(runtime: Runtime, body: NonstockSetupIn) -> NonstockSetupIn:
    """How converted catalog items are numbered."""
    setup = NonstockSetup(**body.model_dump(mode="json"))
    async with runtime.unit_of_work() as uow:
        return NonstockSetupIn.model_validate(await nonstock.put_setup(uow, setup))


@router.post("/nonstock-items", status_code=201, response_model=NonstockOut, responses=ERRORS,
             dependencies=[requires("catalog:write")])
async def create_nonstock(runtime: Runtime, body: NonstockIn, request: Request,
                          idempotency_key: IdempotencyKey = None) -> JSONResponse:
    async def action(uow: CatalogUnitOfWork) -> tuple[int, NonstockOut]:
        created = await nonstock.create_nonstock_item(uow, NonstockItem(entry_no=0, **body.model_dump()))
        return 201, NonstockOut.model_validate(created)

    return await runtime.post_once(request, idempotency_key, body, action)


@router.get("/nonstock-items", response_model=NonstockPage, responses={400: PROBLEM}, dependencies=[requires("catalog:read")])
async def list_nonstock(runtime: Runtime, limit: Annotated[int, Query(ge=1, le=1000)] = 100,
                        cursor: str | None = None) -> NonstockPage:
    async with runtime.reading() as uow:
        page, next_cursor = await nonstock.list_nonstock_items(uow, limit, cursor)
    return NonstockPage(nonstock_items=[NonstockOut.model_validate(n) for n in page], next_cursor=next_cursor)


@router.get("/nonstock-items/{entry_no}", response_model=NonstockOut, responses=ERRORS, dependencies=[requires("catalog:read")])
async def get_nonstock(runtime: Runtime, entry_no: int) -> NonstockOut:
    async with runtime.reading() as uow:
        return NonstockOut.model_validate(await nonstock.get_nonstock_item(uow, entry_no))


@router.post("/nonstock-items/{entry_no}/convert", response_model=ConvertedOut,
             responses={201: {"model": ConvertedOut}, **ERRORS}, dependencies=[requires("catalog:write")])
async def convert_nonstock(runtime: Runtime, entry_no: int) -> JSONResponse:
    """Create the inventory item (and a vendor item reference): 201 the first time, 200 with the same item after."""
    async with runtime.unit_of_work() as uow:
        item, created = await nonstock.convert(uow, entry_no)
    body = ConvertedOut(created=created, item=item_out(item))
    return JSONResponse(body.model_dump(mode="json"), status_code=201 if created else 200, headers={"ETag": item.etag})
