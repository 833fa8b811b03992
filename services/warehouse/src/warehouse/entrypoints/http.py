"""HTTP routes of the warehouse."""

from datetime import date
from decimal import Decimal
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
    AlreadyExistsError,
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
from warehouse.domain.locations import Bin, Location
from warehouse.domain.model import JournalLine
from warehouse.domain.periods import PostingDates
from warehouse.entrypoints.schemas import (
    ApplicationOut,
    Availability,
    BinContent,
    BinContentList,
    BinIn,
    BinList,
    BinOut,
    DemandLine,
    InventoryPeriodIn,
    InventoryPeriodList,
    InventoryPeriodOut,
    LocationIn,
    LocationOut,
    LocationPage,
    ReservationEntryOut,
    ReservationIn,
    ReservationList,
    ReservationOut,
    InventorySetup,
    ItemJournalIn,
    ItemLedgerEntryOut,
    ItemLedgerEntryPage,
    LocationQuantity,
    PostedDocument,
    QuantityOnHand,
)
from warehouse.service_layer.periods import close_inventory_period, reopen_inventory_period
from warehouse.service_layer.posting import post_item_journal
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
                bin_code=line.bin_code,
                demand=Demand(line.source_type, line.source_id, line.source_line_no)
                if line.source_type is not None and line.source_id is not None else None,
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
            repository = WarehouseRepository(conn)
            dates = await repository.posting_dates()
            return InventorySetup(
                prevent_negative_inventory=await repository.prevent_negative_inventory_default(),
                allow_posting_from=dates.allow_posting_from,
                allow_posting_to=dates.allow_posting_to,
            )

    @router.put("/inventory-setup", response_model=InventorySetup, tags=["setup"], responses={422: PROBLEM})
    async def put_setup(body: InventorySetup) -> InventorySetup:
        """Replace the setup: negative inventory default and the allowed posting dates (null: no limit)."""
        async with runtime.pool.acquire() as conn, conn.transaction():
            repository = WarehouseRepository(conn)
            await repository.set_prevent_negative_inventory_default(body.prevent_negative_inventory)
            await repository.set_posting_dates(PostingDates(body.allow_posting_from, body.allow_posting_to))
        return body

    # locations and bins ------------------------------------------------------------------------

    @router.post("/locations", status_code=201, response_model=LocationOut, tags=["locations"],
                 responses={409: PROBLEM, 422: PROBLEM})
    async def create_location(
        body: LocationIn, request: Request, idempotency_key: Annotated[str | None, Header()] = None
    ) -> JSONResponse:
        """Create a location. The blank location '' needs no card and is always postable."""
        location = Location(**body.model_dump())
        location.check()

        async def action(conn: asyncpg.Connection) -> tuple[int, LocationOut]:
            await WarehouseRepository(conn).add_location(location)
            return 201, LocationOut(**location.__dict__)

        return await runtime.post_once(request, idempotency_key, body, action)

    @router.get("/locations", response_model=LocationPage, tags=["locations"])
    async def list_locations(
        cursor: str | None = None, limit: Annotated[int, Query(ge=1, le=1000)] = 100
    ) -> LocationPage:
        async with runtime.pool.acquire() as conn:
            found = await WarehouseRepository(conn).list_locations(decode_cursor(cursor), limit + 1)
        page = found[:limit]
        return LocationPage(
            locations=[LocationOut(**l.__dict__) for l in page],
            next_cursor=encode_cursor(page[-1].code) if len(found) > limit else None,
        )

    @router.get("/locations/{code}", response_model=LocationOut, tags=["locations"], responses={404: PROBLEM})
    async def get_location(code: str) -> LocationOut:
        async with runtime.pool.acquire() as conn:
            location = (await WarehouseRepository(conn).locations([code])).get(code)
        if location is None:
            raise NotFoundError(f"location {code} does not exist", location_code=code)
        return LocationOut(**location.__dict__)

    @router.post("/locations/{code}/bins", status_code=201, response_model=BinOut, tags=["locations"],
                 responses={404: PROBLEM, 409: PROBLEM, 422: PROBLEM})
    async def create_bin(
        code: str, body: BinIn, request: Request, idempotency_key: Annotated[str | None, Header()] = None
    ) -> JSONResponse:
        async def action(conn: asyncpg.Connection) -> tuple[int, BinOut]:
            repository = WarehouseRepository(conn)
            location = (await repository.locations([code])).get(code)
            if location is None:
                raise NotFoundError(f"location {code} does not exist", location_code=code)
            if location.use_as_in_transit:
                raise InvalidLocationError(f"location {code} is an in-transit location and has no bins", location_code=code)
            bin_ = Bin(code, body.code, body.description)
            await repository.add_bin(bin_)
            return 201, BinOut(**bin_.__dict__)

        return await runtime.post_once(request, idempotency_key, body, action)

    @router.get("/locations/{code}/bins", response_model=BinList, tags=["locations"], responses={404: PROBLEM})
    async def list_bins(code: str) -> BinList:
        async with runtime.pool.acquire() as conn:
            repository = WarehouseRepository(conn)
            if not await repository.locations([code]):
                raise NotFoundError(f"location {code} does not exist", location_code=code)
            bins = (await repository.bins([code])).get(code, [])
        return BinList(bins=[BinOut(**b.__dict__) for b in bins])

    @router.get("/bin-contents", response_model=BinContentList, tags=["locations"])
    async def bin_contents(
        item_no: str | None = None, location_code: str | None = None, bin_code: str | None = None
    ) -> BinContentList:
        """Quantity per bin and item (and variant), from the item ledger entries posted with a bin; empty bins omitted."""
        async with runtime.pool.acquire() as conn:
            rows = await WarehouseRepository(conn).bin_contents(item_no, location_code, bin_code)
        return BinContentList(bin_contents=[BinContent(**dict(r)) for r in rows])

    # inventory periods -------------------------------------------------------------------------

    @router.get("/inventory-periods", response_model=InventoryPeriodList, tags=["setup"])
    async def list_periods() -> InventoryPeriodList:
        async with runtime.pool.acquire() as conn:
            periods = await WarehouseRepository(conn).inventory_periods(for_change=False)
        return InventoryPeriodList(periods=[InventoryPeriodOut(**p.__dict__) for p in periods])

    @router.post("/inventory-periods/{ending_date}/close", response_model=InventoryPeriodOut, tags=["setup"],
                 responses={409: PROBLEM})
    async def close_period(
        ending_date: date, body: InventoryPeriodIn, request: Request,
        idempotency_key: Annotated[str | None, Header()] = None,
    ) -> JSONResponse:
        """Close the inventory period ending on that date (created if new): no posting dated in it is accepted.

        Periods close in date order, and not while an outbound entry in them waits for stock."""
        async def action(conn: asyncpg.Connection) -> tuple[int, InventoryPeriodOut]:
            period = await close_inventory_period(conn, ending_date, body.name)
            return 200, InventoryPeriodOut(**period.__dict__)

        return await runtime.post_once(request, idempotency_key, body, action)

    @router.post("/inventory-periods/{ending_date}/reopen", response_model=InventoryPeriodOut, tags=["setup"],
                 responses={409: PROBLEM})
    async def reopen_period(
        ending_date: date, request: Request, idempotency_key: Annotated[str | None, Header()] = None
    ) -> JSONResponse:
        """Reopen the inventory period ending on that date; periods reopen from the latest back."""
        async def action(conn: asyncpg.Connection) -> tuple[int, InventoryPeriodOut]:
            period = await reopen_inventory_period(conn, ending_date)
            return 200, InventoryPeriodOut(**period.__dict__)

        return await runtime.post_once(request, idempotency_key, InventoryPeriodIn(), action)

    # reservations and availability -------------------------------------------------------------

    @router.post("/reservations", status_code=201, response_model=ReservationOut, tags=["reservations"],
                 responses={409: PROBLEM, 422: PROBLEM})
    async def create_reservation(
        body: ReservationIn, request: Request, idempotency_key: Annotated[str | None, Header()] = None
    ) -> JSONResponse:
        """Reserve on-hand stock at a location for a demand line. Reserved stock is not available to other demand;
        a sale that names the demand line (source_type, source_id, source_line_no) consumes it."""
        demand = Demand(body.source_type, body.source_id, body.source_line_no)

        async def action(conn: asyncpg.Connection) -> tuple[int, ReservationOut]:
            made = await reserve(conn, demand, body.item_no, body.variant_code, body.location_code, body.quantity)
            return 201, _reservation_out(demand, made)

        return await runtime.post_once(request, idempotency_key, body, action)

    @router.post("/reservations/cancel", response_model=ReservationOut, tags=["reservations"])
    async def cancel(
        body: DemandLine, request: Request, idempotency_key: Annotated[str | None, Header()] = None
    ) -> JSONResponse:
        """Cancel what is still reserved for the demand line (nothing to cancel is not an error)."""
        demand = Demand(body.source_type, body.source_id, body.source_line_no)

        async def action(conn: asyncpg.Connection) -> tuple[int, ReservationOut]:
            return 200, _reservation_out(demand, await cancel_reservation(conn, demand))

        return await runtime.post_once(request, idempotency_key, body, action)

    @router.get("/reservations", response_model=ReservationList, tags=["reservations"])
    async def list_reservations(
        item_no: str | None = None, source_type: str | None = None, source_id: str | None = None,
        include_closed: bool = False,
    ) -> ReservationList:
        async with runtime.pool.acquire() as conn:
            found = await WarehouseRepository(conn).list_reservations(item_no, source_type, source_id, include_closed)
        return ReservationList(entries=[_entry_out(r) for r in found])

    @router.get("/items/{item_no}/availability", response_model=Availability, tags=["reservations"],
                responses={404: PROBLEM})
    async def availability(
        item_no: str, location_code: str | None = None, on_date: Annotated[date | None, Query(alias="date")] = None
    ) -> Availability:
        """Inventory, reservations and projected available balance of an item, optionally at one location and up to
        a date. Scheduled receipts are 0 and gross requirement is the reservations' demand until purchase orders,
        sales orders and transfer orders exist."""
        async with runtime.pool.acquire() as conn:
            repository = WarehouseRepository(conn)
            if await repository.get_item(item_no) is None:
                raise NotFoundError(f"item {item_no} is unknown to the warehouse", item_no=item_no)
            row = await repository.availability(item_no, location_code, on_date)
        scheduled_receipts = Decimal(0)
        gross_requirement = row["reserved"]
        return Availability(
            item_no=item_no,
            location_code=location_code,
            as_of=on_date,
            inventory=row["inventory"],
            in_transit=row["in_transit"],
            reserved=row["reserved"],
            available_inventory=row["inventory"] - row["in_transit"] - row["reserved"],
            gross_requirement=gross_requirement,
            scheduled_receipts=scheduled_receipts,
            projected_available_balance=row["inventory"] + scheduled_receipts - gross_requirement,
        )

    return router


def _entry_out(r: ReservationEntry) -> ReservationEntryOut:
    assert r.id is not None
    return ReservationEntryOut(
        id=r.id, source_type=r.demand.source_type, source_id=r.demand.source_id, source_line_no=r.demand.source_line_no,
        item_no=r.key[0], variant_code=r.key[1], location_code=r.key[2], item_ledger_entry_no=r.item_ledger_entry_no,
        quantity=r.quantity, remaining_quantity=r.remaining_quantity, status=r.status,
    )


def _reservation_out(demand: Demand, entries: list[ReservationEntry]) -> ReservationOut:
    return ReservationOut(
        source_type=demand.source_type, source_id=demand.source_id, source_line_no=demand.source_line_no,
        quantity=sum((r.remaining_quantity for r in entries), Decimal(0)), entries=[_entry_out(r) for r in entries],
    )
