"""Inventory periods: closing one refuses postings dated in it."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Header, Request
from fastapi.responses import JSONResponse

from servicekit.auth import requires
from servicekit.endpoints import Runtime

from warehouse.entrypoints.mapping import PROBLEM
from warehouse.entrypoints.schemas import InventoryPeriodIn, InventoryPeriodList, InventoryPeriodOut
from warehouse.service_layer.periods import close_inventory_period, list_inventory_periods, reopen_inventory_period
from warehouse.service_layer.unit_of_work import WarehouseUnitOfWork

router = APIRouter(tags=["setup"])


@router.get("/inventory-periods", response_model=InventoryPeriodList, dependencies=[requires("inventory:read")])
async def list_periods(runtime: Runtime) -> InventoryPeriodList:
    async with runtime.reading() as uow:
        periods = await list_inventory_periods(uow)
    return InventoryPeriodList(periods=[InventoryPeriodOut(**p.__dict__) for p in periods])


@router.post("/inventory-periods/{ending_date}/close", response_model=InventoryPeriodOut, responses={409: PROBLEM},
             dependencies=[requires("inventory:admin")])
async def close_period(
    ending_date: date, body: InventoryPeriodIn, request: Request, runtime: Runtime,
    idempotency_key: Annotated[str | None, Header()] = None,
) -> JSONResponse:
    """Close the inventory period ending on that date (created if new): no posting dated in it is accepted.

    Periods close in date order, and not while an outbound entry in them waits for stock."""
    async def action(uow: WarehouseUnitOfWork) -> tuple[int, InventoryPeriodOut]:
        period = await close_inventory_period(uow, ending_date, body.name)
        return 200, InventoryPeriodOut(**period.__dict__)

    return await runtime.post_once(request, idempotency_key, body, action)


@router.post("/inventory-periods/{ending_date}/reopen", response_model=InventoryPeriodOut, responses={409: PROBLEM},
             dependencies=[requires("inventory:admin")])
async def reopen_period(
    ending_date: date, request: Request, runtime: Runtime, idempotency_key: Annotated[str | None, Header()] = None
) -> JSONResponse:
    """Reopen the inventory period ending on that date; periods reopen from the latest back."""
    async def action(uow: WarehouseUnitOfWork) -> tuple[int, InventoryPeriodOut]:
        period = await reopen_inventory_period(uow, ending_date)
        return 200, InventoryPeriodOut(**period.__dict__)

    return await runtime.post_once(request, idempotency_key, InventoryPeriodIn(), action)
