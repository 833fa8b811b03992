"""The outbox and its relay against a real PostgreSQL and Kafka: what a committed transaction queued is published,
in order, at least once; nothing else is."""

import asyncio
import contextlib
import json
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import asyncpg
import pytest
from faststream.kafka import KafkaBroker

from inventory_contracts import Envelope, EventSpec, Payload, new_envelope
from servicekit import correlation, db, outbox
from servicekit.outbox import OutboxRelay, add_event, add_events, add_message
from servicekit.settings import ServiceSettings

TopicReader = Callable[..., Any]


class Tally(Payload):
    name: str
    n: int


TALLY_V1 = EventSpec(type="kit.tally", version=1, topic="kit.tallies", payload=Tally)


def tally(n: int, correlation_id: uuid.UUID | None = None) -> Envelope[Any]:
    return new_envelope(TALLY_V1, Tally(name="t", n=n), producer="test", key=f"K{n % 3}", correlation_id=correlation_id)


@contextlib.asynccontextmanager
async def relaying(settings: ServiceSettings, broker: KafkaBroker) -> AsyncIterator[OutboxRelay]:
    """The relay running as a service runs it, stopped when the block ends."""
    relay = OutboxRelay(settings, broker)
    task = asyncio.create_task(relay.run())
    try:
        yield relay
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def outbox_emptied(pool: asyncpg.Pool, timeout: float = 30) -> None:
    for _ in range(int(timeout * 10)):
        if await pool.fetchval("SELECT count(*) FROM outbox") == 0:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"the outbox still holds {await pool.fetchval('SELECT count(*) FROM outbox')} rows")


def headers(record: Any) -> dict[str, bytes]:
    return {name: value for name, value in record.headers if name != "correlation_id"}


def events_of(records: list[Any]) -> list[dict[str, Any]]:
    return [json.loads(record.value) for record in records]


async def test_committed_events_are_published_in_id_order_and_deleted(
    kit_settings: ServiceSettings, kit_pool: asyncpg.Pool, kit_broker: KafkaBroker, read_topic: TopicReader
) -> None:
    events = [tally(n) for n in range(1, 31)]
    async with kit_pool.acquire() as conn, conn.transaction():
        await add_events(conn, [("kit.tallies", e) for e in events[:20]])
        await add_event(conn, "kit.other", tally(99))
    async with kit_pool.acquire() as conn, conn.transaction():
        await add_events(conn, [("kit.tallies", e) for e in events[20:]])
    async with relaying(kit_settings, kit_broker):
        found = await read_topic(kit_settings.topic("kit.tallies"), 30)
        await outbox_emptied(kit_pool)
    assert [record.value for record in found] == [e.model_dump_json().encode() for e in events]
    assert [record.key for record in found] == [e.key.encode() for e in events]
    # The broker client adds a message id of its own under `correlation_id`; the event's correlation id is in the event.
    assert all(headers(record) == {"content-type": b"application/json"} for record in found)
    assert [e["payload"]["n"] for e in events_of(await read_topic(kit_settings.topic("kit.other"), 1))] == [99]


async def test_events_of_a_rolled_back_transaction_never_appear(
    kit_settings: ServiceSettings, kit_pool: asyncpg.Pool, kit_broker: KafkaBroker, read_topic: TopicReader
) -> None:
    async with kit_pool.acquire() as conn:
        with pytest.raises(RuntimeError):
            async with conn.transaction():
                await add_events(conn, [("kit.tallies", tally(1)), ("kit.tallies", tally(2))])
                raise RuntimeError("the use case failed")
        async with conn.transaction():
            await add_event(conn, "kit.tallies", tally(3))
    async with relaying(kit_settings, kit_broker):
        await outbox_emptied(kit_pool)
        found = await read_topic(kit_settings.topic("kit.tallies"), 1)
    assert [e["payload"]["n"] for e in events_of(found)] == [3]


