"""HTTP routes of the catalog: requests become use-case calls, nothing more."""

import json
from collections.abc import Awaitable, Callable
from dataclasses import asdict, replace
from datetime import date
from typing import Annotated, Any, TypeVar

import asyncpg
from fastapi import APIRouter, Header, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from inventory_contracts.catalog import ItemType
from servicekit.auth import requires
from servicekit.uow import UnitOfWork
from servicekit.metrics import POSTINGS
from servicekit.pagination import decode_cursor, encode_cursor
from servicekit.runtime import ServiceRuntime

from catalog.adapters.repository import (
    AttributeRepository,
    CategoryRepository,
    ItemReference,
    ItemTemplate,
    NonstockItem,
    NonstockRepository,
    NonstockSetup,
    TrackingCodeRepository,
    UnitOfMeasureRepository,
)
from catalog.domain.model import Item, ItemAttribute, ItemCategory, ItemTrackingCode, ItemUnitOfMeasure, ItemVariant
from catalog.entrypoints.schemas import (
    AttributeIn,
    AttributeOut,
    AttributeUpdate,
    CategoryIn,
    CategoryOut,
    CategoryUpdate,
    ConvertedOut,
    ItemCreate,
    ItemOut,
    ItemPage,
    ItemUpdate,
    NonstockIn,
    NonstockOut,
    NonstockPage,
    NonstockSetupIn,
    ReferenceIn,
    ReferenceMatchOut,
    ReferenceOut,
    TemplateIn,
    TemplateOut,
    TrackingCodeIn,
    TrackingCodeOut,
    UnitOfMeasureIn,
    UnitOfMeasureOut,
)
from catalog.service_layer import categories, items, nonstock, references, search

CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.\-/]*$"
PROBLEM = {"content": {"application/problem+json": {}}}
ERRORS = {404: PROBLEM, 409: PROBLEM, 412: PROBLEM, 422: PROBLEM, 428: PROBLEM}
T = TypeVar("T")
IfMatch = Annotated[str | None, Header(description='The ETag of the card you read, e.g. "3".')]
IdempotencyKey = Annotated[str | None, Header()]


def item_from(body: ItemCreate) -> Item:
    fields = body.model_dump(exclude={"revision", "has_ledger_entries", "nonstock_entry_no", "units_of_measure", "variants"})
    return Item(
        **fields,
        units_of_measure=tuple(ItemUnitOfMeasure(u.code, u.qty_per_unit_of_measure) for u in body.units_of_measure),
        variants=tuple(ItemVariant(v.code, v.description, v.blocked) for v in body.variants),
    )


def changes_from(body: ItemUpdate) -> dict[str, Any]:
    changes = body.model_dump(exclude_unset=True)
    if "units_of_measure" in changes:
        changes["units_of_measure"] = tuple(
            ItemUnitOfMeasure(u.code, u.qty_per_unit_of_measure) for u in body.units_of_measure or []
        )
    if "variants" in changes:
        changes["variants"] = tuple(ItemVariant(v.code, v.description, v.blocked) for v in body.variants or [])
    # A null for a plain field means "leave it"; only attributes use null (to remove a value).
    return {k: v for k, v in changes.items() if v is not None or k == "attributes"}


def item_out(item: Item) -> ItemOut:
    return ItemOut.model_validate(
        {**{k: v for k, v in asdict(item).items()}, "units_of_measure": [asdict(u) for u in item.units_of_measure],
         "variants": [asdict(v) for v in item.variants]}
    )


def card_response(item: Item, status_code: int = 200) -> JSONResponse:
    return JSONResponse(item_out(item).model_dump(mode="json"), status_code=status_code, headers={"ETag": item.etag})


