"""HTTP routes of costing."""

from dataclasses import asdict
from datetime import date
from decimal import Decimal
from typing import Annotated

import asyncpg
from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import JSONResponse

from servicekit.auth import requires
from servicekit.errors import NotFoundError
from servicekit.pagination import decode_cursor, encode_cursor
from servicekit.runtime import ServiceRuntime

from costing.adapters.repository import CostingRepository
from costing.domain.model import ValueEntry
from costing.entrypoints.schemas import (
    CostAdjustmentStatus,
    InventorySetupReplica,
    InventoryValuation,
    ItemChargeIn,
    ItemCost,
    PostingGroupValue,
    RevaluationIn,
    ValuationByPostingGroup,
    ValuationLine,
    ValueEntriesOut,
    ValueEntryOut,
    ValueEntryPage,
)
from costing.service_layer.publishing import item_unit_cost, value_entries_written
from costing.service_layer.valuation import (
    AssignItemCharge,
    ChargeLine,
    RevalueInventory,
    assign_item_charge,
    revalue_inventory,
)

PROBLEM = {"content": {"application/problem+json": {}}}
ERRORS = {404: PROBLEM, 422: PROBLEM}
IdempotencyKey = Annotated[str | None, Header(description="Repeating a request with the same key returns the first answer.")]


