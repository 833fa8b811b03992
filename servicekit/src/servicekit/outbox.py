"""Transactional outbox: events are written with the state they announce and published by one relay."""

import asyncio
import logging
from collections.abc import Mapping, Sequence
from typing import Any

import asyncpg
from faststream.kafka import KafkaBroker
from opentelemetry.trace import Span

from inventory_contracts import Envelope

from . import correlation, tracing
from .db import connect, is_transient
from .metrics import EVENTS_PUBLISHED, OUTBOX_BACKLOG, OUTBOX_FAILED
from .settings import ServiceSettings

log = logging.getLogger(__name__)

NOTIFY_CHANNEL = "outbox"
# Held by the one relay of a service that may publish; a second process waits for it, so that
# two relays never publish the same rows in different orders.
_RELAY_LOCK_KEY = 7_319_455_002


async def add_event(conn: asyncpg.Connection, topic: str, event: Envelope[Any]) -> None:
    """Queue `event` for `topic` in the caller's transaction."""
    await add_events(conn, [(topic, event)])


async def add_events(conn: asyncpg.Connection, events: Sequence[tuple[str, Envelope[Any]]]) -> None:
    """Queue several (topic, event) pairs in the caller's transaction, in one round trip."""
    if not events:
        return
    events = [(topic, _correlated(event)) for topic, event in events]
    contexts = [tracing.outbox_context(event.causation_id) for _, event in events]
    await conn.execute(
        _QUEUE_MANY, [topic for topic, _ in events], [event.key for _, event in events],
        [event.model_dump_json().encode() for _, event in events], NOTIFY_CHANNEL,
        [traceparent for traceparent, _ in contexts], [tracestate for _, tracestate in contexts],
    )


def _correlated(event: Envelope[Any]) -> Envelope[Any]:
    """`event` with the current correlation id, if it carries none of its own."""
    current = correlation.current()
    if event.correlation_id is not None or current is None:
        return event
    return event.model_copy(update={"correlation_id": current})


async def add_message(
    conn: asyncpg.Connection, topic: str, key: str | None, value: bytes, headers: Mapping[str, str]
) -> None:
    traceparent, tracestate = tracing.outbox_context()
    await conn.execute(_QUEUE, topic, key, value, dict(headers), NOTIFY_CHANNEL, traceparent, tracestate)


# The notification is delivered when the transaction commits; rows are numbered in the order given.
_QUEUE_MANY = """
WITH queued AS (
    INSERT INTO outbox (topic, key, value, traceparent, tracestate)
    SELECT topic, key, value, traceparent, tracestate
    FROM unnest($1::text[], $2::text[], $3::bytea[], $5::text[], $6::text[]) WITH ORDINALITY AS m (topic, key, value, traceparent, tracestate, n)
    ORDER BY n
    RETURNING id
)
SELECT pg_notify($4, '') FROM (SELECT FROM queued LIMIT 1) AS any_queued
"""

_QUEUE = """
WITH queued AS (
    INSERT INTO outbox (topic, key, value, headers, traceparent, tracestate) VALUES ($1, $2, $3, $4, $6, $7) RETURNING id
)
SELECT pg_notify($5, '') FROM queued
"""


