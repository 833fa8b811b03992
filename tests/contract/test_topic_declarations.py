"""The one declaration of who publishes and consumes what (inventory_contracts.topics, from which the Kafka ACLs
are derived) is what each service actually subscribes to and publishes."""

import importlib

import pytest

from inventory_contracts.topics import CONSUMES, PUBLISHES
from servicekit.asyncapi import DOCUMENT_SETTINGS
from servicekit.settings import ServiceSettings

PACKAGES = {"webhooks": "inventory_webhooks"}


@pytest.mark.parametrize("service", sorted(PUBLISHES))
def test_a_service_subscribes_and_publishes_what_the_declaration_says(service: str) -> None:
    bootstrap = importlib.import_module(f"{PACKAGES.get(service, service)}.bootstrap")
    runtime = bootstrap.build_runtime(ServiceSettings(service=service, **DOCUMENT_SETTINGS))

    subscribed = {topic.name if hasattr(topic, "name") else str(topic)
                  for subscriber in runtime.broker.subscribers for topic in subscriber.topics}
    published = {publisher.topic for publisher in runtime.broker.publishers}

    assert subscribed == set(CONSUMES[service])
    assert published == set(PUBLISHES[service])
