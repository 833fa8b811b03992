"""Valuation use cases: load what a batch needs, run the engine (costing.domain.engine), store what it wrote."""

from collections.abc import Sequence

import asyncpg

from inventory_contracts.warehouse import ItemEntryInvoiced, ItemEntryPosted

from costing.adapters.repository import CostingRepository
from costing.domain import engine
from costing.domain.engine import AssignItemCharge, ChargeLine, RevalueInventory
from costing.domain.model import ValueEntry

__all__ = ["AssignItemCharge", "ChargeLine", "RevalueInventory", "assign_item_charge", "invoice_item_entry",
           "revalue_inventory", "value_item_entries", "value_item_entry"]


async def value_item_entries(conn: asyncpg.Connection, events: Sequence[ItemEntryPosted | ItemEntryInvoiced]) -> list[list[ValueEntry]]:
    """Value postings and invoices in order, in one unit of work: what they read is read for all of them at once, what
    they write is written in bulk at the end. Per event, the value entries it wrote."""
    repository = CostingRepository(conn)
    await repository.lock_items(event.item_no for event in events)
    await repository.prefetch(
        [event.item_no for event in events],
        [a.inbound_entry_no for event in events if isinstance(event, ItemEntryPosted) for a in event.applications],
    )
    written = await engine.value_events(repository, events)
    await repository.flush()
    return [repository.stored(entries) for entries in written]


async def value_item_entry(conn: asyncpg.Connection, posted: ItemEntryPosted) -> list[ValueEntry]:
    """Write the value entries an item ledger entry causes, its own and the adjustments of earlier ones."""
    (written,) = await value_item_entries(conn, [posted])
    return written


async def invoice_item_entry(conn: asyncpg.Connection, invoiced: ItemEntryInvoiced) -> list[ValueEntry]:
    """Value the invoice of (part of) a receipt or shipment entry, and forward a changed cost."""
    (written,) = await value_item_entries(conn, [invoiced])
    return written


async def assign_item_charge(conn: asyncpg.Connection, command: AssignItemCharge) -> list[ValueEntry]:
    repository = CostingRepository(conn)
    receipts = await repository.item_ledger_entries(line.item_ledger_entry_no for line in command.lines)
    await repository.lock_items(known.entry.item_no for known in receipts.values())
    written = await engine.assign_item_charge(repository, command)
    await repository.flush()
    return repository.stored(written)


async def revalue_inventory(conn: asyncpg.Connection, command: RevalueInventory) -> list[ValueEntry]:
    repository = CostingRepository(conn)
    await repository.lock_items([command.item_no])
    written = await engine.revalue_inventory(repository, command)
    await repository.flush()
    return repository.stored(written)
