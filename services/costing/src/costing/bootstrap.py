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
from costing.adapters.unit_of_work import PostgresCostingUnitOfWork
from costing.entrypoints.routes import inventory_value, items, reconciliation, standard_cost_worksheets, value_entries
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
        unit_of_work=PostgresCostingUnitOfWork,
        background=[lambda runtime: reconcile_quantities_continuously(
            runtime.reading, runtime.unit_of_work, costing_settings.warehouse_url, costing_settings.reconcile_seconds,
            costing_settings.reconcile_settle_seconds, costing_settings.warehouse_auth())],
    )


def build_app(service_settings: CostingSettings | None = None) -> FastAPI:
    costing_settings = service_settings or settings()
    runtime = build_runtime(costing_settings)
    routers = [value_entries.router, standard_cost_worksheets.router, inventory_value.router, items.router,
               reconciliation.router]
    return create_app(runtime, routers, title="Inventory costing")