def build_router(runtime: ServiceRuntime) -> APIRouter:
    router = APIRouter()

    async def in_transaction(action: Callable[[asyncpg.Connection], Awaitable[T]]) -> T:
        async with runtime.pool.acquire() as conn, conn.transaction():
            return await action(conn)

    async def read(action: Callable[[asyncpg.Connection], Awaitable[T]]) -> T:
        async with runtime.pool.acquire() as conn:
            return await action(conn)

    # items ---------------------------------------------------------------------------------------

    @router.post("/items", status_code=201, response_model=ItemOut, responses=ERRORS, tags=["items"],
                 dependencies=[requires("catalog:write")])
    async def create_item(body: ItemCreate, request: Request, idempotency_key: IdempotencyKey = None) -> JSONResponse:
        """Create an item card. Answers with its ETag; the card goes out on catalog.items.v1."""
        async def action(uow: UnitOfWork) -> tuple[int, ItemOut]:
            conn = uow.conn
            return 201, item_out(await items.create_item(conn, item_from(body)))

        response = await runtime.post_once(request, idempotency_key, body, action)
        if response.status_code == 201:
            response.headers["ETag"] = f'"{json.loads(response.body)["revision"]}"'
        POSTINGS.labels("item").inc()
        return response

    @router.get("/items/{item_no}", response_model=ItemOut, responses=ERRORS, tags=["items"],
                dependencies=[requires("catalog:read")])
    async def get_item(item_no: str) -> JSONResponse:
        """The item card, with its ETag (send it back as If-Match to change the card)."""
        return card_response(await read(lambda conn: items.get_item(conn, item_no)))

    @router.patch("/items/{item_no}", response_model=ItemOut, responses=ERRORS, tags=["items"],
                  dependencies=[requires("catalog:write")])
    async def update_item(item_no: str, body: ItemUpdate, if_match: IfMatch = None) -> JSONResponse:
        """Change the card. If-Match is required: a stale ETag gets 412, never a silent overwrite."""
        revision = items.parse_if_match(if_match)
        changes = changes_from(body)
        return card_response(await in_transaction(lambda conn: items.update_item(conn, item_no, revision, changes)))

    @router.delete("/items/{item_no}", status_code=204, responses=ERRORS, tags=["items"],
                   dependencies=[requires("catalog:write")])
    async def delete_item(item_no: str, if_match: IfMatch = None) -> Response:
        """Delete a card that was never posted (409 once it has ledger entries: block it instead)."""
        revision = items.parse_if_match(if_match)
        await in_transaction(lambda conn: items.delete_item(conn, item_no, revision))
        return Response(status_code=204)

    @router.get("/items", response_model=ItemPage, responses={400: PROBLEM, **ERRORS}, tags=["items"],
                dependencies=[requires("catalog:read")])
    async def search_items(
        q: Annotated[str | None, Query(max_length=100, description="Text in the item no. or description.")] = None,
        type: ItemType | None = None,
        category: Annotated[str | None, Query(description="Item category, with its descendants.")] = None,
        blocked: bool | None = None,
        attribute: Annotated[list[str], Query(
            description="`Name:op:value`, repeatable (all must hold). op: eq (Option, Text, numbers, dates), "
            "contains / begins (Text), range `from..to` (Integer, Decimal, Date; a side may be empty).")] = [],
        sort: Annotated[str, Query(description=f"One of {', '.join(search.SORTS)}.")] = "item_no",
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        cursor: str | None = None,
    ) -> ItemPage:
        """Search, filter and sort item cards; follow `next_cursor` for the next page."""
        found, next_cursor = await read(lambda conn: search.search_items(
            conn, text=q, type=type, category=category, blocked=blocked, attributes=attribute, sort=sort,
            cursor=cursor, limit=limit,
        ))
        return ItemPage(items=[item_out(i) for i in found], next_cursor=next_cursor)

    # references ----------------------------------------------------------------------------------

    @router.post("/items/{item_no}/references", status_code=201, response_model=ReferenceOut, responses=ERRORS,
                 tags=["item references"], dependencies=[requires("catalog:write")])
    async def add_reference(item_no: str, body: ReferenceIn, request: Request,
                            idempotency_key: IdempotencyKey = None) -> JSONResponse:
        """A customer, vendor or bar code reference; unique per (type, type no., reference no.)."""
        async def action(uow: UnitOfWork) -> tuple[int, ReferenceOut]:
            conn = uow.conn
            added = await references.add_reference(conn, ItemReference(item_no=item_no, **body.model_dump()))
            return 201, ReferenceOut.model_validate(added)

        return await runtime.post_once(request, idempotency_key, body, action)

    @router.get("/items/{item_no}/references", response_model=list[ReferenceOut], responses=ERRORS, tags=["item references"],
                dependencies=[requires("catalog:read")])
    async def list_references(item_no: str) -> list[ReferenceOut]:
        return [ReferenceOut.model_validate(r) for r in await read(lambda conn: references.references_of(conn, item_no))]

    @router.delete("/items/{item_no}/references/{reference_id}", status_code=204, responses=ERRORS, tags=["item references"],
                   dependencies=[requires("catalog:write")])
    async def delete_reference(item_no: str, reference_id: int) -> Response:
        await in_transaction(lambda conn: references.delete_reference(conn, item_no, reference_id))
        return Response(status_code=204)

    @router.get("/item-references/lookup", response_model=list[ReferenceMatchOut], responses=ERRORS,
                tags=["item references"], dependencies=[requires("catalog:read")])
    async def lookup_reference(
        reference_no: str,
        reference_type: Annotated[str | None, Query(pattern=r"^(Customer|Vendor|Bar Code)$")] = None,
        reference_type_no: str | None = None,
        on: Annotated[date | None, Query(description="Only references valid on this date.")] = None,
    ) -> list[ReferenceMatchOut]:
        """Item, variant, unit of measure and description for a reference no. (404 when none matches)."""
        found = await read(lambda conn: references.lookup(conn, reference_no, reference_type, reference_type_no, on))
        return [ReferenceMatchOut.model_validate(m) for m in found]

    # units of measure and tracking codes ---------------------------------------------------------

    @router.get("/units-of-measure", response_model=list[UnitOfMeasureOut], tags=["master data"],
                dependencies=[requires("catalog:read")])
    async def list_units() -> list[UnitOfMeasureOut]:
        found = await read(lambda conn: UnitOfMeasureRepository(conn).all())
        return [UnitOfMeasureOut(code=code, description=description) for code, description in found]

    @router.put("/units-of-measure/{code}", response_model=UnitOfMeasureOut, tags=["master data"],
                dependencies=[requires("catalog:write")])
    async def put_unit(code: Annotated[str, Path(max_length=10, pattern=CODE_PATTERN)], body: UnitOfMeasureIn) -> UnitOfMeasureOut:
        await in_transaction(lambda conn: categories.put_unit_of_measure(conn, code, body.description))
        return UnitOfMeasureOut(code=code, description=body.description)

    @router.get("/item-tracking-codes", response_model=list[TrackingCodeOut], tags=["master data"],
                dependencies=[requires("catalog:read")])
    async def list_tracking_codes() -> list[TrackingCodeOut]:
        return [TrackingCodeOut.model_validate(t) for t in await read(lambda conn: TrackingCodeRepository(conn).all())]

    @router.put("/item-tracking-codes/{code}", response_model=TrackingCodeOut, responses=ERRORS, tags=["master data"],
                dependencies=[requires("catalog:write")])
    async def put_tracking_code(code: Annotated[str, Path(max_length=20, pattern=CODE_PATTERN)], body: TrackingCodeIn) -> TrackingCodeOut:
        """Create or change a tracking code; items using it are re-announced on catalog.items.v1."""
        tracking = ItemTrackingCode(code=code, **{**body.model_dump(), "serial_required_for": tuple(body.serial_required_for),
                                                  "lot_required_for": tuple(body.lot_required_for)})
        saved = await in_transaction(lambda conn: categories.put_tracking_code(conn, tracking))
        return TrackingCodeOut.model_validate(saved)

    # categories and attributes -------------------------------------------------------------------

    @router.post("/item-categories", status_code=201, response_model=CategoryOut, responses=ERRORS, tags=["categories"],
                 dependencies=[requires("catalog:write")])
    async def create_category(body: CategoryIn, request: Request, idempotency_key: IdempotencyKey = None) -> JSONResponse:
        async def action(uow: UnitOfWork) -> tuple[int, CategoryOut]:
            conn = uow.conn
            created = await categories.create_category(conn, ItemCategory(**body.model_dump()))
            return 201, CategoryOut.model_validate(created)

        return await runtime.post_once(request, idempotency_key, body, action)

    @router.get("/item-categories", response_model=list[CategoryOut], tags=["categories"],
                dependencies=[requires("catalog:read")])
    async def list_categories() -> list[CategoryOut]:
        return [CategoryOut.model_validate(c) for c in await read(lambda conn: CategoryRepository(conn).all())]

    @router.get("/item-categories/{code}", response_model=CategoryOut, responses=ERRORS, tags=["categories"],
                dependencies=[requires("catalog:read")])
    async def get_category(code: str) -> CategoryOut:
        return CategoryOut.model_validate(await read(lambda conn: categories.get_category(conn, code)))

    @router.patch("/item-categories/{code}", response_model=CategoryOut, responses=ERRORS, tags=["categories"],
                  dependencies=[requires("catalog:write")])
    async def update_category(code: str, body: CategoryUpdate) -> CategoryOut:
        """Move (parent_code), rename or change the attribute definitions; every item below follows its new chain."""
        async def action(conn: asyncpg.Connection) -> ItemCategory:
            before = await categories.get_category(conn, code)
            changed = replace(before, **body.model_dump(exclude_unset=True, exclude_none=True))
            return await categories.update_category(conn, changed)

        return CategoryOut.model_validate(await in_transaction(action))

    @router.delete("/item-categories/{code}", status_code=204, responses=ERRORS, tags=["categories"],
                   dependencies=[requires("catalog:write")])
    async def delete_category(code: str) -> Response:
        """Refused (409) while an item, a template or a child category uses it."""
        await in_transaction(lambda conn: categories.delete_category(conn, code))
        return Response(status_code=204)

    @router.post("/item-attributes", status_code=201, response_model=AttributeOut, responses=ERRORS, tags=["categories"],
                 dependencies=[requires("catalog:write")])
    async def create_attribute(body: AttributeIn, request: Request, idempotency_key: IdempotencyKey = None) -> JSONResponse:
        async def action(uow: UnitOfWork) -> tuple[int, AttributeOut]:
            conn = uow.conn
            created = await categories.create_attribute(conn, ItemAttribute(**{**body.model_dump(), "options": tuple(body.options)}))
            return 201, AttributeOut.model_validate(created)

        return await runtime.post_once(request, idempotency_key, body, action)

    @router.get("/item-attributes", response_model=list[AttributeOut], tags=["categories"],
                dependencies=[requires("catalog:read")])
    async def list_attributes() -> list[AttributeOut]:
        return [AttributeOut.model_validate(a) for a in await read(lambda conn: AttributeRepository(conn).all())]

    @router.get("/item-attributes/{name}", response_model=AttributeOut, responses=ERRORS, tags=["categories"],
                dependencies=[requires("catalog:read")])
    async def get_attribute(name: str) -> AttributeOut:
        return AttributeOut.model_validate(await read(lambda conn: categories.get_attribute(conn, name)))

    @router.patch("/item-attributes/{name}", response_model=AttributeOut, responses=ERRORS, tags=["categories"],
                  dependencies=[requires("catalog:write")])
    async def update_attribute(name: str, body: AttributeUpdate) -> AttributeOut:
        async def action(conn: asyncpg.Connection) -> ItemAttribute:
            before = await categories.get_attribute(conn, name)
            changes = body.model_dump(exclude_unset=True, exclude_none=True)
            if "options" in changes:
                changes["options"] = tuple(changes["options"])
            return await categories.update_attribute(conn, replace(before, **changes))

        return AttributeOut.model_validate(await in_transaction(action))

    # catalog (nonstock) items --------------------------------------------------------------------

    @router.put("/item-templates/{code}", response_model=TemplateOut, responses=ERRORS, tags=["catalog items"],
                dependencies=[requires("catalog:write")])
    async def put_template(code: Annotated[str, Path(max_length=20, pattern=CODE_PATTERN)], body: TemplateIn) -> TemplateOut:
        template = ItemTemplate(code=code, **body.model_dump())
        return TemplateOut.model_validate(await in_transaction(lambda conn: nonstock.put_template(conn, template)))

    @router.get("/item-templates", response_model=list[TemplateOut], tags=["catalog items"],
                dependencies=[requires("catalog:read")])
    async def list_templates() -> list[TemplateOut]:
        return [TemplateOut.model_validate(t) for t in await read(lambda conn: NonstockRepository(conn).templates())]

    @router.get("/nonstock-setup", response_model=NonstockSetupIn, tags=["catalog items"],
                dependencies=[requires("catalog:read")])
    async def get_setup() -> NonstockSetupIn:
        return NonstockSetupIn.model_validate(await read(lambda conn: NonstockRepository(conn).setup()))

    @router.put("/nonstock-setup", response_model=NonstockSetupIn, tags=["catalog items"],
                dependencies=[requires("catalog:write")])
    async def put_setup(body: NonstockSetupIn) -> NonstockSetupIn:
        """How converted catalog items are numbered."""
        setup = NonstockSetup(**body.model_dump(mode="json"))
        return NonstockSetupIn.model_validate(await in_transaction(lambda conn: nonstock.put_setup(conn, setup)))

    @router.post("/nonstock-items", status_code=201, response_model=NonstockOut, responses=ERRORS, tags=["catalog items"],
                 dependencies=[requires("catalog:write")])
    async def create_nonstock(body: NonstockIn, request: Request, idempotency_key: IdempotencyKey = None) -> JSONResponse:
        async def action(uow: UnitOfWork) -> tuple[int, NonstockOut]:
            conn = uow.conn
            created = await nonstock.create_nonstock_item(conn, NonstockItem(entry_no=0, **body.model_dump()))
            return 201, NonstockOut.model_validate(created)

        return await runtime.post_once(request, idempotency_key, body, action)

    @router.get("/nonstock-items", response_model=NonstockPage, responses={400: PROBLEM}, tags=["catalog items"],
                dependencies=[requires("catalog:read")])
    async def list_nonstock(limit: Annotated[int, Query(ge=1, le=1000)] = 100, cursor: str | None = None) -> NonstockPage:
        after = decode_cursor(cursor) or 0
        found = await read(lambda conn: NonstockRepository(conn).list_after(int(after), limit + 1))
        page = [NonstockOut.model_validate(n) for n in found[:limit]]
        return NonstockPage(nonstock_items=page, next_cursor=encode_cursor(page[-1].entry_no) if len(found) > limit else None)

    @router.get("/nonstock-items/{entry_no}", response_model=NonstockOut, responses=ERRORS, tags=["catalog items"],
                dependencies=[requires("catalog:read")])
    async def get_nonstock(entry_no: int) -> NonstockOut:
        return NonstockOut.model_validate(await read(lambda conn: nonstock.get_nonstock_item(conn, entry_no)))

    @router.post("/nonstock-items/{entry_no}/convert", response_model=ConvertedOut, responses={201: {"model": ConvertedOut}, **ERRORS},
                 tags=["catalog items"], dependencies=[requires("catalog:write")])
    async def convert_nonstock(entry_no: int) -> JSONResponse:
        """Create the inventory item (and a vendor item reference): 201 the first time, 200 with the same item after."""
        item, created = await in_transaction(lambda conn: nonstock.convert(conn, entry_no))
        body = ConvertedOut(created=created, item=item_out(item))
        return JSONResponse(body.model_dump(mode="json"), status_code=201 if created else 200, headers={"ETag": item.etag})

    return router
