"""What costing compares its own quantities with."""

from warehouse.domain.reconciliation import SettledQuantity
from warehouse.service_layer.unit_of_work import WarehouseUnitOfWork


async def settled_quantities(uow: WarehouseUnitOfWork, settle_seconds: float) -> list[SettledQuantity]:
    """Quantity per item and location of the entries recorded at least `settle_seconds` ago."""
    return await uow.reconciliation.settled_quantities(settle_seconds)
