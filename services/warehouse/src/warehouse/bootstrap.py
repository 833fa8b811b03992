"""Composition root of the warehouse: the only place that wires."""

from fastapi import FastAPI

from inventory_contracts import INVENTORY_SETUP_CHANGED_V1, ITEM_ENTRY_INVOICED_V1, ITEM_ENTRY_POSTED_V1
from servicekit.runtime import ServiceRuntime, create_app
from servicekit.settings import ServiceSettings, load_settings

from warehouse.entrypoints.consumers import SUBSCRIPTIONS
from warehouse.entrypoints.http import DOMAIN_ERRORS, build_router
from warehouse.entrypoints.reconciliation import build_reconciliation_router


def settings() -> ServiceSettings:
    return load_settings("warehouse", default_port=8002)


def build_runtime(service_settings: ServiceSettings | None = None) -> ServiceRuntime:
    return ServiceRuntime(
        service_settings or settings(),
        migrations_package="warehouse",
        subscriptions=SUBSCRIPTIONS,
        publishes=[ITEM_ENTRY_POSTED_V1, ITEM_ENTRY_INVOICED_V1, INVENTORY_SETUP_CHANGED_V1],
        description="The item ledger: every stock movement.",
    )


def build_app(service_settings: ServiceSettings | None = None) -> FastAPI:
    runtime = build_runtime(service_settings)
    return create_app(runtime, [build_router(runtime), build_reconciliation_router(runtime)], title="Inventory warehouse", domain_errors=DOMAIN_ERRORS)
