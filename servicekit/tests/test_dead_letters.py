"""Dead letters from the inbox to Kafka and back: shortened when too big, listed, and replayed onto their topic."""

import asyncio
import base64
import contextlib
import hashlib
import json
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import asyncpg
import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.structs import ConsumerRecord
from faststream.kafka import KafkaBroker

from devstack.stack import Stack
from inventory_contracts import Envelope, EventSpec, Payload, new_envelope
from servicekit import dlq
from servicekit.inbox import MAX_DEAD_LETTER_BYTES, BatchProcessor, PermanentError, Subscription
from servicekit.outbox import OutboxRelay
from servicekit.settings import ServiceSettings
from servicekit.uow import UnitOfWork

TopicReader = Callable[..., Any]


class Tally(Payload):
    name: str
    n: int


TALLY_V1 = EventSpec(type="kit.tally", version=1, topic="kit.tallies", payload=Tally)
TOPIC, DLQ = "kit.tallies", "kit.tallies.dlq"
TRACEPARENT = b"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


@pytest.fixture
async def pool(kit_pool: asyncpg.Pool) -> AsyncIterator[asyncpg.Pool]:
    await kit_pool.execute("CREATE TABLE tallies (n int PRIMARY KEY); CREATE TABLE refused (n int PRIMARY KEY)")
    yield kit_pool


async def apply_unless_refused(uow: UnitOfWork, event: Envelope[Tally]) -> None:
    """Refuses a tally listed in `refused` (a rule the data breaks until someone mends it)."""
    if await uow.conn.fetchval("SELECT count(*) FROM refused WHERE n = $1", event.payload.n):
        raise PermanentError(f"tally {event.payload.n} is refused")
    await uow.conn.execute("INSERT INTO tallies VALUES ($1)", event.payload.n)


def processor(settings: ServiceSettings, pool: asyncpg.Pool) -> BatchProcessor:
    return BatchProcessor(Subscription(TOPIC, [TALLY_V1], apply_unless_refused), settings, lambda: pool)


def record(topic: str, offset: int, value: bytes, headers: list[tuple[str, bytes]] | None = None) -> ConsumerRecord[Any, Any]:
    return ConsumerRecord(topic, 0, offset, int(time.time() * 1000), 0, b"K", value, None, 1, len(value), headers or [])


def tally(n: int) -> bytes:
    return new_envelope(TALLY_V1, Tally(name="t", n=n), producer="test", key="K").model_dump_json().encode()


@contextlib.asynccontextmanager
async def relaying(settings: ServiceSettings, broker: KafkaBroker, pool: asyncpg.Pool) -> AsyncIterator[None]:
    """The relay running until the block ends, the outbox emptied by then."""
    task = asyncio.create_task(OutboxRelay(settings, broker).run())
    try:
        yield
        for _ in range(300):
            if not await pool.fetchval("SELECT count(*) FROM outbox"):
                break
            await asyncio.sleep(0.1)
        assert await pool.fetchval("SELECT count(*) FROM outbox") == 0
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def test_a_dead_letter_too_big_for_the_broker_keeps_its_origin_hash_and_head(
    kit_settings: ServiceSettings, pool: asyncpg.Pool, kit_broker: KafkaBroker, read_topic: TopicReader
) -> None:
    huge = json.dumps({"type": "kit.tally", "version": 1, "payload": {"name": "x" * MAX_DEAD_LETTER_BYTES}}).encode()
    origin = record(kit_settings.topic(TOPIC), 5, huge, [("traceparent", TRACEPARENT)])
    await processor(kit_settings, pool).process([origin])
    [row] = await pool.fetch("SELECT topic, key, value, headers FROM outbox")
    summary, headers = json.loads(bytes(row["value"])), row["headers"]
    assert (row["topic"], row["key"]) == (DLQ, "K")
    assert len(bytes(row["value"])) + sum(len(k) + len(v) for k, v in headers.items()) < 10_000
    assert summary == {
        "shortened": True,
        "reason": headers["dlq-reason"],
        "origin_topic": TOPIC,
        "origin_partition": "0",
        "origin_offset": "5",
        "original_bytes": len(huge),
        "original_sha256": hashlib.sha256(huge).hexdigest(),
        "original_head_base64": base64.b64encode(huge[:1024]).decode(),
    }
    assert headers["dlq-reason"].startswith("ValidationError: ")
    assert {k: v for k, v in headers.items() if k not in ("dlq-reason", "dlq-failed-at")} == {
        "dlq-origin-topic": TOPIC,
        "dlq-origin-partition": "0",
        "dlq-origin-offset": "5",
        "dlq-consumer-group": kit_settings.consumer_group,
        "dlq-shortened": "true",
        "dlq-original-bytes": str(len(huge)),
        "dlq-original-sha256": hashlib.sha256(huge).hexdigest(),
    }
    # Small enough for the broker: the relay publishes it instead of stalling behind it.
    async with relaying(kit_settings, kit_broker, pool):
        [published] = await read_topic(kit_settings.topic(DLQ), 1)
    assert published.value == bytes(row["value"])
    assert await pool.fetchval("SELECT count(*) FROM outbox_failed") == 0


