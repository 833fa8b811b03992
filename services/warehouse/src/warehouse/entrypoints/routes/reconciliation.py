"""What costing compares its quantities with."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from servicekit.auth import requires
from servicekit.endpoints import Runtime

from warehouse.service_layer.reconciliation import settled_quantities as settled

router = APIRouter(tags=["reconciliation"])


class SettledQuantity(BaseModel):
    item_no: str
    location_code: str
    quantity: Decimal
    through_entry_no: int = Field(description="The item's entries up to this one are counted.")


class SettledQuantities(BaseModel):
    settled_before: datetime = Field(description="Entries recorded after this moment are not counted yet.")
    lines: list[SettledQuantity]


@router.get("/reconciliation/quantities", response_model=SettledQuantities, dependencies=[requires("inventory:read")])
async def settled_quantities(
    runtime: Runtime, settle_seconds: Annotated[float, Query(ge=0, le=86_400)] = 10,
) -> SettledQuantities:
    """Quantity per item and location of the entries recorded at least `settle_seconds` ago, with the
    last entry counted per item: what costing compares its own quantities with."""
    async with runtime.reading() as uow:
        found = await settled(uow, settle_seconds)
    return SettledQuantities(
        settled_before=datetime.now(UTC) - timedelta(seconds=settle_seconds),
        lines=[SettledQuantity(**q.__dict__) for q in found],
    )
