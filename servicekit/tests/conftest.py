"""A throw-away database per test on the test session's PostgreSQL, and for servicekit's own mechanics a
migrated one, topics of their own on the real Kafka and a broker client."""

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import asyncpg
import pytest
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from faststream.kafka import KafkaBroker

from devstack import observe
from devstack.postgres import scratch_database
from devstack.stack import Stack
from servicekit.db import connect, create_pool
from servicekit.migrations import discover, migrate
from servicekit.settings import ServiceSettings


@pytest.fixture
async def empty_database(stack: Stack) -> AsyncIterator[str]:
    """The URL of a new, empty database, dropped after the test."""
    async with scratch_database(stack.database_server_url, "servicekit") as url:
        yield url


@pytest.fixture
async def kit_database(empty_database: str) -> str:
    """A new database with servicekit's own tables (outbox, inbox, idempotency keys, outbox_failed)."""
    conn = await connect(empty_database)
    try:
        await migrate(conn, discover("servicekit", "servicekit"))
    finally:
        await conn.close()
    return empty_database


@pytest.fixture
async def kit_pool(kit_database: str) -> AsyncIterator[asyncpg.Pool]:
    pool = await create_pool(kit_database, min_size=1, max_size=4)
    try:
        yield pool
    finally:
        await pool.close()


KIT_TOPICS = ("kit.tallies", "kit.tallies.dlq", "kit.other")


@pytest.fixture
async def kit_settings(stack: Stack, kit_database: str) -> ServiceSettings:
    """Settings of a service "kit" on the test database, with topics of its own (one partition each) on the real Kafka."""
    prefix = f"kit{uuid.uuid4().hex[:8]}."
    admin = AIOKafkaAdminClient(bootstrap_servers=stack.bootstrap_servers, **stack.kafka_client_options())
    await admin.start()
    try:
        await admin.create_topics([NewTopic(prefix + name, num_partitions=1, replication_factor=1) for name in KIT_TOPICS])
        for _ in range(100):  # created is not yet known to every client: wait until the cluster describes them
            described = await admin.describe_topics([prefix + name for name in KIT_TOPICS])
            if all(topic["error_code"] == 0 and topic["partitions"] for topic in described):
                break
            await asyncio.sleep(0.1)
    finally:
        await admin.close()
    return ServiceSettings(
        service="kit", database_url=kit_database, kafka_bootstrap_servers=stack.bootstrap_servers,
        kafka=stack.kafka_auth, topic_prefix=prefix, http_host="127.0.0.1", http_port=0,
    )


@pytest.fixture
async def kit_broker(kit_settings: ServiceSettings) -> AsyncIterator[KafkaBroker]:
    """A started broker client as a service's runtime builds it (idempotent producer, acks from all replicas)."""
    broker = KafkaBroker(
        kit_settings.kafka_bootstrap_servers, client_id="kit", enable_idempotence=True, acks="all",
        security=kit_settings.kafka.faststream_security(),
    )
    await broker.start()
    try:
        yield broker
    finally:
        await broker.stop()


TopicReader = Callable[..., Awaitable[list[Any]]]


@pytest.fixture
def read_topic(stack: Stack) -> TopicReader:
    """`await read_topic(full_name, count)`: the topic's records from its beginning, once at least `count` are there."""

    async def read(topic: str, count: int = 0, timeout: float = 30) -> list[Any]:
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            found = await observe.records(stack, topic)
            if len(found) >= count:
                return found
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"{topic} holds {len(found)} records, not {count}, after {timeout:.0f}s")
            await asyncio.sleep(0.1)

    return read
