"""The replica of the catalog's item cards."""

from warehouse.domain.model import Item
from warehouse.service_layer.unit_of_work import WarehouseUnitOfWork


async def replicate_item(uow: WarehouseUnitOfWork, item: Item) -> None:
    """Keep the card unless the replica holds a newer revision: events of one item may arrive again or late."""
    await uow.items.upsert(item)
