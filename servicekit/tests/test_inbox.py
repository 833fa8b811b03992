"""The inbox against a real PostgreSQL: each event applied once, in the transaction of its inbox row, or dead-lettered.

A small service of the test's own ("kit", events `kit.tally` v1 on `kit.tallies`) applies tallies to a table
`tallies`; the batch processor runs exactly as a service's consumer runs it, given records as Kafka hands them.
"""

import json
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any
from uuid import UUID

import asyncpg
import pytest
from aiokafka.structs import ConsumerRecord
from prometheus_client import REGISTRY

from inventory_contracts import Envelope, EventSpec, Payload, new_envelope
from servicekit import correlation
from servicekit.inbox import MAX_DEAD_LETTER_BYTES, BatchProcessor, PermanentError, Subscription
from servicekit.settings import ServiceSettings
from servicekit.uow import UnitOfWork


class Tally(Payload):
    name: str
    n: int


TALLY_V1 = EventSpec(type="kit.tally", version=1, topic="kit.tallies", payload=Tally)
TOPIC = TALLY_V1.topic
DLQ = "kit.tallies.dlq"


class KitUnitOfWork(UnitOfWork):
    """The service's own kind, as a service subclasses it to hold its repositories."""

    async def add_tally(self, event: Envelope[Tally]) -> None:
        await self.conn.execute(
            "INSERT INTO tallies (event_id, name, n, correlation_id, uow_kind) VALUES ($1, $2, $3, $4, $5)",
            event.event_id, event.payload.name, event.payload.n, correlation.current(), type(self).__name__,
        )


@pytest.fixture
async def pool(kit_pool: asyncpg.Pool) -> AsyncIterator[asyncpg.Pool]:
    await kit_pool.execute(
        """
        CREATE TABLE tallies (
            event_id uuid NOT NULL, name text NOT NULL, n int NOT NULL UNIQUE, correlation_id uuid, uow_kind text NOT NULL
        );
        CREATE TABLE failures (name text NOT NULL, reason text NOT NULL);
        """
    )
    yield kit_pool


def tally(n: int, name: str = "t", correlation_id: UUID | None = None) -> Envelope[Any]:
    return new_envelope(TALLY_V1, Tally(name=name, n=n), producer="test", key=name, correlation_id=correlation_id)


class Records:
    """Kafka records of the prefixed topic, one partition, numbered as the broker would."""

    def __init__(self, settings: ServiceSettings) -> None:
        self.topic = settings.topic(TOPIC)
        self.offset = 0

    def __call__(self, *values: bytes | Envelope[Any], headers: Sequence[tuple[str, bytes]] = ()) -> list[ConsumerRecord[Any, Any]]:
        made = []
        for value in values:
            raw = value if isinstance(value, bytes) else value.model_dump_json().encode()
            made.append(ConsumerRecord(self.topic, 0, self.offset, int(time.time() * 1000), 0, b"t", raw, None, 1, len(raw), headers))
            self.offset += 1
        return made

    def at(self, offset: int, value: Envelope[Any]) -> ConsumerRecord[Any, Any]:
        raw = value.model_dump_json().encode()
        return ConsumerRecord(self.topic, 0, offset, int(time.time() * 1000), 0, b"t", raw, None, 1, len(raw), ())


Handler = Callable[[KitUnitOfWork, Envelope[Tally]], Awaitable[None]]


async def apply_tally(uow: KitUnitOfWork, event: Envelope[Tally]) -> None:
    await uow.add_tally(event)


def processor(settings: ServiceSettings, pool: asyncpg.Pool, handle: Handler = apply_tally, **options: Any) -> BatchProcessor:
    subscription = Subscription(TOPIC, [TALLY_V1], handle, **options)
    return BatchProcessor(subscription, settings, lambda: pool, KitUnitOfWork)


def consumed(settings: ServiceSettings, outcome: str) -> float:
    return REGISTRY.get_sample_value("inventory_events_consumed_total", {"topic": TOPIC, "outcome": outcome}) or 0.0


class Outcomes:
    """The EVENTS_CONSUMED counts a step adds, by outcome."""

    def __init__(self, settings: ServiceSettings) -> None:
        self.settings = settings
        self.before = self.now()

    def now(self) -> dict[str, float]:
        return {o: consumed(self.settings, o) for o in ("processed", "duplicate", "dead_lettered")}

    def added(self) -> dict[str, float]:
        now = self.now()
        added = {o: now[o] - self.before[o] for o in now if now[o] != self.before[o]}
        self.before = now
        return added


