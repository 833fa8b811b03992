"""General ledger setup: the closed periods."""

from fastapi import APIRouter

from servicekit.auth import requires
from servicekit.endpoints import Runtime

from ledger.entrypoints.schemas import GLSetup
from ledger.service_layer import setup

router = APIRouter(tags=["setup"])


@router.get("/gl-setup", response_model=GLSetup, dependencies=[requires("ledger:read")])
async def get_gl_setup(runtime: Runtime) -> GLSetup:
    async with runtime.reading() as uow:
        return GLSetup(closed_through=await setup.get_closed_through(uow))


@router.put("/gl-setup", response_model=GLSetup, dependencies=[requires("ledger:admin")])
async def put_gl_setup(body: GLSetup, runtime: Runtime) -> GLSetup:
    """Close the periods up to `closed_through` (a later date closes more, an earlier one or none reopens)."""
    async with runtime.unit_of_work() as uow:
        return GLSetup(closed_through=await setup.close_period(uow, body.closed_through))
