"""What every rebuild of a lost database from the log needs of Kafka: read a topic whole, and set where the service's
consumer group goes on from. Run with the service stopped: its group must have no members while its positions are set."""

import asyncio
import logging
import sys
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.structs import OffsetAndMetadata

from .dlq import DeadLetterTopicError
from .dlq import partitions as topic_partitions
from .settings import ServiceSettings

Rebuilt = TypeVar("Rebuilt")


class RebuildError(RuntimeError):
    """The rebuild cannot go on; the message says why."""


async def partitions(settings: ServiceSettings, topic: str) -> list[TopicPartition]:
    """The partitions of `topic` (its full name, with the prefix)."""
    try:
        return await topic_partitions(settings.kafka_bootstrap_servers, topic, settings.kafka)
    except DeadLetterTopicError as exc:
        raise RebuildError(str(exc)) from exc


async def read_topic(settings: ServiceSettings, topic: str) -> tuple[list[Any], dict[TopicPartition, int]]:
    """Every committed record of `topic` up to its end as it is now (in order within each partition), and that end."""
    assigned = await partitions(settings, topic)
    consumer = AIOKafkaConsumer(bootstrap_servers=settings.kafka_bootstrap_servers, enable_auto_commit=False,
                                isolation_level="read_committed", **settings.kafka.client_options())
    await consumer.start()
    try:
        consumer.assign(assigned)
        await consumer.seek_to_beginning(*assigned)
        end = await consumer.end_offsets(assigned)
        found: list[Any] = []
        while any([await consumer.position(tp) < end[tp] for tp in assigned]):
            for batch in (await consumer.getmany(*assigned, timeout_ms=500)).values():
                found += [record for record in batch if record.offset < end[TopicPartition(record.topic, record.partition)]]
        return found, end
    finally:
        await consumer.stop()


async def records(settings: ServiceSettings, topic: str) -> list[Any]:
    """Every committed record of `topic` up to its end as it is now."""
    found, _ = await read_topic(settings, topic)
    return found


async def commit_positions(settings: ServiceSettings, positions: dict[TopicPartition, int]) -> None:
    """Commit `positions` as the service's consumer group's (the group must have no members)."""
    if not positions:
        return
    consumer = AIOKafkaConsumer(bootstrap_servers=settings.kafka_bootstrap_servers, group_id=settings.consumer_group,
                                enable_auto_commit=False, **settings.kafka.client_options())
    await consumer.start()
    try:
        consumer.assign(list(positions))
        await consumer.commit({tp: OffsetAndMetadata(offset, "") for tp, offset in positions.items()})
    finally:
        await consumer.stop()


async def rewind(settings: ServiceSettings, topic: str) -> None:
    """Send the service's consumer group back to the start of `topic` (its full name)."""
    assigned = await partitions(settings, topic)
    consumer = AIOKafkaConsumer(bootstrap_servers=settings.kafka_bootstrap_servers, enable_auto_commit=False,
                                **settings.kafka.client_options())
    await consumer.start()
    try:
        beginning = await consumer.beginning_offsets(assigned)
    finally:
        await consumer.stop()
    await commit_positions(settings, beginning)


def run_command(rebuild: Callable[[str | None], Coroutine[Any, Any, Rebuilt]]) -> Rebuilt:
    """A rebuild as its command runs it, given the server's admin URL as its one optional argument; a refusal exits
    2 with its reason."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        return asyncio.run(rebuild(sys.argv[1] if len(sys.argv) > 1 else None))
    except RebuildError as exc:
        print(f"rebuild refused: {exc}", file=sys.stderr)
        raise SystemExit(2) from exc
