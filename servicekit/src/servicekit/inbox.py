"""Consuming events exactly once in effect: inbox, batches, dead letters.

A batch is applied in one database transaction together with its inbox rows and any outbox rows
it causes; Kafka offsets are committed only after that transaction commits (the subscriber acks
after the handler returns). A message that can never be applied goes to `<topic>.dlq` through the
outbox, in the same transaction, so it is neither lost nor dead-lettered twice.
"""

import asyncio
import logging
import traceback
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Union

import asyncpg
from pydantic import SkipValidation
from aiokafka import ConsumerRecord
from faststream.kafka import KafkaBroker, KafkaMessage
from faststream.middlewares import AckPolicy
from faststream.message import StreamMessage

from inventory_contracts import Envelope, EventRegistry, EventSpec
from inventory_contracts.topics import dead_letter

from .db import is_transient
from .metrics import DEAD_LETTERS, EVENTS_CONSUMED
from .outbox import add_message
from .settings import ServiceSettings

log = logging.getLogger(__name__)

EventHandler = Callable[[asyncpg.Connection, Envelope[Any]], Awaitable[None]]


class PermanentError(Exception):
    """An event that can never be applied, whatever is retried: it goes to the dead-letter topic."""


@dataclass(frozen=True)
class Subscription:
    """One consumed topic: which events it accepts and how they are applied."""

    topic: str
    events: Sequence[EventSpec]
    handle: EventHandler
    description: str = ""


class BatchProcessor:
    """Applies batches of records for one subscription."""

    def __init__(self, subscription: Subscription, settings: ServiceSettings, pool: Callable[[], asyncpg.Pool]) -> None:
        self._subscription = subscription
        self._registry = EventRegistry(subscription.events)
        self._settings = settings
        self._pool = pool

    async def process(self, records: Sequence[ConsumerRecord[Any, Any]]) -> None:
        """Apply `records` in one transaction; transient faults are retried here until they pass."""
        delay = 0.1
        while True:
            outcomes: Counter[str] = Counter()
            try:
                async with self._pool().acquire() as conn, conn.transaction():
                    for record in records:
                        outcomes[await self._apply(conn, record)] += 1
            except Exception as exc:
                if not is_transient(exc):
                    raise
                log.warning("batch of %d on %s failed (%s); retrying in %.1fs", len(records), self._subscription.topic, exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5)
                continue
            for outcome, count in outcomes.items():
                EVENTS_CONSUMED.labels(self._subscription.topic, outcome).inc(count)
                if outcome == "dead_lettered":
                    DEAD_LETTERS.labels(dead_letter(self._subscription.topic)).inc(count)
            return

    async def _apply(self, conn: asyncpg.Connection, record: ConsumerRecord[Any, Any]) -> str:
        try:
            event = self._registry.parse(record.value or b"")
        except ValueError as exc:
            # An unreadable message has no event id; its position identifies it instead.
            if not await _claim(conn, f"kafka:{record.topic}:{record.partition}:{record.offset}", record):
                return "duplicate"
            await self._dead_letter(conn, record, exc)
            return "dead_lettered"
        if not await _claim(conn, str(event.event_id), record):
            return "duplicate"
        try:
            async with conn.transaction():
                await self._subscription.handle(conn, event)
        except Exception as exc:
            if is_transient(exc):
                raise
            await self._dead_letter(conn, record, exc)
            return "dead_lettered"
        return "processed"

    async def _dead_letter(self, conn: asyncpg.Connection, record: ConsumerRecord[Any, Any], exc: Exception) -> None:
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
        await add_message(conn, dead_letter(self._subscription.topic), key, record.value or b"", headers)


async def _claim(conn: asyncpg.Connection, event_id: str, record: ConsumerRecord[Any, Any]) -> bool:
    """Record the event in the inbox; False when it was applied before."""
    inserted = await conn.fetchval(
        """
        INSERT INTO inbox (event_id, topic, kafka_partition, kafka_offset) VALUES ($1, $2, $3, $4)
        ON CONFLICT (event_id) DO NOTHING RETURNING true
        """,
        event_id,
        record.topic,
        record.partition,
        record.offset,
    )
    return bool(inserted)


async def _raw_records(message: StreamMessage[Any]) -> Any:
    """Hand the handler the records untouched: parsing happens per record so one bad message cannot stall a batch."""
    return message.raw_message


def subscribe(
    broker: KafkaBroker, settings: ServiceSettings, subscription: Subscription, pool: Callable[[], asyncpg.Pool]
) -> None:
    """Register a batch subscriber that applies `subscription` with manual, after-commit acknowledgement."""
    processor = BatchProcessor(subscription, settings, pool)
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
