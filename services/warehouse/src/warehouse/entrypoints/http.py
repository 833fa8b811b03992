"""HTTP routes of the warehouse."""

from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import JSONResponse

from servicekit.auth import requires
from servicekit.uow import UnitOfWork
from servicekit.errors import NotFoundError
from servicekit.pagination import decode_cursor, encode_cursor
from servicekit.runtime import ServiceRuntime

from warehouse.adapters.repository import WarehouseRepository
from warehouse.domain.availability import PeriodType, figures, periods
from warehouse.domain.errors import InvalidAvailabilityQueryError, InvalidLocationError
from warehouse.domain.locations import Bin, Location
from warehouse.domain.periods import PostingDates
from warehouse.domain.periods import InventorySetup as DomainInventorySetup
from warehouse.entrypoints.mapping import entry_out
from warehouse.entrypoints.schemas import (
    Availability,
    AvailabilityByPeriod,
    AvailabilityPeriod,
    BinContent,
    BinContentList,
    BinIn,
    BinList,
    BinOut,
    InventoryPeriodIn,
    InventoryPeriodList,
    InventoryPeriodOut,
    LocationIn,
    LocationOut,
    LocationPage,
    InventorySetup,
    InventorySetupOut,
    FinishIn,
    PhysInvtLedgerEntryOut,
    PhysInvtLedgerEntryPage,
    PhysInvtOrderIn,
    PhysInvtOrderLineOut,
    PhysInvtOrderOut,
    PhysInvtPosting,
    RecordingIn,
)
from warehouse.service_layer.periods import change_inventory_setup, close_inventory_period, reopen_inventory_period
from warehouse.domain.physical_inventory import PhysInvtLedgerEntry, PhysInvtOrder, RecordedLine, Unrecorded
from warehouse.service_layer.physical_inventory import (
    calculate_lines,
    create_phys_invt_order,
    finish_order,
    post_order,
    record_counts,
)

PROBLEM = {"content": {"application/problem+json": {}}}


def _setup_out(setup: DomainInventorySetup, revision: int, closed: date | None) -> InventorySetupOut:
    return InventorySetupOut(
        prevent_negative_inventory=setup.prevent_negative_inventory,
        allow_posting_from=setup.dates.allow_posting_from,
        allow_posting_to=setup.dates.allow_posting_to,
        average_cost_period=setup.average_cost_period,
        average_cost_calc_type=setup.average_cost_calc_type,
        closed_through=closed,
        revision=revision,
    )


def phys_invt_order_out(order: PhysInvtOrder) -> PhysInvtOrderOut:
    return PhysInvtOrderOut(no=order.no, location_code=order.location_code, posting_date=order.posting_date,
                            item_nos=list(order.item_nos), bin_code=order.bin_code, status=str(order.status),
                            lines_calculated=order.lines_calculated,
                            lines=[PhysInvtOrderLineOut(**l.__dict__) for l in order.lines])


def phys_invt_ledger_out(entry: PhysInvtLedgerEntry) -> PhysInvtLedgerEntryOut:
    return PhysInvtLedgerEntryOut(**entry.__dict__)


