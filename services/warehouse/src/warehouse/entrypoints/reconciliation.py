"""HTTP routes that let costing compare its quantities with the warehouse's."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from servicekit.auth import requires
from servicekit.runtime import ServiceRuntime

from warehouse.adapters.repository import WarehouseRepository


class SettledQuantity(BaseModel):
    item_no: str
    location_code: str
    quantity: Decimal
    through_entry_no: int = Field(description="The item's entries up to this one are counted.")


class SettledQuantities(BaseModel):
    settled_before: datetime = Field(description="Entries recorded after this moment are not counted yet.")
    lines: list[SettledQuantity]


def build_reconciliation_router(runtime: ServiceRuntime) -> APIRouter:
    router = APIRouter(tags=["reconciliation"])

    @router.get("/reconciliation/quantities", response_model=SettledQuantities, dependencies=[requires("inventory:read")])
    async def settled_quantities(
        settle_seconds: Annotated[float, Query(ge=0, le=86_400)] = 10,
    ) -> SettledQuantities:
        """Quantity per item and location of the entries recorded at least `settle_seconds` ago, with the
        last entry counted per item: what costing compares its own quantities with."""
        async with runtime.pool.acquire() as conn:
            rows = await WarehouseRepository(conn).settled_quantities(settle_seconds)
        return SettledQuantities(
            settled_before=datetime.now(UTC) - timedelta(seconds=settle_seconds),
            lines=[SettledQuantity(**dict(row)) for row in rows],
        )

    return router
