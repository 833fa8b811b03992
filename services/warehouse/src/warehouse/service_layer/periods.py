"""The inventory setup, and closing and reopening inventory periods: every change is published whole."""

from datetime import date

import asyncpg

from inventory_contracts import INVENTORY_SETUP_CHANGED_V1
from servicekit.outbox import add_event

from warehouse.adapters.events import inventory_setup_changed
from warehouse.adapters.repository import WarehouseRepository
from warehouse.domain.periods import InventoryPeriod, InventorySetup, check_close, check_reopen, check_setup_change, closed_through


async def change_inventory_setup(conn: asyncpg.Connection, new: InventorySetup) -> tuple[InventorySetup, int]:
    """Replace the setup (the average-cost settings only while no entries exist); publish it if anything changed."""
    repository = WarehouseRepository(conn)
    current, revision = await repository.inventory_setup(for_change=True)
    if new == current:
        return current, revision
    check_setup_change(current, new, entries_exist=await repository.has_item_ledger_entries())
    await repository.save_inventory_setup(new)
    return new, await _publish(repository, conn, new, await repository.inventory_periods())


async def close_inventory_period(conn: asyncpg.Connection, ending_date: date, name: str = "") -> InventoryPeriod:
    repository = WarehouseRepository(conn)
    periods = await repository.inventory_periods(for_change=True)
    check_close(ending_date, periods, await repository.count_open_outbound_until(ending_date))
    period = InventoryPeriod(ending_date, True, name)
    await repository.save_inventory_period(period)
    await _publish_periods_changed(repository, conn, periods, period)
    return period


async def reopen_inventory_period(conn: asyncpg.Connection, ending_date: date) -> InventoryPeriod:
    repository = WarehouseRepository(conn)
    periods = await repository.inventory_periods(for_change=True)
    check_reopen(ending_date, periods)
    period = InventoryPeriod(ending_date, False, next((p.name for p in periods if p.ending_date == ending_date), ""))
    await repository.save_inventory_period(period)
    await _publish_periods_changed(repository, conn, periods, period)
    return period


async def _publish_periods_changed(
    repository: WarehouseRepository, conn: asyncpg.Connection, before: list[InventoryPeriod], changed: InventoryPeriod
) -> None:
    after = [p for p in before if p.ending_date != changed.ending_date] + [changed]
    if closed_through(after) != closed_through(before):
        setup, _ = await repository.inventory_setup(for_change=True)
        await _publish(repository, conn, setup, after)


async def _publish(
    repository: WarehouseRepository, conn: asyncpg.Connection, setup: InventorySetup, periods: list[InventoryPeriod]
) -> int:
    revision = await repository.next_setup_revision()
    await add_event(conn, INVENTORY_SETUP_CHANGED_V1.topic, inventory_setup_changed(setup, revision, closed_through(periods)))
    return revision
