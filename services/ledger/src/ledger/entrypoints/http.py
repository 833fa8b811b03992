"""HTTP routes of the ledger: requests become use-case calls, nothing more.

A posting setup is addressed by its two codes, either in the path or, because a blank code (the
blank location, the blank general business posting group) cannot be a path segment, as query
parameters on the collection path: `/general-posting-setup?gen_bus_posting_group=&gen_prod_posting_group=RETAIL`.
"""

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import asdict
from datetime import date
from typing import Annotated, Any

import httpx
from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import JSONResponse

from servicekit.auth import requires
from servicekit.errors import UnprocessableError
from servicekit.metrics import POSTINGS
from servicekit.pagination import decode_cursor, encode_cursor
from servicekit.runtime import ServiceRuntime

from ledger.adapters.costing import HttpInventoryValuation
from ledger.domain.model import GLAccount
from ledger.domain.posting import GeneralPostingSetup, InventoryPostingSetup
from ledger.entrypoints.schemas import (
    GLSetup,
    ReconciliationLineOut,
    ReconciliationOut,
    GeneralPostingSetupIn,
    GeneralPostingSetupOut,
    GeneralPostingSetupSaved,
    GLAccountCard,
    GLAccountIn,
    GLAccountOut,
    GLAccountPage,
    GLAccountSaved,
    GLEntryOut,
    GLEntryPage,
    InventoryPostingSetupIn,
    InventoryPostingSetupOut,
    InventoryPostingSetupSaved,
    PendingValueEntryOut,
    PendingValueEntryPage,
    TrialBalance,
    TrialBalanceLine,
)
from ledger.metrics import PENDING_VALUE_ENTRIES
from ledger.service_layer import general_ledger, reconciliation, setup
from ledger.service_layer.unit_of_work import LedgerUnitOfWork

PROBLEM: dict[str, Any] = {"content": {"application/problem+json": {}}}

_CODE = re.compile(r"[A-Za-z0-9_.\-/]{0,20}")


def _code(name: str, value: str, *, blank: bool = True) -> str:
    if not _CODE.fullmatch(value) or (not value and not blank):
        raise UnprocessableError(f"{name} {value!r} is not a valid code", parameter=name)
    return value