async def test_a_relay_interrupted_between_publishing_and_deleting_publishes_again_and_loses_nothing(
    kit_settings: ServiceSettings, kit_pool: asyncpg.Pool, kit_broker: KafkaBroker, read_topic: TopicReader,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    interruptions = [ConnectionError("connection lost before the delete")]

    class LosesTheFirstDelete(asyncpg.Connection):  # type: ignore[misc]
        async def execute(self, query: str, *args: Any, timeout: float | None = None) -> str:
            if query.startswith("DELETE FROM outbox") and interruptions:
                raise interruptions.pop()
            return str(await super().execute(query, *args, timeout=timeout))

    async def connect(dsn: str) -> asyncpg.Connection:
        conn = await asyncpg.connect(dsn, connection_class=LosesTheFirstDelete)
        await db._init_connection(conn)
        return conn

    monkeypatch.setattr(outbox, "connect", connect)
    events = [tally(n) for n in (1, 2, 3)]
    async with kit_pool.acquire() as conn, conn.transaction():
        await add_events(conn, [("kit.tallies", e) for e in events])
    async with relaying(kit_settings, kit_broker):
        found = await read_topic(kit_settings.topic("kit.tallies"), 6)
        await outbox_emptied(kit_pool)
    assert interruptions == []
    # At least once: the rows went a second time, in the same order; the consumers' inboxes drop the repeats.
    assert [record.value for record in found] == [e.model_dump_json().encode() for e in events] * 2
    assert await kit_pool.fetchval("SELECT count(*) FROM outbox_failed") == 0


async def test_an_event_queued_without_a_correlation_id_carries_the_current_one(
    kit_settings: ServiceSettings, kit_pool: asyncpg.Pool, kit_broker: KafkaBroker, read_topic: TopicReader
) -> None:
    current, own = uuid.uuid4(), uuid.uuid4()
    async with kit_pool.acquire() as conn, conn.transaction():
        with correlation.correlated(current):
            await add_events(conn, [("kit.tallies", tally(1)), ("kit.tallies", tally(2, correlation_id=own))])
        await add_event(conn, "kit.tallies", tally(3))
    async with relaying(kit_settings, kit_broker):
        found = await read_topic(kit_settings.topic("kit.tallies"), 3)
    assert [(e["payload"]["n"], e["correlation_id"]) for e in events_of(found)] == [
        (1, str(current)), (2, str(own)), (3, None),
    ]


async def test_the_headers_of_a_dead_letter_reach_kafka(
    kit_settings: ServiceSettings, kit_pool: asyncpg.Pool, kit_broker: KafkaBroker, read_topic: TopicReader
) -> None:
    sent = {
        "traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        "dlq-reason": "PermanentError: two is not a tally",
        "dlq-origin-topic": "kit.tallies",
        "dlq-origin-partition": "0",
        "dlq-origin-offset": "17",
        "dlq-consumer-group": "kitgroup",
        "dlq-failed-at": "2026-01-01T00:00:00+00:00",
    }
    async with kit_pool.acquire() as conn, conn.transaction():
        await add_message(conn, "kit.tallies.dlq", "K2", b"\xffnot an event", sent)
    async with relaying(kit_settings, kit_broker):
        [record] = await read_topic(kit_settings.topic("kit.tallies.dlq"), 1)
    assert (record.key, record.value) == (b"K2", b"\xffnot an event")
    assert headers(record) == {"content-type": b"application/json", **{k: v.encode() for k, v in sent.items()}}


async def test_a_row_the_broker_refuses_is_set_aside_and_the_rows_after_it_go_on(
    kit_settings: ServiceSettings, kit_pool: asyncpg.Pool, kit_broker: KafkaBroker, read_topic: TopicReader
) -> None:
    async with kit_pool.acquire() as conn, conn.transaction():
        await add_event(conn, "kit.tallies", tally(1))
        await add_message(conn, "kit.tallies", "K0", b"x" * 2_000_000, {})
        await add_event(conn, "kit.tallies", tally(3))
    async with relaying(kit_settings, kit_broker):
        found = await read_topic(kit_settings.topic("kit.tallies"), 2)
        await outbox_emptied(kit_pool)
    assert [e["payload"]["n"] for e in events_of(found)] == [1, 3]
    [failed] = await kit_pool.fetch("SELECT id, topic, key, length(value) AS size, error FROM outbox_failed")
    assert (failed["id"], failed["topic"], failed["key"], failed["size"]) == (2, "kit.tallies", "K0", 2_000_000)
    assert failed["error"].startswith("MessageSizeTooLargeError")


async def test_only_one_relay_of_a_service_publishes(
    kit_settings: ServiceSettings, kit_pool: asyncpg.Pool, kit_broker: KafkaBroker
) -> None:
    async with relaying(kit_settings, kit_broker) as first, relaying(kit_settings, kit_broker) as second:
        for _ in range(100):
            if first.is_leader or second.is_leader:
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(1.5)
        assert [first.is_leader, second.is_leader].count(True) == 1
