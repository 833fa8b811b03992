"""HTTP routes of the warehouse."""

from datetime import date
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import JSONResponse

from servicekit.auth import requires
from servicekit.uow import UnitOfWork
from servicekit.errors import NotFoundError
from servicekit.metrics import POSTINGS
from servicekit.pagination import decode_cursor, encode_cursor
from servicekit.runtime import ServiceRuntime

from warehouse.adapters.repository import WarehouseRepository
from warehouse.domain.errors import (
    AlreadyExistsError,
    AverageCostSetupFixedError,
    DocumentStateError,
    ExpiredError,
    InvalidAvailabilityQueryError,
    InvalidDocumentError,
    ItemTrackingError,
    SerialNoInStockError,
    TrackingNotInStockError,
    UnknownUnitOfMeasureError,
    UnknownVariantError,
    BinRequiredError,
    InsufficientBinContentError,
    InsufficientInventoryError,
    InTransitLocationError,
    InvalidJournalLineError,
    InvalidLocationError,
    InventoryPeriodChangeError,
    InventoryPeriodClosedError,
    ItemBlockedError,
    NotAnInventoryItemError,
    PostingDateNotAllowedError,
    UnknownBinError,
    UnknownItemError,
    UnknownLocationError,
)
from warehouse.domain.ledger_state import Demand, ReservationEntry
from warehouse.domain.model import ItemLedgerEntry, JournalLine
from warehouse.domain.reclassification import ReclassLine, ReclassTracking
from warehouse.domain.tracing import TraceDirection
from warehouse.domain.tracking import TrackingLine
from warehouse.entrypoints.schemas import (
    ApplicationOut,
    DemandLine,
    InventoryPeriodIn,
    ReservationEntryOut,
    ReservationIn,
    ReservationList,
    ReservationOut,
    ItemJournalIn,
    ItemTracing,
    ReclassificationJournalIn,
    TracedEntryOut,
    ReceiptIn,
    ShipmentIn,
    TransferOrderIn,
    TransferOrderLineOut,
    TransferOrderOut,
    TransferPosting,
    ItemLedgerEntryOut,
    ItemLedgerEntryPage,
    LocationQuantity,
    PostedDocument,
    QuantityOnHand,
    InvoiceIn,
    InvoiceLineOut,
    PostedInvoice,
    ReturnIn,
    UndoIn,
)
from warehouse.service_layer.posting import post_item_journal
from warehouse.domain.documents import InvoiceLine, ReturnLine
from warehouse.service_layer.documents import post_invoice, post_receipt_or_shipment, post_return
from warehouse.service_layer.reclassification import post_reclassification
from warehouse.service_layer.tracing import trace_item
from warehouse.service_layer.transfers import (
    NewTransferLine,
    ReceiveLine,
    ShipLine,
    create_transfer_order,
    receive_transfer,
    ship_transfer,
    undo_transfer_shipment,
)
from warehouse.domain.transfers import TransferOrder
from warehouse.service_layer.reservations import cancel_reservation, reserve

PROBLEM = {"content": {"application/problem+json": {}}}

DOMAIN_ERRORS = {
    InsufficientInventoryError: (409, "insufficient-inventory", "Insufficient inventory"),
    UnknownItemError: (422, "unknown-item", "Unknown item"),
    ItemBlockedError: (422, "item-blocked", "Item blocked"),
    NotAnInventoryItemError: (422, "not-an-inventory-item", "Not an inventory item"),
    InvalidJournalLineError: (422, "invalid-journal-line", "Invalid journal line"),
    UnknownLocationError: (422, "unknown-location", "Unknown location"),
    InTransitLocationError: (422, "in-transit-location", "In-transit location"),
    BinRequiredError: (422, "bin-required", "Bin required"),
    UnknownBinError: (422, "unknown-bin", "Unknown bin"),
    InsufficientBinContentError: (409, "insufficient-bin-content", "Insufficient bin content"),
    PostingDateNotAllowedError: (422, "posting-date-not-allowed", "Posting date not allowed"),
    InventoryPeriodClosedError: (422, "inventory-period-closed", "Inventory period closed"),
    InventoryPeriodChangeError: (409, "inventory-period-change-refused", "Inventory period change refused"),
    InvalidLocationError: (422, "invalid-location", "Invalid location"),
    AlreadyExistsError: (409, "already-exists", "Already exists"),
    UnknownVariantError: (422, "unknown-variant", "Unknown variant"),
    UnknownUnitOfMeasureError: (422, "unknown-unit-of-measure", "Unknown unit of measure"),
    ItemTrackingError: (422, "item-tracking", "Item tracking refused"),
    SerialNoInStockError: (422, "serial-no-in-stock", "Serial number already in stock"),
    TrackingNotInStockError: (422, "tracking-not-in-stock", "Serial or lot number not in stock"),
    ExpiredError: (422, "expired", "Expired serial or lot number"),
    InvalidDocumentError: (422, "invalid-document", "Invalid document"),
    DocumentStateError: (409, "document-state", "Not allowed in the document's state"),
    InvalidAvailabilityQueryError: (422, "invalid-availability-query", "Invalid availability query"),
    AverageCostSetupFixedError: (409, "average-cost-setup-fixed", "Average cost setup fixed"),
}


