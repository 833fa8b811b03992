"""HTTP routes of costing."""

from dataclasses import asdict
from datetime import date
from decimal import Decimal
from typing import Annotated

import asyncpg
from fastapi import APIRouter, Header, Path, Query, Request, Response
from fastapi.responses import JSONResponse

from servicekit.auth import requires
from servicekit.uow import UnitOfWork
from servicekit.errors import NotFoundError
from servicekit.pagination import decode_cursor, encode_cursor
from servicekit.runtime import ServiceRuntime

from costing.adapters.repository import CostingRepository
from costing.adapters.standard_cost_worksheet import StandardCostWorksheetRepository
from costing.domain.model import ValueEntry
from costing.domain.standard_cost import RoundingMethodLine, WorksheetLine
from costing.entrypoints.schemas import (
    CostAdjustmentStatus,
    ImplementStandardCostIn,
    InventorySetupReplica,
    InventoryValuation,
    ItemChargeIn,
    ItemCost,
    PostingGroupValue,
    RevaluationIn,
    StandardCostsImplementedOut,
    StandardCostWorksheetOut,
    SuggestStandardCostIn,
    ValuationByPostingGroup,
    ValuationLine,
    ValueEntriesOut,
    ValueEntryOut,
    ValueEntryPage,
    WorksheetLineIn,
    WorksheetLineOut,
)
from costing.service_layer.publishing import item_unit_cost, value_entries_written
from costing.service_layer.standard_costs import (
    ImplementStandardCostChanges,
    SuggestItemStandardCost,
    delete_worksheet_line,
    implement_standard_cost_changes,
    set_worksheet_line,
    suggest_item_standard_cost,
)
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
WorksheetName = Annotated[str, Path(min_length=1, max_length=10, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$",
                                    description="Name of the standard cost worksheet, e.g. DEFAULT.")]
