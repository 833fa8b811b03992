"""The chart of accounts."""

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import JSONResponse

from servicekit.auth import requires
from servicekit.endpoints import Runtime
from servicekit.metrics import POSTINGS
from servicekit.pagination import decode_cursor, paginate

from ledger.domain.model import GLAccount
from ledger.entrypoints.routes.common import PROBLEM, posted_pending
from ledger.entrypoints.schemas import GLAccountCard, GLAccountIn, GLAccountOut, GLAccountPage, GLAccountSaved
from ledger.service_layer import setup
from ledger.service_layer.unit_of_work import LedgerUnitOfWork

router = APIRouter(tags=["chart of accounts"])


@router.post(
    "/accounts", status_code=201, response_model=GLAccountOut, responses={409: PROBLEM, 422: PROBLEM},
    dependencies=[requires("ledger:admin")],
)
async def create_account(
    body: GLAccountIn, request: Request, runtime: Runtime, idempotency_key: Annotated[str | None, Header()] = None
) -> JSONResponse:
    async def action(uow: LedgerUnitOfWork) -> tuple[int, GLAccountOut]:
        account = await setup.create_account(uow, GLAccount(**body.model_dump()))
        return 201, GLAccountOut.model_validate(account)

    response = await runtime.post_once(request, idempotency_key, body, action)
    if response.headers.get("Idempotent-Replayed") is None:
        POSTINGS.labels("gl_account").inc()
    return response


@router.get("/accounts", response_model=GLAccountPage, responses={400: PROBLEM}, dependencies=[requires("ledger:read")])
async def list_accounts(
    runtime: Runtime, cursor: str | None = None, limit: Annotated[int, Query(ge=1, le=1000)] = 100
) -> GLAccountPage:
    async with runtime.reading() as uow:
        found = await setup.list_accounts(uow, decode_cursor(cursor), limit + 1)
    page, next_cursor = paginate(found, limit, lambda account: account.account_no)
    return GLAccountPage(accounts=[GLAccountOut.model_validate(account) for account in page], next_cursor=next_cursor)


@router.get(
    "/accounts/{account_no}", response_model=GLAccountOut, responses={404: PROBLEM}, dependencies=[requires("ledger:read")]
)
async def get_account(account_no: str, runtime: Runtime) -> GLAccountOut:
    async with runtime.reading() as uow:
        return GLAccountOut.model_validate(await setup.get_account(uow, account_no))


@router.put(
    "/accounts/{account_no}", response_model=GLAccountSaved, responses={404: PROBLEM},
    dependencies=[requires("ledger:admin")],
)
async def update_account(account_no: str, body: GLAccountCard, runtime: Runtime) -> GLAccountSaved:
    """Change an account's card. Unblocking an account posts the value entries that waited for it."""
    account = GLAccount(account_no=account_no, **body.model_dump())
    async with runtime.unit_of_work() as uow:
        summary = await setup.update_account(uow, account)
    return GLAccountSaved(**asdict(account), posted_value_entry_nos=posted_pending(summary))
