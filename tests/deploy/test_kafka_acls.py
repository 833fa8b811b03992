"""Kafka with SASL/SCRAM and ACLs: each service's principal writes only its own topics (and dead-letter topics)
and reads only what it consumes; a posting requester writes requests and reads replies only; `inventory-admin init`
sets principals and ACLs idempotently."""

import asyncio
import json
import time
import uuid
from datetime import UTC, datetime

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.errors import GroupAuthorizationFailedError, KafkaConnectionError, TopicAuthorizationFailedError
from confluent_kafka.admin import AclBindingFilter, AclOperation, AclPermissionType, AdminClient, ResourcePatternType, ResourceType

from devstack.stack import COMPONENTS, Stack
from inventory_contracts.topics import CONSUMES, PUBLISHES, WAREHOUSE_POSTING_REPLIES, WAREHOUSE_POSTING_REQUESTS
from servicekit.admin import acl_bindings, posting_requester_acl_bindings
from servicekit.settings import KafkaAuth
from support import System, unique

from .test_init import company_env, kafka_admin_env, run_init


@pytest.fixture(scope="module")
def company(stack: Stack) -> tuple[str, dict[str, str]]:
    """A deployment of its own (topic prefix, principals `<prefix><service>`, the webhooks' too) initialised by the
    command, twice."""
    name = f"acl{time.time_ns() % 1_000_000}"
    env = {**company_env(stack, name, partitions=2),
           **{f"{s.upper()}_KAFKA_PASSWORD": f"kafka {s} secret/{name}" for s in COMPONENTS}}
    for _ in range(2):
        result = run_init(env, "--no-databases", "--webhooks")
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
    try:
        await consumer.start()
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
    for service in COMPONENTS:
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


def posting_request(request_id: str, item_no: str) -> bytes:
    return json.dumps({
        "event_id": str(uuid.uuid4()), "type": "warehouse.posting-requested", "version": 1,
        "occurred_at": datetime.now(UTC).isoformat(), "producer": "shop", "key": request_id,
        "correlation_id": str(uuid.uuid4()), "causation_id": None,
        "payload": {"request_id": request_id, "operation": "/item-journal", "requested_by": "shop", "body": {
            "document_no": request_id, "lines": [{"item_no": item_no, "entry_type": "Purchase", "quantity": "2",
                                                  "unit_cost": "3.50", "posting_date": "2026-03-02", "location_code": "MAIN"}]}},
    }).encode()


async def reply_to(options: dict[str, object], topic: str, group: str, key: str, timeout: float = 60) -> dict[str, object]:
    """The answer under `key`, read as the requester reads: in its own consumer group, committing what it read."""
    consumer = AIOKafkaConsumer(topic, group_id=group, enable_auto_commit=False, auto_offset_reset="earliest",
                                request_timeout_ms=10000, **options)
    try:
        await consumer.start()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for records in (await consumer.getmany(timeout_ms=1000)).values():
                for record in records:
                    if record.key == key.encode():
                        await consumer.commit()
                        return json.loads(record.value)["payload"]  # type: ignore[no-any-return]
        raise AssertionError(f"no reply to {key} on {topic} within {timeout:.0f}s")
    finally:
        await consumer.stop()


def test_a_posting_requester_publishes_a_request_reads_its_reply_and_nothing_else(stack: Stack, system: System) -> None:
    """init gives the configured requester exactly its ACLs; the running warehouse answers what it publishes."""
    user, password = f"shop{time.time_ns() % 1_000_000}", "shop kafka secret"
    env = {"KAFKA_BOOTSTRAP_SERVERS": stack.bootstrap_servers, "TOPIC_PREFIX": stack.topic_prefix, **kafka_admin_env(stack),
           # The services' credentials stay as they are: init sets only their ACLs again, the ones they have.
           **{f"{s.upper()}_KAFKA_PASSWORD": "" for s in COMPONENTS},
           "POSTING_REQUESTER_KAFKA_USERNAME": user, "POSTING_REQUESTER_KAFKA_PASSWORD": password}
    result = run_init(env, "--no-databases")
    assert result.returncode == 0, result.stderr
    auth = stack.kafka_auth
    admin = AdminClient({"bootstrap.servers": stack.bootstrap_servers, **auth.librdkafka_config()})
    every = AclBindingFilter(ResourceType.ANY, None, ResourcePatternType.ANY, f"User:{user}", None,
                             AclOperation.ANY, AclPermissionType.ANY)
    assert set(admin.describe_acls(every, request_timeout=30).result(30)) == posting_requester_acl_bindings(user, stack.topic_prefix)

    requester = {"bootstrap_servers": stack.bootstrap_servers,
                 **KafkaAuth(security_protocol=auth.security_protocol, sasl_mechanism="SCRAM-SHA-512",
                             username=user, password=password).client_options()}

    def topic(name: str) -> str:
        return f"{stack.topic_prefix}{name}"

    item = system.create_item(unique("REQ"))["item_no"]
    key = unique("SHOP")

    async def publish_request() -> None:
        producer = AIOKafkaProducer(enable_idempotence=True, acks="all", request_timeout_ms=10000, **requester)
        await producer.start()
        try:
            await producer.send_and_wait(topic(WAREHOUSE_POSTING_REQUESTS), posting_request(key, item), key=key.encode())
        finally:
            await producer.stop()

    asyncio.run(publish_request())
    answer = asyncio.run(reply_to(requester, topic(WAREHOUSE_POSTING_REPLIES), f"{user}.replies", key))
    assert answer["outcome"] == "posted" and answer["status"] == 201, answer
    assert [e["entry_no"] for e in answer["result"]["entries"]] == [e["entry_no"] for e in system.item_ledger_entries(item)]  # type: ignore[index]

    with pytest.raises(TopicAuthorizationFailedError):
        asyncio.run(consume(requester, topic("warehouse.item-entries.v1"), f"{user}.replies"))
    with pytest.raises(GroupAuthorizationFailedError):
        asyncio.run(consume(requester, topic(WAREHOUSE_POSTING_REPLIES), topic("warehouse")))
    with pytest.raises(GroupAuthorizationFailedError):  # a group merely beginning with its name is not its own
        asyncio.run(consume(requester, topic(WAREHOUSE_POSTING_REPLIES), f"{user}0.replies"))
    with pytest.raises(TopicAuthorizationFailedError):
        asyncio.run(produce(requester, topic(WAREHOUSE_POSTING_REPLIES)))