class OutboxRelay:
    """Publishes outbox rows in id order with the broker's idempotent producer, then deletes them.

    A crash between publish and delete publishes those rows again; consumers' inboxes drop the
    duplicates. Rows of one item never reorder: they were written under the item's lock.
    """

    def __init__(self, settings: ServiceSettings, broker: KafkaBroker, batch_size: int = 1000) -> None:
        self._settings = settings
        self._broker = broker
        self._batch_size = batch_size
        self._wake = asyncio.Event()
        self.is_leader = False

    async def run(self) -> None:
        delay = 0.2
        while True:
            try:
                await self._lead()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self.is_leader = False
                if not is_transient(exc) and not _is_broker_fault(exc):
                    log.exception("outbox relay failed")
                else:
                    log.warning("outbox relay interrupted (%s); retrying in %.1fs", exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5)
            else:
                delay = 0.2

    async def _lead(self) -> None:
        conn = await connect(self._settings.database_url)
        try:
            while not await conn.fetchval("SELECT pg_try_advisory_lock($1)", _RELAY_LOCK_KEY):
                await asyncio.sleep(1)
            self.is_leader = True
            await conn.add_listener(NOTIFY_CHANNEL, lambda *_: self._wake.set())
            while True:
                self._wake.clear()
                published = await self._publish_batch(conn)
                if published < self._batch_size:
                    try:
                        await asyncio.wait_for(self._wake.wait(), timeout=1.0)
                    except TimeoutError:
                        pass
        finally:
            self.is_leader = False
            await conn.close()

    async def _publish_batch(self, conn: asyncpg.Connection) -> int:
        rows = await conn.fetch(
            "SELECT id, topic, key, value, headers, traceparent, tracestate FROM outbox ORDER BY id LIMIT $1", self._batch_size
        )
        if not rows:
            OUTBOX_BACKLOG.set(0)
            return 0
        sends: list[tuple[asyncpg.Record, Any]] = []
        refused: list[tuple[asyncpg.Record, BaseException]] = []
        transient: BaseException | None = None
        spans: list[Span | None] = []
        for row in rows:
            topic = self._settings.topic(row["topic"])
            span = tracing.start_send(topic, row["key"], row["traceparent"], row["tracestate"])
            spans.append(span)
            try:
                sends.append((row, await self._broker.publish(
                    bytes(row["value"]),
                    topic=topic,
                    key=row["key"].encode() if row["key"] is not None else None,
                    headers=tracing.message_headers(
                        span, {"content-type": "application/json", **row["headers"]}, (row["traceparent"], row["tracestate"])
                    ),
                    no_confirm=True,
                )))
            except Exception as exc:
                tracing.end(spans.pop(), exc)
                # The producer refuses an oversize record before sending it: that row, not the relay, has failed.
                if not _is_refused_for_good(exc):
                    transient = exc
                    break
                refused.append((row, exc))
        results = await asyncio.gather(*(send for _, send in sends), return_exceptions=True)
        for span, result in zip(spans, results, strict=True):
            tracing.end(span, result if isinstance(result, BaseException) else None)
        for (row, _), result in zip(sends, results, strict=True):
            if isinstance(result, BaseException):
                if _is_refused_for_good(result):
                    refused.append((row, result))
                elif transient is None:
                    transient = result
        if refused:
            await self._set_aside(conn, refused)
        if transient is not None:
            # Published rows stay and go again with the rest once the broker is back: consumers' inboxes drop the repeats.
            raise transient
        await conn.execute("DELETE FROM outbox WHERE id = ANY($1::bigint[])", [row["id"] for row in rows])
        for row, _ in sends:
            EVENTS_PUBLISHED.labels(row["topic"]).inc()
        OUTBOX_BACKLOG.set(await conn.fetchval("SELECT count(*) FROM outbox"))
        return len(rows)

    async def _set_aside(self, conn: asyncpg.Connection, refused: Sequence[tuple[asyncpg.Record, BaseException]]) -> None:
        """Move rows the broker will never take to outbox_failed, so that one bad row cannot stall every later one."""
        async with conn.transaction():
            for row, exc in refused:
                log.error(
                    "outbox row %s for %s refused by the broker (%s bytes): %s; moved to outbox_failed",
                    row["id"], row["topic"], len(row["value"]), exc,
                )
                await conn.execute(
                    """
                    WITH moved AS (DELETE FROM outbox WHERE id = $1 RETURNING *)
                    INSERT INTO outbox_failed (id, topic, key, value, headers, created_at, error)
                    SELECT id, topic, key, value, headers, created_at, $2 FROM moved
                    """,
                    row["id"], f"{type(exc).__name__}: {exc}"[:4000],
                )
                OUTBOX_FAILED.labels(row["topic"]).inc()


# Refusals that no retry can change: the record itself is wrong for the broker.
def _is_refused_for_good(exc: BaseException) -> bool:
    from aiokafka import errors

    return isinstance(
        exc,
        errors.MessageSizeTooLargeError | errors.RecordTooLargeError | errors.RecordListTooLargeError
        | errors.InvalidTopicError | errors.CorruptRecordException,
    )


def _is_broker_fault(exc: BaseException) -> bool:
    from aiokafka.errors import KafkaError

    return isinstance(exc, KafkaError)
