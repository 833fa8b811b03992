"""Every topic keeps its records as the contracts choose, and init brings an existing topic to that retention."""

import asyncio
import uuid

import pytest
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from confluent_kafka import KafkaException
from confluent_kafka.admin import AdminClient, ConfigResource, ResourceType

from devstack.stack import Stack
from inventory_contracts.topics import COSTING_VALUE_ENTRIES, KEEP_FOREVER, LATEST_PER_KEY, all_topics, topic_config
from servicekit.admin import align_topic_configs
from support import System, wait_until

pytestmark = pytest.mark.system


def described(stack: Stack, names: list[str]) -> dict[str, dict[str, str]]:
    admin = AdminClient({"bootstrap.servers": stack.bootstrap_servers, **stack.kafka_auth.librdkafka_config()})
    futures = admin.describe_configs([ConfigResource(ResourceType.TOPIC, name) for name in names])
    return {resource.name: {k: e.value for k, e in future.result(30).items()} for resource, future in futures.items()}


def known(stack: Stack, name: str) -> bool:
    try:
        return bool(described(stack, [name]))
    except KafkaException:
        return False


def test_every_topic_of_the_system_has_the_retention_of_the_contracts(system: System) -> None:
    names = {system.topic(topic): topic for topic in all_topics()}
    configs = described(system.stack, list(names))
    for name, topic in names.items():
        wanted = topic_config(topic)
        assert {key: configs[name][key] for key in wanted} == wanted, name
    assert configs[system.topic("warehouse.item-entries.v1")]["retention.ms"] == "-1"
    assert configs[system.topic("catalog.items.v1")]["cleanup.policy"] == "compact"


def test_init_brings_an_existing_topic_to_its_retention_and_keeps_its_other_settings(stack: Stack) -> None:
    name = f"retention{uuid.uuid4().hex[:8]}.{COSTING_VALUE_ENTRIES}"

    async def create() -> None:
        admin = AIOKafkaAdminClient(bootstrap_servers=stack.bootstrap_servers, **stack.kafka_client_options())
        await admin.start()
        try:
            await admin.create_topics([NewTopic(name, 1, 1, topic_configs={
                "retention.ms": "60000", "max.message.bytes": "2097152"})])
        finally:
            await admin.close()

    asyncio.run(create())
    wait_until(lambda: known(stack, name), what=f"{name} known to the cluster")
    assert described(stack, [name])[name]["retention.ms"] == "60000"
    changed = align_topic_configs(stack.bootstrap_servers, {name: KEEP_FOREVER}, stack.kafka_auth)
    assert changed == {name: {"retention.ms": "-1"}}  # retention.bytes is -1 by default
    after = described(stack, [name])[name]
    assert {key: after[key] for key in KEEP_FOREVER} == KEEP_FOREVER
    assert after["max.message.bytes"] == "2097152"
    assert align_topic_configs(stack.bootstrap_servers, {name: KEEP_FOREVER}, stack.kafka_auth) == {}
    assert align_topic_configs(stack.bootstrap_servers, {name: LATEST_PER_KEY}, stack.kafka_auth)[name]["cleanup.policy"] == "compact"
