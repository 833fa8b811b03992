"""Subscriptions of the webhooks: every public topic, each event turned into deliveries in the inbox's transaction."""

from collections.abc import Sequence
from typing import Any

from inventory_contracts import Envelope
from servicekit.inbox import Subscription

from inventory_webhooks.adapters.repository import WebhooksUnitOfWork
from inventory_webhooks.events import EVENTS, TOPICS
from inventory_webhooks.service_layer.deliveries import add_deliveries


async def on_event(uow: WebhooksUnitOfWork, event: Envelope[Any]) -> None:
    await add_deliveries(uow, [event])


async def on_events(uow: WebhooksUnitOfWork, events: Sequence[Envelope[Any]]) -> None:
    await add_deliveries(uow, events)


SUBSCRIPTIONS = [
    Subscription(
        topic,
        [spec for spec in EVENTS if spec.topic == topic],
        on_event,
        "Queues a delivery for each enabled webhook subscription the event matches.",
        handle_batch=on_events,
    )
    for topic in TOPICS
]
