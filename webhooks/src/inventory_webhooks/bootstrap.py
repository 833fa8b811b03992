"""Composition root of the webhooks: the only place that wires."""

from fastapi import FastAPI

from servicekit.runtime import ServiceRuntime, create_app

from inventory_webhooks.adapters.repository import WebhooksUnitOfWork
from inventory_webhooks.config import WebhooksSettings
from inventory_webhooks.entrypoints.consumers import SUBSCRIPTIONS
from inventory_webhooks.entrypoints.routes import router
from inventory_webhooks.entrypoints.sender import send_continuously


def settings() -> WebhooksSettings:
    return WebhooksSettings.from_environment()


def build_runtime(service_settings: WebhooksSettings | None = None) -> ServiceRuntime:
    return ServiceRuntime(
        service_settings or settings(),
        migrations_package="inventory_webhooks",
        subscriptions=SUBSCRIPTIONS,
        description="Webhooks: the public events POSTed, signed as Standard Webhooks, to subscribed URLs.",
        background=[send_continuously],
        unit_of_work=WebhooksUnitOfWork,
    )


def build_app(service_settings: WebhooksSettings | None = None) -> FastAPI:
    return create_app(build_runtime(service_settings), [router], title="Inventory webhooks")
