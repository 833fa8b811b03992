"""The inventory setup."""

from datetime import date

from fastapi import APIRouter

from servicekit.auth import requires
from servicekit.endpoints import Runtime

from warehouse.domain.periods import InventorySetup as DomainInventorySetup
from warehouse.domain.periods import PostingDates
from warehouse.entrypoints.mapping import PROBLEM
from warehouse.entrypoints.schemas import InventorySetup, InventorySetupOut
from warehouse.service_layer.periods import change_inventory_setup, get_inventory_setup

router = APIRouter(tags=["setup"])


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


@router.get("/inventory-setup", response_model=InventorySetupOut, dependencies=[requires("inventory:read")])
async def get_setup(runtime: Runtime) -> InventorySetupOut:
    async with runtime.reading() as uow:
        return _setup_out(*await get_inventory_setup(uow))


@router.put("/inventory-setup", response_model=InventorySetupOut, responses={409: PROBLEM, 422: PROBLEM},
            dependencies=[requires("inventory:admin")])
async def put_setup(body: InventorySetup, runtime: Runtime) -> InventorySetupOut:
    """Replace the setup: negative inventory default, allowed posting dates (null: no limit) and the
    average-cost period and calculation type (null: unchanged; fixed once item ledger entries exist).
    A change is published whole on warehouse.inventory-setup.v1 for the other services."""
    async with runtime.unit_of_work() as uow:
        changed = await change_inventory_setup(
            uow, body.prevent_negative_inventory, PostingDates(body.allow_posting_from, body.allow_posting_to),
            body.average_cost_period, body.average_cost_calc_type,
        )
    return _setup_out(*changed)
