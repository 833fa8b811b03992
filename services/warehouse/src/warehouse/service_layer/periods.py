"""The inventory setup, and closing and reopening inventory periods: every change is published whole.

Lock order, the same in every change: the setup row first (FOR UPDATE), then the periods. A PUT reads the periods
after locking the setup, so a period change that locked the periods before the setup could deadlock with it.
"""

from datetime import date

from inventory_contracts import INVENTORY_SETUP_CHANGED_V1
from inventory_contracts.warehouse import AverageCostCalcType, AverageCostPeriod

from warehouse.adapters.events import inventory_setup_changed
from warehouse.domain.periods import (
    InventoryPeriod,
    InventorySetup,
    PostingDates,
    check_close,
    check_reopen,
    check_setup_change,
    closed_through,
)
from warehouse.service_layer.unit_of_work import WarehouseUnitOfWork


async def get_inventory_setup(uow: WarehouseUnitOfWork) -> tuple[InventorySetup, int, date | None]:
    """The setup, its revision and the closed-through date, as the revision's event published them."""
    return await uow.inventory_setup.as_published()


async def change_inventory_setup(
    uow: WarehouseUnitOfWork,
    prevent_negative_inventory: bool,
    dates: PostingDates,
    average_cost_period: AverageCostPeriod | None = None,
    average_cost_calc_type: AverageCostCalcType | None = None,
) -> tuple[InventorySetup, int, date | None]:
    """Replace the setup (average-cost settings None: unchanged; they change only while no entries exist).

    Publishes it whole if anything changed. Returns the setup, its revision and the closed-through date.
    """
    current, revision = await uow.inventory_setup.get(for_change=True)
    new = InventorySetup(
        prevent_negative_inventory,
        dates,
        average_cost_period or current.average_cost_period,
        average_cost_calc_type or current.average_cost_calc_type,
    )
    # Changing the average-cost settings locks the periods as a period change does: postings read them FOR SHARE
    # before they write entries, so no first entry can commit between the check below and this change.
    average_changes = (new.average_cost_period, new.average_cost_calc_type) != (
        current.average_cost_period, current.average_cost_calc_type)
    periods = await uow.periods.inventory_periods(for_change=average_changes)
    if new == current:
        return current, revision, closed_through(periods)
    check_setup_change(current, new, entries_exist=await uow.inventory_setup.has_item_ledger_entries())
    await uow.inventory_setup.save(new)
    return new, await _publish(uow, new, periods), closed_through(periods)


async def list_inventory_periods(uow: WarehouseUnitOfWork) -> list[InventoryPeriod]:
    return await uow.periods.inventory_periods()


async def close_inventory_period(uow: WarehouseUnitOfWork, ending_date: date, name: str = "") -> InventoryPeriod:
    """Periods close in date order, and not while an outbound entry in them waits for stock."""
    setup, _ = await uow.inventory_setup.get(for_change=True)
    periods = await uow.periods.inventory_periods(for_change=True)
    check_close(ending_date, periods, await uow.periods.count_open_outbound_until(ending_date))
    period = InventoryPeriod(ending_date, True, name)
    await uow.periods.save(period)
    await _publish_periods_changed(uow, setup, periods, period)
    return period


async def reopen_inventory_period(uow: WarehouseUnitOfWork, ending_date: date) -> InventoryPeriod:
    """Periods reopen from the latest back."""
    setup, _ = await uow.inventory_setup.get(for_change=True)
    periods = await uow.periods.inventory_periods(for_change=True)
    check_reopen(ending_date, periods)
    period = InventoryPeriod(ending_date, False, next((p.name for p in periods if p.ending_date == ending_date), ""))
    await uow.periods.save(period)
    await _publish_periods_changed(uow, setup, periods, period)
    return period


async def _publish_periods_changed(
    uow: WarehouseUnitOfWork, setup: InventorySetup, before: list[InventoryPeriod], changed: InventoryPeriod
) -> None:
    """Publish the setup if the period change moved its closed-through date (what the other services see of periods)."""
    after = [p for p in before if p.ending_date != changed.ending_date] + [changed]
    if closed_through(after) != closed_through(before):
        await _publish(uow, setup, after)


async def _publish(uow: WarehouseUnitOfWork, setup: InventorySetup, periods: list[InventoryPeriod]) -> int:
    """Next revision, and the whole setup at it, published with the transaction."""
    revision = await uow.inventory_setup.next_revision()
    await uow.publish(INVENTORY_SETUP_CHANGED_V1.topic, inventory_setup_changed(setup, revision, closed_through(periods)))
    return revision
