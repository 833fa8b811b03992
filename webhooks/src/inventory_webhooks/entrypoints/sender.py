"""The background sender: POSTs due deliveries to their receivers."""

import asyncio
import logging

import httpx

from servicekit.logs import PeriodicOutcome
from servicekit.runtime import ServiceRuntime

from inventory_webhooks.config import WebhooksSettings
from inventory_webhooks.service_layer.deliveries import Answer, Policy, send_one_due

log = logging.getLogger(__name__)


async def send_continuously(runtime: ServiceRuntime) -> None:
    """`senders` loops, each sending due deliveries one after another and resting `poll_seconds` when none is due."""
    settings = runtime.settings_as(WebhooksSettings)
    policy = Policy(settings.retry_seconds, settings.disable_after_failed_deliveries)
    # No redirects: a receiver answers at the URL it was registered with, or the attempt counts as failed.
    async with httpx.AsyncClient(timeout=settings.timeout_seconds, follow_redirects=False) as client:

        async def send(url: str, body: bytes, headers: dict[str, str]) -> Answer:
            try:
                response = await client.post(url, content=body, headers=headers)
            except httpx.HTTPError as exc:
                return Answer(None, f"{type(exc).__name__}: {exc}"[:1000] or type(exc).__name__)
            return Answer(response.status_code, None)

        async def loop(number: int) -> None:
            outcome = PeriodicOutcome(log, f"webhook sender {number}")
            while True:
                try:
                    async with runtime.unit_of_work() as uow:
                        sent = await send_one_due(uow, send, policy)
                except asyncio.CancelledError:
                    raise
                except Exception as exc:
                    outcome.failed(exc)
                    sent = False
                else:
                    outcome.succeeded()
                if not sent:
                    await asyncio.sleep(settings.poll_seconds)

        await asyncio.gather(*(loop(n) for n in range(1, settings.senders + 1)))
