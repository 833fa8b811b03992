"""The replica of the item card that costing keeps from catalog.items.v1."""

import asyncpg

from inventory_contracts.catalog import CostingMethod, ItemUpserted

from costing.adapters.repository import CostingRepository
from costing.domain.inbound import CostSetup


async def replicate_item(conn: asyncpg.Connection, card: ItemUpserted) -> bool:
    """Keep what costing needs of the card; an older revision arriving late changes nothing.

    A changed standard cost revalues nothing: entries valued from now on take it, what is on hand keeps its value
    until a standard cost worksheet is implemented. Returns whether a Standard item's standard cost, its unit cost, changed.
    """
    repository = CostingRepository(conn)
    before = await repository.item_setup(card.item_no)
    setup = CostSetup(
        item_no=card.item_no,
        costing_method=card.costing_method,
        standard_cost=card.standard_cost,
        indirect_cost_pct=card.indirect_cost_pct,
        overhead_rate=card.overhead_rate,
    )
    await repository.upsert_item(setup, card.revision, card.standard_cost_implementation_no)
    after = await repository.item_setup(card.item_no)
    return (
        before is not None and after is not None and after.costing_method == CostingMethod.STANDARD
        and before.standard_cost != after.standard_cost
    )