def build_router(runtime: ServiceRuntime) -> APIRouter:
    router = APIRouter(tags=["values"])

    @router.get("/value-entries", response_model=ValueEntryPage, responses={400: PROBLEM}, dependencies=[requires("costing:read")])
    async def list_value_entries(
        item_no: str | None = None,
        item_ledger_entry_no: int | None = None,
        cursor: str | None = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> ValueEntryPage:
        async with runtime.pool.acquire() as conn:
            rows = await CostingRepository(conn).list_value_entries(item_no, item_ledger_entry_no, decode_cursor(cursor), limit + 1)
        page = [ValueEntryOut(**dict(row)) for row in rows[:limit]]
        return ValueEntryPage(entries=page, next_cursor=encode_cursor(page[-1].entry_no) if len(rows) > limit else None)

    @router.post("/item-charges", status_code=201, response_model=ValueEntriesOut, responses=ERRORS, tags=["item charges"],
                 dependencies=[requires("costing:write")])
    async def assign_charge(body: ItemChargeIn, request: Request, idempotency_key: IdempotencyKey = None) -> JSONResponse:
        """Assign an item charge to posted receipt entries: each share is a Direct Cost value entry on its
        receipt (a Variance offsets it on Standard items), forwarded to what already took from the receipt."""
        command = AssignItemCharge(
            body.item_charge_no, body.document_no, body.posting_date, body.amount, body.split,
            tuple(ChargeLine(line.item_ledger_entry_no, line.weight, line.volume) for line in body.lines),
        )

        async def action(conn: asyncpg.Connection) -> tuple[int, ValueEntriesOut]:
            return 201, await _published(conn, await assign_item_charge(conn, command))

        return await runtime.post_once(request, idempotency_key, body, action)

    @router.post("/revaluations", status_code=201, response_model=ValueEntriesOut, responses=ERRORS, tags=["revaluation"],
                 dependencies=[requires("costing:write")])
    async def revalue(body: RevaluationIn, request: Request, idempotency_key: IdempotencyKey = None) -> JSONResponse:
        """Revalue on-hand quantity at a date: a Revaluation value entry per open inbound entry; outbound
        entries after the date that consumed revalued quantity are adjusted."""
        command = RevalueInventory(body.item_no, body.posting_date, body.new_unit_cost, body.new_value, body.item_ledger_entry_no)

        async def action(conn: asyncpg.Connection) -> tuple[int, ValueEntriesOut]:
            return 201, await _published(conn, await revalue_inventory(conn, command), [body.item_no])

        return await runtime.post_once(request, idempotency_key, body, action)

    @router.get("/inventory-valuation", response_model=InventoryValuation, dependencies=[requires("costing:read")])
    async def inventory_valuation(
        at: date | None = None, item_no: str | None = None, location_code: str | None = None, include_expected: bool = True
    ) -> InventoryValuation:
        """Quantity and value per item, location and inventory posting group at a date (default: everything),
        with or without expected cost."""
        async with runtime.pool.acquire() as conn:
            rows = await CostingRepository(conn).valuation(at, item_no, location_code)
        lines = []
        for row in rows:
            line = dict(row)
            if not include_expected:
                line["cost_amount_expected"] = Decimal(0)
            lines.append(ValuationLine(**line, value=line["cost_amount_actual"] + line["cost_amount_expected"]))
        return InventoryValuation(
            at=at,
            include_expected=include_expected,
            lines=lines,
            quantity=sum((line.quantity for line in lines), Decimal(0)),
            cost_amount_actual=sum((line.cost_amount_actual for line in lines), Decimal(0)),
            cost_amount_expected=sum((line.cost_amount_expected for line in lines), Decimal(0)),
            value=sum((line.value for line in lines), Decimal(0)),
        )

    @router.get("/inventory-valuation/by-posting-group", response_model=ValuationByPostingGroup,
                dependencies=[requires("costing:read")])
    async def valuation_by_posting_group() -> ValuationByPostingGroup:
        """Value per location and inventory posting group with the count of value entries it sums,
        read in one snapshot: what the ledger reconciles its inventory accounts against."""
        async with runtime.pool.acquire() as conn:
            rows = await CostingRepository(conn).valuation_by_posting_group()
        lines = [PostingGroupValue(**dict(row)) for row in rows]
        return ValuationByPostingGroup(lines=lines, value_entries=sum(line.value_entries for line in lines))

    @router.get("/items/{item_no}/cost", response_model=ItemCost, responses=ERRORS,
                dependencies=[requires("costing:read")])
    async def item_cost(item_no: str) -> ItemCost:
        """What costing knows of the item card, its quantity, value and unit cost on hand, and whether its
        costs are adjusted (when last, and the last error)."""
        async with runtime.pool.acquire() as conn:
            repository = CostingRepository(conn)
            row = await repository.item_card(item_no)
            status = await repository.cost_status(item_no)
        if row is None:
            raise NotFoundError(f"item {item_no} is not (yet) known to costing", item_no=item_no)
        card = dict(row)
        unit_cost = item_unit_cost(card["costing_method"], card["standard_cost"], card["quantity_on_hand"], card["value_on_hand"])
        adjustment = (
            CostAdjustmentStatus(**{k: v for k, v in dict(status).items() if k != "item_no"})
            if status is not None
            else CostAdjustmentStatus(cost_is_adjusted=True)
        )
        return ItemCost(**card, unit_cost=unit_cost, adjustment=adjustment)

    @router.get("/inventory-setup", response_model=InventorySetupReplica, tags=["setup"],
                dependencies=[requires("costing:read")])
    async def inventory_setup() -> InventorySetupReplica:
        """The warehouse's inventory setup as costing values by: its dates and how it keeps average costs."""
        async with runtime.pool.acquire() as conn:
            repository = CostingRepository(conn)
            revision = await repository.inventory_setup_revision()
            calendar = await repository.inventory_calendar()
        return InventorySetupReplica(revision=revision, first_open_date=calendar.first_open_date, **asdict(calendar))

    return router


async def _published(conn: asyncpg.Connection, written: list[ValueEntry], item_nos: list[str] | None = None) -> ValueEntriesOut:
    items = list(dict.fromkeys([*(item_nos or []), *(ve.item_ledger_entry.item_no for ve in written)]))
    await value_entries_written(conn, items, written)
    stored = await CostingRepository(conn).value_entries_by_no([ve.entry_no for ve in written])
    return ValueEntriesOut(entries=[ValueEntryOut(**dict(row)) for row in stored])
