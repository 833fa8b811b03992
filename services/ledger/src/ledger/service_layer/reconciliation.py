"""Inventory-to-G/L reconciliation, run continuously once processing has caught up."""

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import asyncpg
import httpx

from inventory_contracts import RECONCILIATION_DIFFERENCE_FOUND_V1, new_envelope
from inventory_contracts.ledger import ReconciliationDifferenceFound
from servicekit.outbox import add_event

from ledger.adapters.repository import LedgerRepository
from ledger.domain.errors import CostingUnavailableError
from ledger.domain.reconciliation import GroupValue, ReconciliationLine, reconcile
from ledger.metrics import RECONCILIATION_CAUGHT_UP, RECONCILIATION_DIFFERENCE

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reconciliation:
    caught_up: bool
    costing_value_entries: int
    ledger_value_entries: int
    pending_value_entries: int
    lines: list[ReconciliationLine]


async def read_costing_values(client: httpx.AsyncClient, costing_url: str) -> tuple[int, list[GroupValue]]:
    """Costing's value per location and inventory posting group, through its API (never its database)."""
    try:
        response = await client.get(f"{costing_url}/inventory-valuation/by-posting-group")
        response.raise_for_status()
    except httpx.HTTPError as exc:
        raise CostingUnavailableError(f"costing valuation not readable at {costing_url}: {exc}") from exc
    body: dict[str, Any] = response.json()
    values = [
        GroupValue(
            line["location_code"], line["inventory_posting_group"],
            Decimal(line["cost_amount_actual"]), Decimal(line["cost_amount_expected"]),
        )
        for line in body["lines"]
    ]
    return int(body["value_entries"]), values


async def compare(pool: asyncpg.Pool, costing_value_entries: int, values: list[GroupValue]) -> Reconciliation:
    """Compare with the G/L. Caught up means the ledger has received exactly the value entries costing
    summed (costing is read first, so any later value entry makes the counts differ). Entries waiting
    for posting setup count as received: a difference they cause is real and is reported."""
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
        received, pending, balances, setups = await LedgerRepository(conn).reconciliation_snapshot()
    caught_up = received == costing_value_entries
    return Reconciliation(caught_up, costing_value_entries, received, pending, reconcile(values, setups, balances))


async def report(conn: asyncpg.Connection, reconciliation: Reconciliation) -> list[ReconciliationLine]:
    """Publish each account whose difference changed since it was last reported; set the metrics."""
    RECONCILIATION_CAUGHT_UP.set(1 if reconciliation.caught_up else 0)
    if not reconciliation.caught_up:
        return []
    repository = LedgerRepository(conn)
    reported = await repository.reported_differences()
    changed = []
    for line in reconciliation.lines:
        RECONCILIATION_DIFFERENCE.labels(line.account_no).set(float(line.difference))
        if reported.get(line.account_no, Decimal(0)) == line.difference:
            continue
        await repository.record_reported_difference(line.account_no, line.interim, line.difference)
        payload = ReconciliationDifferenceFound(
            account_no=line.account_no,
            interim=line.interim,
            inventory_value=line.inventory_value,
            gl_balance=line.gl_balance,
            difference=line.difference,
            value_entries=reconciliation.ledger_value_entries,
            checked_at=datetime.now(UTC),
        )
        event = new_envelope(RECONCILIATION_DIFFERENCE_FOUND_V1, payload, producer="ledger", key=line.account_no)
        await add_event(conn, RECONCILIATION_DIFFERENCE_FOUND_V1.topic, event)
        changed.append(line)
        log.warning("inventory account %s differs from inventory value by %s", line.account_no, line.difference)
    return changed


async def reconcile_continuously(
    pool: asyncpg.Pool, costing_url: str, every_seconds: float, auth: httpx.Auth | None = None
) -> None:
    async with httpx.AsyncClient(timeout=10, auth=auth) as client:
        while True:
            try:
                count, values = await read_costing_values(client, costing_url)
                reconciliation = await compare(pool, count, values)
                async with pool.acquire() as conn, conn.transaction():
                    await report(conn, reconciliation)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("reconciliation skipped: %s", exc)
            await asyncio.sleep(every_seconds)
