"""Costing's background work: the continuous warehouse-to-costing quantity reconciliation."""

import asyncio
import logging

import httpx

from servicekit.logs import PeriodicOutcome, periodic_job_headers
from servicekit.runtime import ServiceRuntime

from costing.adapters.warehouse import read_warehouse_quantities
from costing.config import CostingSettings
from costing.service_layer.quantity_reconciliation import compare, report

log = logging.getLogger(__name__)


async def reconcile_quantities_continuously(runtime: ServiceRuntime) -> None:
    """Compare (outside a transaction) and report (in one) every `reconcile_seconds`; a round that fails is skipped."""
    outcome = PeriodicOutcome(log, "quantity reconciliation")  # a line when the outcome changes, not every round
    settings = runtime.settings_as(CostingSettings)
    async with httpx.AsyncClient(timeout=30, auth=settings.warehouse_auth(),
                                 headers=periodic_job_headers("costing quantity reconciliation")) as client:
        while True:
            try:
                warehouse = await read_warehouse_quantities(client, settings.warehouse_url, settings.reconcile_settle_seconds)
                async with runtime.reading() as uow:
                    comparisons = await compare(uow, warehouse)
                async with runtime.unit_of_work() as uow:
                    await report(uow, comparisons)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                outcome.failed(exc)
            else:
                outcome.succeeded()
            await asyncio.sleep(settings.reconcile_seconds)
