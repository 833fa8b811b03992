"""Reading the item ledger: entries page by page, and quantity on hand per location."""

from servicekit.errors import NotFoundError

from warehouse.domain.model import ListedEntry, StockAtLocation
from warehouse.service_layer.unit_of_work import WarehouseUnitOfWork


async def list_item_ledger_entries(
    uow: WarehouseUnitOfWork, item_no: str | None, after: int | None, limit: int
) -> list[ListedEntry]:
    return await uow.ledger.entries(item_no, after, limit)


async def quantity_on_hand(uow: WarehouseUnitOfWork, item_no: str) -> list[StockAtLocation]:
    """Per location and variant; an item the replica does not know is not found."""
    if await uow.items.get(item_no) is None:
        raise NotFoundError(f"item {item_no} is unknown to the warehouse", item_no=item_no)
    return await uow.ledger.on_hand(item_no)
