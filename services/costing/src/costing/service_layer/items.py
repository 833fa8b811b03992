"""The replica of the item card that costing keeps from catalog.items.v1."""

import asyncpg

from inventory_contracts.catalog import ItemUpserted

from costing.adapters.repository import CostingRepository
from costing.domain.inbound import CostSetup


async def replicate_item(conn: asyncpg.Connection, card: ItemUpserted) -> None:
    """Keep what costing needs of the card; an older revision arriving late changes nothing."""
    setup = CostSetup(
        item_no=card.item_no,
        costing_method=card.costing_method,
        standard_cost=card.standard_cost,
        indirect_cost_pct=card.indirect_cost_pct,
        overhead_rate=card.overhead_rate,
    )
    await CostingRepository(conn).upsert_item(setup, card.revision)
