"""What only Kafka knows, read with the console's operator principal: dead letters, their replay, consumer lag.

Dead letters are replayed by servicekit's `dlq.replay`, as `inventory dead-letters replay` does (the same replay group
per dead-letter topic, so a record replayed here is not replayed there again; a record that several consumer groups
dead-lettered goes back once).
"""

import asyncio
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from aiokafka import AIOKafkaConsumer, TopicPartition  # type: ignore[import-untyped]
from aiokafka.admin import AIOKafkaAdminClient  # type: ignore[import-untyped]

from inventory_contracts.topics import CONSUMES, STREAMS, dead_letter
from servicekit import dlq

from .config import ConsoleSettings

DEAD_LETTER_TOPICS = tuple(dead_letter(stream) for stream in STREAMS)
SHOWN_PER_TOPIC = 200
T = TypeVar("T")


class KafkaUnavailableError(Exception):
    """The broker did not answer in time, or refused the operator's principal."""


@dataclass(frozen=True)
class DeadLetter:
    partition: int
    offset: int
    key: str
    origin: str
    consumer_group: str
    reason: str
    shortened: bool
    replayed: bool


@dataclass(frozen=True)
class DeadLetterTopic:
    topic: str
    count: int
    not_replayed: int
    records: list[DeadLetter]


@dataclass(frozen=True)
class PartitionLag:
    topic: str
    partition: int
    committed: int | None
    end: int

    @property
    def lag(self) -> int:
        return self.end - (self.committed or 0)


@dataclass(frozen=True)
class GroupLag:
    service: str
    group: str
    partitions: list[PartitionLag]

    @property
    def lag(self) -> int:
        return sum(p.lag for p in self.partitions)


def replay_group(settings: ConsoleSettings, topic: str) -> str:
    return f"{settings.topic_prefix}dlq-replay.{topic}"


