"""Composition root of the ledger: the only place that wires."""

from fastapi import FastAPI

from inventory_contracts import GL_ENTRIES_POSTED_V1, RECONCILIATION_DIFFERENCE_FOUND_V1
from servicekit.runtime import ServiceRuntime, create_app

from ledger.config import LedgerSettings
from ledger.entrypoints.consumers import SUBSCRIPTIONS
from ledger.entrypoints.http import build_router
from ledger.adapters.unit_of_work import PostgresLedgerUnitOfWork
from ledger.entrypoints.background import reconcile_continuously


def settings() -> LedgerSettings:
    return LedgerSettings.from_environment()


def build_runtime(service_settings: LedgerSettings | None = None) -> ServiceRuntime:
    ledger_settings = service_settings or settings()
    return ServiceRuntime(
        ledger_settings,
        migrations_package="ledger",
        subscriptions=SUBSCRIPTIONS,
        publishes=[GL_ENTRIES_POSTED_V1, RECONCILIATION_DIFFERENCE_FOUND_V1],
        description="The general ledger: value entries posted to G/L accounts.",
        background=[reconcile_continuously],
        unit_of_work=PostgresLedgerUnitOfWork,
    )


def build_app(service_settings: LedgerSettings | None = None) -> FastAPI:
    runtime = build_runtime(service_settings)
    ledger_settings: LedgerSettings = runtime.settings  # type: ignore[assignment]
    return create_app(
        runtime,
        [build_router(runtime, ledger_settings.costing_url, ledger_settings.costing_auth())],
        title="Inventory ledger",
    )
