from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from warehouse.domain.application import Application, OpenEntry, apply_inbound, apply_outbound
from warehouse.domain.errors import ApplicationError, WarehouseError

D = Decimal
JAN_1 = date(2020, 1, 1)


def inbound(entry_no: int, remaining: str, posting_date: date = JAN_1) -> OpenEntry:
    return OpenEntry(entry_no, posting_date, D(remaining))


def test_outbound_takes_oldest_inbound_first() -> None:
    open_inbound = [
        inbound(3, "5", date(2020, 1, 3)),
        inbound(1, "4", date(2020, 1, 1)),
        inbound(2, "6", date(2020, 1, 2)),
    ]

    applications, unapplied = apply_outbound(10, D("-7"), open_inbound)

    assert applications == [Application(1, 10, D("4")), Application(2, 10, D("3"))]
    assert unapplied == D(0)


def test_outbound_on_the_same_date_takes_lowest_entry_no_first() -> None:
    applications, _ = apply_outbound(10, D("-1"), [inbound(5, "1"), inbound(4, "1")])

    assert applications == [Application(4, 10, D("1"))]


def test_lifo_outbound_takes_newest_inbound_first() -> None:
    open_inbound = [inbound(1, "1"), inbound(2, "1"), inbound(3, "1")]

    applications, unapplied = apply_outbound(4, D("-2"), open_inbound, newest_first=True)

    assert applications == [Application(3, 4, D("1")), Application(2, 4, D("1"))]
    assert unapplied == D(0)


def test_outbound_beyond_stock_leaves_negative_unapplied_quantity() -> None:
    applications, unapplied = apply_outbound(9, D("-5.5"), [inbound(1, "2")])

    assert applications == [Application(1, 9, D("2"))]
    assert unapplied == D("-3.5")


def test_outbound_with_nothing_open_stays_fully_unapplied() -> None:
    assert apply_outbound(9, D("-3"), []) == ([], D("-3"))


def test_inbound_covers_negative_inventory_oldest_first() -> None:
    open_outbound = [
        OpenEntry(7, date(2020, 1, 5), D("-2")),
        OpenEntry(6, date(2020, 1, 4), D("-3")),
    ]

    applications, remaining = apply_inbound(8, D("4"), open_outbound)

    assert applications == [Application(8, 6, D("3")), Application(8, 7, D("1"))]
    assert remaining == D(0)


def test_inbound_larger_than_negative_inventory_keeps_the_rest() -> None:
    applications, remaining = apply_inbound(8, D("10"), [OpenEntry(6, JAN_1, D("-3"))])

    assert applications == [Application(8, 6, D("3"))]
    assert remaining == D("7")


@pytest.mark.parametrize("quantity", [D("0"), D("1")])
def test_outbound_quantity_must_be_negative(quantity: Decimal) -> None:
    with pytest.raises(ApplicationError):
        apply_outbound(1, quantity, [inbound(2, "1")])


def test_outbound_cannot_apply_to_an_entry_without_positive_remaining_quantity() -> None:
    with pytest.raises(ApplicationError):
        apply_outbound(1, D("-1"), [inbound(2, "-1")])


@pytest.mark.parametrize("quantity", [D("0"), D("-1")])
def test_inbound_quantity_must_be_positive(quantity: Decimal) -> None:
    with pytest.raises(ApplicationError):
        apply_inbound(1, quantity, [])


def test_inbound_cannot_cover_an_entry_without_negative_remaining_quantity() -> None:
    with pytest.raises(ApplicationError):
        apply_inbound(1, D("1"), [OpenEntry(2, JAN_1, D("1"))])


def test_application_error_is_a_warehouse_domain_error() -> None:
    assert issubclass(ApplicationError, WarehouseError)


quantities = st.decimals(min_value=D("0.01"), max_value=D("1000"), places=2)


@st.composite
def open_entries(draw: st.DrawFn, sign: int) -> list[OpenEntry]:
    remaining = draw(st.lists(quantities, max_size=8))
    days = draw(st.lists(st.integers(0, 5), min_size=len(remaining), max_size=len(remaining)))
    entry_nos = draw(st.permutations(range(1, len(remaining) + 1)))
    return [
        OpenEntry(entry_no, JAN_1 + timedelta(days=day), sign * quantity)
        for entry_no, day, quantity in zip(entry_nos, days, remaining)
    ]


def in_posting_order(entries: list[OpenEntry], *, newest_first: bool = False) -> list[int]:
    ordered = sorted(entries, key=lambda entry: (entry.posting_date, entry.entry_no), reverse=newest_first)
    return [entry.entry_no for entry in ordered]


@given(open_entries(sign=1), quantities, st.booleans())
def test_outbound_application_properties(open_inbound: list[OpenEntry], quantity: Decimal, newest_first: bool) -> None:
    applications, unapplied = apply_outbound(100, -quantity, open_inbound, newest_first=newest_first)

    remaining = {entry.entry_no: entry.remaining_quantity for entry in open_inbound}
    applied_to = [a.inbound_entry_no for a in applications]
    assert sum((a.quantity for a in applications), D(0)) - unapplied == quantity
    assert unapplied <= 0
    assert all(a.outbound_entry_no == 100 and 0 < a.quantity <= remaining[a.inbound_entry_no] for a in applications)
    assert applied_to == in_posting_order(open_inbound, newest_first=newest_first)[: len(applied_to)]
    assert all(a.quantity == remaining[a.inbound_entry_no] for a in applications[:-1])
    if unapplied < 0:
        assert applied_to == in_posting_order(open_inbound, newest_first=newest_first)
        assert all(a.quantity == remaining[a.inbound_entry_no] for a in applications)


@given(open_entries(sign=-1), quantities)
def test_inbound_application_properties(open_outbound: list[OpenEntry], quantity: Decimal) -> None:
    applications, remaining = apply_inbound(100, quantity, open_outbound)

    owed = {entry.entry_no: -entry.remaining_quantity for entry in open_outbound}
    covered = [a.outbound_entry_no for a in applications]
    assert sum((a.quantity for a in applications), D(0)) + remaining == quantity
    assert remaining >= 0
    assert all(a.inbound_entry_no == 100 and 0 < a.quantity <= owed[a.outbound_entry_no] for a in applications)
    assert covered == in_posting_order(open_outbound)[: len(covered)]
    assert all(a.quantity == owed[a.outbound_entry_no] for a in applications[:-1])
    if remaining > 0:
        assert covered == in_posting_order(open_outbound)
        assert all(a.quantity == owed[a.outbound_entry_no] for a in applications)
