"""Responsibility centers and the locations that belong to them."""

from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import JSONResponse

from servicekit.auth import requires
from servicekit.endpoints import Runtime
from servicekit.pagination import decode_cursor, paginate

from warehouse.domain.responsibility_centers import ResponsibilityCenter
from warehouse.entrypoints.mapping import PROBLEM
from warehouse.entrypoints.schemas import LocationOut
from warehouse.entrypoints.schemas_responsibility_centers import (
    LocationCenterIn,
    ResponsibilityCenterChange,
    ResponsibilityCenterIn,
    ResponsibilityCenterOut,
    ResponsibilityCenterPage,
)
from warehouse.service_layer import responsibility_centers as use_cases
from warehouse.service_layer.unit_of_work import WarehouseUnitOfWork

router = APIRouter(tags=["responsibility centers"])


@router.post("/responsibility-centers", status_code=201, response_model=ResponsibilityCenterOut,
             responses={403: PROBLEM, 409: PROBLEM, 422: PROBLEM}, dependencies=[requires("inventory:admin")])
async def create_center(
    body: ResponsibilityCenterIn, request: Request, runtime: Runtime,
    idempotency_key: Annotated[str | None, Header()] = None,
) -> JSONResponse:
    """Create a responsibility center."""
    async def action(uow: WarehouseUnitOfWork) -> tuple[int, ResponsibilityCenterOut]:
        center = await use_cases.create_center(uow, ResponsibilityCenter(**body.model_dump()))
        return 201, ResponsibilityCenterOut(**center.__dict__)

    return await runtime.post_once(request, idempotency_key, body, action)


@router.get("/responsibility-centers", response_model=ResponsibilityCenterPage, responses={400: PROBLEM},
            dependencies=[requires("inventory:read")])
async def list_centers(
    runtime: Runtime, cursor: str | None = None, limit: Annotated[int, Query(ge=1, le=1000)] = 100
) -> ResponsibilityCenterPage:
    """Every center; a caller whose token ties it to a center sees that one only."""
    async with runtime.reading() as uow:
        found = await use_cases.list_centers(uow, decode_cursor(cursor), limit + 1)
    page, next_cursor = paginate(found, limit, lambda center: center.code)
    return ResponsibilityCenterPage(
        responsibility_centers=[ResponsibilityCenterOut(**c.__dict__) for c in page], next_cursor=next_cursor)


@router.get("/responsibility-centers/{code}", response_model=ResponsibilityCenterOut,
            responses={403: PROBLEM, 404: PROBLEM}, dependencies=[requires("inventory:read")])
async def get_center(code: str, runtime: Runtime) -> ResponsibilityCenterOut:
    async with runtime.reading() as uow:
        center = await use_cases.get_center(uow, code)
    return ResponsibilityCenterOut(**center.__dict__)


@router.patch("/responsibility-centers/{code}", response_model=ResponsibilityCenterOut,
              responses={403: PROBLEM, 404: PROBLEM, 422: PROBLEM}, dependencies=[requires("inventory:admin")])
async def change_center(code: str, body: ResponsibilityCenterChange, runtime: Runtime) -> ResponsibilityCenterOut:
    """Change the fields given; the code stays."""
    async with runtime.unit_of_work() as uow:
        center = await use_cases.change_center(uow, code, body.model_dump(exclude_none=True))
    return ResponsibilityCenterOut(**center.__dict__)


@router.put("/locations/{code}/responsibility-center", response_model=LocationOut,
            responses={403: PROBLEM, 404: PROBLEM, 422: PROBLEM}, dependencies=[requires("inventory:admin")])
async def assign_location(code: str, body: LocationCenterIn, runtime: Runtime) -> LocationOut:
    """The location belongs to this center from now on (blank: to none). Entries already posted keep theirs."""
    async with runtime.unit_of_work() as uow:
        location = await use_cases.assign_location(uow, code, body.responsibility_center)
    return LocationOut(**location.__dict__)