def build_router(runtime: ServiceRuntime) -> APIRouter:
    router = APIRouter()

    # physical inventory ------------------------------------------------------------------------

    @router.post("/physical-inventory-orders", status_code=201, response_model=PhysInvtOrderOut,
                 tags=["physical inventory"], responses={409: PROBLEM, 422: PROBLEM},
                 dependencies=[requires("inventory:post")])
    async def create_phys_invt(
        body: PhysInvtOrderIn, request: Request, idempotency_key: Annotated[str | None, Header()] = None
    ) -> JSONResponse:
        """A physical inventory order for a location (optionally some items, one bin); then calculate its lines."""
        async def action(uow: UnitOfWork) -> tuple[int, PhysInvtOrderOut]:
            conn = uow.conn
            order = await create_phys_invt_order(conn, body.no, body.location_code, body.posting_date, body.item_nos,
                                                 body.bin_code)
            return 201, phys_invt_order_out(order)

        return await runtime.post_once(request, idempotency_key, body, action)

    @router.get("/physical-inventory-orders/{no}", response_model=PhysInvtOrderOut, tags=["physical inventory"],
                responses={404: PROBLEM}, dependencies=[requires("inventory:read")])
    async def get_phys_invt(no: str) -> PhysInvtOrderOut:
        async with runtime.pool.acquire() as conn:
            order = await WarehouseRepository(conn).phys_invt_order(no)
        if order is None:
            raise NotFoundError(f"physical inventory order {no} does not exist", order_no=no)
        return phys_invt_order_out(order)

    @router.post("/physical-inventory-orders/{no}/calculate-lines", response_model=PhysInvtOrderOut,
                 tags=["physical inventory"], responses={404: PROBLEM, 409: PROBLEM},
                 dependencies=[requires("inventory:post")])
    async def calculate_phys_invt(
        no: str, request: Request, idempotency_key: Annotated[str | None, Header()] = None
    ) -> JSONResponse:
        """Fill the lines with the expected quantity per item, variant, bin, lot and serial at the order's location,
        from the item ledger as of the posting date. Allowed again (replacing the lines) until something is recorded."""
        async def action(uow: UnitOfWork) -> tuple[int, PhysInvtOrderOut]:
            conn = uow.conn
            return 200, phys_invt_order_out(await calculate_lines(conn, no))

        return await runtime.post_once(request, idempotency_key, InventoryPeriodIn(), action)

    @router.post("/physical-inventory-orders/{no}/recordings", status_code=201, response_model=PhysInvtOrderOut,
                 tags=["physical inventory"], responses={404: PROBLEM, 409: PROBLEM, 422: PROBLEM},
                 dependencies=[requires("inventory:post")])
    async def record_phys_invt(
        no: str, body: RecordingIn, request: Request, idempotency_key: Annotated[str | None, Header()] = None
    ) -> JSONResponse:
        """Record counted quantities. Each order line is recorded once across all recordings (again: 409); a line
        for an unexpected item, lot, serial or bin is added with expected quantity 0."""
        recorded = [RecordedLine(l.quantity, l.line_no, l.item_no, l.variant_code, l.bin_code, l.lot_no, l.serial_no,
                                 l.expiration_date) for l in body.lines]

        async def action(uow: UnitOfWork) -> tuple[int, PhysInvtOrderOut]:
            conn = uow.conn
            return 201, phys_invt_order_out(await record_counts(conn, no, body.recording_no, recorded))

        return await runtime.post_once(request, idempotency_key, body, action)

    @router.post("/physical-inventory-orders/{no}/finish", response_model=PhysInvtOrderOut,
                 tags=["physical inventory"], responses={404: PROBLEM, 409: PROBLEM},
                 dependencies=[requires("inventory:post")])
    async def finish_phys_invt(
        no: str, body: FinishIn, request: Request, idempotency_key: Annotated[str | None, Header()] = None
    ) -> JSONResponse:
        """Finish counting: every line recorded, or the unrecorded ones set to zero or to the expected quantity."""
        async def action(uow: UnitOfWork) -> tuple[int, PhysInvtOrderOut]:
            conn = uow.conn
            return 200, phys_invt_order_out(await finish_order(conn, no, Unrecorded(body.unrecorded)))

        return await runtime.post_once(request, idempotency_key, body, action)

    @router.post("/physical-inventory-orders/{no}/post", status_code=201, response_model=PhysInvtPosting,
                 tags=["physical inventory"], responses={404: PROBLEM, 409: PROBLEM, 422: PROBLEM},
                 dependencies=[requires("inventory:post")])
    async def post_phys_invt(
        no: str, request: Request, idempotency_key: Annotated[str | None, Header()] = None
    ) -> JSONResponse:
        """Post a finished order: each difference a Positive Adjmt. (no unit cost: costing values it at the item's
        unit cost) or Negative Adjmt., and a physical inventory ledger entry per line. All or nothing; a posted
        order cannot change."""
        async def action(uow: UnitOfWork) -> tuple[int, PhysInvtPosting]:
            conn = uow.conn
            order, entries, ledger = await post_order(conn, no)
            return 201, PhysInvtPosting(order=phys_invt_order_out(order), entries=[entry_out(e) for e in entries],
                                        physical_inventory_ledger_entries=[phys_invt_ledger_out(p) for p in ledger])

        return await runtime.post_once(request, idempotency_key, InventoryPeriodIn(), action)

    @router.get("/physical-inventory-ledger-entries", response_model=PhysInvtLedgerEntryPage, responses={400: PROBLEM},
                tags=["physical inventory"], dependencies=[requires("inventory:read")])
    async def list_phys_invt_ledger(
        item_no: str | None = None, order_no: str | None = None, cursor: str | None = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> PhysInvtLedgerEntryPage:
        async with runtime.pool.acquire() as conn:
            found = await WarehouseRepository(conn).list_phys_invt_ledger_entries(
                item_no, order_no, decode_cursor(cursor), limit + 1)
        page = found[:limit]
        return PhysInvtLedgerEntryPage(entries=[phys_invt_ledger_out(e) for e in page],
                                       next_cursor=encode_cursor(page[-1].entry_no) if len(found) > limit else None)

    @router.get("/inventory-setup", response_model=InventorySetupOut, tags=["setup"],
                dependencies=[requires("inventory:read")])
    async def get_setup() -> InventorySetupOut:
        async with runtime.pool.acquire() as conn:
            setup, revision, closed = await WarehouseRepository(conn).inventory_setup_as_published()
        return _setup_out(setup, revision, closed)

    @router.put("/inventory-setup", response_model=InventorySetupOut, tags=["setup"], responses={409: PROBLEM, 422: PROBLEM},
                dependencies=[requires("inventory:admin")])
    async def put_setup(body: InventorySetup) -> InventorySetupOut:
        """Replace the setup: negative inventory default, allowed posting dates (null: no limit) and the
        average-cost period and calculation type (null: unchanged; fixed once item ledger entries exist).
        A change is published whole on warehouse.inventory-setup.v1 for the other services."""
        async with runtime.pool.acquire() as conn, conn.transaction():
            setup, revision, closed = await change_inventory_setup(
                conn, body.prevent_negative_inventory, PostingDates(body.allow_posting_from, body.allow_posting_to),
                body.average_cost_period, body.average_cost_calc_type,
            )
        return _setup_out(setup, revision, closed)

    # locations and bins ------------------------------------------------------------------------

    @router.post("/locations", status_code=201, response_model=LocationOut, tags=["locations"],
                 responses={409: PROBLEM, 422: PROBLEM}, dependencies=[requires("inventory:post")])
    async def create_location(
        body: LocationIn, request: Request, idempotency_key: Annotated[str | None, Header()] = None
    ) -> JSONResponse:
        """Create a location. The blank location '' needs no card and is always postable."""
        location = Location(**body.model_dump())
        location.check()

        async def action(uow: UnitOfWork) -> tuple[int, LocationOut]:
            conn = uow.conn
            await WarehouseRepository(conn).add_location(location)
            return 201, LocationOut(**location.__dict__)

        return await runtime.post_once(request, idempotency_key, body, action)

    @router.get("/locations", response_model=LocationPage, responses={400: PROBLEM}, tags=["locations"],
                dependencies=[requires("inventory:read")])
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

    @router.get("/locations/{code}", response_model=LocationOut, tags=["locations"], responses={404: PROBLEM},
                dependencies=[requires("inventory:read")])
    async def get_location(code: str) -> LocationOut:
        async with runtime.pool.acquire() as conn:
            location = (await WarehouseRepository(conn).locations([code])).get(code)
        if location is None:
            raise NotFoundError(f"location {code} does not exist", location_code=code)
        return LocationOut(**location.__dict__)

    @router.post("/locations/{code}/bins", status_code=201, response_model=BinOut, tags=["locations"],
                 responses={404: PROBLEM, 409: PROBLEM, 422: PROBLEM}, dependencies=[requires("inventory:post")])
    async def create_bin(
        code: str, body: BinIn, request: Request, idempotency_key: Annotated[str | None, Header()] = None
    ) -> JSONResponse:
        async def action(uow: UnitOfWork) -> tuple[int, BinOut]:
            conn = uow.conn
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

    @router.get("/locations/{code}/bins", response_model=BinList, tags=["locations"], responses={404: PROBLEM},
                dependencies=[requires("inventory:read")])
    async def list_bins(code: str) -> BinList:
        async with runtime.pool.acquire() as conn:
            repository = WarehouseRepository(conn)
            if not await repository.locations([code]):
                raise NotFoundError(f"location {code} does not exist", location_code=code)
            bins = (await repository.bins([code])).get(code, [])
        return BinList(bins=[BinOut(**b.__dict__) for b in bins])

    @router.get("/bin-contents", response_model=BinContentList, tags=["locations"],
                dependencies=[requires("inventory:read")])
    async def bin_contents(
        item_no: str | None = None, location_code: str | None = None, bin_code: str | None = None
    ) -> BinContentList:
        """Quantity per bin and item (and variant), from the item ledger entries posted with a bin; empty bins omitted."""
        async with runtime.pool.acquire() as conn:
            rows = await WarehouseRepository(conn).bin_contents(item_no, location_code, bin_code)
        return BinContentList(bin_contents=[BinContent(**dict(r)) for r in rows])

    # inventory periods -------------------------------------------------------------------------

    @router.get("/inventory-periods", response_model=InventoryPeriodList, tags=["setup"],
                dependencies=[requires("inventory:read")])
    async def list_periods() -> InventoryPeriodList:
        async with runtime.pool.acquire() as conn:
            periods = await WarehouseRepository(conn).inventory_periods(for_change=False)
        return InventoryPeriodList(periods=[InventoryPeriodOut(**p.__dict__) for p in periods])

    @router.post("/inventory-periods/{ending_date}/close", response_model=InventoryPeriodOut, tags=["setup"],
                 responses={409: PROBLEM}, dependencies=[requires("inventory:admin")])
    async def close_period(
        ending_date: date, body: InventoryPeriodIn, request: Request,
        idempotency_key: Annotated[str | None, Header()] = None,
    ) -> JSONResponse:
        """Close the inventory period ending on that date (created if new): no posting dated in it is accepted.

        Periods close in date order, and not while an outbound entry in them waits for stock."""
        async def action(uow: UnitOfWork) -> tuple[int, InventoryPeriodOut]:
            conn = uow.conn
            period = await close_inventory_period(conn, ending_date, body.name)
            return 200, InventoryPeriodOut(**period.__dict__)

        return await runtime.post_once(request, idempotency_key, body, action)

    @router.post("/inventory-periods/{ending_date}/reopen", response_model=InventoryPeriodOut, tags=["setup"],
                 responses={409: PROBLEM}, dependencies=[requires("inventory:admin")])
    async def reopen_period(
        ending_date: date, request: Request, idempotency_key: Annotated[str | None, Header()] = None
    ) -> JSONResponse:
        """Reopen the inventory period ending on that date; periods reopen from the latest back."""
        async def action(uow: UnitOfWork) -> tuple[int, InventoryPeriodOut]:
            conn = uow.conn
            period = await reopen_inventory_period(conn, ending_date)
            return 200, InventoryPeriodOut(**period.__dict__)

        return await runtime.post_once(request, idempotency_key, InventoryPeriodIn(), action)

    # availability ------------------------------------------------------------------------------

    @router.get("/items/{item_no}/availability", response_model=Availability | AvailabilityByPeriod,
                tags=["reservations"], responses={404: PROBLEM, 422: PROBLEM},
                dependencies=[requires("inventory:read")])
    async def availability(
        item_no: str,
        location_code: str | None = None,
        on_date: Annotated[date | None, Query(alias="date")] = None,
        period: PeriodType | None = None,
        from_date: Annotated[date | None, Query(alias="from")] = None,
        to_date: Annotated[date | None, Query(alias="to")] = None,
    ) -> Availability | AvailabilityByPeriod:
        """Inventory, reservations and projected available balance of an item, optionally at one location and up to
        a date. In-transit stock counts in `in_transit`, at neither end. With a location filter, open transfer
        order lines count as gross requirement (from) and scheduled receipts (to).

        With `period` (day, week or month) and `from` / `to` dates: one row per calendar period from the one holding
        `from` to the one holding `to`, with the figures as of the period's end."""
        if period is None and (from_date is not None or to_date is not None):
            raise InvalidAvailabilityQueryError("'from' and 'to' go with 'period' (day, week or month)")
        if period is not None and (from_date is None or to_date is None or on_date is not None):
            raise InvalidAvailabilityQueryError("'period' needs 'from' and 'to' dates (and no 'date')",
                                                period=str(period))
        wanted = periods(period, from_date, to_date) if period is not None and from_date and to_date else []
        async with runtime.pool.acquire() as conn:
            repository = WarehouseRepository(conn)
            if await repository.get_item(item_no) is None:
                raise NotFoundError(f"item {item_no} is unknown to the warehouse", item_no=item_no)
            transfers = await repository.outstanding_transfers(item_no, location_code)
            if period is None:
                row = await repository.availability(item_no, location_code, on_date)
                reserved, rows = row["reserved"], [row]
            else:
                reserved = await repository.reserved(item_no, location_code)
                dates = [wanted[0].start - timedelta(days=1)] + [p.end for p in wanted]
                rows = await repository.inventory_as_of(item_no, location_code, dates)
        as_figures = [figures(r["inventory"], r["in_transit"], reserved, transfers["outbound"], transfers["inbound"],
                              per_location=location_code is not None) for r in rows]
        if period is None:
            return Availability(item_no=item_no, location_code=location_code, as_of=on_date,
                                **as_figures[0].__dict__)
        return AvailabilityByPeriod(
            item_no=item_no, location_code=location_code, period=str(period),
            periods=[AvailabilityPeriod(period_start=p.start, period_end=p.end,
                                        net_change=f.inventory - before.inventory, **f.__dict__)
                     for p, before, f in zip(wanted, as_figures, as_figures[1:], strict=False)],
        )

    return router