def _tracking(parts: list) -> tuple[TrackingLine, ...]:  # type: ignore[type-arg]
    return tuple(TrackingLine(p.serial_no, p.lot_no, p.quantity if p.quantity is not None else Decimal(1),
                              p.expiration_date) for p in parts)


def order_out(order: TransferOrder) -> TransferOrderOut:
    return TransferOrderOut(**{k: v for k, v in order.__dict__.items() if k != "lines"},
                            lines=[TransferOrderLineOut(**l.__dict__) for l in order.lines])


def entry_out(entry: ItemLedgerEntry) -> ItemLedgerEntryOut:
    return ItemLedgerEntryOut(
        **{k: v for k, v in entry.__dict__.items() if k != "applications"},
        applications=[ApplicationOut(**a.__dict__) for a in entry.applications],
    )


def build_router(runtime: ServiceRuntime) -> APIRouter:
    router = APIRouter()

    @router.post(
        "/item-journal",
        status_code=201,
        response_model=PostedDocument,
        tags=["postings"],
        responses={409: PROBLEM, 422: PROBLEM}, dependencies=[requires("inventory:post")]
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
                bin_code=line.bin_code,
                demand=Demand(line.source_type, line.source_id, line.source_line_no)
                if line.source_type is not None and line.source_id is not None else None,
                unit_of_measure_code=line.unit_of_measure_code,
                tracking=_tracking(line.tracking),
                applies_to_entry=line.applies_to_entry,
            )
            for index, line in enumerate(body.lines)
        ]

        async def action(uow: UnitOfWork) -> tuple[int, PostedDocument]:
            conn = uow.conn
            entries = await post_item_journal(conn, lines)
            return 201, PostedDocument(document_no=body.document_no, entries=[entry_out(e) for e in entries])

        response = await runtime.post_once(request, idempotency_key, body, action)
        if response.status_code == 201 and response.headers.get("Idempotent-Replayed") is None:
            POSTINGS.labels("item_journal_line").inc(len(lines))
        return response

    # purchase and sales documents ------------------------------------------------------------

    def _journal_lines(body: ItemJournalIn) -> list[JournalLine]:
        return [
            JournalLine(
                item_no=line.item_no, entry_type=line.entry_type, quantity=line.quantity, posting_date=line.posting_date,
                location_code=line.location_code, document_no=body.document_no,
                line_no=line.line_no if line.line_no is not None else (index + 1) * 10000,
                variant_code=line.variant_code, unit_cost=line.unit_cost, bin_code=line.bin_code,
                demand=Demand(line.source_type, line.source_id, line.source_line_no)
                if line.source_type is not None and line.source_id is not None else None,
                unit_of_measure_code=line.unit_of_measure_code, tracking=_tracking(line.tracking),
                applies_to_entry=line.applies_to_entry,
            )
            for index, line in enumerate(body.lines)
        ]

    def _receipt_or_shipment(path: str, purchase: bool) -> None:
        @router.post(path, status_code=201, response_model=PostedDocument, tags=["documents"],
                     responses={409: PROBLEM, 422: PROBLEM}, name=path.strip("/"),
                     dependencies=[requires("inventory:post")])
        async def post(body: ItemJournalIn, request: Request,
                       idempotency_key: Annotated[str | None, Header()] = None) -> JSONResponse:
            lines = _journal_lines(body)

            async def action(uow: UnitOfWork) -> tuple[int, PostedDocument]:
                conn = uow.conn
                entries = await post_receipt_or_shipment(conn, lines, purchase=purchase)
                return 201, PostedDocument(document_no=body.document_no, entries=[entry_out(e) for e in entries])

            return await runtime.post_once(request, idempotency_key, body, action)

        post.__doc__ = (
            "Post a purchase receipt: Purchase lines with the order's (expected) unit cost, valued at expected cost "
            "until invoiced." if purchase else
            "Post a sales shipment: Sale lines, valued at expected cost until invoiced.")

    _receipt_or_shipment("/purchase-receipts", True)
    _receipt_or_shipment("/sales-shipments", False)

    def _returns(path: str, purchase: bool, doc: str) -> None:
        @router.post(path, status_code=201, response_model=PostedDocument, tags=["documents"],
                     responses={409: PROBLEM, 422: PROBLEM}, name=path.strip("/"), description=doc,
                     dependencies=[requires("inventory:post")])
        async def post(body: ReturnIn, request: Request,
                       idempotency_key: Annotated[str | None, Header()] = None) -> JSONResponse:
            lines = [ReturnLine(l.line_no if l.line_no is not None else (i + 1) * 10000, l.entry_no, l.quantity)
                     for i, l in enumerate(body.lines)]

            async def action(uow: UnitOfWork) -> tuple[int, PostedDocument]:
                conn = uow.conn
                entries = await post_return(conn, body.document_no, body.posting_date, lines, purchase=purchase)
                return 201, PostedDocument(document_no=body.document_no, entries=[entry_out(e) for e in entries])

            return await runtime.post_once(request, idempotency_key, body, action)

    _returns("/purchase-returns", True, "A purchase return: each line applies to the receipt entry it returns and "
             "takes that receipt's cost.")
    _returns("/sales-returns", False, "A sales return: each line applies from the shipment entry it returns and takes "
             "that shipment's cost.")

    def _undo(path: str, purchase: bool, doc: str) -> None:
        @router.post(path, status_code=201, response_model=PostedDocument, tags=["documents"],
                     responses={409: PROBLEM, 422: PROBLEM}, name=path.strip("/"), description=doc,
                     dependencies=[requires("inventory:post")])
        async def post(body: UndoIn, request: Request,
                       idempotency_key: Annotated[str | None, Header()] = None) -> JSONResponse:
            async def action(uow: UnitOfWork) -> tuple[int, PostedDocument]:
                conn = uow.conn
                rows = await WarehouseRepository(conn).entries_by_no(body.entry_nos)
                quantities = {r["entry_no"]: abs(r["quantity"]) for r in rows}
                lines = [ReturnLine(r["document_line_no"] if r else 0, no, quantities.get(no, Decimal(1)))
                         for no in body.entry_nos for r in [next((x for x in rows if x["entry_no"] == no), None)]]
                entries = await post_return(conn, "", date.min, lines, purchase=purchase, undo=True)
                return 201, PostedDocument(document_no=entries[0].document_no, entries=[entry_out(e) for e in entries])

            return await runtime.post_once(request, idempotency_key, body, action)

    _undo("/purchase-receipts/undo", True, "Undo receipt entries nothing of which is invoiced or applied: a correcting "
          "outbound entry applied to each, at its date, at its (expected) cost.")
    _undo("/sales-shipments/undo", False, "Undo shipment entries nothing of which is invoiced: a correcting inbound "
          "entry applying from each, at its date, taking its cost.")

    def _invoices(path: str, purchase: bool, doc: str) -> None:
        @router.post(path, status_code=201, response_model=PostedInvoice, tags=["documents"],
                     responses={409: PROBLEM, 422: PROBLEM}, name=path.strip("/"), description=doc,
                     dependencies=[requires("inventory:post")])
        async def post(body: InvoiceIn, request: Request,
                       idempotency_key: Annotated[str | None, Header()] = None) -> JSONResponse:
            lines = [InvoiceLine(l.line_no if l.line_no is not None else (i + 1) * 10000, l.entry_no, l.quantity,
                                 l.unit_cost, l.sales_amount) for i, l in enumerate(body.lines)]

            async def action(uow: UnitOfWork) -> tuple[int, PostedInvoice]:
                conn = uow.conn
                posted = await post_invoice(conn, body.document_no, body.posting_date, lines, purchase=purchase)
                return 201, PostedInvoice(document_no=body.document_no, lines=[InvoiceLineOut(**l.__dict__) for l in posted])

            return await runtime.post_once(request, idempotency_key, body, action)

    _invoices("/purchase-invoices", True, "Invoice (part of) purchase receipt entries at the actual direct unit cost; "
              "costing reverses the expected cost and posts the actual cost.")
    _invoices("/sales-invoices", False, "Invoice (part of) sales shipment entries with their sales amount; costing "
              "turns the shipment's expected cost into actual cost.")

    @router.post("/reclassification-journal", status_code=201, response_model=PostedDocument, tags=["postings"],
                 responses={409: PROBLEM, 422: PROBLEM}, dependencies=[requires("inventory:post")])
    async def post_reclass(
        body: ReclassificationJournalIn, request: Request, idempotency_key: Annotated[str | None, Header()] = None
    ) -> JSONResponse:
        """Move stock to a new location, bin, serial no., lot no. or expiration date. Each (tracking) line posts a
        Transfer pair: out of the old, into the new with `applies_from_entry` = the outbound entry, so it keeps its
        cost. Transfers never go negative."""
        lines = [
            ReclassLine(
                item_no=line.item_no, variant_code=line.variant_code, location_code=line.location_code,
                bin_code=line.bin_code,
                new_location_code=line.location_code if line.new_location_code is None else line.new_location_code,
                new_bin_code=line.new_bin_code if line.new_bin_code is not None
                else (line.bin_code if line.new_location_code in (None, line.location_code) else ""),
                quantity=line.quantity, posting_date=line.posting_date, document_no=body.document_no,
                line_no=line.line_no if line.line_no is not None else (index + 1) * 10000,
                unit_of_measure_code=line.unit_of_measure_code,
                tracking=tuple(ReclassTracking(t.serial_no, t.lot_no, t.quantity if t.quantity is not None else Decimal(1),
                                               t.new_serial_no, t.new_lot_no, t.new_expiration_date) for t in line.tracking),
            )
            for index, line in enumerate(body.lines)
        ]

        async def action(uow: UnitOfWork) -> tuple[int, PostedDocument]:
            conn = uow.conn
            entries = await post_reclassification(conn, lines)
            return 201, PostedDocument(document_no=body.document_no, entries=[entry_out(e) for e in entries])

        return await runtime.post_once(request, idempotency_key, body, action)

    # transfer orders ---------------------------------------------------------------------------

    @router.post("/transfer-orders", status_code=201, response_model=TransferOrderOut, tags=["transfers"],
                 responses={409: PROBLEM, 422: PROBLEM}, dependencies=[requires("inventory:post")])
    async def create_transfer(
        body: TransferOrderIn, request: Request, idempotency_key: Annotated[str | None, Header()] = None
    ) -> JSONResponse:
        """A transfer order between two locations, through an in-transit location unless direct."""
        lines = [NewTransferLine(l.line_no if l.line_no is not None else (i + 1) * 10000, l.item_no, l.variant_code,
                                 l.quantity, l.unit_of_measure_code) for i, l in enumerate(body.lines)]

        async def action(uow: UnitOfWork) -> tuple[int, TransferOrderOut]:
            conn = uow.conn
            order = await create_transfer_order(conn, body.no, body.transfer_from_code, body.transfer_to_code,
                                                body.in_transit_code, body.direct_transfer, lines)
            return 201, order_out(order)

        return await runtime.post_once(request, idempotency_key, body, action)

    @router.get("/transfer-orders/{no}", response_model=TransferOrderOut, tags=["transfers"], responses={404: PROBLEM},
                dependencies=[requires("inventory:read")])
    async def get_transfer(no: str) -> TransferOrderOut:
        async with runtime.pool.acquire() as conn:
            order = await WarehouseRepository(conn).transfer_order(no)
        if order is None:
            raise NotFoundError(f"transfer order {no} does not exist", order_no=no)
        return order_out(order)

    @router.post("/transfer-orders/{no}/ship", response_model=TransferPosting, tags=["transfers"],
                 responses={404: PROBLEM, 409: PROBLEM, 422: PROBLEM}, dependencies=[requires("inventory:post")])
    async def ship(
        no: str, body: ShipmentIn, request: Request, idempotency_key: Annotated[str | None, Header()] = None
    ) -> JSONResponse:
        """Ship (part of) lines: a Transfer pair out of the origin into the in-transit location (direct: into the
        destination, which also receives it). Tracking is fixed here. Transfers never go negative."""
        lines = [ShipLine(l.line_no, l.quantity, _tracking(l.tracking), l.bin_code, l.to_bin_code) for l in body.lines]

        async def action(uow: UnitOfWork) -> tuple[int, TransferPosting]:
            conn = uow.conn
            order, entries = await ship_transfer(conn, no, body.shipment_no, body.posting_date, lines)
            return 201, TransferPosting(order=order_out(order), entries=[entry_out(e) for e in entries])

        return await runtime.post_once(request, idempotency_key, body, action)

    @router.post("/transfer-orders/{no}/receive", response_model=TransferPosting, tags=["transfers"],
                 responses={404: PROBLEM, 409: PROBLEM, 422: PROBLEM}, dependencies=[requires("inventory:post")])
    async def receive(
        no: str, body: ReceiptIn, request: Request, idempotency_key: Annotated[str | None, Header()] = None
    ) -> JSONResponse:
        """Receive (part of) what is in transit: pairs out of the shipments' in-transit entries (oldest first, with
        the tracking fixed at shipment) into the destination."""
        lines = [ReceiveLine(l.line_no, l.quantity, l.bin_code) for l in body.lines]

        async def action(uow: UnitOfWork) -> tuple[int, TransferPosting]:
            conn = uow.conn
            order, entries = await receive_transfer(conn, no, body.receipt_no, body.posting_date, lines)
            return 201, TransferPosting(order=order_out(order), entries=[entry_out(e) for e in entries])

        return await runtime.post_once(request, idempotency_key, body, action)

    @router.post("/transfer-orders/{no}/shipments/{shipment_no}/undo", response_model=TransferPosting,
                 tags=["transfers"], responses={404: PROBLEM, 409: PROBLEM}, dependencies=[requires("inventory:post")])
    async def undo_shipment(
        no: str, shipment_no: str, request: Request, idempotency_key: Annotated[str | None, Header()] = None
    ) -> JSONResponse:
        """Undo a shipment nothing of which is received: correcting pairs out of in-transit back into the origin."""
        async def action(uow: UnitOfWork) -> tuple[int, TransferPosting]:
            conn = uow.conn
            order, entries = await undo_transfer_shipment(conn, no, shipment_no)
            return 201, TransferPosting(order=order_out(order), entries=[entry_out(e) for e in entries])

        return await runtime.post_once(request, idempotency_key, InventoryPeriodIn(), action)

    @router.get("/item-tracing", response_model=ItemTracing, tags=["item ledger"], responses={422: PROBLEM},
                dependencies=[requires("inventory:read")])
    async def item_tracing(
        serial_no: str = "", lot_no: str = "", item_no: str | None = None, direction: TraceDirection = TraceDirection.USAGE,
    ) -> ItemTracing:
        """Every entry that created, moved, sold or returned a serial or lot number: the entries carrying it, then
        level by level the entries linked to them by applications and applies-from links, towards usage (where it
        went) or origin (where it came from)."""
        if not serial_no and not lot_no:
            raise InvalidDocumentError("name a serial_no or a lot_no to trace")
        async with runtime.pool.acquire() as conn:
            traced = await trace_item(conn, direction, serial_no=serial_no, lot_no=lot_no, item_no=item_no)
        return ItemTracing(serial_no=serial_no, lot_no=lot_no, direction=str(direction), entries=[
            TracedEntryOut(**t.entry, level=t.level, traced_from=t.traced_from) for t in traced])

    @router.get("/item-ledger-entries", response_model=ItemLedgerEntryPage, responses={400: PROBLEM}, tags=["item ledger"],
                dependencies=[requires("inventory:read")])
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

    @router.get("/items/{item_no}/quantity-on-hand", response_model=QuantityOnHand, responses={404: PROBLEM}, tags=["item ledger"],
                dependencies=[requires("inventory:read")])
    async def quantity_on_hand(item_no: str) -> QuantityOnHand:
        async with runtime.pool.acquire() as conn:
            repository = WarehouseRepository(conn)
            if await repository.get_item(item_no) is None:
                raise NotFoundError(f"item {item_no} is unknown to the warehouse", item_no=item_no)
            rows = await repository.quantity_on_hand(item_no)
        locations = [LocationQuantity(**dict(row)) for row in rows]
        return QuantityOnHand(item_no=item_no, quantity=sum((l.quantity for l in locations), 0), locations=locations)

    # reservations and availability -------------------------------------------------------------

    @router.post("/reservations", status_code=201, response_model=ReservationOut, tags=["reservations"],
                 responses={409: PROBLEM, 422: PROBLEM}, dependencies=[requires("inventory:post")])
    async def create_reservation(
        body: ReservationIn, request: Request, idempotency_key: Annotated[str | None, Header()] = None
    ) -> JSONResponse:
        """Reserve on-hand stock at a location for a demand line. Reserved stock is not available to other demand;
        a sale that names the demand line (source_type, source_id, source_line_no) consumes it."""
        demand = Demand(body.source_type, body.source_id, body.source_line_no)

        async def action(uow: UnitOfWork) -> tuple[int, ReservationOut]:
            conn = uow.conn
            made = await reserve(conn, demand, body.item_no, body.variant_code, body.location_code, body.quantity,
                                 serial_no=body.serial_no, lot_no=body.lot_no)
            return 201, _reservation_out(demand, made)

        return await runtime.post_once(request, idempotency_key, body, action)

    @router.post("/reservations/cancel", response_model=ReservationOut, tags=["reservations"],
                 dependencies=[requires("inventory:post")])
    async def cancel(
        body: DemandLine, request: Request, idempotency_key: Annotated[str | None, Header()] = None
    ) -> JSONResponse:
        """Cancel what is still reserved for the demand line (nothing to cancel is not an error)."""
        demand = Demand(body.source_type, body.source_id, body.source_line_no)

        async def action(uow: UnitOfWork) -> tuple[int, ReservationOut]:
            conn = uow.conn
            return 200, _reservation_out(demand, await cancel_reservation(conn, demand))

        return await runtime.post_once(request, idempotency_key, body, action)

    @router.get("/reservations", response_model=ReservationList, tags=["reservations"],
                dependencies=[requires("inventory:read")])
    async def list_reservations(
        item_no: str | None = None, source_type: str | None = None, source_id: str | None = None,
        include_closed: bool = False,
    ) -> ReservationList:
        async with runtime.pool.acquire() as conn:
            found = await WarehouseRepository(conn).list_reservations(item_no, source_type, source_id, include_closed)
        return ReservationList(entries=[_entry_out(r) for r in found])

    return router


def _entry_out(r: ReservationEntry) -> ReservationEntryOut:
    assert r.id is not None
    return ReservationEntryOut(
        id=r.id, source_type=r.demand.source_type, source_id=r.demand.source_id, source_line_no=r.demand.source_line_no,
        item_no=r.key[0], variant_code=r.key[1], location_code=r.key[2], item_ledger_entry_no=r.item_ledger_entry_no,
        quantity=r.quantity, remaining_quantity=r.remaining_quantity, status=r.status, serial_no=r.serial_no,
        lot_no=r.lot_no,
    )


def _reservation_out(demand: Demand, entries: list[ReservationEntry]) -> ReservationOut:
    return ReservationOut(
        source_type=demand.source_type, source_id=demand.source_id, source_line_no=demand.source_line_no,
        quantity=sum((r.remaining_quantity for r in entries), Decimal(0)), entries=[_entry_out(r) for r in entries],
    )
