"""What costing knows of an item and of the inventory setup it values by."""

from dataclasses import asdict

from fastapi import APIRouter

from servicekit.auth import requires
from servicekit.endpoints import Runtime
from servicekit.errors import NotFoundError

from costing.entrypoints.routes.common import ERRORS
from costing.entrypoints.schemas import CostAdjustmentStatus, InventorySetupReplica, ItemCost
from costing.service_layer import item_costs

router = APIRouter(tags=["values"])


@router.get("/items/{item_no}/cost", response_model=ItemCost, responses=ERRORS,
            dependencies=[requires("costing:read")])
async def item_cost(runtime: Runtime, item_no: str) -> ItemCost:
    """What costing knows of the item card, its quantity, value and unit cost on hand, and whether its
    costs are adjusted (when last, and the last error)."""
    async with runtime.reading() as uow:
        found = await item_costs.item_cost(uow, item_no)
    if found is None:
        raise NotFoundError(f"item {item_no} is not (yet) known to costing", item_no=item_no)
    return ItemCost(**asdict(found.card), unit_cost=found.unit_cost, adjustment=CostAdjustmentStatus(**asdict(found.status)))


@router.get("/inventory-setup", response_model=InventorySetupReplica, tags=["setup"],
            dependencies=[requires("costing:read")])
async def inventory_setup(runtime: Runtime) -> InventorySetupReplica:
    """The warehouse's inventory setup as costing values by: its dates and how it keeps average costs."""
    async with runtime.reading() as uow:
        revision = await uow.items.inventory_setup_revision()
        calendar = await uow.items.inventory_calendar()
    return InventorySetupReplica(revision=revision, first_open_date=calendar.first_open_date, **asdict(calendar))