async def tallies(pool: asyncpg.Pool) -> list[tuple[str, int]]:
    return [(r["name"], r["n"]) for r in await pool.fetch("SELECT name, n FROM tallies ORDER BY n")]


async def inbox(pool: asyncpg.Pool) -> list[tuple[str, int]]:
    return [(r["event_id"], r["kafka_offset"]) for r in await pool.fetch("SELECT event_id, kafka_offset FROM inbox ORDER BY kafka_offset")]


async def dead_letters(pool: asyncpg.Pool) -> list[asyncpg.Record]:
    return list(await pool.fetch("SELECT topic, key, value, headers FROM outbox WHERE topic = $1 ORDER BY id", DLQ))


async def test_a_batch_is_applied_once_with_its_inbox_rows_in_one_transaction(kit_settings: ServiceSettings, pool: asyncpg.Pool) -> None:
    records, outcomes = Records(kit_settings), Outcomes(kit_settings)
    events = [tally(n) for n in (1, 2, 3)]
    await processor(kit_settings, pool).process(records(*events))
    assert await tallies(pool) == [("t", 1), ("t", 2), ("t", 3)]
    assert await inbox(pool) == [(str(e.event_id), offset) for offset, e in enumerate(events)]
    # One transaction wrote every row: they share the writing transaction's id.
    transactions = await pool.fetch("SELECT xmin::text AS x FROM tallies UNION SELECT xmin::text FROM inbox")
    assert len(transactions) == 1
    assert outcomes.added() == {"processed": 3}


async def test_the_same_records_again_are_duplicates_and_not_applied_again(kit_settings: ServiceSettings, pool: asyncpg.Pool) -> None:
    records, outcomes = Records(kit_settings), Outcomes(kit_settings)
    batch = records(tally(1), tally(2))
    apply = processor(kit_settings, pool)
    await apply.process(batch)
    assert outcomes.added() == {"processed": 2}
    await apply.process(batch)
    assert outcomes.added() == {"duplicate": 2}
    assert await tallies(pool) == [("t", 1), ("t", 2)]
    assert len(await inbox(pool)) == 2


async def test_an_event_seen_before_at_a_new_offset_is_a_duplicate(kit_settings: ServiceSettings, pool: asyncpg.Pool) -> None:
    records, outcomes = Records(kit_settings), Outcomes(kit_settings)
    event = tally(1)
    apply = processor(kit_settings, pool)
    await apply.process(records(event))
    # Published again (a relay restarted before deleting it): later on the topic, with the same event id.
    second = tally(2)
    await apply.process([records.at(40, event), *records(second)])
    assert outcomes.added() == {"processed": 2, "duplicate": 1}
    assert await tallies(pool) == [("t", 1), ("t", 2)]
    assert await inbox(pool) == [(str(event.event_id), 0), (str(second.event_id), 1)]


async def test_the_same_event_twice_in_one_batch_is_applied_once(kit_settings: ServiceSettings, pool: asyncpg.Pool) -> None:
    records, outcomes = Records(kit_settings), Outcomes(kit_settings)
    event = tally(7)
    await processor(kit_settings, pool).process(records(event, event))
    assert outcomes.added() == {"processed": 1, "duplicate": 1}
    assert await tallies(pool) == [("t", 7)]
    assert [event_id for event_id, _ in await inbox(pool)] == [str(event.event_id)]


@pytest.mark.parametrize("fault", [ConnectionError("connection reset"), asyncpg.SerializationError("could not serialize access")])
async def test_a_transient_fault_is_retried_and_the_batch_applied_once(
    kit_settings: ServiceSettings, pool: asyncpg.Pool, fault: Exception
) -> None:
    records, outcomes = Records(kit_settings), Outcomes(kit_settings)
    calls: list[int] = []

    async def flaky(uow: KitUnitOfWork, event: Envelope[Tally]) -> None:
        calls.append(event.payload.n)
        await uow.add_tally(event)
        if calls == [1, 2]:
            raise fault  # after the first event's row is written: the retry must not find it there

    await processor(kit_settings, pool, flaky).process(records(tally(1), tally(2), tally(3)))
    assert calls == [1, 2, 1, 2, 3]
    assert await tallies(pool) == [("t", 1), ("t", 2), ("t", 3)]
    assert len(await inbox(pool)) == 3
    assert await dead_letters(pool) == []
    assert outcomes.added() == {"processed": 3}


