"""The inventory setup's rules: the average-cost settings are fixed once entries exist."""

from datetime import date

import pytest

from inventory_contracts.warehouse import AverageCostCalcType, AverageCostPeriod

from warehouse.domain.errors import AverageCostSetupFixedError
from warehouse.domain.periods import InventoryPeriod, InventorySetup, PostingDates, check_setup_change, closed_through

DAY = InventorySetup(True, PostingDates())
MONTH = InventorySetup(True, PostingDates(), AverageCostPeriod.MONTH)
PER_LOCATION = InventorySetup(True, PostingDates(), average_cost_calc_type=AverageCostCalcType.ITEM_LOCATION_VARIANT)


@pytest.mark.parametrize("new", [MONTH, PER_LOCATION])
def test_average_settings_change_only_while_no_entries_exist(new: InventorySetup) -> None:
    check_setup_change(DAY, new, entries_exist=False)
    with pytest.raises(AverageCostSetupFixedError, match="cannot change once item ledger entries exist"):
        check_setup_change(DAY, new, entries_exist=True)


def test_dates_and_negative_inventory_change_any_time() -> None:
    check_setup_change(DAY, InventorySetup(False, PostingDates(date(2026, 1, 1), None)), entries_exist=True)


def test_closed_through_is_the_latest_closed_period() -> None:
    periods = [InventoryPeriod(date(2026, 1, 31), True), InventoryPeriod(date(2026, 2, 28), True), InventoryPeriod(date(2026, 3, 31), False)]
    assert closed_through(periods) == date(2026, 2, 28)
    assert closed_through([InventoryPeriod(date(2026, 1, 31), False)]) is None
