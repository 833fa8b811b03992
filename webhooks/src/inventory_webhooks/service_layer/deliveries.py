"""Use cases of deliveries: one per event and matching subscription, sent until the receiver takes it."""

import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import asyncpg  # type: ignore[import-untyped]

from inventory_contracts import Envelope

from inventory_webhooks.adapters.repository import WebhooksUnitOfWork
from inventory_webhooks.domain.delivery import Filter, headers, retry_delay, succeeded
from inventory_webhooks.domain.errors import DeliveryNotFoundError


def new_delivery_id() -> str:
    return f"msg_{uuid4().hex}"


async def add_deliveries(uow: WebhooksUnitOfWork, events: Sequence[Envelope[Any]]) -> int:
    """A delivery for each event and each enabled subscription it matches, in the consumer's transaction."""
    subscriptions = await uow.subscriptions.enabled_for(sorted({event.type for event in events}))
    if not subscriptions:
        return 0
    rows = []
    for event in events:
        payload = event.payload.model_dump(mode="json")
        body: str | None = None
        for subscription in subscriptions:
            wanted = Filter(frozenset(subscription["event_types"]), subscription["item_no"], subscription["location_code"])
            if wanted.matches(event.type, payload):
                body = body or event.model_dump_json()
                rows.append((new_delivery_id(), subscription["id"], event.event_id, event.type, body))
    await uow.deliveries.add_all(rows)
    return len(rows)


@dataclass(frozen=True)
class Answer:
    status_code: int | None
    error: str | None


Send = Callable[[str, bytes, dict[str, str]], Awaitable[Answer]]


@dataclass(frozen=True)
class Policy:
    retry_seconds: Sequence[float]
    disable_after_failed_deliveries: int


async def send_one_due(uow: WebhooksUnitOfWork, send: Send, policy: Policy) -> bool:
    """Attempt one due delivery (False: none is due). The row stays locked during the call, so no other sender
    attempts it at the same time; the attempt and its outcome are written in the same transaction."""
    delivery = await uow.deliveries.claim_due()
    if delivery is None:
        return False
    body = delivery["body"].encode()
    attempted_at = datetime.now(UTC)
    started = time.monotonic()
    answer = await send(delivery["url"], body, headers(delivery["secret"], delivery["id"], int(attempted_at.timestamp()), body))
    duration_ms = round((time.monotonic() - started) * 1000)
    await uow.deliveries.record_attempt(delivery["id"], attempted_at, answer.status_code, answer.error, duration_ms)
    attempts = delivery["attempts_in_round"] + 1
    if succeeded(answer.status_code):
        await uow.deliveries.settle(delivery["id"], "succeeded", attempts, None)
        await uow.subscriptions.delivery_succeeded(delivery["subscription_id"])
        return True
    delay = retry_delay(attempts, policy.retry_seconds)
    if delay is not None:
        await uow.deliveries.settle(delivery["id"], "pending", attempts, datetime.now(UTC) + timedelta(seconds=delay))
    else:
        await uow.deliveries.settle(delivery["id"], "failed", attempts, None)
        await uow.subscriptions.delivery_failed(delivery["subscription_id"], policy.disable_after_failed_deliveries)
    return True


async def get_delivery(uow: WebhooksUnitOfWork, delivery_id: str) -> tuple[asyncpg.Record, list[asyncpg.Record]]:
    delivery = await uow.deliveries.get(delivery_id)
    if delivery is None:
        raise DeliveryNotFoundError(f"no delivery {delivery_id}")
    return delivery, await uow.deliveries.attempts(delivery_id)


async def retry_delivery(uow: WebhooksUnitOfWork, delivery_id: str) -> asyncpg.Record:
    """Send the delivery again now, whatever its outcome so far, with a fresh round of retries (same webhook-id)."""
    if await uow.deliveries.get(delivery_id, lock=True) is None:
        raise DeliveryNotFoundError(f"no delivery {delivery_id}")
    await uow.deliveries.retry_now(delivery_id)
    found = await uow.deliveries.get(delivery_id)
    assert found is not None
    return found