async def test_a_permanent_error_dead_letters_exactly_that_event_and_the_rest_apply(
    kit_settings: ServiceSettings, pool: asyncpg.Pool
) -> None:
    records, outcomes = Records(kit_settings), Outcomes(kit_settings)

    async def refuse_two(uow: KitUnitOfWork, event: Envelope[Tally]) -> None:
        await uow.add_tally(event)
        if event.payload.n == 2:
            raise PermanentError("two is not a tally")

    events = [tally(n) for n in (1, 2, 3)]
    batch = records(*events, headers=[("traceparent", b"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")])
    await processor(kit_settings, pool, refuse_two).process(batch)
    assert await tallies(pool) == [("t", 1), ("t", 3)]
    assert outcomes.added() == {"processed": 2, "dead_lettered": 1}
    # Every event is in the inbox, the dead-lettered one too: a redelivery does not dead-letter it twice.
    assert await inbox(pool) == [(str(e.event_id), offset) for offset, e in enumerate(events)]
    [letter] = await dead_letters(pool)
    assert (letter["key"], bytes(letter["value"])) == ("t", events[1].model_dump_json().encode())
    headers = letter["headers"]
    failed_at = headers.pop("dlq-failed-at")
    assert failed_at[:4].isdigit()
    assert headers == {
        "traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        "dlq-reason": "PermanentError: two is not a tally",
        "dlq-origin-topic": TOPIC,
        "dlq-origin-partition": "0",
        "dlq-origin-offset": "1",
        "dlq-consumer-group": kit_settings.consumer_group,
    }
    await processor(kit_settings, pool, refuse_two).process(batch)
    assert outcomes.added() == {"duplicate": 3}
    assert len(await dead_letters(pool)) == 1


async def test_an_unexpected_error_of_a_handler_is_dead_lettered_like_a_permanent_one(
    kit_settings: ServiceSettings, pool: asyncpg.Pool
) -> None:
    records = Records(kit_settings)

    async def broken(uow: KitUnitOfWork, event: Envelope[Tally]) -> None:
        await uow.add_tally(event)
        if event.payload.n == 1:
            raise KeyError("missing")

    await processor(kit_settings, pool, broken).process(records(tally(1), tally(2)))
    assert await tallies(pool) == [("t", 2)]
    [letter] = await dead_letters(pool)
    assert letter["headers"]["dlq-reason"] == "KeyError: 'missing'"
    assert letter["headers"]["dlq-origin-offset"] == "0"


async def test_a_permanent_error_keeps_what_its_record_writes_after_the_rollback(
    kit_settings: ServiceSettings, pool: asyncpg.Pool
) -> None:
    records = Records(kit_settings)
    seen_kinds: list[str] = []

    async def refuse(uow: KitUnitOfWork, event: Envelope[Tally]) -> None:
        await uow.add_tally(event)
        await uow.conn.execute("INSERT INTO failures VALUES ($1, 'written by the handler')", event.payload.name)
        if event.payload.name == "bad":

            async def record(kept: UnitOfWork) -> None:
                seen_kinds.append(type(kept).__name__)
                await kept.conn.execute("INSERT INTO failures VALUES ($1, 'recorded')", event.payload.name)

            raise PermanentError("bad tally", record=record)

    await processor(kit_settings, pool, refuse).process(records(tally(1, "good"), tally(2, "bad")))
    assert await tallies(pool) == [("good", 1)]
    failures = [(r["name"], r["reason"]) for r in await pool.fetch("SELECT name, reason FROM failures ORDER BY name")]
    assert failures == [("bad", "recorded"), ("good", "written by the handler")]
    assert seen_kinds == ["KitUnitOfWork"]
    [letter] = await dead_letters(pool)
    assert letter["headers"]["dlq-reason"] == "PermanentError: bad tally"


