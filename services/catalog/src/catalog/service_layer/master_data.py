"""Use cases of the master data cards name: item tracking codes and units of measure."""

from inventory_contracts.catalog import CostingMethod

from catalog.domain.errors import SpecificCostingNeedsSerialTrackingError
from catalog.domain.model import ItemTrackingCode, UnitOfMeasure
from catalog.service_layer import items
from catalog.service_layer.unit_of_work import CatalogUnitOfWork


async def put_tracking_code(uow: CatalogUnitOfWork, code: ItemTrackingCode) -> ItemTrackingCode:
    """Create or change a tracking code; items using it are re-announced, since their events carry its rules."""
    await uow.tracking_codes.upsert(code)
    for item_no in await uow.items.numbers_using_tracking_code(code.code):
        item = await uow.items.get(item_no, for_update=True)
        assert item is not None
        if item.costing_method == CostingMethod.SPECIFIC and not code.serial_specific:
            raise SpecificCostingNeedsSerialTrackingError(
                f"item {item_no} is costed Specific; its tracking code must stay serial-specific", item_no=item_no
            )
        await items.republish(uow, item)
    return code


async def list_tracking_codes(uow: CatalogUnitOfWork) -> list[ItemTrackingCode]:
    return await uow.tracking_codes.all()


async def put_unit_of_measure(uow: CatalogUnitOfWork, unit: UnitOfMeasure) -> UnitOfMeasure:
    await uow.units_of_measure.upsert(unit)
    return unit


async def list_units_of_measure(uow: CatalogUnitOfWork) -> list[UnitOfMeasure]:
    return await uow.units_of_measure.all()
