"""Locations, their bins, and what the ledger holds in each bin."""

from warehouse.domain.locations import Bin, BinContent, Location, new_bin
from warehouse.service_layer.responsibility_centers import get_visible_location, location_for_caller
from warehouse.service_layer.unit_of_work import WarehouseUnitOfWork


async def create_location(uow: WarehouseUnitOfWork, location: Location) -> Location:
    """The blank location '' needs no card and is always postable."""
    location.check()
    location = await location_for_caller(uow, location)
    await uow.locations.add(location)
    return location


async def list_locations(uow: WarehouseUnitOfWork, after: str | None, limit: int) -> list[Location]:
    return await uow.locations.page(after, limit)


async def get_location(uow: WarehouseUnitOfWork, code: str) -> Location:
    return await get_visible_location(uow, code)


async def create_bin(uow: WarehouseUnitOfWork, location_code: str, code: str, description: str) -> Bin:
    bin_ = new_bin(await get_location(uow, location_code), code, description)
    await uow.locations.add_bin(bin_)
    return bin_


async def list_bins(uow: WarehouseUnitOfWork, location_code: str) -> list[Bin]:
    await get_location(uow, location_code)
    return (await uow.locations.bins([location_code])).get(location_code, [])


async def bin_contents(
    uow: WarehouseUnitOfWork, item_no: str | None, location_code: str | None, bin_code: str | None
) -> list[BinContent]:
    """Quantity per bin and item (and variant), from the entries posted with a bin; empty bins omitted."""
    return await uow.locations.bin_contents(item_no, location_code, bin_code)
