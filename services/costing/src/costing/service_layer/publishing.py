"""What follows every change of value, in the same transaction: the events others read and the item's status."""

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import asyncpg

from inventory_contracts import ITEM_UNIT_COST_CHANGED_V1, VALUE_ENTRIES_POSTED_V1, Envelope
from servicekit.outbox import add_event, add_events

from costing.adapters.events import item_unit_cost_changed, value_entries_posted
from costing.adapters.repository import CostingRepository
from costing.domain.fifo import average_unit_cost
from costing.domain.model import ValueEntry


async def value_entries_written(
    conn: asyncpg.Connection, item_nos: list[str], written: list[ValueEntry], cause: Envelope[Any] | None = None
) -> None:
    """Publish the value entries per item, mark the items' costs adjusted and publish a changed unit cost.

    Adjustment runs in the valuation's own transaction, so once it commits the item's costs are adjusted.
    """
    repository = CostingRepository(conn)
    for item_no in dict.fromkeys(item_nos):
        entries = [ve for ve in written if ve.item_ledger_entry.item_no == item_no]
        if entries:
            await add_event(conn, VALUE_ENTRIES_POSTED_V1.topic, value_entries_posted(item_no, entries, cause))
        await repository.mark_adjusted(item_no)
        await publish_unit_cost(conn, item_no, cause)


async def value_entries_of_events_written(
    conn: asyncpg.Connection, written: Sequence[tuple[Envelope[Any], str, list[ValueEntry]]]
) -> None:
    """`value_entries_written` for a batch of events, each (event, its item, what it wrote), in one go: the value
    entries of each event as its own message, queued in one round trip; status and unit cost once per item."""
    await add_events(conn, [
        (VALUE_ENTRIES_POSTED_V1.topic, value_entries_posted(item_no, entries, cause))
        for cause, item_no, entries in written if entries
    ])
    last_cause = {item_no: cause for cause, item_no, _ in written}
    repository = CostingRepository(conn)
    for item_no, cause in last_cause.items():
        await repository.mark_adjusted(item_no)
        await publish_unit_cost(conn, item_no, cause)


async def publish_unit_cost(conn: asyncpg.Connection, item_no: str, cause: Envelope[Any] | None = None) -> None:
    """Publish the item's unit cost on costing.item-costs.v1 when it differs from the one published last."""
    repository = CostingRepository(conn)
    card = await repository.item_card(item_no)
    if card is not None:
        method, standard_cost = card["costing_method"], card["standard_cost"]
        quantity, value = card["quantity_on_hand"], card["value_on_hand"]
    else:
        rows = await conn.fetchrow("SELECT costing_method FROM item_ledger_entries WHERE item_no = $1 ORDER BY entry_no DESC LIMIT 1", item_no)
        if rows is None:
            return
        method, standard_cost = rows["costing_method"], Decimal(0)
        quantity, value = await repository.on_hand(item_no)
    unit_cost = item_unit_cost(method, standard_cost, quantity, value)
    published = await repository.published_unit_cost(item_no)
    if published is not None and published["unit_cost"] == unit_cost:
        return
    sequence = published["sequence"] + 1 if published is not None else 1
    await repository.save_published_unit_cost(item_no, unit_cost, sequence)
    event = item_unit_cost_changed(item_no, method, unit_cost, quantity, value, sequence, cause)
    await add_event(conn, ITEM_UNIT_COST_CHANGED_V1.topic, event)


def item_unit_cost(costing_method: str, standard_cost: Decimal, quantity: Decimal, value: Decimal) -> Decimal:
    """The standard cost for a Standard item, else the average of what is on hand (0 with nothing on hand)."""
    if costing_method == "Standard":
        return standard_cost
    return average_unit_cost(quantity, value) if quantity > 0 else Decimal(0)
