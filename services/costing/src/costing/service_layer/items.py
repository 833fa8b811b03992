"""The replica of the item card that costing keeps from catalog.items.v1."""

from collections.abc import Sequence

from inventory_contracts.catalog import CostingMethod, ItemUpserted

from costing.domain.inbound import CostSetup
from costing.service_layer.unit_of_work import CostingUnitOfWork


async def replicate_item(uow: CostingUnitOfWork, card: ItemUpserted) -> bool:
    """Keep what costing needs of the card; an older revision arriving late changes nothing.

    A changed standard cost revalues nothing: entries valued from now on take it, what is on hand keeps its value
    until a standard cost worksheet is implemented. Returns whether a Standard item's standard cost, its unit cost, changed.
    """
    return bool(await replicate_items(uow, [card]))


async def replicate_items(uow: CostingUnitOfWork, cards: Sequence[ItemUpserted]) -> set[str]:
    """`replicate_item` for cards in the order they came, set-based: the Standard items whose standard cost changed."""
    item_nos = list(dict.fromkeys(card.item_no for card in cards))
    before = await uow.items.item_setups(item_nos)
    await uow.items.upsert_items([
        (CostSetup(card.item_no, card.costing_method, card.standard_cost, card.indirect_cost_pct, card.overhead_rate,
                   card.single_level_material_cost, card.single_level_capacity_cost, card.single_level_cap_ovhd_cost,
                   card.single_level_mfg_ovhd_cost),
         card.revision, card.standard_cost_implementation_no)
        for card in cards
    ])
    after = await uow.items.item_setups(item_nos)
    changed = set()
    for item_no in item_nos:
        old, new = before[item_no], after[item_no]
        if old is not None and new is not None and new.costing_method == CostingMethod.STANDARD and old.standard_cost != new.standard_cost:
            changed.add(item_no)
    return changed
