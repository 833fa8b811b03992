"""HTTP routes of the warehouse."""

from typing import Annotated

import asyncpg
from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import JSONResponse

from servicekit.errors import NotFoundError
from servicekit.metrics import POSTINGS
from servicekit.pagination import decode_cursor, encode_cursor
from servicekit.runtime import ServiceRuntime

from warehouse.adapters.repository import WarehouseRepository
from warehouse.domain.errors import (
    InsufficientInventoryError,
    InvalidJournalLineError,
    ItemBlockedError,
    NotAnInventoryItemError,
    UnknownItemError,
)
from warehouse.domain.model import JournalLine
from warehouse.entrypoints.schemas import (
    ApplicationOut,
    InventorySetup,
    ItemJournalIn,
    ItemLedgerEntryOut,
    ItemLedgerEntryPage,
    LocationQuantity,
    PostedDocument,
    QuantityOnHand,
)
from warehouse.service_layer.posting import post_item_journal

PROBLEM = {"content": {"application/problem+json": {}}}

DOMAIN_ERRORS = {
    InsufficientInventoryError: (409, "insufficient-inventory", "Insufficient inventory"),
    UnknownItemError: (422, "unknown-item", "Unknown item"),
    ItemBlockedError: (422, "item-blocked", "Item blocked"),
    NotAnInventoryItemError: (422, "not-an-inventory-item", "Not an inventory item"),
    InvalidJournalLineError: (422, "invalid-journal-line", "Invalid journal line"),
}


def build_router(runtime: ServiceRuntime) -> APIRouter:
    router = APIRouter()

    @router.post(
        "/item-journal",
        status_code=201,
        response_model=PostedDocument,
        tags=["postings"],
        responses={409: PROBLEM, 422: PROBLEM},
    )
    async def post_journal(
        body: ItemJournalIn, request: Request, idempotency_key: Annotated[str | None, Header()] = None
    ) -> JSONResponse:
        """Post item journal lines (purchase, sale, positive and negative adjustment) as one document."""
        lines = [
            JournalLine(
                item_no=line.item_no,
                entry_type=line.entry_type,
                quantity=line.quantity,
                posting_date=line.posting_date,
                location_code=line.location_code,
                document_no=body.document_no,
                line_no=line.line_no if line.line_no is not None else (index + 1) * 10000,
                variant_code=line.variant_code,
                unit_cost=line.unit_cost,
            )
            for index, line in enumerate(body.lines)
        ]

        async def action(conn: asyncpg.Connection) -> tuple[int, PostedDocument]:
            entries = await post_item_journal(conn, lines)
            return 201, PostedDocument(
                document_no=body.document_no,
                entries=[
                    ItemLedgerEntryOut(
                        **{k: v for k, v in entry.__dict__.items() if k != "applications"},
                        applications=[ApplicationOut(**a.__dict__) for a in entry.applications],
                    )
                    for entry in entries
                ],
            )

        response = await runtime.post_once(request, idempotency_key, body, action)
        if response.status_code == 201 and response.headers.get("Idempotent-Replayed") is None:
            POSTINGS.labels("item_journal_line").inc(len(lines))
        return response

    @router.get("/item-ledger-entries", response_model=ItemLedgerEntryPage, tags=["item ledger"])
    async def list_entries(
        item_no: str | None = None, cursor: str | None = None, limit: Annotated[int, Query(ge=1, le=1000)] = 100
    ) -> ItemLedgerEntryPage:
        async with runtime.pool.acquire() as conn:
            repository = WarehouseRepository(conn)
            rows = await repository.list_entries(item_no, decode_cursor(cursor), limit + 1)
            page = rows[:limit]
            applications = await repository.applications_of([row["entry_no"] for row in page])
        by_entry: dict[int, list[ApplicationOut]] = {}
        for a in applications:
            out = ApplicationOut(**dict(a))
            by_entry.setdefault(a["inbound_entry_no"], []).append(out)
            by_entry.setdefault(a["outbound_entry_no"], []).append(out)
        entries = [ItemLedgerEntryOut(**dict(row), applications=by_entry.get(row["entry_no"], [])) for row in page]
        return ItemLedgerEntryPage(
            entries=entries, next_cursor=encode_cursor(page[-1]["entry_no"]) if len(rows) > limit else None
        )

    @router.get("/items/{item_no}/quantity-on-hand", response_model=QuantityOnHand, tags=["item ledger"])
    async def quantity_on_hand(item_no: str) -> QuantityOnHand:
        async with runtime.pool.acquire() as conn:
            repository = WarehouseRepository(conn)
            if await repository.get_item(item_no) is None:
                raise NotFoundError(f"item {item_no} is unknown to the warehouse", item_no=item_no)
            rows = await repository.quantity_on_hand(item_no)
        locations = [LocationQuantity(**dict(row)) for row in rows]
        return QuantityOnHand(item_no=item_no, quantity=sum((l.quantity for l in locations), 0), locations=locations)

    @router.get("/inventory-setup", response_model=InventorySetup, tags=["setup"])
    async def get_setup() -> InventorySetup:
        async with runtime.pool.acquire() as conn:
            return InventorySetup(prevent_negative_inventory=await WarehouseRepository(conn).prevent_negative_inventory_default())

    @router.put("/inventory-setup", response_model=InventorySetup, tags=["setup"])
    async def put_setup(body: InventorySetup) -> InventorySetup:
        async with runtime.pool.acquire() as conn:
            await WarehouseRepository(conn).set_prevent_negative_inventory_default(body.prevent_negative_inventory)
        return body

    return router
