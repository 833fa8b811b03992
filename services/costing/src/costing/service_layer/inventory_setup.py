"""The replica of the warehouse's inventory setup: the calendar adjustments are dated by, and how averages are kept."""

import logging

from inventory_contracts.warehouse import InventorySetupChanged

from costing.service_layer.unit_of_work import CostingUnitOfWork

log = logging.getLogger(__name__)


async def replicate_inventory_setup(uow: CostingUnitOfWork, setup: InventorySetupChanged) -> bool:
    """Keep the newest revision; an older one arriving late changes nothing. True when the replica changed."""
    repository = uow.items
    before = await repository.inventory_calendar()
    if not await repository.save_inventory_setup(setup):
        return False
    after = await repository.inventory_calendar()
    changed_average = (before.average_cost_period, before.average_cost_calc_type) != (after.average_cost_period, after.average_cost_calc_type)
    if changed_average and await repository.has_average_periods():
        # The warehouse fixes these settings once entries exist; averages kept so far stay as they were.
        log.warning("average cost settings changed to %s per %s after averages were kept",
                    after.average_cost_period, after.average_cost_calc_type)
    return True