def unparseable() -> list[tuple[str, bytes]]:
    well_formed = json.loads(tally(9).model_dump_json())
    return [
        ("garbage", b"\xff\x00not json at all"),
        ("not an object", b"[1, 2, 3]"),
        ("wrong type", json.dumps({**well_formed, "type": "kit.other"}).encode()),
        ("wrong version", json.dumps({**well_formed, "version": 2}).encode()),
        ("invalid payload", json.dumps({**well_formed, "payload": {"name": "t", "n": "nine"}}).encode()),
        ("nested too deeply", b"[" * 100_000 + b"]" * 100_000),
        ("huge", json.dumps({**well_formed, "payload": {"name": "x" * (MAX_DEAD_LETTER_BYTES + 10), "n": "?"}}).encode()),
    ]


@pytest.mark.parametrize(("case", "value"), unparseable(), ids=[case for case, _ in unparseable()])
async def test_a_record_that_does_not_parse_is_dead_lettered_never_retried(
    kit_settings: ServiceSettings, pool: asyncpg.Pool, case: str, value: bytes
) -> None:
    records, outcomes = Records(kit_settings), Outcomes(kit_settings)
    calls: list[int] = []

    async def counting(uow: KitUnitOfWork, event: Envelope[Tally]) -> None:
        calls.append(event.payload.n)
        await uow.add_tally(event)

    good = tally(1)
    started = time.monotonic()
    await processor(kit_settings, pool, counting).process(records(value, good))
    assert time.monotonic() - started < 5
    assert calls == [1]
    assert await tallies(pool) == [("t", 1)]
    assert outcomes.added() == {"processed": 1, "dead_lettered": 1}
    # The unreadable message has no event id: its place on the topic stands for it in the inbox.
    assert await inbox(pool) == [(f"kafka:{records.topic}:0:0", 0), (str(good.event_id), 1)]
    [letter] = await dead_letters(pool)
    assert letter["headers"]["dlq-origin-offset"] == "0"
    if len(value) < MAX_DEAD_LETTER_BYTES:
        assert bytes(letter["value"]) == value
        assert letter["headers"]["dlq-reason"].split(":")[0] in {"MalformedEventError", "UnknownEventError", "ValidationError"}
    else:
        assert letter["headers"]["dlq-shortened"] == "true"
        assert len(bytes(letter["value"])) < 10_000
    # Redelivered (the offset was not committed yet): not dead-lettered twice.
    records.offset = 0
    await processor(kit_settings, pool, counting).process(records(value, good))
    assert outcomes.added() == {"duplicate": 2}
    assert len(await dead_letters(pool)) == 1


async def test_the_duplicates_finder_skips_repeats_of_a_business_key(kit_settings: ServiceSettings, pool: asyncpg.Pool) -> None:
    records, outcomes = Records(kit_settings), Outcomes(kit_settings)
    kinds: list[str] = []

    async def repeated(uow: KitUnitOfWork, events: list[Envelope[Tally]]) -> set[UUID]:
        """The tally number is the business key: applied before, or earlier in the list."""
        kinds.append(type(uow).__name__)
        applied = {r["n"] for r in await uow.conn.fetch("SELECT n FROM tallies")}
        found: set[UUID] = set()
        for event in events:
            if event.payload.n in applied:
                found.add(event.event_id)
            applied.add(event.payload.n)
        return found

    apply = processor(kit_settings, pool, duplicates=repeated)
    await apply.process(records(tally(1), tally(2)))
    # The same tallies published again under new event ids (a replay by hand), and a repeat inside the batch.
    await apply.process(records(tally(2, "again"), tally(3), tally(3, "again"), tally(1, "again")))
    assert await tallies(pool) == [("t", 1), ("t", 2), ("t", 3)]
    assert outcomes.added() == {"processed": 3, "duplicate": 3}
    assert await dead_letters(pool) == []
    assert kinds == ["KitUnitOfWork", "KitUnitOfWork"]