async def test_dead_letters_are_listed_and_replayed_onto_their_topic_once(
    stack: Stack, kit_settings: ServiceSettings, pool: asyncpg.Pool, kit_broker: KafkaBroker, read_topic: TopicReader
) -> None:
    topic = kit_settings.topic(TOPIC)
    await pool.execute("INSERT INTO refused VALUES (2)")
    refused, garbage = tally(2), b"\xffnot an event"
    huge = b"{" * (MAX_DEAD_LETTER_BYTES + 1)
    batch = [record(topic, offset, value, [("traceparent", TRACEPARENT)])
             for offset, value in enumerate([tally(1), refused, garbage, huge, tally(4)])]
    await processor(kit_settings, pool).process(batch)
    assert [r["n"] for r in await pool.fetch("SELECT n FROM tallies ORDER BY n")] == [1, 4]
    async with relaying(kit_settings, kit_broker, pool):
        await read_topic(kit_settings.topic(DLQ), 3)

    # What `inventory dead-letters list` shows: every dead letter, each time it is asked.
    listings = [await dlq.read(stack.bootstrap_servers, kit_settings.topic(DLQ), stack.kafka_auth) for _ in range(5)]
    assert [len(listing) for listing in listings] == [3] * 5
    listed = listings[0]
    assert [(dict(r.headers)["dlq-origin-offset"], r.value) for r in listed[:2]] == [(b"1", refused), (b"2", garbage)]
    reasons = [dict(r.headers)["dlq-reason"] for r in listed]
    assert reasons[0] == b"PermanentError: tally 2 is refused"
    assert reasons[1].startswith(b"MalformedEventError: not a JSON document")
    assert (dict(listed[2].headers)["dlq-shortened"], dict(listed[2].headers)["dlq-origin-offset"]) == (b"true", b"3")

    # The shortened one cannot be replayed (only its summary was kept); the others go back with their own headers.
    first = await dlq.replay(stack.bootstrap_servers, DLQ, kit_settings.topic_prefix, stack.kafka_auth)
    assert (first.replayed, first.duplicates, len(first.skipped)) == (2, 0, 1)
    assert (await dlq.replay(stack.bootstrap_servers, DLQ, kit_settings.topic_prefix, stack.kafka_auth)).replayed == 0
    replayed = await read_topic(topic, 2)
    assert [(r.key, r.value) for r in replayed] == [(b"K", refused), (b"K", garbage)]
    for r in replayed:
        assert ("traceparent", TRACEPARENT) in list(r.headers)
        assert not [name for name, _ in r.headers if name.startswith("dlq-")]


