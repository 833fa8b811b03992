"""Value entries: the list, and the postings that write them from a request (item charges, revaluations)."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from servicekit.auth import requires
from servicekit.endpoints import Runtime
from servicekit.pagination import decode_cursor, paginate

from costing.entrypoints.routes.common import ERRORS, PROBLEM, IdempotencyKey, entries_out
from costing.entrypoints.schemas import ItemChargeIn, RevaluationIn, ValueEntriesOut, ValueEntryOut, ValueEntryPage
from costing.service_layer.unit_of_work import CostingUnitOfWork
from costing.service_layer.requests import post_item_charge, post_revaluation
from costing.service_layer.valuation import AssignItemCharge, ChargeLine, RevalueInventory

router = APIRouter(tags=["values"])


@router.get("/value-entries", response_model=ValueEntryPage, responses={400: PROBLEM}, dependencies=[requires("costing:read")])
async def list_value_entries(
    runtime: Runtime,
    item_no: str | None = None,
    item_ledger_entry_no: int | None = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> ValueEntryPage:
    async with runtime.reading() as uow:
        found = await uow.value_entries.list_value_entries(item_no, item_ledger_entry_no, decode_cursor(cursor), limit + 1)
    page, next_cursor = paginate(found, limit, lambda entry: entry.entry_no)
    return ValueEntryPage(entries=[ValueEntryOut.model_validate(entry, from_attributes=True) for entry in page],
                          next_cursor=next_cursor)


@router.post("/item-charges", status_code=201, response_model=ValueEntriesOut, responses=ERRORS, tags=["item charges"],
             dependencies=[requires("costing:write")])
async def assign_charge(runtime: Runtime, body: ItemChargeIn, request: Request, idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """Assign an item charge to posted receipt entries: each share is a Direct Cost value entry on its
    receipt (a Variance offsets it on Standard items), forwarded to what already took from the receipt."""
    command = AssignItemCharge(
        body.item_charge_no, body.document_no, body.posting_date, body.amount, body.split,
        tuple(ChargeLine(line.item_ledger_entry_no, line.weight, line.volume) for line in body.lines),
    )

    async def action(uow: CostingUnitOfWork) -> tuple[int, ValueEntriesOut]:
        return 201, entries_out(await post_item_charge(uow, command))

    return await runtime.post_once(request, idempotency_key, body, action)


@router.post("/revaluations", status_code=201, response_model=ValueEntriesOut, responses=ERRORS, tags=["revaluation"],
             dependencies=[requires("costing:write")])
async def revalue(runtime: Runtime, body: RevaluationIn, request: Request, idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """Revalue on-hand quantity at a date: a Revaluation value entry per open inbound entry; outbound
    entries after the date that consumed revalued quantity are adjusted."""
    command = RevalueInventory(body.item_no, body.posting_date, body.new_unit_cost, body.new_value, body.item_ledger_entry_no)

    async def action(uow: CostingUnitOfWork) -> tuple[int, ValueEntriesOut]:
        return 201, entries_out(await post_revaluation(uow, command))

    return await runtime.post_once(request, idempotency_key, body, action)

