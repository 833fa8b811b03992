"""Consuming events exactly once in effect: inbox, batches, dead letters.

A batch is applied in one database transaction together with its inbox rows and any outbox rows
it causes; Kafka offsets are committed only after that transaction commits (the subscriber acks
after the handler returns). A message that can never be applied goes to `<topic>.dlq` through the
outbox, in the same transaction, so it is neither lost nor dead-lettered twice.
"""

import asyncio
import base64
import hashlib
import json
import logging
import traceback
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Union
from uuid import UUID

import asyncpg
from pydantic import SkipValidation
from aiokafka import ConsumerRecord
from faststream.kafka import KafkaBroker, KafkaMessage
from faststream.middlewares import AckPolicy
from faststream.message import StreamMessage

from inventory_contracts import Envelope, EventRegistry, EventSpec
from inventory_contracts.registry import MalformedEventError
from inventory_contracts.topics import dead_letter

from . import correlation, tracing
from .db import is_transient
from .metrics import DEAD_LETTERS, EVENTS_CONSUMED
from .outbox import add_message
from .settings import ServiceSettings
from .uow import UnitOfWork

log = logging.getLogger(__name__)

# A handler declares the envelope it takes (`Envelope[ItemUpserted]`); the registry has parsed the payload to it.
# The first argument is the unit of work of the service's kind (ServiceRuntime's unit_of_work), a UnitOfWork subclass.
EventHandler = Callable[[Any, Any], Awaitable[None]]
BatchHandler = Callable[[Any, Any], Awaitable[None]]
DuplicateFinder = Callable[[Any, Any], Awaitable[set[UUID]]]
DeadLetterWitness = Callable[[asyncpg.Connection, "ConsumerRecord[Any, Any]", Exception], Awaitable[None]]

# A dead letter larger than this is stored shortened: the broker refuses messages over about 1 MiB
# (message.max.bytes), and a dead letter it refuses would stall the relay behind it.
MAX_DEAD_LETTER_BYTES = 900_000
_KEPT_HEAD_BYTES = 1024


class PermanentError(Exception):
    """An event that can never be applied, whatever is retried: it goes to the dead-letter topic.

    `record`, when given, runs after the event's own changes were rolled back and before it is
    dead-lettered, in the same transaction: a service keeps a trace of the failure (an item's
    error status) that must not vanish with the rolled-back changes.
    """

    def __init__(self, message: str, *, record: Callable[[Any], Awaitable[None]] | None = None) -> None:
        super().__init__(message)
        self.record = record


class NotYetError(Exception):
    """The event needs another that is still on its way on another topic: the batch is tried again shortly, as
    after a transient fault, rather than applied without it. The handler bounds how long it waits."""


def _retried(exc: BaseException) -> bool:
    return is_transient(exc) or isinstance(exc, NotYetError)


@dataclass(frozen=True)
class Subscription:
    """One consumed topic: which events it accepts and how they are applied."""

    topic: str
    events: Sequence[EventSpec]
    handle: EventHandler
    description: str = ""
    handle_batch: BatchHandler | None = None
    """Applies a batch's new events at once, in order; must have the same effect as `handle` on each."""
    duplicates: DuplicateFinder | None = None
    """The event ids of those events whose business key (an entry no.) was applied before, or earlier in the same list.

    The inbox knows events by event id; a producer that publishes the same change again under a new id
    (a replay by hand, a restored outbox) is recognised here instead, and skipped rather than dead-lettered.
    """
    dead_lettered: DeadLetterWitness | None = None
    """Runs in the transaction that dead-letters a record (unreadable, or refused for good), e.g. to answer its sender."""


