from datetime import date
from decimal import Decimal

import pytest

from warehouse.domain.application import Application, OpenEntry
from warehouse.domain.errors import InsufficientBinContentError, InsufficientInventoryError
from warehouse.domain.ledger_state import CONSUMED, Demand, OpenLedgerState

D = Decimal
KEY = ("1000", "", "MAIN")
ORDER_1 = Demand("Sales Order", "SO-1", 10000)
ORDER_2 = Demand("Sales Order", "SO-2", 10000)


def stock(*remaining: str) -> OpenLedgerState:
    return OpenLedgerState({KEY: {no: OpenEntry(no, date(2026, 1, no), D(q)) for no, q in enumerate(remaining, 1)}})


def sell(state: OpenLedgerState, entry_no: int, quantity: str, demand: Demand | None = None,
         prevent: bool = True) -> list[Application]:
    return state.post(KEY, OpenEntry(entry_no, date(2026, 2, 1), -D(quantity)), newest_first=False,
                      prevent_negative=prevent, demand=demand)


def test_sales_in_one_document_see_each_others_effect() -> None:
    state = stock("3")
    assert sell(state, 10, "2") == [Application(1, 10, D(2))]
    with pytest.raises(InsufficientInventoryError) as refused:
        sell(state, 11, "2")
    assert refused.value.extensions["on_hand"] == "1.00000"


def test_changes_name_only_what_moved() -> None:
    state = stock("3", "4")
    sell(state, 10, "5")
    state.post(KEY, OpenEntry(11, date(2026, 2, 2), D(6)), newest_first=False, prevent_negative=True)
    closed, changed, opened = state.changes()
    assert closed == [1]
    assert changed == [(2, D(2))]
    assert opened == [(KEY, OpenEntry(11, date(2026, 2, 2), D(6)))]


def test_reserved_stock_is_not_available_to_other_demand() -> None:
    state = stock("10")
    state.reserve(KEY, ORDER_1, D(8), newest_first=False)
    with pytest.raises(InsufficientInventoryError) as refused:
        sell(state, 10, "3")
    assert refused.value.extensions["reserved_for_others"] == "8.00000"
    assert sell(state, 11, "2") == [Application(1, 11, D(2))]


def test_a_second_reservation_takes_only_unreserved_stock() -> None:
    state = stock("5", "5")
    state.reserve(KEY, ORDER_1, D(7), newest_first=False)
    made = state.reserve(KEY, ORDER_2, D(3), newest_first=False)
    assert [(r.item_ledger_entry_no, r.quantity) for r in made] == [(2, D(3))]
    with pytest.raises(InsufficientInventoryError):
        state.reserve(KEY, ORDER_2, D("0.1"), newest_first=False)


def test_sale_for_its_demand_applies_to_the_reserved_entry_first() -> None:
    state = stock("5", "5")
    # ORDER_1 holds the older entry, so ORDER_2's reservation is on the newer one.
    state.reserve(KEY, ORDER_1, D(5), newest_first=False)
    state.reserve(KEY, ORDER_2, D(5), newest_first=False)
    assert sell(state, 10, "4", ORDER_2) == [Application(2, 10, D(4))]
    (left,) = [r for r in state.reservations if r.demand == ORDER_2]
    assert left.remaining_quantity == 1 and left.is_open


def test_sale_beyond_its_reservation_takes_the_rest_from_free_stock_and_consumes_it() -> None:
    state = stock("5", "5")
    state.reserve(KEY, ORDER_1, D(3), newest_first=False)
    applications = sell(state, 10, "6", ORDER_1)
    assert applications == [Application(1, 10, D(5)), Application(2, 10, D(1))]
    (consumed,) = state.reservations
    assert consumed.status == CONSUMED and consumed.remaining_quantity == 0


def test_cancel_frees_the_stock() -> None:
    state = stock("4")
    state.reserve(KEY, ORDER_1, D(4), newest_first=False)
    assert [r.remaining_quantity for r in state.cancel(ORDER_1)] == [D(4)]
    assert sell(state, 10, "4") == [Application(1, 10, D(4))]


def test_negative_inventory_allowed_leaves_reserved_stock_alone() -> None:
    state = stock("4")
    state.reserve(KEY, ORDER_1, D(4), newest_first=False)
    assert sell(state, 10, "2", prevent=False) == []
    assert state.open_entries[KEY][10].remaining_quantity == D(-2)


def test_bin_content_cannot_go_below_zero() -> None:
    state = OpenLedgerState({KEY: {}}, bin_content={(KEY, "A1"): D(2)})
    state.post(KEY, OpenEntry(1, date(2026, 1, 1), D(3)), newest_first=False, prevent_negative=True, bin_code="B1")
    with pytest.raises(InsufficientBinContentError):
        state.post(KEY, OpenEntry(2, date(2026, 1, 2), D(-3)), newest_first=False, prevent_negative=False, bin_code="A1")


def test_a_reservation_of_a_lot_or_serial_takes_only_its_entries() -> None:
    state = OpenLedgerState({KEY: {
        1: OpenEntry(1, date(2026, 1, 1), D(4), lot_no="A"),
        2: OpenEntry(2, date(2026, 1, 2), D(6), lot_no="B"),
        3: OpenEntry(3, date(2026, 1, 3), D(1), serial_no="SN1", lot_no="B"),
    }})
    made = state.reserve(KEY, ORDER_1, D(5), newest_first=False, lot_no="B")
    assert [(r.item_ledger_entry_no, r.quantity, r.lot_no) for r in made] == [(2, D(5), "B")]
    with pytest.raises(InsufficientInventoryError) as refused:
        state.reserve(KEY, ORDER_2, D(3), newest_first=False, lot_no="B")
    assert refused.value.extensions["available"] == "2.00000" and refused.value.extensions["lot_no"] == "B"
    made = state.reserve(KEY, ORDER_2, D(1), newest_first=False, serial_no="SN1")
    assert [(r.item_ledger_entry_no, r.serial_no, r.lot_no) for r in made] == [(3, "SN1", "B")]
    with pytest.raises(InsufficientInventoryError):
        state.reserve(KEY, ORDER_1, D(1), newest_first=False, serial_no="SN1")
    # Unnamed, the oldest free stock: lot A first.
    assert [r.item_ledger_entry_no for r in state.reserve(KEY, Demand("x", "y"), D(5), newest_first=False)] == [1, 2]
