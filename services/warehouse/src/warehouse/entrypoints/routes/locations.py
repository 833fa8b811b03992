"""Locations, their bins, and bin contents."""

from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import JSONResponse

from servicekit.auth import requires
from servicekit.endpoints import Runtime
from servicekit.pagination import decode_cursor, paginate

from warehouse.domain.locations import Location
from warehouse.entrypoints.mapping import PROBLEM
from warehouse.entrypoints.schemas import (
    BinContent,
    BinContentList,
    BinIn,
    BinList,
    BinOut,
    LocationIn,
    LocationOut,
    LocationPage,
)
from warehouse.service_layer import locations as use_cases
from warehouse.service_layer.responsibility_centers import visible_bin_contents, visible_locations
from warehouse.service_layer.unit_of_work import WarehouseUnitOfWork

router = APIRouter(tags=["locations"])


@router.post("/locations", status_code=201, response_model=LocationOut,
             responses={403: PROBLEM, 409: PROBLEM, 422: PROBLEM},
             dependencies=[requires("inventory:post")])
async def create_location(
    body: LocationIn, request: Request, runtime: Runtime, idempotency_key: Annotated[str | None, Header()] = None
) -> JSONResponse:
    """Create a location. The blank location '' needs no card and is always postable."""
    async def action(uow: WarehouseUnitOfWork) -> tuple[int, LocationOut]:
        location = await use_cases.create_location(uow, Location(**body.model_dump()))
        return 201, LocationOut(**location.__dict__)

    return await runtime.post_once(request, idempotency_key, body, action)


@router.get("/locations", response_model=LocationPage, responses={403: PROBLEM, 400: PROBLEM},
            dependencies=[requires("inventory:read")])
async def list_locations(
    runtime: Runtime, cursor: str | None = None, limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    responsibility_center: str | None = None,
) -> LocationPage:
    """Location cards; of one responsibility center with `responsibility_center` (a caller whose token ties it to a
    center sees that center's only)."""
    after = decode_cursor(cursor)
    async with runtime.reading() as uow:
        found = await visible_locations(uow, responsibility_center, after, limit + 1)
    page, next_cursor = paginate(found, limit, lambda location: location.code)
    return LocationPage(locations=[LocationOut(**l.__dict__) for l in page], next_cursor=next_cursor)


@router.get("/locations/{code}", response_model=LocationOut, responses={403: PROBLEM, 404: PROBLEM},
            dependencies=[requires("inventory:read")])
async def get_location(code: str, runtime: Runtime) -> LocationOut:
    async with runtime.reading() as uow:
        location = await use_cases.get_location(uow, code)
    return LocationOut(**location.__dict__)


@router.post("/locations/{code}/bins", status_code=201, response_model=BinOut,
             responses={403: PROBLEM, 404: PROBLEM, 409: PROBLEM, 422: PROBLEM},
             dependencies=[requires("inventory:post")])
async def create_bin(
    code: str, body: BinIn, request: Request, runtime: Runtime, idempotency_key: Annotated[str | None, Header()] = None
) -> JSONResponse:
    async def action(uow: WarehouseUnitOfWork) -> tuple[int, BinOut]:
        bin_ = await use_cases.create_bin(uow, code, body.code, body.description)
        return 201, BinOut(**bin_.__dict__)

    return await runtime.post_once(request, idempotency_key, body, action)


@router.get("/locations/{code}/bins", response_model=BinList, responses={403: PROBLEM, 404: PROBLEM},
            dependencies=[requires("inventory:read")])
async def list_bins(code: str, runtime: Runtime) -> BinList:
    async with runtime.reading() as uow:
        bins = await use_cases.list_bins(uow, code)
    return BinList(bins=[BinOut(**b.__dict__) for b in bins])


@router.get("/bin-contents", response_model=BinContentList, dependencies=[requires("inventory:read")])
async def bin_contents(
    runtime: Runtime, item_no: str | None = None, location_code: str | None = None, bin_code: str | None = None
) -> BinContentList:
    """Quantity per bin and item (and variant), from the item ledger entries posted with a bin; empty bins omitted."""
    async with runtime.reading() as uow:
        found = await visible_bin_contents(uow, await use_cases.bin_contents(uow, item_no, location_code, bin_code))
    return BinContentList(bin_contents=[BinContent(**c.__dict__) for c in found])
