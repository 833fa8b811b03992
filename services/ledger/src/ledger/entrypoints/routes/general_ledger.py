"""The general ledger: its entries, the trial balance and the value entries waiting for their setup."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import asdict
from datetime import date
from typing import Annotated

from fastapi import APIRouter, FastAPI, Query

from servicekit.auth import requires
from servicekit.endpoints import Runtime
from servicekit.pagination import decode_cursor, paginate
from servicekit.runtime import ServiceRuntime

from ledger.entrypoints.routes.common import PROBLEM
from ledger.entrypoints.schemas import (
    GLEntryOut,
    GLEntryPage,
    PendingValueEntryOut,
    PendingValueEntryPage,
    TrialBalance,
    TrialBalanceLine,
)
from ledger.metrics import PENDING_VALUE_ENTRIES
from ledger.service_layer import general_ledger


@asynccontextmanager
async def _show_pending_at_start(app: FastAPI) -> AsyncIterator[None]:
    # Runs after the runtime has started: the gauge shows the backlog left by the last run.
    runtime: ServiceRuntime = app.state.runtime
    async with runtime.reading() as uow:
        PENDING_VALUE_ENTRIES.set(await general_ledger.count_pending_value_entries(uow))
    yield


router = APIRouter(tags=["general ledger"], lifespan=_show_pending_at_start)


@router.get("/gl-entries", response_model=GLEntryPage, responses={400: PROBLEM}, dependencies=[requires("ledger:read")])
async def list_gl_entries(
    runtime: Runtime,
    account_no: str | None = None,
    from_date: date | None = None,
    to_date: date | None = None,
    value_entry_no: int | None = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> GLEntryPage:
    async with runtime.reading() as uow:
        found = await general_ledger.list_gl_entries(
            uow, account_no=account_no, from_date=from_date, to_date=to_date, value_entry_no=value_entry_no,
            after=decode_cursor(cursor), limit=limit + 1,
        )
    page, next_cursor = paginate(found, limit, lambda entry: entry.entry_no)
    return GLEntryPage(entries=[GLEntryOut(**asdict(entry)) for entry in page], next_cursor=next_cursor)


@router.get("/trial-balance", response_model=TrialBalance, dependencies=[requires("ledger:read")])
async def trial_balance(runtime: Runtime, at: date | None = None) -> TrialBalance:
    """Debit, credit and balance per account over the entries posted on or before `at`."""
    async with runtime.reading() as uow:
        found = await general_ledger.trial_balance(uow, at)
    return TrialBalance(
        at=at,
        lines=[TrialBalanceLine(**asdict(line)) for line in found.lines],
        total_debit=found.total_debit,
        total_credit=found.total_credit,
    )


@router.get(
    "/pending-value-entries", response_model=PendingValueEntryPage, responses={400: PROBLEM},
    dependencies=[requires("ledger:read")],
)
async def list_pending_value_entries(
    runtime: Runtime, cursor: str | None = None, limit: Annotated[int, Query(ge=1, le=1000)] = 100
) -> PendingValueEntryPage:
    """Value entries waiting for their posting setup, with the reason."""
    async with runtime.reading() as uow:
        found = await general_ledger.list_pending_value_entries(uow, decode_cursor(cursor), limit + 1)
    page, next_cursor = paginate(found, limit, lambda pending: pending.value_entry_no)
    return PendingValueEntryPage(
        pending_value_entries=[
            PendingValueEntryOut(
                value_entry_no=pending.value_entry_no, item_no=pending.item_no, reason=pending.reason,
                received_at=pending.received_at, value_entry=pending.payload,
            )
            for pending in page
        ],
        next_cursor=next_cursor,
    )
