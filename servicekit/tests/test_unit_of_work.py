"""The unit of work against a real PostgreSQL: state and the events announcing it commit or roll back together."""

import json
import uuid
from typing import Any

import asyncpg
import pytest

from inventory_contracts import Envelope, EventSpec, Payload, new_envelope
from servicekit import correlation
from servicekit.uow import UnitOfWork, reading, unit_of_work


class Tally(Payload):
    name: str
    n: int


TALLY_V1 = EventSpec(type="kit.tally", version=1, topic="kit.tallies", payload=Tally)


def tally(n: int) -> Envelope[Any]:
    return new_envelope(TALLY_V1, Tally(name="t", n=n), producer="test", key=f"K{n}")


class KitUnitOfWork(UnitOfWork):
    async def add(self, n: int) -> None:
        await self.conn.execute("INSERT INTO tallies VALUES ($1)", n)


@pytest.fixture
async def pool(kit_pool: asyncpg.Pool) -> asyncpg.Pool:
    await kit_pool.execute("CREATE TABLE tallies (n int PRIMARY KEY)")
    return kit_pool


async def queued(pool: asyncpg.Pool) -> list[tuple[str, str | None, dict[str, Any]]]:
    rows = await pool.fetch("SELECT topic, key, value FROM outbox ORDER BY id")
    return [(r["topic"], r["key"], json.loads(bytes(r["value"]))) for r in rows]


async def tallies(pool: asyncpg.Pool) -> list[int]:
    return [r["n"] for r in await pool.fetch("SELECT n FROM tallies ORDER BY n")]


async def test_publish_and_publish_all_queue_outbox_rows_in_the_transaction(pool: asyncpg.Pool) -> None:
    events = [tally(n) for n in (1, 2, 3)]
    async with unit_of_work(pool, KitUnitOfWork) as uow:
        await uow.add(1)
        await uow.publish("kit.tallies", events[0])
        await uow.publish_all([("kit.other", events[1]), ("kit.tallies", events[2])])
        # Inside the transaction: not visible to anyone else yet.
        assert await pool.fetchval("SELECT count(*) FROM outbox") == 0
        assert await uow.conn.fetchval("SELECT count(*) FROM outbox") == 3
    assert await queued(pool) == [
        ("kit.tallies", "K1", json.loads(events[0].model_dump_json())),
        ("kit.other", "K2", json.loads(events[1].model_dump_json())),
        ("kit.tallies", "K3", json.loads(events[2].model_dump_json())),
    ]
    assert await tallies(pool) == [1]


async def test_a_unit_of_work_that_raises_leaves_neither_state_nor_events(pool: asyncpg.Pool) -> None:
    with pytest.raises(ValueError, match="refused"):
        async with unit_of_work(pool, KitUnitOfWork) as uow:
            assert type(uow) is KitUnitOfWork
            await uow.add(1)
            await uow.publish_all([("kit.tallies", tally(1)), ("kit.tallies", tally(2))])
            raise ValueError("refused")
    assert await tallies(pool) == []
    assert await queued(pool) == []


async def test_a_savepoint_that_raises_undoes_only_its_own_rows(pool: asyncpg.Pool) -> None:
    async with unit_of_work(pool, KitUnitOfWork) as uow:
        await uow.add(1)
        await uow.publish("kit.tallies", tally(1))
        with pytest.raises(RuntimeError):
            async with uow.savepoint():
                await uow.add(2)
                await uow.publish("kit.tallies", tally(2))
                raise RuntimeError("undo this step alone")
        async with uow.savepoint():
            await uow.add(3)
            await uow.publish("kit.tallies", tally(3))
    assert await tallies(pool) == [1, 3]
    assert [(key, event["payload"]["n"]) for _, key, event in await queued(pool)] == [("K1", 1), ("K3", 3)]


async def test_events_published_without_a_correlation_id_take_the_current_one(pool: asyncpg.Pool) -> None:
    request = uuid.uuid4()
    own = tally(2).model_copy(update={"correlation_id": uuid.uuid4()})
    with correlation.correlated(request):
        async with unit_of_work(pool, KitUnitOfWork) as uow:
            await uow.publish("kit.tallies", tally(1))
            await uow.publish_all([("kit.tallies", own)])
    async with unit_of_work(pool, KitUnitOfWork) as uow:
        await uow.publish("kit.tallies", tally(3))
    assert [event["correlation_id"] for _, _, event in await queued(pool)] == [str(request), str(own.correlation_id), None]


async def test_reading_has_no_transaction_of_its_own(pool: asyncpg.Pool) -> None:
    async with reading(pool, KitUnitOfWork) as uow:
        assert type(uow) is KitUnitOfWork
        assert not uow.conn.is_in_transaction()
        await uow.add(1)  # autocommitted: visible at once
        assert await pool.fetchval("SELECT count(*) FROM tallies") == 1