class BatchProcessor:
    """Applies batches of records for one subscription."""

    def __init__(
        self, subscription: Subscription, settings: ServiceSettings, pool: Callable[[], asyncpg.Pool],
        unit_of_work: type[UnitOfWork] = UnitOfWork,
    ) -> None:
        self._unit_of_work = unit_of_work
        self._subscription = subscription
        self._registry = EventRegistry(subscription.events)
        self._settings = settings
        self._pool = pool
        # At 0 from the start, so that the first dead letter is an increase that alerts see.
        DEAD_LETTERS.labels(dead_letter(subscription.topic))
        for outcome in ("processed", "duplicate", "dead_lettered"):
            EVENTS_CONSUMED.labels(subscription.topic, outcome)

    async def process(self, records: Sequence[ConsumerRecord[Any, Any]]) -> None:
        """Apply `records` in one transaction; transient faults are retried here until they pass.

        The batch first runs without savepoints. Only if a handler fails for good is it run again
        with a savepoint around each event, so that the one bad event is dead-lettered and the
        rest apply: the common case pays no savepoint round trips.
        """
        delay = 0.1
        isolate = False
        while True:
            try:
                outcomes = await self._apply_batch(records, isolate=isolate)
            except _HandlerFailed:
                isolate = True
                continue
            except Exception as exc:
                if not _retried(exc):
                    raise
                log.log(logging.INFO if isinstance(exc, NotYetError) else logging.WARNING,
                        "batch of %d on %s %s (%s); retrying in %.1fs", len(records), self._subscription.topic,
                        "waits" if isinstance(exc, NotYetError) else "failed", exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5)
                continue
            for outcome, count in outcomes.items():
                EVENTS_CONSUMED.labels(self._subscription.topic, outcome).inc(count)
                if outcome == "dead_lettered":
                    DEAD_LETTERS.labels(dead_letter(self._subscription.topic)).inc(count)
            return

    async def _apply_batch(self, records: Sequence[ConsumerRecord[Any, Any]], *, isolate: bool) -> Counter[str]:
        outcomes: Counter[str] = Counter()
        parsed: list[tuple[ConsumerRecord[Any, Any], str, Envelope[Any] | ValueError]] = []
        for record in records:
            try:
                event: Envelope[Any] | ValueError = self._registry.parse(record.value or b"")
                inbox_id = str(event.event_id)  # type: ignore[union-attr]
            except Exception as exc:
                # Whatever the bytes are (any depth, encoding or size), a message that does not parse is
                # poison: it is dead-lettered, never retried, or it would block its partition for good.
                # An unreadable message has no event id; its position identifies it instead.
                event = exc if isinstance(exc, ValueError) else MalformedEventError(f"not a readable event: {type(exc).__name__}: {exc}")
                inbox_id = f"kafka:{record.topic}:{record.partition}:{record.offset}"
            parsed.append((record, inbox_id, event))
        # The batch is applied in the process spans of its messages' traces: what an event causes is written
        # into its own trace (by causation id), and a batch of one trace runs in that trace's span.
        messages = [(record, event.event_id) for record, _, event in parsed if isinstance(event, Envelope)]
        spans = tracing.ConsumerSpans(self._settings.topic(self._subscription.topic), self._settings.consumer_group, messages)
        try:
            with spans.applying([event_id for _, event_id in messages]):
                return await self._apply_parsed(parsed, outcomes, isolate=isolate)
        finally:
            spans.end()

    async def _apply_parsed(
        self, parsed: Sequence[tuple[ConsumerRecord[Any, Any], str, Envelope[Any] | ValueError]], outcomes: Counter[str],
        *, isolate: bool,
    ) -> Counter[str]:
        async with self._pool().acquire() as conn, conn.transaction():
            uow = self._unit_of_work(conn)
            unclaimed = await _claim(conn, [(inbox_id, record) for record, inbox_id, _ in parsed])
            fresh: list[Envelope[Any]] = []
            for record, inbox_id, event in parsed:
                if inbox_id not in unclaimed:
                    outcomes["duplicate"] += 1
                    continue
                unclaimed.discard(inbox_id)
                if isinstance(event, ValueError):
                    await self._dead_letter(conn, record, inbox_id, event)
                    outcomes["dead_lettered"] += 1
                elif isolate:
                    outcomes[await self._apply_isolated(uow, record, event)] += 1
                else:
                    fresh.append(event)
            if fresh and self._subscription.duplicates is not None:
                repeated = await self._subscription.duplicates(uow, fresh)
                outcomes["duplicate"] += len(repeated)
                fresh = [event for event in fresh if event.event_id not in repeated]
            if fresh:
                try:
                    if self._subscription.handle_batch is not None:
                        with correlation.handling_events(fresh):
                            await self._subscription.handle_batch(uow, fresh)
                    else:
                        for event in fresh:
                            with correlation.handling_event(event):
                                await self._subscription.handle(uow, event)
                except Exception as exc:
                    if _retried(exc):
                        raise
                    raise _HandlerFailed from exc
                outcomes["processed"] += len(fresh)
        # After the commit, in the context the events share: one posting's events can be found by its correlation id.
        with correlation.handling_events([event for _, _, event in parsed if not isinstance(event, ValueError)]):
            topic, counted = self._settings.topic(self._subscription.topic), {k: n for k, n in sorted(outcomes.items()) if n}
            log.info("consumed %d from %s: %s", len(parsed), topic, ", ".join(f"{k} {n}" for k, n in counted.items()),
                     extra={"topic": topic, "outcomes": counted})
        return outcomes

    async def _apply_isolated(self, uow: UnitOfWork, record: ConsumerRecord[Any, Any], event: Envelope[Any]) -> str:
        if self._subscription.duplicates is not None and await self._subscription.duplicates(uow, [event]):
            return "duplicate"
        try:
            async with uow.savepoint():
                with correlation.handling_event(event):
                    await self._subscription.handle(uow, event)
        except Exception as exc:
            if _retried(exc):
                raise
            if isinstance(exc, PermanentError) and exc.record is not None:
                await exc.record(uow)
            await self._dead_letter(uow.conn, record, str(event.event_id), exc)
            return "dead_lettered"
        return "processed"

    async def _dead_letter(
        self, conn: asyncpg.Connection, record: ConsumerRecord[Any, Any], inbox_id: str, exc: Exception
    ) -> None:
        """Queue the record for `<topic>.dlq` and mark its inbox row: it was not applied, and a replay applies it."""
        if not isinstance(exc, PermanentError | ValueError):
            log.error("unexpected error on %s@%s:%s\n%s", record.topic, record.partition, record.offset, traceback.format_exc())
        log.warning("dead-lettering %s@%s:%s: %s", record.topic, record.partition, record.offset, exc)
        headers = {name: value.decode(errors="replace") for name, value in record.headers or ()}
        headers.update(
            {
                "dlq-reason": f"{type(exc).__name__}: {exc}"[:4000],
                "dlq-origin-topic": self._subscription.topic,
                "dlq-origin-partition": str(record.partition),
                "dlq-origin-offset": str(record.offset),
                "dlq-consumer-group": self._settings.consumer_group,
                "dlq-failed-at": datetime.now(UTC).isoformat(),
            }
        )
        key = record.key.decode(errors="replace") if record.key is not None else None
        value = record.value or b""
        if len(value) + len(key or "") + sum(len(k) + len(v) for k, v in headers.items()) > MAX_DEAD_LETTER_BYTES:
            value, headers = _shortened(value, headers)
            log.warning("dead letter of %s@%s:%s shortened (%s bytes)", record.topic, record.partition, record.offset, headers["dlq-original-bytes"])
        await add_message(conn, dead_letter(self._subscription.topic), key, value, headers)
        await conn.execute("UPDATE inbox SET dead_lettered = true WHERE event_id = $1", inbox_id)
        if self._subscription.dead_lettered is not None:
            await self._subscription.dead_lettered(conn, record, exc)