async def test_the_duplicates_finder_also_runs_when_a_batch_is_isolated(kit_settings: ServiceSettings, pool: asyncpg.Pool) -> None:
    records, outcomes = Records(kit_settings), Outcomes(kit_settings)

    async def repeated(uow: KitUnitOfWork, events: list[Envelope[Tally]]) -> set[UUID]:
        applied = {r["n"] for r in await uow.conn.fetch("SELECT n FROM tallies")}
        return {event.event_id for event in events if event.payload.n in applied}

    async def refuse_five(uow: KitUnitOfWork, event: Envelope[Tally]) -> None:
        if event.payload.n == 5:
            raise PermanentError("five")
        await uow.add_tally(event)

    apply = processor(kit_settings, pool, refuse_five, duplicates=repeated)
    await apply.process(records(tally(1)))
    await apply.process(records(tally(1, "again"), tally(5), tally(6)))
    assert await tallies(pool) == [("t", 1), ("t", 6)]
    assert outcomes.added() == {"processed": 2, "duplicate": 1, "dead_lettered": 1}
    assert [letter["headers"]["dlq-reason"] for letter in await dead_letters(pool)] == ["PermanentError: five"]


async def test_handlers_receive_the_unit_of_work_kind_given(kit_settings: ServiceSettings, pool: asyncpg.Pool) -> None:
    records = Records(kit_settings)
    await processor(kit_settings, pool).process(records(tally(1)))
    batches: list[str] = []

    async def apply_all(uow: KitUnitOfWork, events: list[Envelope[Tally]]) -> None:
        batches.append(type(uow).__name__)
        for event in events:
            await uow.add_tally(event)

    await processor(kit_settings, pool, handle_batch=apply_all).process(records(tally(2), tally(3)))
    assert [r["uow_kind"] for r in await pool.fetch("SELECT uow_kind FROM tallies ORDER BY n")] == ["KitUnitOfWork"] * 3
    assert batches == ["KitUnitOfWork"]


async def test_the_correlation_id_inside_a_handler_is_the_events(kit_settings: ServiceSettings, pool: asyncpg.Pool) -> None:
    records = Records(kit_settings)
    first, second = uuid.uuid4(), uuid.uuid4()

    async def apply_and_announce(uow: KitUnitOfWork, event: Envelope[Tally]) -> None:
        await uow.add_tally(event)
        # Queued without a correlation id of its own: it takes the one current, the consumed event's.
        await uow.publish("kit.other", tally(event.payload.n + 100, "caused"))

    with correlation.correlated(uuid.uuid4()):  # whatever was current outside does not leak into a handler
        await processor(kit_settings, pool, apply_and_announce).process(
            records(tally(1, correlation_id=first), tally(2, correlation_id=second), tally(3))
        )
    found = await pool.fetch("SELECT n, correlation_id FROM tallies ORDER BY n")
    assert [(r["n"], r["correlation_id"]) for r in found] == [(1, first), (2, second), (3, None)]
    caused = [json.loads(bytes(r["value"])) for r in await pool.fetch("SELECT value FROM outbox WHERE topic = 'kit.other' ORDER BY id")]
    assert [(e["payload"]["n"], e["correlation_id"]) for e in caused] == [(101, str(first)), (102, str(second)), (103, None)]
    assert correlation.current() is None


async def test_a_batch_handler_runs_with_the_shared_correlation_id_or_none(kit_settings: ServiceSettings, pool: asyncpg.Pool) -> None:
    records = Records(kit_settings)
    shared = uuid.uuid4()
    seen: list[UUID | None] = []

    async def apply_all(uow: KitUnitOfWork, events: list[Envelope[Tally]]) -> None:
        seen.append(correlation.current())
        for event in events:
            await uow.add_tally(event)

    apply = processor(kit_settings, pool, handle_batch=apply_all)
    await apply.process(records(tally(1, correlation_id=shared), tally(2, correlation_id=shared)))
    await apply.process(records(tally(3, correlation_id=shared), tally(4, correlation_id=uuid.uuid4())))
    assert seen == [shared, None]


async def test_a_failure_outside_the_handlers_leaves_no_inbox_row_behind(kit_settings: ServiceSettings, pool: asyncpg.Pool) -> None:
    records = Records(kit_settings)

    async def failing_finder(uow: KitUnitOfWork, events: list[Envelope[Tally]]) -> set[UUID]:
        raise RuntimeError("the finder is broken")

    batch = records(tally(1), tally(2))
    with pytest.raises(RuntimeError, match="the finder is broken"):
        await processor(kit_settings, pool, duplicates=failing_finder).process(batch)
    # Rolled back whole: the offsets are not committed, the batch comes again and is applied then.
    assert await inbox(pool) == []
    assert await tallies(pool) == []
    await processor(kit_settings, pool).process(batch)
    assert await tallies(pool) == [("t", 1), ("t", 2)]
