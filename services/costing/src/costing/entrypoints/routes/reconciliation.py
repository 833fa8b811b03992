"""The quantity reconciliation: costing's quantities next to the warehouse's, on request."""

from decimal import Decimal
from typing import Annotated

import httpx
from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from servicekit.auth import requires
from servicekit.errors import ServiceError
from servicekit.endpoints import Runtime

from costing.config import CostingSettings
from costing.adapters.warehouse import WarehouseUnavailableError, read_warehouse_quantities
from costing.service_layer.quantity_reconciliation import compare


class QuantityDifference(BaseModel):
    item_no: str
    location_code: str
    warehouse_quantity: Decimal
    costing_quantity: Decimal
    difference: Decimal = Field(description="Costing's quantity minus the warehouse's.")
    through_entry_no: int


class QuantityReconciliation(BaseModel):
    places_compared: int = Field(description="Item and location pairs compared.")
    differences: list[QuantityDifference] = Field(description="The pairs whose quantities differ.")


class WarehouseUnreachableError(ServiceError):
    """The warehouse's API did not answer, so costing could not compare quantities with it; try again shortly."""

    status, slug, title = 503, "warehouse-unavailable", "Warehouse unavailable"


router = APIRouter(tags=["reconciliation"])


@router.get("/quantity-reconciliation", response_model=QuantityReconciliation, responses={503: {}},
            dependencies=[requires("costing:read")])
async def quantity_reconciliation(
    runtime: Runtime,
    settle_seconds: Annotated[float, Query(ge=0, le=86_400)] = 10,
) -> QuantityReconciliation:
    """Costing's quantity per item and location next to the warehouse's, over the entries the warehouse
    recorded at least `settle_seconds` ago; the same comparison runs continuously and publishes
    differences on costing.reconciliation.v1."""
    settings = runtime.settings_as(CostingSettings)
    try:
        async with httpx.AsyncClient(timeout=30, auth=settings.warehouse_auth()) as client:
            warehouse = await read_warehouse_quantities(client, settings.warehouse_url, settle_seconds)
    except WarehouseUnavailableError as exc:
        raise WarehouseUnreachableError(str(exc)) from exc
    async with runtime.reading() as uow:
        comparisons = await compare(uow, warehouse)
    return QuantityReconciliation(
        places_compared=len(comparisons),
        differences=[QuantityDifference(**vars(c), difference=c.difference) for c in comparisons if c.difference],
    )