def _shortened(value: bytes, headers: dict[str, str]) -> tuple[bytes, dict[str, str]]:
    """A dead letter too big for the broker: what identifies the original (where it was, its hash) and its first bytes.

    The original stays on its topic (until retention) at the offset given; it cannot be replayed from here.
    """
    digest = hashlib.sha256(value).hexdigest()
    kept = {k: v[:1000] for k, v in headers.items() if k.startswith("dlq-")}
    kept.update({"dlq-shortened": "true", "dlq-original-bytes": str(len(value)), "dlq-original-sha256": digest})
    summary = {
        "shortened": True,
        "reason": kept.get("dlq-reason", ""),
        "origin_topic": kept.get("dlq-origin-topic"),
        "origin_partition": kept.get("dlq-origin-partition"),
        "origin_offset": kept.get("dlq-origin-offset"),
        "original_bytes": len(value),
        "original_sha256": digest,
        "original_head_base64": base64.b64encode(value[:_KEPT_HEAD_BYTES]).decode(),
    }
    return json.dumps(summary).encode(), kept


class _HandlerFailed(Exception):
    """A handler failed for good in a batch run without savepoints; the batch is run again isolating each event."""


async def _claim(conn: asyncpg.Connection, events: Sequence[tuple[str, ConsumerRecord[Any, Any]]]) -> set[str]:
    """Record the events in the inbox in one statement; returns the ids not applied before.

    An event dead-lettered before was never applied: coming again elsewhere on the topic (replayed from its
    dead-letter topic) it is claimed again; coming again at the same place (redelivered) it stays a duplicate.
    """
    rows = await conn.fetch(
        """
        INSERT INTO inbox AS seen (event_id, topic, kafka_partition, kafka_offset)
        SELECT DISTINCT ON (event_id) event_id, topic, kafka_partition, kafka_offset
        FROM unnest($1::text[], $2::text[], $3::int[], $4::bigint[]) AS e (event_id, topic, kafka_partition, kafka_offset)
        ORDER BY event_id, kafka_partition DESC, kafka_offset DESC
        ON CONFLICT (event_id) DO UPDATE
        SET topic = excluded.topic, kafka_partition = excluded.kafka_partition, kafka_offset = excluded.kafka_offset,
            dead_lettered = false, processed_at = now()
        WHERE seen.dead_lettered AND (seen.topic, seen.kafka_partition, seen.kafka_offset)
            IS DISTINCT FROM (excluded.topic, excluded.kafka_partition, excluded.kafka_offset)
        RETURNING event_id
        """,
        [event_id for event_id, _ in events],
        [record.topic for _, record in events],
        [record.partition for _, record in events],
        [record.offset for _, record in events],
    )
    return {row["event_id"] for row in rows}


