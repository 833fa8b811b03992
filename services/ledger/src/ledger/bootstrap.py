"""Composition root of the ledger: the only place that wires."""

import os

from fastapi import FastAPI

from inventory_contracts import GL_ENTRIES_POSTED_V1, RECONCILIATION_DIFFERENCE_FOUND_V1
from servicekit.auth import BearerAuth
from servicekit.runtime import ServiceRuntime, create_app
from servicekit.settings import ServiceSettings, load_settings

from ledger.entrypoints.consumers import SUBSCRIPTIONS
from ledger.entrypoints.http import DOMAIN_ERRORS, build_router
from ledger.service_layer.reconciliation import reconcile_continuously


def settings() -> ServiceSettings:
    return load_settings("ledger", default_port=8004)


def costing_url() -> str:
    """Where costing's API answers: the ledger reads inventory value there to reconcile (never on the posting path)."""
    return os.environ.get("LEDGER_COSTING_URL", "http://127.0.0.1:8003")


def costing_auth() -> BearerAuth:
    """The ledger's own access token (scope costing:read) for costing's API: `LEDGER_COSTING_TOKEN_FILE`, read on
    every call so that whatever renews it outside the process is picked up, or `LEDGER_COSTING_TOKEN`."""
    return BearerAuth(os.environ.get("LEDGER_COSTING_TOKEN"), os.environ.get("LEDGER_COSTING_TOKEN_FILE"))


def reconcile_every_seconds() -> float:
    return float(os.environ.get("LEDGER_RECONCILE_SECONDS", "5"))


def build_runtime(service_settings: ServiceSettings | None = None) -> ServiceRuntime:
    return ServiceRuntime(
        service_settings or settings(),
        migrations_package="ledger",
        subscriptions=SUBSCRIPTIONS,
        publishes=[GL_ENTRIES_POSTED_V1, RECONCILIATION_DIFFERENCE_FOUND_V1],
        description="The general ledger: value entries posted to G/L accounts.",
        background=[lambda runtime: reconcile_continuously(
            runtime.pool, costing_url(), reconcile_every_seconds(), costing_auth()
        )],
    )


def build_app(service_settings: ServiceSettings | None = None) -> FastAPI:
    runtime = build_runtime(service_settings)
    return create_app(
        runtime, [build_router(runtime, costing_url(), costing_auth())], title="Inventory ledger", domain_errors=DOMAIN_ERRORS
    )
