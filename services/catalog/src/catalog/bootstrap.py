"""Composition root of the catalog: the only place that wires."""

from fastapi import FastAPI

from inventory_contracts import ITEM_UPSERTED_V1
from servicekit.runtime import ServiceRuntime, create_app

from catalog.adapters.unit_of_work import PostgresCatalogUnitOfWork
from catalog.config import CatalogSettings
from catalog.entrypoints.consumers import SUBSCRIPTIONS
from catalog.entrypoints.routes import ROUTERS


def settings() -> CatalogSettings:
    return CatalogSettings.from_environment()


def build_runtime(service_settings: CatalogSettings | None = None) -> ServiceRuntime:
    return ServiceRuntime(
        service_settings or settings(),
        migrations_package="catalog",
        subscriptions=SUBSCRIPTIONS,
        publishes=[ITEM_UPSERTED_V1],
        description="The item master.",
        unit_of_work=PostgresCatalogUnitOfWork,
    )


def build_app(service_settings: CatalogSettings | None = None) -> FastAPI:
    runtime = build_runtime(service_settings)
    return create_app(runtime, ROUTERS, title="Inventory catalog")
