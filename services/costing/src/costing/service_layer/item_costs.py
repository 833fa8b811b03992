"""What costing knows of an item: its card, its quantity, value and unit cost on hand, and its adjustment status."""

from dataclasses import dataclass
from decimal import Decimal

from costing.domain.ports import CostStatus, ItemCard
from costing.service_layer.publishing import item_unit_cost
from costing.service_layer.unit_of_work import CostingUnitOfWork


@dataclass(frozen=True)
class ItemCost:
    card: ItemCard
    unit_cost: Decimal
    status: CostStatus
    """An item never valued nor refused has its costs adjusted."""


async def item_cost(uow: CostingUnitOfWork, item_no: str) -> ItemCost | None:
    """None when no card of the item has reached costing."""
    card = await uow.items.item_card(item_no)
    status = await uow.unit_costs.cost_status(item_no)
    if card is None:
        return None
    unit_cost = item_unit_cost(card.costing_method, card.standard_cost, card.quantity_on_hand, card.value_on_hand)
    return ItemCost(card, unit_cost, status or CostStatus(cost_is_adjusted=True))
