"""What costing's posting requests run: the use case, then the publication of the value entries it wrote, which
the request answers as stored."""

from costing.domain.ports import StoredValueEntry
from costing.service_layer.publishing import published_value_entries
from costing.service_layer.standard_costs import (
    ImplementStandardCostChanges,
    Implementation,
    implement_standard_cost_changes,
)
from costing.service_layer.unit_of_work import CostingUnitOfWork
from costing.service_layer.valuation import AssignItemCharge, RevalueInventory, assign_item_charge, revalue_inventory


async def post_item_charge(uow: CostingUnitOfWork, command: AssignItemCharge) -> list[StoredValueEntry]:
    return await published_value_entries(uow, await assign_item_charge(uow, command))


async def post_revaluation(uow: CostingUnitOfWork, command: RevalueInventory) -> list[StoredValueEntry]:
    """The revalued item's unit cost is published even when nothing was on hand to revalue."""
    return await published_value_entries(uow, await revalue_inventory(uow, command), [command.item_no])


async def post_standard_cost_changes(
    uow: CostingUnitOfWork, command: ImplementStandardCostChanges
) -> tuple[Implementation, list[StoredValueEntry]]:
    done = await implement_standard_cost_changes(uow, command)
    return done, await published_value_entries(uow, done.written, [line.item_no for line in done.lines])
