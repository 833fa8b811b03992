"""Composition root of the ledger: the only place that wires."""

from fastapi import FastAPI

from inventory_contracts import GL_ENTRIES_POSTED_V1, RECONCILIATION_DIFFERENCE_FOUND_V1
from servicekit.runtime import ServiceRuntime, create_app

from ledger.adapters.unit_of_work import PostgresLedgerUnitOfWork
from ledger.config import LedgerSettings
from ledger.entrypoints.background import reconcile_continuously
from ledger.entrypoints.consumers import SUBSCRIPTIONS
from ledger.entrypoints.routes import ROUTERS


def settings() -> LedgerSettings:
    return LedgerSettings.from_environment()


def build_runtime(service_settings: LedgerSettings | None = None) -> ServiceRuntime:
    return ServiceRuntime(
        service_settings or settings(),
        migrations_package="ledger",
        subscriptions=SUBSCRIPTIONS,
        publishes=[GL_ENTRIES_POSTED_V1, RECONCILIATION_DIFFERENCE_FOUND_V1],
        description="The general ledger: value entries posted to G/L accounts.",
        background=[reconcile_continuously],
        unit_of_work=PostgresLedgerUnitOfWork,
    )


def build_app(service_settings: LedgerSettings | None = None) -> FastAPI:
    return create_app(build_runtime(service_settings), ROUTERS, title="Inventory ledger")
