"""Composition root of the costing: the only place that wires."""

from fastapi import FastAPI

from inventory_contracts import (
    ITEM_UNIT_COST_CHANGED_V1,
    QUANTITY_DIFFERENCE_FOUND_V1,
    STANDARD_COST_IMPLEMENTED_V1,
    VALUE_ENTRIES_POSTED_V1,
)
from servicekit.runtime import ServiceRuntime, create_app

from costing.config import CostingSettings
from costing.entrypoints.consumers import SUBSCRIPTIONS
from costing.entrypoints.http import build_router
from costing.entrypoints.reconciliation import build_reconciliation_router
from costing.service_layer.quantity_reconciliation import reconcile_quantities_continuously


def settings() -> CostingSettings:
    return CostingSettings.from_environment()


def build_runtime(service_settings: CostingSettings | None = None) -> ServiceRuntime:
    costing_settings = service_settings or settings()
    return ServiceRuntime(
        costing_settings,
        migrations_package="costing",
        subscriptions=SUBSCRIPTIONS,
        publishes=[VALUE_ENTRIES_POSTED_V1, ITEM_UNIT_COST_CHANGED_V1, QUANTITY_DIFFERENCE_FOUND_V1, STANDARD_COST_IMPLEMENTED_V1],
        description="Values: value entries for every item ledger entry.",
        background=[lambda runtime: reconcile_quantities_continuously(
            runtime.pool, costing_settings.warehouse_url, costing_settings.reconcile_seconds,
            costing_settings.reconcile_settle_seconds, costing_settings.warehouse_auth())],
    )


def build_app(service_settings: CostingSettings | None = None) -> FastAPI:
    costing_settings = service_settings or settings()
    runtime = build_runtime(costing_settings)
    routers = [build_router(runtime), build_reconciliation_router(
        runtime, costing_settings.warehouse_url, costing_settings.warehouse_auth())]
    return create_app(runtime, routers, title="Inventory costing")

