"""HTTP routes of the catalog: requests become use-case calls, nothing more."""

from typing import Annotated

import asyncpg
from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import JSONResponse

from servicekit.metrics import POSTINGS
from servicekit.pagination import decode_cursor, encode_cursor
from servicekit.runtime import ServiceRuntime

from catalog.adapters.repository import ItemRepository
from catalog.domain.model import Item
from catalog.entrypoints.schemas import ItemCreate, ItemOut, ItemPage
from catalog.service_layer import items

PROBLEM = {"content": {"application/problem+json": {}}}


def build_router(runtime: ServiceRuntime) -> APIRouter:
    router = APIRouter(tags=["items"])

    @router.post("/items", status_code=201, response_model=ItemOut, responses={409: PROBLEM, 422: PROBLEM})
    async def create_item(
        body: ItemCreate, request: Request, idempotency_key: Annotated[str | None, Header()] = None
    ) -> JSONResponse:
        async def action(conn: asyncpg.Connection) -> tuple[int, ItemOut]:
            item = await items.create_item(conn, Item(**body.model_dump()))
            return 201, ItemOut.model_validate(item)

        response = await runtime.post_once(request, idempotency_key, body, action)
        POSTINGS.labels("item").inc()
        return response

    @router.get("/items/{item_no}", response_model=ItemOut, responses={404: PROBLEM})
    async def get_item(item_no: str) -> ItemOut:
        async with runtime.pool.acquire() as conn:
            return ItemOut.model_validate(await items.get_item(conn, item_no))

    @router.get("/items", response_model=ItemPage)
    async def list_items(
        limit: Annotated[int, Query(ge=1, le=1000)] = 100, cursor: str | None = None
    ) -> ItemPage:
        async with runtime.pool.acquire() as conn:
            found = await ItemRepository(conn).list_after(decode_cursor(cursor), limit + 1)
        page = [ItemOut.model_validate(item) for item in found[:limit]]
        return ItemPage(items=page, next_cursor=encode_cursor(page[-1].item_no) if len(found) > limit else None)

    return router
