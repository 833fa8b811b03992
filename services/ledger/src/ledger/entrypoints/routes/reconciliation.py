"""The inventory reconciliation, on demand."""

from dataclasses import asdict

import httpx
from fastapi import APIRouter

from servicekit.auth import requires
from servicekit.endpoints import Runtime

from ledger.adapters.costing import HttpInventoryValuation
from ledger.config import LedgerSettings
from ledger.entrypoints.routes.common import PROBLEM
from ledger.entrypoints.schemas import ReconciliationLineOut, ReconciliationOut
from ledger.service_layer import reconciliation

router = APIRouter(tags=["reconciliation"])


@router.get("/reconciliation", response_model=ReconciliationOut, responses={503: PROBLEM}, dependencies=[requires("ledger:read")])
async def get_reconciliation(runtime: Runtime) -> ReconciliationOut:
    """Inventory value in costing next to the balance of each inventory (and interim) account, now.

    The same comparison runs continuously; a difference found once processing has caught up
    raises an event on ledger.reconciliation.v1 and sets the metric inventory_reconciliation_difference.
    """
    settings = runtime.settings_as(LedgerSettings)
    async with httpx.AsyncClient(timeout=10, auth=settings.costing_auth()) as client:
        found = await reconciliation.check(HttpInventoryValuation(client, settings.costing_url), runtime.reading)
    return ReconciliationOut(
        caught_up=found.caught_up,
        costing_value_entries=found.costing_value_entries,
        ledger_value_entries=found.ledger_value_entries,
        pending_value_entries=found.pending_value_entries,
        lines=[ReconciliationLineOut(**asdict(line), difference=line.difference) for line in found.lines],
    )
