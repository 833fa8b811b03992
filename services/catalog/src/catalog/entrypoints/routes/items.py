"""Routes of the item card: create, read, change (If-Match), delete, search."""

import json
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse

from inventory_contracts.catalog import ItemType, ItemUpserted
from servicekit.auth import requires
from servicekit.endpoints import Runtime
from servicekit.metrics import POSTINGS

from catalog.adapters.events import item_upserted
from catalog.domain.model import Item, ItemUnitOfMeasure, ItemVariant
from catalog.domain.search import SORTS
from catalog.entrypoints.routes.common import ERRORS, PROBLEM, IdempotencyKey, IfMatch
from catalog.entrypoints.schemas import ItemCreate, ItemOut, ItemPage, ItemUpdate
from catalog.service_layer import items, search
from catalog.service_layer.unit_of_work import CatalogUnitOfWork

router = APIRouter(tags=["items"])


READ_ONLY_ASSEMBLY_FIELDS = ("assembly_bom", "single_level_material_cost", "single_level_capacity_cost",
                             "single_level_cap_ovhd_cost", "single_level_mfg_ovhd_cost", "unit_cost")


def item_from(body: ItemCreate) -> Item:
    fields = body.model_dump(exclude={"revision", "has_ledger_entries", "nonstock_entry_no", "units_of_measure", "variants",
                                      *READ_ONLY_ASSEMBLY_FIELDS})
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
         "variants": [asdict(v) for v in item.variants], "assembly_bom": [asdict(b) for b in item.assembly_bom]}
    )


def card_response(item: Item, status_code: int = 200) -> JSONResponse:
    return JSONResponse(item_out(item).model_dump(mode="json"), status_code=status_code, headers={"ETag": item.etag})


@router.post("/items", status_code=201, response_model=ItemOut, responses=ERRORS, dependencies=[requires("catalog:write")])
async def create_item(runtime: Runtime, body: ItemCreate, request: Request,
                      idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """Create an item card. Answers with its ETag; the card goes out on catalog.items.v1."""
    async def action(uow: CatalogUnitOfWork) -> tuple[int, ItemOut]:
        return 201, item_out(await items.create_item(uow, item_from(body)))

    response = await runtime.post_once(request, idempotency_key, body, action)
    if response.status_code == 201:
        response.headers["ETag"] = f'"{json.loads(response.body)["revision"]}"'
    POSTINGS.labels("item").inc()
    return response


@router.get("/items/{item_no}", response_model=ItemOut, responses=ERRORS, dependencies=[requires("catalog:read")])
async def get_item(runtime: Runtime, item_no: str) -> JSONResponse:
    """The item card, with its ETag (send it back as If-Match to change the card)."""
    async with runtime.reading() as uow:
        return card_response(await items.get_item(uow, item_no))


@router.get("/items/{item_no}/published-card", response_model=ItemUpserted, responses=ERRORS,
            dependencies=[requires("catalog:read")])
async def get_published_card(runtime: Runtime, item_no: str) -> ItemUpserted:
    """The card as catalog.items.v1 announces it (its latest revision): for a replica that has not yet heard of
    the item, such as the warehouse's when a posting names an item created a moment ago."""
    async with runtime.reading() as uow:
        item, tracking = await items.get_published_card(uow, item_no)
    return item_upserted(item, tracking).payload


@router.patch("/items/{item_no}", response_model=ItemOut, responses=ERRORS, dependencies=[requires("catalog:write")])
async def update_item(runtime: Runtime, item_no: str, body: ItemUpdate, if_match: IfMatch = None) -> JSONResponse:
    """Change the card. If-Match is required: a stale ETag gets 412, never a silent overwrite."""
    revision = items.parse_if_match(if_match)
    changes = changes_from(body)
    async with runtime.unit_of_work() as uow:
        updated = await items.update_item(uow, item_no, revision, changes)
    return card_response(updated)


@router.delete("/items/{item_no}", status_code=204, responses=ERRORS, dependencies=[requires("catalog:write")])
async def delete_item(runtime: Runtime, item_no: str, if_match: IfMatch = None) -> Response:
    """Delete a card that was never posted (409 once it has ledger entries: block it instead)."""
    revision = items.parse_if_match(if_match)
    async with runtime.unit_of_work() as uow:
        await items.delete_item(uow, item_no, revision)
    return Response(status_code=204)


@router.get("/items", response_model=ItemPage, responses={400: PROBLEM, **ERRORS}, dependencies=[requires("catalog:read")])
async def search_items(
    runtime: Runtime,
    q: Annotated[str | None, Query(max_length=100, description="Text in the item no. or description.")] = None,
    type: ItemType | None = None,
    category: Annotated[str | None, Query(description="Item category, with its descendants.")] = None,
    blocked: bool | None = None,
    attribute: Annotated[list[str], Query(
        description="`Name:op:value`, repeatable (all must hold). op: eq (Option, Text, numbers, dates), "
        "contains / begins (Text), range `from..to` (Integer, Decimal, Date; a side may be empty).")] = [],
    sort: Annotated[str, Query(description=f"One of {', '.join(SORTS)}.")] = "item_no",
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    cursor: str | None = None,
) -> ItemPage:
    """Search, filter and sort item cards; follow `next_cursor` for the next page."""
    async with runtime.reading() as uow:
        found, next_cursor = await search.search_items(
            uow, text=q, type=type, category=category, blocked=blocked, attributes=attribute, sort=sort,
            cursor=cursor, limit=limit,
        )
    return ItemPage(items=[item_out(i) for i in found], next_cursor=next_cursor)
