"""Composition root of the costing: the only place that wires."""

from fastapi import FastAPI

from inventory_contracts import (
    ITEM_UNIT_COST_CHANGED_V1,
    QUANTITY_DIFFERENCE_FOUND_V1,
    STANDARD_COST_IMPLEMENTED_V1,
    VALUE_ENTRIES_POSTED_V1,
)
from servicekit.runtime import ServiceRuntime, create_app

from costing.adapters.unit_of_work import PostgresCostingUnitOfWork
from costing.config import CostingSettings
from costing.entrypoints.background import reconcile_quantities_continuously
from costing.entrypoints.consumers import SUBSCRIPTIONS
from costing.entrypoints.routes import inventory_value, items, reconciliation, standard_cost_worksheets, value_entries


def settings() -> CostingSettings:
    return CostingSettings.from_environment()


def build_runtime(service_settings: CostingSettings | None = None) -> ServiceRuntime:
    return ServiceRuntime(
        service_settings or settings(),
        migrations_package="costing",
        subscriptions=SUBSCRIPTIONS,
        publishes=[VALUE_ENTRIES_POSTED_V1, ITEM_UNIT_COST_CHANGED_V1, QUANTITY_DIFFERENCE_FOUND_V1, STANDARD_COST_IMPLEMENTED_V1],
        description="Values: value entries for every item ledger entry.",
        unit_of_work=PostgresCostingUnitOfWork,
        background=[reconcile_quantities_continuously],
    )


def build_app(service_settings: CostingSettings | None = None) -> FastAPI:
    runtime = build_runtime(service_settings)
    routers = [value_entries.router, standard_cost_worksheets.router, inventory_value.router, items.router,
               reconciliation.router]
    return create_app(runtime, routers, title="Inventory costing")

