"""Composition root of the warehouse: the only place that wires."""

from fastapi import FastAPI

from inventory_contracts import INVENTORY_SETUP_CHANGED_V1, ITEM_ENTRY_INVOICED_V1, ITEM_ENTRY_POSTED_V1
from servicekit.runtime import ServiceRuntime, create_app
from servicekit.settings import ServiceSettings, load_settings

from warehouse.entrypoints.consumers import SUBSCRIPTIONS
from warehouse.entrypoints.http import DOMAIN_ERRORS, build_router
from warehouse.adapters.unit_of_work import PostgresWarehouseUnitOfWork
from warehouse.entrypoints.routes import availability, inventory_periods, inventory_setup, locations, physical_inventory, reconciliation

SETUP_AND_COUNTS_ROUTERS = [m.router for m in (locations, inventory_setup, inventory_periods, physical_inventory,
                                               availability, reconciliation)]


def settings() -> ServiceSettings:
    return load_settings("warehouse", default_port=8002)


def build_runtime(service_settings: ServiceSettings | None = None) -> ServiceRuntime:
    return ServiceRuntime(
        service_settings or settings(),
        migrations_package="warehouse",
        subscriptions=SUBSCRIPTIONS,
        publishes=[ITEM_ENTRY_POSTED_V1, ITEM_ENTRY_INVOICED_V1, INVENTORY_SETUP_CHANGED_V1],
        description="The item ledger: every stock movement.",
        unit_of_work=PostgresWarehouseUnitOfWork,
    )


def build_app(service_settings: ServiceSettings | None = None) -> FastAPI:
    runtime = build_runtime(service_settings)
    return create_app(runtime, [build_router(runtime), *SETUP_AND_COUNTS_ROUTERS], title="Inventory warehouse", domain_errors=DOMAIN_ERRORS)
