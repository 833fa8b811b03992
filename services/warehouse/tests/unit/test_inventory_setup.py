"""The inventory setup's rules (the average-cost settings are fixed once entries exist) and its event."""

from datetime import date

import pytest

from inventory_contracts.warehouse import AverageCostCalcType, AverageCostPeriod

from warehouse.adapters.events import inventory_setup_changed
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


def test_the_same_average_settings_pass_once_entries_exist() -> None:
    check_setup_change(MONTH, InventorySetup(False, PostingDates(None, date(2026, 12, 31)), AverageCostPeriod.MONTH),
                       entries_exist=True)


def test_the_refusal_names_what_changed_and_what_stays() -> None:
    both = InventorySetup(True, PostingDates(), AverageCostPeriod.YEAR, AverageCostCalcType.ITEM_LOCATION_VARIANT)
    with pytest.raises(AverageCostSetupFixedError) as refused:
        check_setup_change(DAY, both, entries_exist=True)
    assert refused.value.detail.startswith("average_cost_period and average_cost_calc_type cannot change")
    assert refused.value.extensions == {"average_cost_period": "Day", "average_cost_calc_type": "Item"}


def test_no_closed_period_means_no_closed_date() -> None:
    assert closed_through([]) is None


def test_the_event_carries_the_whole_setup_under_one_key() -> None:
    setup = InventorySetup(False, PostingDates(date(2026, 1, 1), None), AverageCostPeriod.MONTH,
                           AverageCostCalcType.ITEM_LOCATION_VARIANT)
    event = inventory_setup_changed(setup, 3, date(2026, 1, 31))
    assert (event.type, event.version, event.producer, event.key) == (
        "warehouse.inventory-setup-changed", 1, "warehouse", "inventory-setup")
    assert event.payload.model_dump(mode="json") == {
        "revision": 3, "allow_posting_from": "2026-01-01", "allow_posting_to": None, "closed_through": "2026-01-31",
        "average_cost_period": "Month", "average_cost_calc_type": "Item & Location & Variant",
    }
