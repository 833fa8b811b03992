"""Composition root of the catalog: the only place that wires."""

from fastapi import FastAPI

from inventory_contracts import ITEM_UPSERTED_V1
from servicekit.runtime import ServiceRuntime, create_app
from servicekit.settings import ServiceSettings, load_settings

from catalog.entrypoints.consumers import SUBSCRIPTIONS
from catalog.entrypoints.http import build_router


def settings() -> ServiceSettings:
    return load_settings("catalog", default_port=8001)


def build_runtime(service_settings: ServiceSettings | None = None) -> ServiceRuntime:
    return ServiceRuntime(
        service_settings or settings(),
        migrations_package="catalog",
        subscriptions=SUBSCRIPTIONS,
        publishes=[ITEM_UPSERTED_V1],
        description="The item master.",
    )


def build_app(service_settings: ServiceSettings | None = None) -> FastAPI:
    runtime = build_runtime(service_settings)
    return create_app(runtime, [build_router(runtime)], title="Inventory catalog")
