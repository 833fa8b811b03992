"""A batch of value entries posts in a fixed number of statements, whatever the number of items it spans.

Every statement is a round trip that costs the ledger and PostgreSQL CPU: a batch of 500 events over hundreds of
items posted item by item took thousands of them. Counted on the real PostgreSQL repositories, COPY included.
"""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from decimal import Decimal
from typing import Any
from uuid import uuid4

import asyncpg
import pytest

from inventory_contracts import VALUE_ENTRIES_POSTED_V1, Envelope, EventRegistry, examples
from inventory_contracts.costing import ValueEntriesPosted

from ledger.adapters.unit_of_work import PostgresLedgerUnitOfWork
from ledger.domain.posting import InventoryPostingSetup
from ledger.entrypoints.consumers import on_value_entries_batch
from ledger.service_layer import setup

SIZES = (20, 200)
"""Items in a batch: ten times the items must not take more statements."""
WAITING_EVERY = 5
"""Every fifth item's first value entry has no posting setup yet, so it and the item's later entry wait."""


def batch(items: int, location_without_setup: str) -> list[Envelope[ValueEntriesPosted]]:
    """Two events per item (a sale of 80.00, then one of 20.00), the items interleaved as a consumer batch has them."""
    golden = EventRegistry([VALUE_ENTRIES_POSTED_V1]).parse(examples(VALUE_ENTRIES_POSTED_V1))
    [template] = golden.payload.value_entries
    first_entry_no = items * 10

    def event(item: int, entry_no: int, changes: dict[str, Any]) -> Envelope[ValueEntriesPosted]:
        entry = type(template).model_validate({**template.model_dump(), "entry_no": entry_no,
                                               "item_ledger_entry_no": entry_no, **changes})
        payload = golden.payload.model_copy(update={"item_no": f"S{items}-{item}", "value_entries": [entry]})
        return golden.model_copy(update={"event_id": uuid4(), "correlation_id": uuid4(), "payload": payload})

    first = [event(i, first_entry_no + 2 * i, {"location_code": location_without_setup} if i % WAITING_EVERY == 0 else {})
             for i in range(items)]
    second = [event(i, first_entry_no + 2 * i + 1, {"cost_amount_actual": Decimal("-20.00")}) for i in range(items)]
    return [*first, *second]


@asynccontextmanager
async def counting(conn: asyncpg.Connection, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[list[str]]:
    """The statements sent on `conn` in the block; COPY is not seen by asyncpg's query loggers, so it is counted apart."""
    statements: list[str] = []
    copy_records_to_table = asyncpg.Connection.copy_records_to_table

    async def copy_counted(self: asyncpg.Connection, table_name: str, **kwargs: Any) -> str:
        statements.append(f"COPY {table_name}")
        return await copy_records_to_table(self, table_name, **kwargs)

    with monkeypatch.context() as patched, conn.query_logger(lambda query: statements.append(query.query)):
        patched.setattr(asyncpg.Connection, "copy_records_to_table", copy_counted)
        yield statements
    # asyncpg calls the query loggers soon after each statement, not during it: let them run.
    await asyncio.sleep(0)


async def counted_in_transaction(
    conn: asyncpg.Connection, monkeypatch: pytest.MonkeyPatch, use_case: Callable[[PostgresLedgerUnitOfWork], Awaitable[Any]]
) -> int:
    """The statements `use_case` sends in its transaction (its BEGIN and COMMIT, the same for any batch, left out)."""
    async with conn.transaction(), counting(conn, monkeypatch) as statements:
        await use_case(PostgresLedgerUnitOfWork(conn))
    return len(statements)


async def post_and_release(conn: asyncpg.Connection, monkeypatch: pytest.MonkeyPatch, items: int) -> tuple[int, int]:
    """Statements to post a batch over `items` items, and to post its waiting entries once their setup comes."""
    location = f"NORTH{items}"
    events = batch(items, location)
    received = await counted_in_transaction(conn, monkeypatch, lambda uow: on_value_entries_batch(uow, events))
    waiting_items = len(range(0, items, WAITING_EVERY))
    assert await conn.fetchval("SELECT count(*) FROM pending_value_entries WHERE item_no LIKE $1", f"S{items}-%") == 2 * waiting_items
    released = await counted_in_transaction(conn, monkeypatch, lambda uow: setup.put_inventory_posting_setup(
        uow, (location, "RESALE"), InventoryPostingSetup("2130", "2131")))
    assert await conn.fetchval("SELECT count(*) FROM pending_value_entries") == 0
    assert await conn.fetchval("SELECT count(*) FROM gl_entries WHERE item_no LIKE $1", f"S{items}-%") == 2 * 2 * items
    return received, released


async def test_a_batch_posts_in_as_many_statements_for_200_items_as_for_20(
    ledger_database: asyncpg.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    # asyncpg reads the types of a statement's parameters from the catalog the first time a connection sends it.
    await post_and_release(ledger_database, monkeypatch, 1)
    counts = {items: await post_and_release(ledger_database, monkeypatch, items) for items in SIZES}
    print(f"statements (to post a batch, to post what a setup released) by items in the batch: {counts}")
    assert counts[SIZES[0]] == counts[SIZES[-1]]
    received, released = counts[SIZES[-1]]
    assert received <= 13 and released <= 17