async def _raw_records(message: StreamMessage[Any]) -> Any:
    """Hand the handler the records untouched: parsing happens per record so one bad message cannot stall a batch."""
    return message.raw_message


def subscribe(
    broker: KafkaBroker, settings: ServiceSettings, subscription: Subscription, pool: Callable[[], asyncpg.Pool],
    unit_of_work: type[UnitOfWork] = UnitOfWork,
) -> None:
    """Register a batch subscriber that applies `subscription` with manual, after-commit acknowledgement."""
    processor = BatchProcessor(subscription, settings, pool, unit_of_work)
    envelopes = tuple(Envelope[spec.payload] for spec in subscription.events)  # type: ignore[name-defined]
    # The schema documents the events; validation is skipped here and done per record by the processor.
    body_type: Any = SkipValidation[list[Union[envelopes]]]  # type: ignore[valid-type]  # noqa: UP007

    async def on_batch(body: body_type, message: KafkaMessage) -> None:  # type: ignore[valid-type]
        await processor.process(message.raw_message)

    on_batch.__name__ = f"on_{subscription.topic.replace('.', '_').replace('-', '_')}"
    broker.subscriber(
        settings.topic(subscription.topic),
        group_id=settings.consumer_group,
        batch=True,
        max_records=500,
        batch_timeout_ms=50,
        auto_offset_reset="earliest",
        # Acknowledge after the handler returns, i.e. after the database commit; an unexpected
        # failure rewinds the batch instead of committing past it.
        ack_policy=AckPolicy.NACK_ON_ERROR,
        decoder=_raw_records,
        title=f"{settings.service}:{subscription.topic}",
        description=subscription.description or None,
    )(on_batch)
