"""Composition root of the warehouse: the only place that wires."""

from fastapi import FastAPI

from inventory_contracts import INVENTORY_SETUP_CHANGED_V1, ITEM_ENTRY_INVOICED_V1, ITEM_ENTRY_POSTED_V1
from servicekit.runtime import ServiceRuntime, create_app

from warehouse.adapters.unit_of_work import PostgresWarehouseUnitOfWork
from warehouse.config import WarehouseSettings
from warehouse.entrypoints.consumers import SUBSCRIPTIONS
from warehouse.entrypoints.item_lookup import learn_unknown_item
from warehouse.entrypoints.routes import (
    assembly,
    availability,
    documents,
    inventory_periods,
    inventory_setup,
    item_journal,
    item_ledger,
    locations,
    physical_inventory,
    reconciliation,
    reservations,
    transfers,
)

ROUTERS = [
    m.router
    for m in (item_journal, documents, transfers, reservations, item_ledger, locations, inventory_setup,
              inventory_periods, physical_inventory, availability, reconciliation, assembly)
]


def build_runtime(settings: WarehouseSettings | None = None) -> ServiceRuntime:
    return ServiceRuntime(
        settings or WarehouseSettings.from_environment(),
        migrations_package="warehouse",
        subscriptions=SUBSCRIPTIONS,
        publishes=[ITEM_ENTRY_POSTED_V1, ITEM_ENTRY_INVOICED_V1, INVENTORY_SETUP_CHANGED_V1],
        description="The item ledger: every stock movement.",
        unit_of_work=PostgresWarehouseUnitOfWork,
        recover=learn_unknown_item,
    )


def build_app(settings: WarehouseSettings | None = None) -> FastAPI:
    return create_app(build_runtime(settings), ROUTERS, title="Inventory warehouse")
