"""Every consumer parses every golden example of every event it subscribes to."""

import importlib
import importlib.util

import pytest

from inventory_contracts import EventRegistry, examples
from servicekit.asyncapi import SERVICES


def subscriptions() -> list[tuple[str, object]]:
    found = []
    for service in SERVICES:
        if importlib.util.find_spec(f"{service}.entrypoints.consumers") is None:
            continue
        consumers = importlib.import_module(f"{service}.entrypoints.consumers")
        found += [(service, subscription) for subscription in getattr(consumers, "SUBSCRIPTIONS", [])]
    return found


@pytest.mark.parametrize("service,subscription", subscriptions(), ids=lambda v: getattr(v, "topic", v))
def test_consumer_parses_every_example_it_subscribes_to(service: str, subscription: object) -> None:
    registry = EventRegistry(subscription.events)  # type: ignore[attr-defined]
    for spec in subscription.events:  # type: ignore[attr-defined]
        assert spec.topic == subscription.topic, f"{service} expects {spec.type} on {subscription.topic}"  # type: ignore[attr-defined]
        event = registry.parse(examples(spec))
        assert isinstance(event.payload, spec.payload)


def test_the_slice_subscriptions_are_wired() -> None:
    wired = {(service, s.topic) for service, s in subscriptions()}  # type: ignore[attr-defined]
    assert {("warehouse", "catalog.items.v1"), ("costing", "warehouse.item-entries.v1"), ("ledger", "costing.value-entries.v1")} <= wired


def test_asyncapi_documents_are_current() -> None:
    from servicekit.asyncapi import main

    assert main(["--check"]) == 0, "run `make asyncapi` and commit the documents"