ItemNo = Annotated[str, Path(min_length=1, max_length=20)]


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

        async def action(uow: UnitOfWork) -> tuple[int, ValueEntriesOut]:
            conn = uow.conn
            return 201, await _published(conn, await assign_item_charge(conn, command))

        return await runtime.post_once(request, idempotency_key, body, action)

    @router.post("/revaluations", status_code=201, response_model=ValueEntriesOut, responses=ERRORS, tags=["revaluation"],
                 dependencies=[requires("costing:write")])
    async def revalue(body: RevaluationIn, request: Request, idempotency_key: IdempotencyKey = None) -> JSONResponse:
        """Revalue on-hand quantity at a date: a Revaluation value entry per open inbound entry; outbound
        entries after the date that consumed revalued quantity are adjusted."""
        command = RevalueInventory(body.item_no, body.posting_date, body.new_unit_cost, body.new_value, body.item_ledger_entry_no)

        async def action(uow: UnitOfWork) -> tuple[int, ValueEntriesOut]:
            conn = uow.conn
            return 201, await _published(conn, await revalue_inventory(conn, command), [body.item_no])

        return await runtime.post_once(request, idempotency_key, body, action)

    @router.get("/standard-cost-worksheets/{worksheet_name}/lines", response_model=StandardCostWorksheetOut,
                tags=["standard cost worksheet"], dependencies=[requires("costing:read")])
    async def worksheet_lines(worksheet_name: WorksheetName) -> StandardCostWorksheetOut:
        """The worksheet's lines by item no.: current and new standard cost, and whether each is implemented."""
        async with runtime.pool.acquire() as conn:
            lines = await StandardCostWorksheetRepository(conn).lines(worksheet_name)
        return StandardCostWorksheetOut(worksheet_name=worksheet_name, lines=[_line_out(line) for line in lines])

    @router.post("/standard-cost-worksheets/{worksheet_name}/suggest", response_model=StandardCostWorksheetOut,
                 responses=ERRORS, tags=["standard cost worksheet"], dependencies=[requires("costing:write")])
    async def suggest(worksheet_name: WorksheetName, body: SuggestStandardCostIn, request: Request,
                      idempotency_key: IdempotencyKey = None) -> JSONResponse:
        """Suggest Item Standard Cost: write a line per Standard item (or per item named) with its standard cost times
        the adjustment factor, rounded by the rounding method. Nothing is revalued until the worksheet is implemented."""
        command = SuggestItemStandardCost(
            worksheet_name, body.adjustment_factor,
            tuple(RoundingMethodLine(**line.model_dump()) for line in body.rounding_method),
            None if body.item_nos is None else tuple(body.item_nos),
        )

        async def action(uow: UnitOfWork) -> tuple[int, StandardCostWorksheetOut]:
            conn = uow.conn
            lines = await suggest_item_standard_cost(conn, command)
            return 200, StandardCostWorksheetOut(worksheet_name=worksheet_name, lines=[_line_out(line) for line in lines])

        return await runtime.post_once(request, idempotency_key, body, action)

    @router.put("/standard-cost-worksheets/{worksheet_name}/lines/{item_no}", response_model=WorksheetLineOut,
                responses=ERRORS, tags=["standard cost worksheet"], dependencies=[requires("costing:write")])
    async def put_worksheet_line(worksheet_name: WorksheetName, item_no: ItemNo, body: WorksheetLineIn) -> WorksheetLineOut:
        """Write the item's line with a new standard cost (a Standard item's); an implemented line becomes a new proposal."""
        async with runtime.pool.acquire() as conn, conn.transaction():
            line = await set_worksheet_line(conn, worksheet_name, item_no, body.new_standard_cost)
        return _line_out(line)

    @router.delete("/standard-cost-worksheets/{worksheet_name}/lines/{item_no}", status_code=204, responses=ERRORS,
                   tags=["standard cost worksheet"], dependencies=[requires("costing:write")])
    async def delete_line(worksheet_name: WorksheetName, item_no: ItemNo) -> Response:
        async with runtime.pool.acquire() as conn, conn.transaction():
            await delete_worksheet_line(conn, worksheet_name, item_no)
        return Response(status_code=204)

    @router.post("/standard-cost-worksheets/{worksheet_name}/implement", status_code=201,
                 response_model=StandardCostsImplementedOut,
                 responses={200: {"model": StandardCostsImplementedOut, "description": "Every line was implemented before: "
                                  "nothing was revalued."}, **ERRORS},
                 tags=["standard cost worksheet"], dependencies=[requires("costing:write")])
    async def implement(worksheet_name: WorksheetName, body: ImplementStandardCostIn, request: Request,
                        idempotency_key: IdempotencyKey = None) -> JSONResponse:
        """Implement Standard Cost Changes: for each line not implemented yet, revalue the item's quantity on hand at the
        posting date to the new standard cost (received but uninvoiced quantity as expected cost) and make it the item's
        standard cost, in costing at once and on the item card through costing.standard-cost-implemented."""
        command = ImplementStandardCostChanges(worksheet_name, body.posting_date)

        async def action(uow: UnitOfWork) -> tuple[int, StandardCostsImplementedOut]:
            conn = uow.conn
            done = await implement_standard_cost_changes(conn, command)
            published = await _published(conn, done.written, [line.item_no for line in done.lines])
            return 201 if done.lines else 200, StandardCostsImplementedOut(
                worksheet_name=worksheet_name, posting_date=body.posting_date,
                lines=[_line_out(line) for line in done.lines], entries=published.entries,
            )

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


def _line_out(line: WorksheetLine) -> WorksheetLineOut:
    return WorksheetLineOut(
        worksheet_name=line.worksheet_name, item_no=line.item_no, standard_cost=line.standard_cost,
        new_standard_cost=line.new_standard_cost, implemented=line.implemented, implementation_no=line.implementation_no,
        posting_date=line.posting_date,
    )


async def _published(conn: asyncpg.Connection, written: list[ValueEntry], item_nos: list[str] | None = None) -> ValueEntriesOut:
    items = list(dict.fromkeys([*(item_nos or []), *(ve.item_ledger_entry.item_no for ve in written)]))
    await value_entries_written(conn, items, written)
    stored = await CostingRepository(conn).value_entries_by_no([ve.entry_no for ve in written])
    return ValueEntriesOut(entries=[ValueEntryOut(**dict(row)) for row in stored])
