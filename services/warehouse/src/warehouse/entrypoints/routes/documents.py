"""Purchase and sales documents: receipts, shipments, returns, undos and invoices.

Each path's operation is named after the path (`name=`), as the OpenAPI operation ids have always been."""

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request
from fastapi.responses import JSONResponse

from servicekit.auth import requires
from servicekit.endpoints import Runtime

from warehouse.domain.documents import InvoiceLine, ReturnLine
from warehouse.entrypoints.mapping import PROBLEM, entry_out, journal_lines, line_no
from warehouse.entrypoints.schemas import (
    InvoiceIn,
    InvoiceLineOut,
    ItemJournalIn,
    PostedDocument,
    PostedInvoice,
    ReturnIn,
    UndoIn,
)
from warehouse.service_layer.documents import (
    post_invoice,
    post_receipt_or_shipment,
    post_return,
    undo_receipts_or_shipments,
)
from warehouse.service_layer.assembly import AssemblyUnitOfWork, post_sales_shipment
from warehouse.service_layer.unit_of_work import WarehouseUnitOfWork

router = APIRouter()

Handler = Callable[..., Any]


def _post(path: str, response_model: type, description: str | None = None) -> Callable[[Handler], Handler]:
    """Registers a document's operation; a receipt or shipment's description is its handler's docstring."""
    return router.post(path, status_code=201, response_model=response_model, tags=["documents"],
                       responses={409: PROBLEM, 422: PROBLEM}, name=path.strip("/"), description=description,
                       dependencies=[requires("inventory:post")])


def _receipt_or_shipment(path: str, purchase: bool, doc: str) -> None:
    async def post(body: ItemJournalIn, request: Request, runtime: Runtime,
                   idempotency_key: Annotated[str | None, Header()] = None) -> JSONResponse:
        lines = journal_lines(body)

        async def action(uow: AssemblyUnitOfWork) -> tuple[int, PostedDocument]:
            entries = await (post_receipt_or_shipment(uow, lines, purchase=True) if purchase
                             else post_sales_shipment(uow, lines))
            return 201, PostedDocument(document_no=body.document_no, entries=[entry_out(e) for e in entries])

        return await runtime.post_once(request, idempotency_key, body, action)

    post.__doc__ = doc
    _post(path, PostedDocument)(post)


def _returns(path: str, purchase: bool, doc: str) -> None:
    async def post(body: ReturnIn, request: Request, runtime: Runtime,
                   idempotency_key: Annotated[str | None, Header()] = None) -> JSONResponse:
        lines = [ReturnLine(line_no(l.line_no, i), l.entry_no, l.quantity) for i, l in enumerate(body.lines)]

        async def action(uow: WarehouseUnitOfWork) -> tuple[int, PostedDocument]:
            entries = await post_return(uow, body.document_no, body.posting_date, lines, purchase=purchase)
            return 201, PostedDocument(document_no=body.document_no, entries=[entry_out(e) for e in entries])

        return await runtime.post_once(request, idempotency_key, body, action)

    _post(path, PostedDocument, doc)(post)


def _undo(path: str, purchase: bool, doc: str) -> None:
    async def post(body: UndoIn, request: Request, runtime: Runtime,
                   idempotency_key: Annotated[str | None, Header()] = None) -> JSONResponse:
        async def action(uow: WarehouseUnitOfWork) -> tuple[int, PostedDocument]:
            entries = await undo_receipts_or_shipments(uow, body.entry_nos, purchase=purchase)
            return 201, PostedDocument(document_no=entries[0].document_no, entries=[entry_out(e) for e in entries])

        return await runtime.post_once(request, idempotency_key, body, action)

    _post(path, PostedDocument, doc)(post)


def _invoices(path: str, purchase: bool, doc: str) -> None:
    async def post(body: InvoiceIn, request: Request, runtime: Runtime,
                   idempotency_key: Annotated[str | None, Header()] = None) -> JSONResponse:
        lines = [InvoiceLine(line_no(l.line_no, i), l.entry_no, l.quantity, l.unit_cost, l.sales_amount)
                 for i, l in enumerate(body.lines)]

        async def action(uow: WarehouseUnitOfWork) -> tuple[int, PostedInvoice]:
            posted = await post_invoice(uow, body.document_no, body.posting_date, lines, purchase=purchase)
            return 201, PostedInvoice(document_no=body.document_no,
                                      lines=[InvoiceLineOut(**l.__dict__) for l in posted])

        return await runtime.post_once(request, idempotency_key, body, action)

    _post(path, PostedInvoice, doc)(post)


_receipt_or_shipment("/purchase-receipts", True, "Post a purchase receipt: Purchase lines with the order's (expected) "
                     "unit cost, valued at expected cost until invoiced.")
_receipt_or_shipment("/sales-shipments", False, "Post a sales shipment: Sale lines, valued at expected cost until "
                     "invoiced.")
_returns("/purchase-returns", True, "A purchase return: each line applies to the receipt entry it returns and "
         "takes that receipt's cost.")
_returns("/sales-returns", False, "A sales return: each line applies from the shipment entry it returns and takes "
         "that shipment's cost.")
_undo("/purchase-receipts/undo", True, "Undo receipt entries nothing of which is invoiced or applied: a correcting "
      "outbound entry applied to each, at its date, at its (expected) cost.")
_undo("/sales-shipments/undo", False, "Undo shipment entries nothing of which is invoiced: a correcting inbound "
      "entry applying from each, at its date, taking its cost.")
_invoices("/purchase-invoices", True, "Invoice (part of) purchase receipt entries at the actual direct unit cost; "
          "costing reverses the expected cost and posts the actual cost.")
_invoices("/sales-invoices", False, "Invoice (part of) sales shipment entries with their sales amount; costing "
          "turns the shipment's expected cost into actual cost.")
