"""Closing and reopening inventory periods."""

from datetime import date

import asyncpg

from warehouse.adapters.repository import WarehouseRepository
from warehouse.domain.periods import InventoryPeriod, check_close, check_reopen


async def close_inventory_period(conn: asyncpg.Connection, ending_date: date, name: str = "") -> InventoryPeriod:
    repository = WarehouseRepository(conn)
    periods = await repository.inventory_periods(for_change=True)
    check_close(ending_date, periods, await repository.count_open_outbound_until(ending_date))
    period = InventoryPeriod(ending_date, True, name)
    await repository.save_inventory_period(period)
    return period


async def reopen_inventory_period(conn: asyncpg.Connection, ending_date: date) -> InventoryPeriod:
    repository = WarehouseRepository(conn)
    periods = await repository.inventory_periods(for_change=True)
    check_reopen(ending_date, periods)
    period = InventoryPeriod(ending_date, False, next((p.name for p in periods if p.ending_date == ending_date), ""))
    await repository.save_inventory_period(period)
    return period
