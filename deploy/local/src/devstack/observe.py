"""A running system seen from outside, as the tests and `devstack chaos` see it: a topic's partitions and records,
and whether everything has caught up (every outbox empty, every consumer group committed to the end of what it reads)."""

import asyncio
import time
from typing import Any

import asyncpg
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from inventory_contracts.topics import CONSUMES

from .stack import SERVICES, WEBHOOKS, Stack


async def partitions(stack: Stack, topics: list[str]) -> list[TopicPartition]:
    """Asked of the cluster: a consumer that subscribes to nothing does not know a topic's partitions."""
    admin = AIOKafkaAdminClient(bootstrap_servers=stack.bootstrap_servers, **stack.kafka_client_options())
    await admin.start()
    try:
        described = await admin.describe_topics(topics)
    finally:
        await admin.close()
    missing = [t["topic"] for t in described if t["error_code"] != 0 or not t["partitions"]]
    assert not missing, f"topics {missing} do not exist"
    return [TopicPartition(t["topic"], p["partition"]) for t in described
            for p in sorted(t["partitions"], key=lambda p: p["partition"])]


async def records(stack: Stack, topic: str, limit: int | None = None) -> list[Any]:
    """The records of `topic` (full name) from its beginning to its end as it is now (or the first `limit` or so),
    in partition order."""
    assigned = await partitions(stack, [topic])
    consumer = AIOKafkaConsumer(bootstrap_servers=stack.bootstrap_servers, **stack.kafka_client_options())
    await consumer.start()
    try:
        consumer.assign(assigned)
        await consumer.seek_to_beginning(*assigned)
        end = await consumer.end_offsets(assigned)
        found: list[Any] = []
        while any([await consumer.position(tp) < end[tp] for tp in assigned]) and (limit is None or len(found) < limit):
            for batch in (await consumer.getmany(timeout_ms=500)).values():
                found += batch
        return found
    finally:
        await consumer.stop()


async def snapshot(stack: Stack) -> dict[str, int] | str:
    """The end offsets of every consumed partition when everything has caught up; else what is still behind."""
    for service in SERVICES:
        conn = await asyncpg.connect(stack.database_url(service))
        try:
            if backlog := await conn.fetchval("SELECT count(*) FROM outbox"):
                return f"{service}'s outbox holds {backlog} rows"
        finally:
            await conn.close()
    admin = AIOKafkaAdminClient(bootstrap_servers=stack.bootstrap_servers, **stack.kafka_client_options())
    consumer = AIOKafkaConsumer(bootstrap_servers=stack.bootstrap_servers, **stack.kafka_client_options())
    await admin.start()
    await consumer.start()
    try:
        ends: dict[str, int] = {}
        running = {service: topics for service, topics in CONSUMES.items()
                   if service != WEBHOOKS or stack.webhooks is not None}
        for service, topics in running.items():
            committed = await admin.list_consumer_group_offsets(f"{stack.topic_prefix}{service}")
            consumed = await partitions(stack, [f"{stack.topic_prefix}{topic}" for topic in topics])
            end = await consumer.end_offsets(consumed)
            for tp in consumed:
                position = committed.get(tp)
                if end[tp] > 0 and (position is None or position.offset < end[tp]):
                    return f"{service} at {position.offset if position else None} of {end[tp]} on {tp.topic}:{tp.partition}"
                ends[f"{tp.topic}:{tp.partition}"] = end[tp]
        return ends
    finally:
        await consumer.stop()
        await admin.close()


def wait_quiet(stack: Stack, timeout: float, interval: float = 0.2) -> None:
    """Caught up, seen twice in a row with the same end offsets, so that nothing was published between the looks."""
    previous: dict[str, int] | str = ""
    deadline = time.monotonic() + timeout
    while True:
        current = asyncio.run(snapshot(stack))
        if isinstance(current, dict) and current == previous:
            return
        if time.monotonic() > deadline:
            behind = current if isinstance(current, str) else "still publishing"
            raise TimeoutError(f"processing caught up: not within {timeout:.0f}s; {behind}")
        previous = current
        time.sleep(interval)
