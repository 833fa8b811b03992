"""Allocation of short stock among demand lines by policy: the reservation worksheet's arithmetic."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inventory_contracts.catalog import ReservePolicy
from inventory_contracts.warehouse import ItemLedgerEntryType

from warehouse.domain.allocation import AllocationPolicy, DemandToAllocate, allocate
from warehouse.domain.errors import ReservationNotAllowedError
from warehouse.domain.ledger_state import Demand
from warehouse.domain.ports_reservation_policies import OpenDemandLine
from warehouse.service_layer.posting import post_item_journal
from warehouse.service_layer.reservation_policies import allocate_short_stock

D = Decimal
BASIC, PRIORITY, EQUALLY = AllocationPolicy.BASIC, AllocationPolicy.BY_PRIORITY, AllocationPolicy.EQUALLY


def wants(no: str, quantity: str, day: int = 1, priority: int = 0) -> DemandToAllocate:
    return DemandToAllocate(Demand("Sales Order", no, 10000), D(quantity), date(2026, 8, day), priority)


def given_to(available: str, lines: list[DemandToAllocate], policy: AllocationPolicy) -> dict[str, Decimal]:
    return {a.line.demand.source_id: a.quantity for a in allocate(D(available), lines, policy)}


def test_basic_gives_every_line_what_it_wants_when_there_is_enough() -> None:
    assert given_to("10", [wants("A", "6"), wants("B", "4")], BASIC) == {"A": 6, "B": 4}


def test_basic_gives_nothing_when_the_lines_conflict() -> None:
    assert given_to("9", [wants("A", "6"), wants("B", "4")], BASIC) == {"A": 0, "B": 0}


def test_by_priority_serves_the_highest_priority_first_then_the_earliest_date_each_in_full() -> None:
    lines = [wants("A", "6", day=1, priority=2), wants("B", "5", day=3, priority=1), wants("C", "4", day=2, priority=2),
             wants("N", "3", day=1, priority=0)]
    assert given_to("20", lines, PRIORITY) == {"A": 6, "C": 4, "B": 5, "N": 3}


def test_by_priority_stops_at_the_first_line_the_rest_cannot_fill() -> None:
    # A and C (priority 2) take 10; B (priority 1) wants 5 of the 2 left: nothing more is given, not even N's 1.
    lines = [wants("A", "6", day=1, priority=2), wants("B", "5", day=3, priority=1), wants("C", "4", day=2, priority=2),
             wants("N", "1", day=1, priority=0)]
    assert given_to("12", lines, PRIORITY) == {"A": 6, "C": 4, "B": 0, "N": 0}


def test_no_priority_comes_after_every_priority() -> None:
    assert given_to("4", [wants("N", "3", day=1), wants("P", "3", day=9, priority=1)], PRIORITY) == {"N": 0, "P": 3}


def test_equally_serves_the_smallest_line_first_and_shares_what_it_does_not_need() -> None:
    # 10 among wants of 6, 2 and 5: the 2 takes its 2 (of a share of 3.33); 8 left among two: 4 each.
    assert given_to("10", [wants("A", "6"), wants("B", "2"), wants("C", "5")], EQUALLY) == {"A": 4, "B": 2, "C": 4}


def test_equally_rounds_each_share_down_to_whole_units_so_later_lines_get_the_remainder() -> None:
    # 11 among three lines of 10 (equal wants: in due-date order): 3 (of 3.67), then 8 / 2 = 4, then 4.
    lines = [wants("late", "10", day=9), wants("early", "10", day=1), wants("mid", "10", day=5)]
    assert given_to("11", lines, EQUALLY) == {"early": 3, "mid": 4, "late": 4}


def test_equally_rounds_a_fractional_share_to_the_decimals_of_what_the_line_wants() -> None:
    # 1 among 0.5, 2.5 and 2.5: 0.333 rounds down to 0.3, then 0.7 / 2 = 0.35 to 0.3, then the 0.4 left.
    shares = given_to("1", [wants("A", "0.5"), wants("B", "2.5"), wants("C", "2.5")], EQUALLY)
    assert shares == {"A": D("0.3"), "B": D("0.3"), "C": D("0.4")}


@given(st.integers(0, 200), st.lists(st.tuples(st.integers(1, 60), st.integers(0, 3)), min_size=1, max_size=8),
       st.sampled_from(list(AllocationPolicy)))
def test_no_line_gets_more_than_it_wants_and_no_more_than_is_available_is_given(
    available: int, wanted: list[tuple[int, int]], policy: AllocationPolicy
) -> None:
    lines = [wants(f"S{i}", str(q), day=1 + i % 20, priority=p) for i, (q, p) in enumerate(wanted)]
    result = allocate(D(available), lines, policy)
    assert all(0 <= a.quantity <= a.line.wanted for a in result)
    total, wanted_total = sum(a.quantity for a in result), sum(l.wanted for l in lines)
    assert total <= available
    if policy is EQUALLY or wanted_total <= available:
        # Stock is never left idle while a line still wants it.
        assert total == min(D(available), wanted_total)
    if policy is PRIORITY:
        # Every line is given all it wants or nothing, and nothing once a line of higher rank got nothing.
        ranked = sorted(result, key=lambda a: (-a.line.priority, a.line.due_date, a.line.demand.source_id))
        served = [a.quantity == a.line.wanted for a in ranked]
        assert all(a.quantity in (0, a.line.wanted) for a in result) and served == sorted(served, reverse=True)


async def test_allocation_reserves_the_proposal_and_a_preview_writes_nothing(new_uow: Any, new_line: Any) -> None:
    uow = new_uow()
    await post_item_journal(uow, [new_line(ItemLedgerEntryType.PURCHASE, "10", unit_cost="1")])
    key = ("1000", "", "")
    named = [OpenDemandLine(Demand("Sales Order", no, 10000), key, D(q), date(2026, 8, 1 + i), 0)
             for i, (no, q) in enumerate([("A", "6"), ("B", "2"), ("C", "5")])]
    preview = await allocate_short_stock(uow, key, EQUALLY, named, preview=True)
    assert ([a.quantity for a in preview.allocated], uow.tables.reservations) == ([4, 2, 4], {})
    made = await allocate_short_stock(uow, key, EQUALLY, named, preview=False)
    assert sorted((r.demand.source_id, r.quantity) for r in made.made) == [("A", 4), ("B", 2), ("C", 4)]
    again = await allocate_short_stock(uow, key, EQUALLY, named, preview=True)
    assert (again.worksheet.available, [l.wanted for l in again.worksheet.lines]) == (0, [2, 1])


async def test_allocation_is_refused_for_a_never_item(new_uow: Any, new_item: Any) -> None:
    uow = new_uow(new_item(reserve=ReservePolicy.NEVER))
    with pytest.raises(ReservationNotAllowedError):
        await allocate_short_stock(uow, ("1000", "", ""), EQUALLY, preview=True)
