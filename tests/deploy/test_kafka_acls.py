"""Kafka with SASL/SCRAM and ACLs: each service's principal writes only its own topics (and dead-letter topics)
and reads only what it consumes; `inventory-admin init` sets principals and ACLs idempotently."""

import asyncio
import time

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.errors import GroupAuthorizationFailedError, KafkaConnectionError, TopicAuthorizationFailedError
from confluent_kafka.admin import AclBindingFilter, AclOperation, AclPermissionType, AdminClient, ResourcePatternType, ResourceType

from devstack.stack import SERVICES, Stack
from inventory_contracts.topics import CONSUMES, PUBLISHES
from servicekit.admin import acl_bindings
from servicekit.settings import KafkaAuth

from .test_init import company_env, run_init


@pytest.fixture(scope="module")
def company(stack: Stack) -> tuple[str, dict[str, str]]:
    """A deployment of its own (topic prefix, principals `<prefix><service>`) initialised by the command, twice."""
    name = f"acl{time.time_ns() % 1_000_000}"
    env = {**company_env(stack, name, partitions=2),
           **{f"{s.upper()}_KAFKA_PASSWORD": f"kafka {s} secret/{name}" for s in SERVICES}}
    for _ in range(2):
        result = run_init(env, "--no-databases")
        assert result.returncode == 0, result.stderr
    return name, env


def principal(stack: Stack, company: tuple[str, dict[str, str]], service: str) -> dict[str, object]:
    name, env = company
    auth = KafkaAuth(security_protocol=stack.kafka_auth.security_protocol, sasl_mechanism=stack.kafka_auth.sasl_mechanism,
                     username=f"{name}.{service}", password=env[f"{service.upper()}_KAFKA_PASSWORD"])
    return {"bootstrap_servers": stack.bootstrap_servers, **auth.client_options()}


async def produce(options: dict[str, object], topic: str) -> None:
    producer = AIOKafkaProducer(enable_idempotence=True, acks="all", request_timeout_ms=10000, **options)
    try:
        await producer.start()
        await producer.send_and_wait(topic, b"{}", key=b"k")
    finally:
        await producer.stop()


async def consume(options: dict[str, object], topic: str, group: str) -> dict[TopicPartition, object]:
    """Join `group`, read what `topic` holds and commit: what a service's consumer does."""
    consumer = AIOKafkaConsumer(topic, group_id=group, enable_auto_commit=False, auto_offset_reset="earliest",
                                request_timeout_ms=10000, **options)
    await consumer.start()
    try:
        records = await consumer.getmany(timeout_ms=2000)
        await consumer.commit()
        return records  # type: ignore[return-value]
    finally:
        await consumer.stop()


def test_the_warehouse_may_produce_to_its_topics_but_not_to_costings(stack: Stack, company: tuple[str, dict[str, str]]) -> None:
    if not stack.kafka_auth.sasl:
        pytest.fail("the launcher's Kafka runs with SASL; this stack's does not")
    name, _ = company
    warehouse = principal(stack, company, "warehouse")

    asyncio.run(produce(warehouse, f"{name}.warehouse.item-entries.v1"))
    asyncio.run(produce(warehouse, f"{name}.catalog.items.v1.dlq"))  # the dead letters of what it consumes

    with pytest.raises(TopicAuthorizationFailedError):
        asyncio.run(produce(warehouse, f"{name}.costing.value-entries.v1"))
    with pytest.raises(TopicAuthorizationFailedError):
        asyncio.run(produce(warehouse, f"{name}.catalog.items.v1"))


def test_a_service_reads_what_it_consumes_in_its_own_group_and_nothing_else(stack: Stack, company: tuple[str, dict[str, str]]) -> None:
    name, _ = company
    ledger = principal(stack, company, "ledger")

    asyncio.run(consume(ledger, f"{name}.costing.value-entries.v1", f"{name}.ledger"))

    with pytest.raises(TopicAuthorizationFailedError):
        asyncio.run(consume(ledger, f"{name}.warehouse.item-entries.v1", f"{name}.ledger"))
    with pytest.raises(GroupAuthorizationFailedError):
        asyncio.run(consume(ledger, f"{name}.costing.value-entries.v1", f"{name}.costing"))


def test_a_wrong_password_or_no_sasl_is_refused(
    stack: Stack, company: tuple[str, dict[str, str]], caplog: pytest.LogCaptureFixture
) -> None:
    name, _ = company
    options = {**principal(stack, company, "catalog"), "sasl_plain_password": "not the password"}

    with pytest.raises(KafkaConnectionError):
        asyncio.run(produce(options, f"{name}.catalog.items.v1"))
    assert "SaslAuthenticationFailed" in caplog.text
    with pytest.raises(KafkaConnectionError):
        asyncio.run(produce({"bootstrap_servers": stack.bootstrap_servers}, f"{name}.catalog.items.v1"))


def test_init_twice_leaves_each_principal_exactly_the_acls_the_topic_declarations_imply(
    stack: Stack, company: tuple[str, dict[str, str]]
) -> None:
    name, _ = company
    auth = stack.kafka_auth
    admin = AdminClient({"bootstrap.servers": stack.bootstrap_servers, **auth.librdkafka_config()})
    for service in SERVICES:
        user = f"{name}.{service}"
        every = AclBindingFilter(ResourceType.ANY, None, ResourcePatternType.ANY, f"User:{user}", None,
                                 AclOperation.ANY, AclPermissionType.ANY)
        granted = set(admin.describe_acls(every, request_timeout=30).result(30))
        assert granted == acl_bindings(service, user, f"{name}.")
        written = {b.name.removeprefix(f"{name}.") for b in granted if b.operation == AclOperation.WRITE}
        read = {b.name.removeprefix(f"{name}.") for b in granted
                if b.operation == AclOperation.READ and b.restype == ResourceType.TOPIC}
        assert written == {*PUBLISHES[service], *(f"{t}.dlq" for t in PUBLISHES[service]), *(f"{t}.dlq" for t in CONSUMES[service])}
        assert read == set(CONSUMES[service])
