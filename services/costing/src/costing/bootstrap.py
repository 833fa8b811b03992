"""Composition root of the costing: the only place that wires."""

import os

from fastapi import FastAPI

from inventory_contracts import (
    ITEM_UNIT_COST_CHANGED_V1,
    QUANTITY_DIFFERENCE_FOUND_V1,
    STANDARD_COST_IMPLEMENTED_V1,
    VALUE_ENTRIES_POSTED_V1,
)
from servicekit.auth import BearerAuth
from servicekit.runtime import ServiceRuntime, create_app
from servicekit.settings import ServiceSettings, load_settings

from costing.domain.errors import (
    CostingDomainError,
    InvalidChargeError,
    InvalidRevaluationError,
    InvalidStandardCostError,
    NotAReceiptError,
    NotAStandardItemError,
    PostingDateClosedError,
    UnknownItemError,
    UnknownItemLedgerEntryError,
    UnknownWorksheetLineError,
)
from costing.entrypoints.consumers import SUBSCRIPTIONS
from costing.entrypoints.http import build_router
from costing.entrypoints.reconciliation import build_reconciliation_router
from costing.service_layer.quantity_reconciliation import reconcile_quantities_continuously


def settings() -> ServiceSettings:
    return load_settings("costing", default_port=8003)


def warehouse_url() -> str:
    """Where the warehouse's API answers: costing reads its quantities there to reconcile (never on the posting path)."""
    return os.environ.get("COSTING_WAREHOUSE_URL", "http://127.0.0.1:8002")


def warehouse_auth() -> BearerAuth:
    """Costing's own access token (scope inventory:read) for the warehouse's API: `COSTING_WAREHOUSE_TOKEN_FILE`,
    read on every call so that whatever renews it outside the process is picked up, or `COSTING_WAREHOUSE_TOKEN`."""
    return BearerAuth(os.environ.get("COSTING_WAREHOUSE_TOKEN"), os.environ.get("COSTING_WAREHOUSE_TOKEN_FILE"))


def reconcile_every_seconds() -> float:
    return float(os.environ.get("COSTING_RECONCILE_SECONDS", "5"))


def settle_seconds() -> float:
    """How long after the warehouse recorded an entry costing must have it: later entries are not compared yet."""
    return float(os.environ.get("COSTING_RECONCILE_SETTLE_SECONDS", "30"))


def build_runtime(service_settings: ServiceSettings | None = None) -> ServiceRuntime:
    return ServiceRuntime(
        service_settings or settings(),
        migrations_package="costing",
        subscriptions=SUBSCRIPTIONS,
        publishes=[VALUE_ENTRIES_POSTED_V1, ITEM_UNIT_COST_CHANGED_V1, QUANTITY_DIFFERENCE_FOUND_V1, STANDARD_COST_IMPLEMENTED_V1],
        description="Values: value entries for every item ledger entry.",
        background=[lambda runtime: reconcile_quantities_continuously(
            runtime.pool, warehouse_url(), reconcile_every_seconds(), settle_seconds(), warehouse_auth())],
    )


def build_app(service_settings: ServiceSettings | None = None) -> FastAPI:
    runtime = build_runtime(service_settings)
    routers = [build_router(runtime), build_reconciliation_router(runtime, warehouse_url(), warehouse_auth())]
    return create_app(runtime, routers, title="Inventory costing", domain_errors=DOMAIN_ERRORS)


# One table from domain errors to problem details (status, slug, title).
DOMAIN_ERRORS = {
    UnknownItemLedgerEntryError: (404, "unknown-item-ledger-entry", "Unknown item ledger entry"),
    UnknownItemError: (404, "unknown-item", "Unknown item"),
    UnknownWorksheetLineError: (404, "unknown-worksheet-line", "Unknown standard cost worksheet line"),
    NotAStandardItemError: (422, "not-a-standard-item", "Not a Standard item"),
    InvalidStandardCostError: (422, "invalid-standard-cost", "Invalid standard cost"),
    NotAReceiptError: (422, "not-a-receipt", "Not a purchase receipt"),
    InvalidChargeError: (422, "invalid-item-charge", "Invalid item charge"),
    InvalidRevaluationError: (422, "invalid-revaluation", "Invalid revaluation"),
    PostingDateClosedError: (422, "posting-date-closed", "Posting date not open"),
    CostingDomainError: (422, "costing-refused", "Costing refused the request"),
}
