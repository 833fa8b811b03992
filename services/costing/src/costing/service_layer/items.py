"""The replica of the item card that costing keeps from catalog.items.v1."""

from typing import Any

import asyncpg

from inventory_contracts import Envelope
from inventory_contracts.catalog import CostingMethod, ItemUpserted

from costing.adapters.repository import CostingRepository
from costing.domain.inbound import CostSetup
from costing.domain.model import ValueEntry
from costing.service_layer.valuation import RevalueInventory, revalue_inventory


async def replicate_item(conn: asyncpg.Connection, card: ItemUpserted, cause: Envelope[Any] | None = None) -> list[ValueEntry]:
    """Keep what costing needs of the card; an older revision arriving late changes nothing.

    A Standard item whose standard cost changed is revalued at the new standard on the day the card
    changed, so that its inventory stays at standard cost: the value entries written are returned.
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
    if (
        before is None or after is None or after.costing_method != CostingMethod.STANDARD
        or before.standard_cost == after.standard_cost or after != setup
    ):
        return []
    quantity, _ = await repository.remaining_on_hand(card.item_no)
    if quantity <= 0:
        return []
    day = cause.occurred_at.date() if cause is not None else None
    at = max(day, await _last_posting_date(conn, card.item_no)) if day else await _last_posting_date(conn, card.item_no)
    at = (await repository.inventory_calendar()).adjustment_date(at)
    return await revalue_inventory(conn, RevalueInventory(card.item_no, at, new_unit_cost=after.standard_cost))


async def _last_posting_date(conn: asyncpg.Connection, item_no: str) -> Any:
    return await conn.fetchval("SELECT max(posting_date) FROM item_ledger_entries WHERE item_no = $1", item_no)
