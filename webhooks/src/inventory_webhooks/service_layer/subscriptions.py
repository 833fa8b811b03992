"""Use cases of subscriptions: what to send where."""

from typing import Any
from uuid import UUID, uuid4

import asyncpg  # type: ignore[import-untyped]

from inventory_webhooks.adapters.repository import WebhooksUnitOfWork
from inventory_webhooks.domain.delivery import new_secret
from inventory_webhooks.domain.errors import SubscriptionNotFoundError, UnknownEventTypeError
from inventory_webhooks.events import EVENT_TYPES


def _known(event_types: list[str]) -> list[str]:
    unknown = sorted(set(event_types) - set(EVENT_TYPES))
    if unknown:
        raise UnknownEventTypeError(
            f"unknown event types {', '.join(unknown)}; one of {', '.join(sorted(EVENT_TYPES))}", unknown=unknown
        )
    return sorted(set(event_types))


async def create_subscription(uow: WebhooksUnitOfWork, values: dict[str, Any]) -> asyncpg.Record:
    return await uow.subscriptions.add(
        {**values, "id": uuid4(), "secret": new_secret(), "event_types": _known(values["event_types"])}
    )


async def get_subscription(uow: WebhooksUnitOfWork, subscription_id: UUID) -> asyncpg.Record:
    found = await uow.subscriptions.get(subscription_id)
    if found is None:
        raise SubscriptionNotFoundError(f"no subscription {subscription_id}")
    return found


async def change_subscription(uow: WebhooksUnitOfWork, subscription_id: UUID, changes: dict[str, Any]) -> asyncpg.Record:
    if await uow.subscriptions.get(subscription_id, lock=True) is None:
        raise SubscriptionNotFoundError(f"no subscription {subscription_id}")
    if "event_types" in changes:
        changes = {**changes, "event_types": _known(changes["event_types"])}
    return await uow.subscriptions.change(subscription_id, changes)


async def delete_subscription(uow: WebhooksUnitOfWork, subscription_id: UUID) -> None:
    if not await uow.subscriptions.remove(subscription_id):
        raise SubscriptionNotFoundError(f"no subscription {subscription_id}")