def build_router(runtime: ServiceRuntime, costing_url: str, costing_auth: httpx.Auth | None = None) -> APIRouter:
    @asynccontextmanager
    async def lifespan(_: Any) -> AsyncIterator[None]:
        # Runs after the runtime has started: the gauge shows the backlog left by the last run.
        async with runtime.reading() as uow:
            PENDING_VALUE_ENTRIES.set(await general_ledger.count_pending_value_entries(uow))
        yield

    router = APIRouter(lifespan=lifespan)

    @router.post(
        "/accounts", status_code=201, response_model=GLAccountOut, tags=["chart of accounts"],
        responses={409: PROBLEM, 422: PROBLEM}, dependencies=[requires("ledger:admin")]
    )
    async def create_account(
        body: GLAccountIn, request: Request, idempotency_key: Annotated[str | None, Header()] = None
    ) -> JSONResponse:
        async def action(uow: LedgerUnitOfWork) -> tuple[int, GLAccountOut]:
            account = await setup.create_account(uow, GLAccount(**body.model_dump()))
            return 201, GLAccountOut.model_validate(account)

        response = await runtime.post_once(request, idempotency_key, body, action)
        if response.headers.get("Idempotent-Replayed") is None:
            POSTINGS.labels("gl_account").inc()
        return response

    @router.get("/accounts", response_model=GLAccountPage, responses={400: PROBLEM}, tags=["chart of accounts"],
                dependencies=[requires("ledger:read")])
    async def list_accounts(
        cursor: str | None = None, limit: Annotated[int, Query(ge=1, le=1000)] = 100
    ) -> GLAccountPage:
        async with runtime.reading() as uow:
            found = await setup.list_accounts(uow, decode_cursor(cursor), limit + 1)
        page = [GLAccountOut.model_validate(account) for account in found[:limit]]
        return GLAccountPage(accounts=page, next_cursor=encode_cursor(page[-1].account_no) if len(found) > limit else None)

    @router.get("/accounts/{account_no}", response_model=GLAccountOut, tags=["chart of accounts"], responses={404: PROBLEM},
                dependencies=[requires("ledger:read")])
    async def get_account(account_no: str) -> GLAccountOut:
        async with runtime.reading() as uow:
            return GLAccountOut.model_validate(await setup.get_account(uow, account_no))

    @router.put(
        "/accounts/{account_no}", response_model=GLAccountSaved, tags=["chart of accounts"], responses={404: PROBLEM},
        dependencies=[requires("ledger:admin")]
    )
    async def update_account(account_no: str, body: GLAccountCard) -> GLAccountSaved:
        """Change an account's card. Unblocking an account posts the value entries that waited for it."""
        account = GLAccount(account_no=account_no, **body.model_dump())
        async with runtime.unit_of_work() as uow:
            summary = await setup.update_account(uow, account)
        PENDING_VALUE_ENTRIES.set(summary.pending_total)
        return GLAccountSaved(**asdict(account), posted_value_entry_nos=summary.posted)

    @router.get(
        "/inventory-posting-setup/{location_code}/{inventory_posting_group}",
        response_model=InventoryPostingSetupOut, tags=["posting setup"], responses={404: PROBLEM},
        dependencies=[requires("ledger:read")]
    )
    @router.get(
        "/inventory-posting-setup", response_model=InventoryPostingSetupOut, tags=["posting setup"],
        responses={404: PROBLEM}, dependencies=[requires("ledger:read")]
    )
    async def get_inventory_posting_setup(location_code: str, inventory_posting_group: str) -> InventoryPostingSetupOut:
        async with runtime.reading() as uow:
            found = await setup.get_inventory_posting_setup(uow, (location_code, inventory_posting_group))
        return InventoryPostingSetupOut(
            location_code=location_code, inventory_posting_group=inventory_posting_group, **asdict(found)
        )

    @router.put(
        "/inventory-posting-setup/{location_code}/{inventory_posting_group}",
        response_model=InventoryPostingSetupSaved, tags=["posting setup"], responses={422: PROBLEM},
        dependencies=[requires("ledger:admin")]
    )
    @router.put(
        "/inventory-posting-setup", response_model=InventoryPostingSetupSaved, tags=["posting setup"],
        responses={422: PROBLEM}, dependencies=[requires("ledger:admin")]
    )
    async def put_inventory_posting_setup(
        location_code: str, inventory_posting_group: str, body: InventoryPostingSetupIn
    ) -> InventoryPostingSetupSaved:
        """Create or replace the accounts of a location and inventory posting group; waiting value entries post."""
        key = (_code("location_code", location_code), _code("inventory_posting_group", inventory_posting_group, blank=False))
        async with runtime.unit_of_work() as uow:
            summary = await setup.put_inventory_posting_setup(uow, key, InventoryPostingSetup(**body.model_dump()))
        PENDING_VALUE_ENTRIES.set(summary.pending_total)
        return InventoryPostingSetupSaved(
            location_code=location_code, inventory_posting_group=inventory_posting_group,
            **body.model_dump(), posted_value_entry_nos=summary.posted,
        )

    @router.get(
        "/general-posting-setup/{gen_bus_posting_group}/{gen_prod_posting_group}",
        response_model=GeneralPostingSetupOut, tags=["posting setup"], responses={404: PROBLEM},
        dependencies=[requires("ledger:read")]
    )
    @router.get(
        "/general-posting-setup", response_model=GeneralPostingSetupOut, tags=["posting setup"],
        responses={404: PROBLEM}, dependencies=[requires("ledger:read")]
    )
    async def get_general_posting_setup(gen_bus_posting_group: str, gen_prod_posting_group: str) -> GeneralPostingSetupOut:
        async with runtime.reading() as uow:
            found = await setup.get_general_posting_setup(uow, (gen_bus_posting_group, gen_prod_posting_group))
        return GeneralPostingSetupOut(
            gen_bus_posting_group=gen_bus_posting_group, gen_prod_posting_group=gen_prod_posting_group, **asdict(found)
        )

    @router.put(
        "/general-posting-setup/{gen_bus_posting_group}/{gen_prod_posting_group}",
        response_model=GeneralPostingSetupSaved, tags=["posting setup"], responses={422: PROBLEM},
        dependencies=[requires("ledger:admin")]
    )
    @router.put(
        "/general-posting-setup", response_model=GeneralPostingSetupSaved, tags=["posting setup"],
        responses={422: PROBLEM}, dependencies=[requires("ledger:admin")]
    )
    async def put_general_posting_setup(
        gen_bus_posting_group: str, gen_prod_posting_group: str, body: GeneralPostingSetupIn
    ) -> GeneralPostingSetupSaved:
        """Create or replace the accounts of a general posting group pair; waiting value entries post."""
        key = (
            _code("gen_bus_posting_group", gen_bus_posting_group),
            _code("gen_prod_posting_group", gen_prod_posting_group, blank=False),
        )
        async with runtime.unit_of_work() as uow:
            summary = await setup.put_general_posting_setup(uow, key, GeneralPostingSetup(**body.model_dump()))
        PENDING_VALUE_ENTRIES.set(summary.pending_total)
        return GeneralPostingSetupSaved(
            gen_bus_posting_group=gen_bus_posting_group, gen_prod_posting_group=gen_prod_posting_group,
            **body.model_dump(), posted_value_entry_nos=summary.posted,
        )

    @router.get("/gl-entries", response_model=GLEntryPage, responses={400: PROBLEM}, tags=["general ledger"],
                dependencies=[requires("ledger:read")])
    async def list_gl_entries(
        account_no: str | None = None,
        from_date: date | None = None,
        to_date: date | None = None,
        value_entry_no: int | None = None,
        cursor: str | None = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> GLEntryPage:
        async with runtime.reading() as uow:
            rows = await general_ledger.list_gl_entries(
                uow, account_no=account_no, from_date=from_date, to_date=to_date, value_entry_no=value_entry_no,
                after=decode_cursor(cursor), limit=limit + 1,
            )
        page = rows[:limit]
        return GLEntryPage(
            entries=[GLEntryOut(**asdict(row)) for row in page],
            next_cursor=encode_cursor(page[-1].entry_no) if len(rows) > limit else None,
        )

    @router.get("/trial-balance", response_model=TrialBalance, tags=["general ledger"],
                dependencies=[requires("ledger:read")])
    async def trial_balance(at: date | None = None) -> TrialBalance:
        """Debit, credit and balance per account over the entries posted on or before `at`."""
        async with runtime.reading() as uow:
            found = await general_ledger.trial_balance(uow, at)
        return TrialBalance(
            at=at,
            lines=[TrialBalanceLine(**asdict(line)) for line in found.lines],
            total_debit=found.total_debit,
            total_credit=found.total_credit,
        )

    @router.get("/reconciliation", response_model=ReconciliationOut, tags=["reconciliation"], responses={503: PROBLEM},
                dependencies=[requires("ledger:read")])
    async def get_reconciliation() -> ReconciliationOut:
        """Inventory value in costing next to the balance of each inventory (and interim) account, now.

        The same comparison runs continuously; a difference found once processing has caught up
        raises an event on ledger.reconciliation.v1 and sets the metric inventory_reconciliation_difference.
        """
        async with httpx.AsyncClient(timeout=10, auth=costing_auth) as client:
            found = await reconciliation.check(HttpInventoryValuation(client, costing_url), runtime.reading)
        return ReconciliationOut(
            caught_up=found.caught_up,
            costing_value_entries=found.costing_value_entries,
            ledger_value_entries=found.ledger_value_entries,
            pending_value_entries=found.pending_value_entries,
            lines=[ReconciliationLineOut(**asdict(line), difference=line.difference) for line in found.lines],
        )

    @router.get("/gl-setup", response_model=GLSetup, tags=["setup"], dependencies=[requires("ledger:read")])
    async def get_gl_setup() -> GLSetup:
        async with runtime.reading() as uow:
            return GLSetup(closed_through=await setup.get_closed_through(uow))

    @router.put("/gl-setup", response_model=GLSetup, tags=["setup"], dependencies=[requires("ledger:admin")])
    async def put_gl_setup(body: GLSetup) -> GLSetup:
        """Close the periods up to `closed_through` (a later date closes more, an earlier one or none reopens)."""
        async with runtime.unit_of_work() as uow:
            return GLSetup(closed_through=await setup.close_period(uow, body.closed_through))

    @router.get("/pending-value-entries", response_model=PendingValueEntryPage, responses={400: PROBLEM}, tags=["general ledger"],
                dependencies=[requires("ledger:read")])
    async def list_pending_value_entries(
        cursor: str | None = None, limit: Annotated[int, Query(ge=1, le=1000)] = 100
    ) -> PendingValueEntryPage:
        """Value entries waiting for their posting setup, with the reason."""
        async with runtime.reading() as uow:
            rows = await general_ledger.list_pending_value_entries(uow, decode_cursor(cursor), limit + 1)
        page = rows[:limit]
        return PendingValueEntryPage(
            pending_value_entries=[
                PendingValueEntryOut(
                    value_entry_no=row.value_entry_no, item_no=row.item_no, reason=row.reason,
                    received_at=row.received_at, value_entry=row.payload,
                )
                for row in page
            ],
            next_cursor=encode_cursor(page[-1].value_entry_no) if len(rows) > limit else None,
        )

    return router
