"""Routes of the master data item cards name: units of measure and item tracking codes."""

from typing import Annotated

from fastapi import APIRouter, Path

from servicekit.auth import requires
from servicekit.endpoints import Runtime

from catalog.domain.model import ItemTrackingCode, UnitOfMeasure
from catalog.entrypoints.routes.common import CODE_PATTERN, ERRORS
from catalog.entrypoints.schemas import TrackingCodeIn, TrackingCodeOut, UnitOfMeasureIn, UnitOfMeasureOut
from catalog.service_layer import master_data

router = APIRouter(tags=["master data"])


@router.get("/units-of-measure", response_model=list[UnitOfMeasureOut], dependencies=[requires("catalog:read")])
async def list_units(runtime: Runtime) -> list[UnitOfMeasureOut]:
    async with runtime.reading() as uow:
        found = await master_data.list_units_of_measure(uow)
    return [UnitOfMeasureOut(code=unit.code, description=unit.description) for unit in found]


@router.put("/units-of-measure/{code}", response_model=UnitOfMeasureOut, dependencies=[requires("catalog:write")])
async def put_unit(runtime: Runtime, code: Annotated[str, Path(max_length=10, pattern=CODE_PATTERN)],
                   body: UnitOfMeasureIn) -> UnitOfMeasureOut:
    async with runtime.unit_of_work() as uow:
        unit = await master_data.put_unit_of_measure(uow, UnitOfMeasure(code, body.description))
    return UnitOfMeasureOut(code=unit.code, description=unit.description)


@router.get("/item-tracking-codes", response_model=list[TrackingCodeOut], dependencies=[requires("catalog:read")])
async def list_tracking_codes(runtime: Runtime) -> list[TrackingCodeOut]:
    async with runtime.reading() as uow:
        return [TrackingCodeOut.model_validate(t) for t in await master_data.list_tracking_codes(uow)]


@router.put("/item-tracking-codes/{code}", response_model=TrackingCodeOut, responses=ERRORS,
            dependencies=[requires("catalog:write")])
async def put_tracking_code(runtime: Runtime, code: Annotated[str, Path(max_length=20, pattern=CODE_PATTERN)],
                            body: TrackingCodeIn) -> TrackingCodeOut:
    """Create or change a tracking code; items using it are re-announced on catalog.items.v1."""
    tracking = ItemTrackingCode(code=code, **{**body.model_dump(), "serial_required_for": tuple(body.serial_required_for),
                                              "lot_required_for": tuple(body.lot_required_for)})
    async with runtime.unit_of_work() as uow:
        saved = await master_data.put_tracking_code(uow, tracking)
    return TrackingCodeOut.model_validate(saved)