async def test_a_replayed_dead_letter_is_applied_once_its_cause_is_mended(
    stack: Stack, kit_settings: ServiceSettings, pool: asyncpg.Pool, kit_broker: KafkaBroker, read_topic: TopicReader
) -> None:
    """The point of replaying: an event refused by the data as it was is applied when it comes again after the fix.

    It was never applied (its changes were rolled back), so coming again from the dead-letter topic it must not
    count as a duplicate: refused again it is dead-lettered again, for a later replay; once mended it is applied.
    Coming again at the same place (a redelivery before the offsets were committed) it is not dead-lettered twice.
    """
    topic = kit_settings.topic(TOPIC)

    async def dead_letter_count() -> int:
        return int(await pool.fetchval("SELECT count(*) FROM outbox WHERE topic = $1", DLQ))

    async def replay_onto_topic(count: int) -> ConsumerRecord[Any, Any]:
        async with relaying(kit_settings, kit_broker, pool):
            await read_topic(kit_settings.topic(DLQ), count)
        assert (await dlq.replay(stack.bootstrap_servers, DLQ, kit_settings.topic_prefix, stack.kafka_auth)).replayed == 1
        return (await read_topic(topic, count))[count - 1]

    await pool.execute("INSERT INTO refused VALUES (2)")
    original = record(topic, 1000, tally(2))
    apply = processor(kit_settings, pool)
    await apply.process([original])
    await apply.process([original])
    assert await dead_letter_count() == 1

    first_replay = await replay_onto_topic(1)
    assert first_replay.value == original.value
    await apply.process([first_replay])
    assert await dead_letter_count() == 1, "a replayed dead letter refused again is dead-lettered again"
    await apply.process([first_replay])
    assert await dead_letter_count() == 1

    await pool.execute("DELETE FROM refused")
    second_replay = await replay_onto_topic(2)
    await apply.process([second_replay])
    assert [r["n"] for r in await pool.fetch("SELECT n FROM tallies")] == [2]
    # Every copy coming again later (redelivered, or replayed twice after a crash) is a duplicate now.
    await apply.process([original, first_replay, second_replay, record(topic, second_replay.offset + 1, original.value)])
    assert [r["n"] for r in await pool.fetch("SELECT n FROM tallies")] == [2]
    assert await dead_letter_count() == 0


async def test_a_record_dead_lettered_by_several_groups_is_replayed_once_even_across_replays(
    stack: Stack, kit_settings: ServiceSettings, read_topic: TopicReader
) -> None:
    """Each consumer group that refuses a record writes a dead letter of its own naming the same origin: the record
    goes back once, also when a group's dead letter arrives after the others were replayed. Without a place, the
    event id names the record; without either, each dead letter is its own."""
    topic, dead_letters = kit_settings.topic(TOPIC), kit_settings.topic(DLQ)

    def at(offset: int, group: str) -> list[tuple[str, bytes]]:
        return [("dlq-origin-topic", TOPIC.encode()), ("dlq-origin-partition", b"0"),
                ("dlq-origin-offset", str(offset).encode()), ("dlq-consumer-group", group.encode())]

    async def dead_letter(value: bytes, headers: list[tuple[str, bytes]]) -> None:
        producer = AIOKafkaProducer(bootstrap_servers=stack.bootstrap_servers, acks="all", **stack.kafka_client_options())
        await producer.start()
        try:
            await producer.send_and_wait(dead_letters, value, key=b"K", headers=headers)
        finally:
            await producer.stop()

    async def replay() -> tuple[int, int]:
        result = await dlq.replay(stack.bootstrap_servers, DLQ, kit_settings.topic_prefix, stack.kafka_auth)
        return result.replayed, result.duplicates

    seven, event = tally(7), tally(8)
    await dead_letter(seven, at(7, "warehouse"))
    await dead_letter(seven, at(7, "costing"))
    await dead_letter(event, [("dlq-origin-topic", TOPIC.encode())])
    await dead_letter(event, [("dlq-origin-topic", TOPIC.encode())])
    await dead_letter(b"anonymous", [("dlq-origin-topic", TOPIC.encode())])
    await dead_letter(b"anonymous", [("dlq-origin-topic", TOPIC.encode())])
    assert await replay() == (4, 2)
    assert sorted(r.value for r in await read_topic(topic, 4)) == sorted([seven, event, b"anonymous", b"anonymous"])

    await dead_letter(seven, at(7, "ledger"))  # late: the record went back already
    await dead_letter(seven, at(9, "warehouse"))  # the same bytes at another place: another record
    assert await replay() == (1, 1)
    assert len(await read_topic(topic, 5)) == 5
