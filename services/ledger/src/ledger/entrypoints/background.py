"""The ledger's background work: the continuous inventory reconciliation."""

import asyncio
import logging

import httpx

from servicekit.logs import PeriodicOutcome, periodic_job_headers
from servicekit.runtime import ServiceRuntime

from ledger.adapters.costing import HttpInventoryValuation
from ledger.config import LedgerSettings
from ledger.service_layer.reconciliation import reconcile_once

log = logging.getLogger(__name__)


async def reconcile_continuously(runtime: ServiceRuntime) -> None:
    """Reconcile every `reconcile_seconds`; a round that fails (costing unavailable) is skipped, not fatal."""
    outcome = PeriodicOutcome(log, "reconciliation")  # a line when the outcome changes, not every round
    settings = runtime.settings_as(LedgerSettings)
    async with httpx.AsyncClient(timeout=10, auth=settings.costing_auth(),
                                 headers=periodic_job_headers("ledger reconciliation")) as client:
        valuation = HttpInventoryValuation(client, settings.costing_url)
        while True:
            try:
                await reconcile_once(valuation, runtime.reading, runtime.unit_of_work)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                outcome.failed(exc)
            else:
                outcome.succeeded()
            await asyncio.sleep(settings.reconcile_seconds)
