"""Inventory-to-G/L reconciliation: costing's value next to the inventory accounts, reported when it changes."""

import logging
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from inventory_contracts import RECONCILIATION_DIFFERENCE_FOUND_V1

from ledger.adapters.events import reconciliation_difference_found
from ledger.domain.ports import InventoryValuation
from ledger.domain.reconciliation import ReconciliationLine, reconcile
from ledger.metrics import RECONCILIATION_CAUGHT_UP, RECONCILIATION_DIFFERENCE
from ledger.service_layer.unit_of_work import LedgerUnitOfWork

log = logging.getLogger(__name__)

OpenUnitOfWork = Callable[[], AbstractAsyncContextManager[LedgerUnitOfWork]]


@dataclass(frozen=True)
class Reconciliation:
    caught_up: bool
    costing_value_entries: int
    ledger_value_entries: int
    pending_value_entries: int
    lines: list[ReconciliationLine]


async def check(valuation: InventoryValuation, reading: OpenUnitOfWork) -> Reconciliation:
    """Compare costing's value with the G/L. Caught up means the ledger has received exactly the value entries
    costing summed (costing is read first, so any later value entry makes the counts differ). Entries waiting
    for posting setup count as received: a difference they cause is real and is reported.

    No connection is held while costing answers: the ledger's side is read after, at one moment.
    """
    costing_value_entries, values = await valuation.by_posting_group()
    async with reading() as uow:
        ledger = await uow.reconciliation.snapshot()
    return Reconciliation(
        ledger.received == costing_value_entries, costing_value_entries, ledger.received, ledger.pending,
        reconcile(values, ledger.setups, ledger.balances),
    )


async def report(uow: LedgerUnitOfWork, reconciliation: Reconciliation) -> list[ReconciliationLine]:
    """Publish each account whose difference changed since it was last reported; set the metrics."""
    RECONCILIATION_CAUGHT_UP.set(1 if reconciliation.caught_up else 0)
    if not reconciliation.caught_up:
        return []
    reported = await uow.reconciliation.reported_differences()
    changed = []
    for line in reconciliation.lines:
        RECONCILIATION_DIFFERENCE.labels(line.account_no).set(float(line.difference))
        if reported.get(line.account_no, Decimal(0)) == line.difference:
            continue
        await uow.reconciliation.record_reported_difference(line.account_no, line.interim, line.difference)
        await uow.publish(
            RECONCILIATION_DIFFERENCE_FOUND_V1.topic,
            reconciliation_difference_found(line, reconciliation.ledger_value_entries, datetime.now(UTC)),
        )
        changed.append(line)
        if line.difference:
            log.warning("inventory account %s differs from inventory value by %s", line.account_no, line.difference)
        else:
            log.info("inventory account %s agrees with inventory value again", line.account_no)
    return changed


async def reconcile_once(
    valuation: InventoryValuation, reading: OpenUnitOfWork, unit_of_work: OpenUnitOfWork
) -> list[ReconciliationLine]:
    """One round of the continuous reconciliation: check, then report what changed."""
    found = await check(valuation, reading)
    async with unit_of_work() as uow:
        return await report(uow, found)
