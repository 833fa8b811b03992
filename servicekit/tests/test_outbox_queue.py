"""Queuing events in the outbox against a real PostgreSQL: rows in the order given, one notification for the lot."""

import asyncio
from collections.abc import AsyncIterator

import pytest

from inventory_contracts import ITEM_UNIT_COST_CHANGED_V1, new_envelope
from inventory_contracts.costing import ItemUnitCostChanged
from servicekit.db import connect
from servicekit.migrations import discover, migrate
from servicekit.outbox import NOTIFY_CHANNEL, add_events


@pytest.fixture
async def database(empty_database: str) -> AsyncIterator[str]:
    """A database with servicekit's tables."""
    conn = await connect(empty_database)
    try:
        await migrate(conn, discover("servicekit", "servicekit"))
    finally:
        await conn.close()
    yield empty_database


async def test_events_are_queued_in_the_order_given_with_one_notification(database: str) -> None:
    events = [
        (f"topic-{n % 3}", new_envelope(ITEM_UNIT_COST_CHANGED_V1, ItemUnitCostChanged(
            item_no=f"I{n % 7}", costing_method="FIFO", unit_cost=n, quantity_on_hand=1, value_on_hand=n, sequence=n + 1,
        ), producer="test", key=f"I{n % 7}"))
        for n in range(500)
    ]
    conn, listener = await connect(database), await connect(database)
    notified: list[object] = []
    await listener.add_listener(NOTIFY_CHANNEL, lambda *args: notified.append(args))
    statements: list[str] = []

    def log(query: object) -> None:
        statements.append(getattr(query, "query"))

    conn.add_query_logger(log)
    try:
        async with conn.transaction():
            await add_events(conn, events)
        conn.remove_query_logger(log)
        rows = await conn.fetch("SELECT topic, key, value, headers FROM outbox ORDER BY id")
        assert [(row["topic"], row["key"], bytes(row["value"])) for row in rows] == [
            (topic, event.key, event.model_dump_json().encode()) for topic, event in events
        ]
        assert all(row["headers"] == {} for row in rows)
        assert len([statement for statement in statements if "outbox" in statement]) == 1
        await asyncio.sleep(0.5)
        assert len(notified) == 1
    finally:
        await conn.close()
        await listener.close()
