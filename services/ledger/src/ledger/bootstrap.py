"""Composition root of the ledger: the only place that wires."""

from fastapi import FastAPI

from inventory_contracts import GL_ENTRIES_POSTED_V1
from servicekit.runtime import ServiceRuntime, create_app
from servicekit.settings import ServiceSettings, load_settings

from ledger.entrypoints.consumers import SUBSCRIPTIONS
from ledger.entrypoints.http import DOMAIN_ERRORS, build_router


def settings() -> ServiceSettings:
    return load_settings("ledger", default_port=8004)


def build_runtime(service_settings: ServiceSettings | None = None) -> ServiceRuntime:
    return ServiceRuntime(
        service_settings or settings(),
        migrations_package="ledger",
        subscriptions=SUBSCRIPTIONS,
        publishes=[GL_ENTRIES_POSTED_V1],
        description="The general ledger: value entries posted to G/L accounts.",
    )


def build_app(service_settings: ServiceSettings | None = None) -> FastAPI:
    runtime = build_runtime(service_settings)
    return create_app(runtime, [build_router(runtime)], title="Inventory ledger", domain_errors=DOMAIN_ERRORS)