class Operator:
    """Kafka as the operator sees it."""

    def __init__(self, settings: ConsoleSettings, timeout: float = 30) -> None:
        self.settings = settings
        self.timeout = timeout

    def _options(self) -> dict[str, Any]:
        return {"bootstrap_servers": self.settings.kafka_bootstrap_servers, **self.settings.kafka_auth().client_options()}

    async def _within(self, work: Awaitable[T]) -> T:
        try:
            return await asyncio.wait_for(work, self.timeout)
        except (asyncio.TimeoutError, OSError) as exc:
            raise KafkaUnavailableError(
                f"Kafka at {self.settings.kafka_bootstrap_servers} did not answer within {self.timeout:.0f}s") from exc
        except dlq.DeadLetterTopicError as exc:
            raise KafkaUnavailableError(str(exc)) from exc
        except Exception as exc:
            if type(exc).__module__.startswith(("aiokafka", "kafka")):
                raise KafkaUnavailableError(f"Kafka at {self.settings.kafka_bootstrap_servers}: {exc!r}") from exc
            raise

    @asynccontextmanager
    async def _admin(self) -> AsyncIterator[AIOKafkaAdminClient]:
        admin = AIOKafkaAdminClient(**self._options())
        await admin.start()
        try:
            yield admin
        finally:
            await admin.close()

    @asynccontextmanager
    async def _consumer(self, **options: Any) -> AsyncIterator[AIOKafkaConsumer]:
        # Earliest: the reset assign() starts with would otherwise race a seek to the beginning.
        consumer = AIOKafkaConsumer(enable_auto_commit=False, auto_offset_reset="earliest", **options, **self._options())
        await consumer.start()
        try:
            yield consumer
        finally:
            await consumer.stop()

    async def _partitions(self, admin: AIOKafkaAdminClient, topics: list[str]) -> list[TopicPartition]:
        described = await admin.describe_topics(topics)
        missing = [t["topic"] for t in described if t["error_code"] != 0 or not t["partitions"]]
        if missing:
            raise KafkaUnavailableError(f"topics {', '.join(missing)} do not exist")
        return [TopicPartition(t["topic"], p["partition"]) for t in described
                for p in sorted(t["partitions"], key=lambda p: p["partition"])]

    # dead letters ------------------------------------------------------------------------------

    async def dead_letters(self) -> list[DeadLetterTopic]:
        return await self._within(self._dead_letters())

    async def _dead_letters(self) -> list[DeadLetterTopic]:
        names = [self.settings.topic(t) for t in DEAD_LETTER_TOPICS]
        async with self._admin() as admin:
            partitions = await self._partitions(admin, names)
            replayed_to: dict[TopicPartition, int] = {}
            for topic in DEAD_LETTER_TOPICS:
                committed = await admin.list_consumer_group_offsets(replay_group(self.settings, topic))
                replayed_to |= {tp: offset.offset for tp, offset in committed.items() if offset.offset >= 0}
        async with self._consumer() as consumer:
            records = await _read_to_end(consumer, partitions)
            begin = await consumer.beginning_offsets(partitions)
            end = await consumer.end_offsets(partitions)
        found = []
        for topic, name in zip(DEAD_LETTER_TOPICS, names):
            mine = [r for r in records if r.topic == name]
            letters = [_dead_letter(r, replayed_to.get(TopicPartition(name, r.partition), 0)) for r in mine]
            count = sum(end[tp] - begin[tp] for tp in partitions if tp.topic == name)
            found.append(DeadLetterTopic(topic, count, sum(not d.replayed for d in letters), letters[-SHOWN_PER_TOPIC:]))
        return found

    async def replay(self, topic: str) -> int:
        """Re-publish what the topic's replay group has not replayed yet, up to the topic's end as it is now.

        Stopping at today's end matters: a record that fails again is dead-lettered again and waits for the next
        replay instead of looping. Offsets are committed only after the records before them were re-published: a
        crash replays again, and the consumers' inboxes drop what they already applied.
        """
        if topic not in DEAD_LETTER_TOPICS:
            raise ValueError(f"{topic} is not a dead-letter topic")
        return await self._within(self._replay(topic))

    async def _replay(self, topic: str) -> int:
        result = await dlq.replay(self.settings.kafka_bootstrap_servers, topic, self.settings.topic_prefix,
                                  self.settings.kafka_auth())
        return result.replayed

    # lag ---------------------------------------------------------------------------------------

    async def lag(self) -> list[GroupLag]:
        return await self._within(self._lag())

    async def _lag(self) -> list[GroupLag]:
        """Per service: its consumer group's committed offset against each partition's end offset."""
        groups = []
        async with self._admin() as admin, self._consumer() as consumer:
            for service, topics in CONSUMES.items():
                group = f"{self.settings.topic_prefix}{service}"
                partitions = await self._partitions(admin, [self.settings.topic(t) for t in topics])
                committed = await admin.list_consumer_group_offsets(group)
                end = await consumer.end_offsets(partitions)
                groups.append(GroupLag(service, group, [
                    PartitionLag(tp.topic, tp.partition,
                                 committed[tp].offset if tp in committed and committed[tp].offset >= 0 else None, end[tp])
                    for tp in partitions]))
        return groups


async def _read_to_end(consumer: AIOKafkaConsumer, partitions: list[TopicPartition]) -> list[Any]:
    consumer.assign(partitions)
    end = await consumer.end_offsets(partitions)
    await consumer.seek_to_beginning(*partitions)
    records: list[Any] = []
    while any([await consumer.position(tp) < end[tp] for tp in partitions]):
        for tp, batch in (await consumer.getmany(timeout_ms=1000)).items():
            records.extend(r for r in batch if r.offset < end[tp])
    records.sort(key=lambda r: (r.topic, r.partition, r.offset))
    return records


def _headers(record: Any) -> dict[str, str]:
    return {name: value.decode(errors="replace") for name, value in record.headers or ()}


def _dead_letter(record: Any, replayed_to: int) -> DeadLetter:
    headers = _headers(record)
    return DeadLetter(
        partition=record.partition, offset=record.offset, key=(record.key or b"").decode(errors="replace"),
        origin=f"{headers.get('dlq-origin-topic')}@{headers.get('dlq-origin-partition')}:{headers.get('dlq-origin-offset')}",
        consumer_group=headers.get("dlq-consumer-group", ""), reason=headers.get("dlq-reason", ""),
        shortened=headers.get("dlq-shortened") == "true", replayed=record.offset < replayed_to,
    )
