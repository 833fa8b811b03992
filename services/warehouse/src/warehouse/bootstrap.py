"""Composition root of the warehouse: the only place that wires."""

from fastapi import FastAPI

from inventory_contracts import INVENTORY_SETUP_CHANGED_V1, ITEM_ENTRY_INVOICED_V1, ITEM_ENTRY_POSTED_V1
from servicekit.runtime import ServiceRuntime, create_app

from warehouse.adapters.unit_of_work import PostgresWarehouseUnitOfWork
from warehouse.config import WarehouseSettings
from warehouse.entrypoints.consumers import SUBSCRIPTIONS
from warehouse.entrypoints.http import build_router
from warehouse.entrypoints.reconciliation import build_reconciliation_router
from warehouse.entrypoints.routes import documents, item_journal, item_ledger, reservations, transfers

# --- posting half ---
POSTING_ROUTERS = [item_journal.router, documents.router, transfers.router, reservations.router, item_ledger.router]
# --- end of the posting half ---


def build_runtime(settings: WarehouseSettings | None = None) -> ServiceRuntime:
    return ServiceRuntime(
        settings or WarehouseSettings.from_environment(),
        migrations_package="warehouse",
        subscriptions=SUBSCRIPTIONS,
        publishes=[ITEM_ENTRY_POSTED_V1, ITEM_ENTRY_INVOICED_V1, INVENTORY_SETUP_CHANGED_V1],
        description="The item ledger: every stock movement.",
        unit_of_work=PostgresWarehouseUnitOfWork,
    )


def build_app(settings: WarehouseSettings | None = None) -> FastAPI:
    runtime = build_runtime(settings)
    routers = [*POSTING_ROUTERS, build_router(runtime), build_reconciliation_router(runtime)]
    return create_app(runtime, routers, title="Inventory warehouse")
