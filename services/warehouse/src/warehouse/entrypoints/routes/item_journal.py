"""The item journal and the reclassification journal."""

from typing import Annotated

from fastapi import APIRouter, Header, Request
from fastapi.responses import JSONResponse

from servicekit.auth import requires
from servicekit.endpoints import Runtime
from servicekit.metrics import POSTINGS

from warehouse.entrypoints.mapping import PROBLEM, entry_out, journal_lines, reclass_lines
from warehouse.entrypoints.schemas import ItemJournalIn, PostedDocument, ReclassificationJournalIn
from warehouse.service_layer.posting import post_item_journal
from warehouse.service_layer.reclassification import post_reclassification
from warehouse.service_layer.unit_of_work import WarehouseUnitOfWork

router = APIRouter()


@router.post("/item-journal", status_code=201, response_model=PostedDocument, tags=["postings"],
             responses={403: PROBLEM, 409: PROBLEM, 422: PROBLEM}, dependencies=[requires("inventory:post")])
async def post_journal(
    body: ItemJournalIn, request: Request, runtime: Runtime, idempotency_key: Annotated[str | None, Header()] = None
) -> JSONResponse:
    """Post item journal lines (purchase, sale, positive and negative adjustment) as one document."""
    lines = journal_lines(body)

    async def action(uow: WarehouseUnitOfWork) -> tuple[int, PostedDocument]:
        entries = await post_item_journal(uow, lines, responsibility_center=body.responsibility_center)
        return 201, PostedDocument(document_no=body.document_no, entries=[entry_out(e) for e in entries])

    response = await runtime.post_once(request, idempotency_key, body, action)
    if response.status_code == 201 and response.headers.get("Idempotent-Replayed") is None:
        POSTINGS.labels("item_journal_line").inc(len(lines))
    return response


@router.post("/reclassification-journal", status_code=201, response_model=PostedDocument, tags=["postings"],
             responses={403: PROBLEM, 409: PROBLEM, 422: PROBLEM}, dependencies=[requires("inventory:post")])
async def post_reclass(
    body: ReclassificationJournalIn, request: Request, runtime: Runtime,
    idempotency_key: Annotated[str | None, Header()] = None,
) -> JSONResponse:
    """Move stock to a new location, bin, serial no., lot no. or expiration date. Each (tracking) line posts a
    Transfer pair: out of the old, into the new with `applies_from_entry` = the outbound entry, so it keeps its
    cost. Transfers never go negative."""
    lines = reclass_lines(body)

    async def action(uow: WarehouseUnitOfWork) -> tuple[int, PostedDocument]:
        entries = await post_reclassification(uow, lines)
        return 201, PostedDocument(document_no=body.document_no, entries=[entry_out(e) for e in entries])

    return await runtime.post_once(request, idempotency_key, body, action)
