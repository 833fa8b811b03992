"""Costing methods as pure functions: cost carried by applies-from, indirect cost, Standard, Average."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inventory_contracts.catalog import CostingMethod
from inventory_contracts.warehouse import AverageCostPeriod

from costing.domain.average import (
    AverageOutbound,
    GivenBack,
    Period,
    fixed_costs,
    outbound_cost,
    period_end,
    period_start,
    revalue_period,
    same_costs,
)
from costing.domain.errors import InvalidQuantityError
from costing.domain.fifo import cumulative_share, reprice
from costing.domain.inbound import CostSetup, InboundCost, cost_of_receipt

D = Decimal


class AverageItem:
    """One Average item's periods, valued and adjusted as the service does, in memory."""

    def __init__(self) -> None:
        self.periods: dict[date, Period] = {}
        self.outbound: dict[date, list[AverageOutbound]] = {}
        self.costs: dict[int, Decimal] = {}
        self.adjustments: list[tuple[int, Decimal]] = []
        self.received: dict[int, tuple[date, Decimal]] = {}
        """Inbound entry -> (its period, quantity)."""
        self.fixed: dict[int, tuple[date, int, Decimal]] = {}
        """Fixed-applied outbound entry -> (its period, the inbound entry, quantity)."""
        self.rounding = D(0)
        """Rounding entries: what periods that end with nothing on hand would otherwise keep."""
        self.entry_no = 0

    def _period(self, day: date) -> Period:
        if day not in self.periods:
            earlier = [p for start, p in self.periods.items() if start < day]
            before = max(earlier, key=lambda p: p.start) if earlier else None
            self.periods[day] = Period(day, before.end_quantity if before else D(0), before.end_value if before else D(0))
            self.outbound[day] = []
        return self.periods[day]

    def receive(self, day: date, quantity: Decimal, unit_cost: Decimal) -> int:
        period = self._period(day)
        self.entry_no += 1
        value = cost_of_receipt(quantity, unit_cost, None, is_purchase=True).value
        self.costs[self.entry_no] = value
        self.received[self.entry_no] = (day, quantity)
        period.inbound_quantity += quantity
        period.inbound_value += value
        self._settle(period, revalue=True)
        return self.entry_no

    def sell(self, day: date, quantity: Decimal) -> int:
        period = self._period(day)
        self.entry_no += 1
        cost = outbound_cost(period, quantity)
        period.unrounded = period.unrounded and period.at_average(-quantity, cost)
        period.outbound_quantity -= quantity
        period.outbound_value += cost
        self.outbound[day].append(AverageOutbound(self.entry_no, quantity, True, cost))
        self.costs[self.entry_no] = cost
        self._settle(period, revalue=False)
        return self.entry_no

    def return_to(self, day: date, inbound_entry_no: int, quantity: Decimal) -> int:
        """An outbound entry fixed-applied to an inbound entry: its share of that entry's cost, out of the average."""
        period = self._period(day)
        self.entry_no += 1
        earlier = [q for _, inbound, q in self.fixed.values() if inbound == inbound_entry_no]
        cost = fixed_costs(self.costs[inbound_entry_no], self.received[inbound_entry_no][1], [*earlier, quantity])[-1]
        self.fixed[self.entry_no] = (day, inbound_entry_no, quantity)
        self.costs[self.entry_no] = cost
        period.fixed_quantity -= quantity
        period.fixed_value += cost
        self._settle(period, revalue=True)
        return self.entry_no

    def change_cost(self, inbound_entry_no: int, change: Decimal) -> None:
        """The inbound entry's own cost changes (an invoice at another price, an item charge): its period and the
        outbound entries fixed-applied to it follow, each period changed first and revalued once."""
        self.costs[inbound_entry_no] += change
        day, quantity = self.received[inbound_entry_no]
        changed = {day: change}
        fixed = sorted((n, d, q) for n, (d, inbound, q) in self.fixed.items() if inbound == inbound_entry_no)
        for (n, d, _), cost in zip(fixed, fixed_costs(self.costs[inbound_entry_no], quantity, [q for *_, q in fixed]), strict=True):
            if cost != self.costs[n]:
                self.adjustments.append((n, cost - self.costs[n]))
                self.periods[d].fixed_value += cost - self.costs[n]
                self.costs[n] = cost
                changed.setdefault(d, D(0))
        self.periods[day].inbound_value += change
        for d in sorted(changed):
            self._settle(self.periods[d], revalue=True)

    def _settle(self, period: Period, revalue: bool) -> None:
        while True:
            if revalue:
                entries = []
                for entry, adjustment in revalue_period(period, self.outbound[period.start]):
                    if adjustment:
                        self.adjustments.append((entry.entry_no, adjustment))
                        self.costs[entry.entry_no] += adjustment
                    entries.append(AverageOutbound(entry.entry_no, entry.quantity, True, entry.cost_amount + adjustment))
                self.outbound[period.start] = entries
            rounding = period.rounding_needed()
            period.rounding_value += rounding
            self.rounding += rounding
            later = sorted(p for p in self.periods if p > period.start)
            if not later:
                return
            nxt = self.periods[later[0]]
            if (nxt.start_quantity, nxt.start_value) == (period.end_quantity, period.end_value):
                return
            before = replace(nxt)
            nxt.start_quantity, nxt.start_value = period.end_quantity, period.end_value
            period, revalue = nxt, not same_costs(before, nxt)

    @property
    def quantity(self) -> Decimal:
        last = max(self.periods.values(), key=lambda p: p.start)
        return last.end_quantity

    @property
    def value(self) -> Decimal:
        return sum(self.costs.values(), self.rounding)


def test_domain_example_average_day() -> None:
    item = AverageItem()
    item.receive(date(2023, 1, 1), D(1), D("20.00"))
    item.receive(date(2023, 1, 1), D(1), D("40.00"))
    first = item.sell(date(2023, 1, 1), D(1))
    second = item.sell(date(2023, 1, 2), D(1))
    item.receive(date(2023, 2, 2), D(1), D("100.00"))
    third = item.sell(date(2023, 2, 3), D(1))

    assert [item.costs[e] for e in (first, second, third)] == [D("-30.00"), D("-30.00"), D("-100.00")]
    assert item.quantity == 0 and item.value == 0


def test_domain_example_average_cost_method() -> None:
    item = AverageItem()
    for unit_cost in ("10.00", "20.00", "30.00"):
        item.receive(date(2020, 1, 1), D(1), D(unit_cost))
    sales = [item.sell(date(2020, 1, day), D(1)) for day in (2, 3, 4)]
    assert [item.costs[s] for s in sales] == [D("-20.00")] * 3


def test_a_purchase_back_dated_into_a_period_adjusts_it_and_the_later_ones_only_by_new_entries() -> None:
    item = AverageItem()
    item.receive(date(2023, 1, 1), D(3), D("20.00"))
    first = item.sell(date(2023, 1, 1), D(1))
    second = item.sell(date(2023, 1, 2), D(1))

    item.receive(date(2023, 1, 1), D(1), D("50.00"))

    assert item.adjustments == [(first, D("-7.50")), (second, D("-7.50"))]
    assert item.quantity == 2 and item.value == D("55.00")


def test_a_day_that_ends_where_it_started_leaves_later_days_at_their_cost() -> None:
    item = AverageItem()
    item.receive(date(2023, 1, 1), D(1), D("10.00"))
    item.sell(date(2023, 1, 1), D(1))
    item.receive(date(2023, 1, 3), D(1), D("30.00"))
    later = item.sell(date(2023, 1, 3), D(1))

    # Received and sold the same day in full: the day ends where it started, so 01-03 stays as it is.
    item.receive(date(2023, 1, 2), D(1), D("99.00"))
    item.sell(date(2023, 1, 2), D(1))

    assert item.costs[later] == D("-30.00")
    assert sum((amount for entry, amount in item.adjustments if entry == later), D(0)) == 0


def test_a_sale_appended_to_the_last_period_adjusts_nothing() -> None:
    item = AverageItem()
    item.receive(date(2023, 1, 1), D(3), D("10.00"))
    item.sell(date(2023, 1, 1), D(1))
    item.sell(date(2023, 1, 2), D(1))
    item.sell(date(2023, 1, 2), D(1))
    assert item.adjustments == []
    assert item.value == 0


def test_outbound_without_stock_in_the_period_costs_nothing_until_stock_arrives() -> None:
    period = Period(date(2023, 1, 1), D(0), D(0))
    assert outbound_cost(period, D(2)) == 0
    with pytest.raises(InvalidQuantityError):
        outbound_cost(period, D(0))


def _sold_one_by_one(period: Period, count: int) -> list[Decimal]:
    costs = []
    for _ in range(count):
        costs.append(outbound_cost(period, D(1)))
        period.outbound_quantity -= 1
        period.outbound_value += costs[-1]
    return costs


def test_each_outbound_entry_takes_its_share_of_what_the_earlier_ones_left() -> None:
    # 10.00 over 6 units, one at a time: 10/6 = 1.666 -> 1.67; 8.33/5 = 1.666 -> 1.67; 6.66/4 = 1.665 -> 1.67
    # (half up); 4.99/3 = 1.663 -> 1.66; 3.33/2 = 1.665 -> 1.67; the last unit takes what is left, 1.66.
    # (Cumulative rounding, round(10 x k / 6) - round(10 x (k-1) / 6), would give 1.67, 1.66, 1.67, 1.67, 1.66, 1.67.)
    period = Period(date(2023, 1, 1), D(0), D(0), inbound_quantity=D(6), inbound_value=D("10.00"))
    costs = _sold_one_by_one(period, 6)
    assert costs == [D("-1.67"), D("-1.67"), D("-1.67"), D("-1.66"), D("-1.67"), D("-1.66")]
    assert (period.end_quantity, period.end_value, period.rounding_needed()) == (0, 0, 0)


def test_a_period_revalued_costs_its_entries_by_the_same_rule_in_entry_order() -> None:
    period = Period(date(2023, 1, 1), D(0), D(0), inbound_quantity=D(6), inbound_value=D("10.00"))
    sold = [AverageOutbound(n, D(1), True, D(0)) for n in range(2, 8)]
    adjusted = revalue_period(period, list(reversed(sold)))
    assert [(entry.entry_no, adjustment) for entry, adjustment in adjusted] == [
        (2, D("-1.67")), (3, D("-1.67")), (4, D("-1.67")), (5, D("-1.66")), (6, D("-1.67")), (7, D("-1.66"))]
    assert (period.outbound_quantity, period.outbound_value, period.end_value) == (-6, D("-10.00"), 0)


def test_rounding_design_example_carries_what_is_left_into_later_periods() -> None:
    # Design Details: Rounding. 3 units for 10.00 on 01-01-20, sold one a month (period Day): 10/3 = 3.333 -> 3.33
    # leaves 6.67 for 2; 6.67/2 = 3.335 -> 3.34 leaves 3.33 for the last unit.
    item = AverageItem()
    item.receive(date(2020, 1, 1), D(3), D("10.00") / 3)
    sales = [item.sell(date(2020, month, 1), D(1)) for month in (2, 3, 4)]
    assert [item.costs[s] for s in sales] == [D("-3.33"), D("-3.34"), D("-3.33")]
    assert item.quantity == 0 and item.value == 0


def test_transfers_take_their_share_without_taking_it_away() -> None:
    period = Period(date(2023, 1, 1), D(3), D("10.00"))
    transfer = AverageOutbound(1, D(1), False, D(0))
    sale = AverageOutbound(2, D(1), True, D(0))
    # Both 10/3 = 3.33: the transfer's receiving side stays under the same average, so nothing left it.
    assert [adjustment for _, adjustment in revalue_period(period, [transfer, sale])] == [D("-3.33"), D("-3.33")]
    assert period.outbound_value == D("-3.33") and period.end_value == D("6.67")


def test_what_a_return_gives_back_is_shared_from_its_place_on() -> None:
    # 10 units for 100.00. Sale of 3: 30.00 leaves 70.00 for 7; a return of 1 of it gives back 10.00 (80.00 for 8);
    # sale of 8: the last units take what is left, 80.00.
    period = Period(date(2023, 1, 1), D(10), D("100.00"))
    adjusted = revalue_period(period, [AverageOutbound(1, D(3), True, D(0)), AverageOutbound(3, D(8), True, D(0))],
                              [GivenBack(2, D(1), D("10.00"))])
    assert [adjustment for _, adjustment in adjusted] == [D("-30.00"), D("-80.00")]
    assert (period.given_back_quantity, period.given_back_value) == (1, D("10.00"))
    assert (period.end_quantity, period.end_value) == (0, 0)


def test_a_back_dated_purchase_recosts_its_period_by_the_same_rule() -> None:
    item = AverageItem()
    day = date(2023, 1, 1)
    item.receive(day, D(5), D("1.00"))
    sales = [item.sell(day, D(1)) for _ in range(5)]
    assert [item.costs[s] for s in sales] == [D("-1.00")] * 5

    # 1 @ 5.00 back-dated into the day: 10.00 for 6, shared as in the 6-unit example; the unit left keeps 1.66.
    item.receive(day, D(1), D("5.00"))
    assert [item.costs[s] for s in sales] == [D("-1.67"), D("-1.67"), D("-1.67"), D("-1.66"), D("-1.67")]
    assert item.adjustments == [(s, D("-0.67")) for s in sales[:3]] + [(sales[3], D("-0.66")), (sales[4], D("-0.67"))]
    assert (item.quantity, item.value) == (1, D("1.66"))


def test_fixed_application_design_example_average_cost() -> None:
    # Design Details: Item Application, fixed application with average cost: purchases of 1 @ 200.00 and 1 @ 1000.00
    # (a wrong price), a credit memo fixed-applied to the second takes -1000.00, a purchase of 1 @ 100.00, and the
    # sale of 2 costs -300.00: the average of what stayed, (200 + 100) / 2, untouched by the wrong price.
    item = AverageItem()
    day = date(2020, 1, 1)
    item.receive(day, D(1), D("200.00"))
    wrong = item.receive(day, D(1), D("1000.00"))
    credit_memo = item.return_to(day, wrong, D(1))
    item.receive(day, D(1), D("100.00"))
    sale = item.sell(day, D(2))
    assert (item.costs[credit_memo], item.costs[sale]) == (D("-1000.00"), D("-300.00"))
    assert (item.quantity, item.value) == (0, 0)


def test_returns_of_an_inbound_entry_in_parts_give_back_exactly_its_cost() -> None:
    # 10.00 for 3: 10/3 = 3.333 -> 3.33, then 6.67/2 = 3.335 -> 3.34, then what is left, 3.33.
    assert fixed_costs(D("10.00"), D(3), [D(1), D(1), D(1)]) == [D("-3.33"), D("-3.34"), D("-3.33")]
    assert fixed_costs(D("10.00"), D(3), [D(3)]) == [D("-10.00")]
    with pytest.raises(InvalidQuantityError):
        fixed_costs(D("10.00"), D(3), [D(2), D(2)])


def test_a_cost_change_of_a_returned_inbound_entry_follows_the_return_and_leaves_the_average() -> None:
    item = AverageItem()
    day = date(2024, 3, 1)
    item.receive(day, D(10), D("10.00"))
    receipt = item.receive(day, D(5), D("16.00"))
    credit_memo = item.return_to(day, receipt, D(5))
    sale = item.sell(day, D(4))
    # The return takes the receipt's 80.00; the sale shares what stayed, 100.00 for 10: 4 x 10.00.
    assert (item.costs[credit_memo], item.costs[sale]) == (D("-80.00"), D("-40.00"))

    # Invoiced at 18.00: the receipt costs 90.00, the return follows with -10.00, and the day's average stays 10.00.
    item.change_cost(receipt, D("10.00"))
    assert item.adjustments == [(credit_memo, D("-10.00"))]
    assert (item.quantity, item.value) == (6, D("60.00"))


def test_a_return_of_part_of_an_inbound_entry_leaves_the_rest_in_the_average() -> None:
    item = AverageItem()
    receipt = item.receive(date(2024, 3, 1), D(4), D("5.00"))
    item.receive(date(2024, 3, 1), D(4), D("7.00"))
    credit_memo = item.return_to(date(2024, 3, 2), receipt, D(1))
    sale = item.sell(date(2024, 3, 2), D(2))
    # Day 1 leaves 48.00 for 8. Day 2: the return takes 20.00 x 1/4 = 5.00 and the sales share 43.00 for 7:
    # 43 x 2/7 = 12.286 -> 12.29.
    assert (item.costs[credit_memo], item.costs[sale]) == (D("-5.00"), D("-12.29"))
    # Invoiced at 6.00 (+4.00): its share 24.00 x 1/4 = 6.00 follows the return (-1.00); the 3 units that stayed
    # raise day 1 to 52.00 for 8, day 2 shares 52 - 6 = 46.00 for 7: 46 x 2/7 = 13.143 -> 13.14.
    item.change_cost(receipt, D("4.00"))
    assert (item.costs[credit_memo], item.costs[sale]) == (D("-6.00"), D("-13.14"))
    assert (item.quantity, item.value) == (5, D("32.86"))


@pytest.mark.parametrize(
    "kind, start",
    [
        (AverageCostPeriod.DAY, date(2024, 5, 15)),
        (AverageCostPeriod.WEEK, date(2024, 5, 13)),
        (AverageCostPeriod.MONTH, date(2024, 5, 1)),
        (AverageCostPeriod.QUARTER, date(2024, 4, 1)),
        (AverageCostPeriod.YEAR, date(2024, 1, 1)),
    ],
)
def test_period_start(kind: AverageCostPeriod, start: date) -> None:
    assert period_start(date(2024, 5, 15), kind) == start


def test_domain_example_overhead_per_unit() -> None:
    setup = CostSetup("I", CostingMethod.FIFO, overhead_rate=D("1.00"))
    assert cost_of_receipt(D(10), D("7.00"), setup, is_purchase=True) == InboundCost(D("70.00"), D("10.00"))


def test_indirect_cost_percent_and_overhead_together() -> None:
    setup = CostSetup("I", CostingMethod.FIFO, indirect_cost_pct=D("10"), overhead_rate=D("0.50"))
    assert cost_of_receipt(D(2), D("5.00"), setup, is_purchase=True) == InboundCost(D("10.00"), D("2.00"))
    assert cost_of_receipt(D(2), D("5.00"), setup, is_purchase=False) == InboundCost(D("10.00"))


def test_domain_example_standard_purchase_posts_a_variance() -> None:
    setup = CostSetup("I", CostingMethod.STANDARD, standard_cost=D("100.00"))
    cost = cost_of_receipt(D(1), D("90.00"), setup, is_purchase=True)
    assert cost == InboundCost(D("90.00"), D(0), D("10.00"))
    assert cost.value == D("100.00")


def test_standard_item_holds_any_other_inbound_entry_at_standard_cost() -> None:
    setup = CostSetup("I", CostingMethod.STANDARD, standard_cost=D("15.00"))
    assert cost_of_receipt(D(2), D("9.00"), setup, is_purchase=False) == InboundCost(D("30.00"))


def test_standard_variance_takes_the_overhead_into_account() -> None:
    setup = CostSetup("I", CostingMethod.STANDARD, standard_cost=D("10.00"), overhead_rate=D("1.00"))
    assert cost_of_receipt(D(1), D("8.00"), setup, is_purchase=True) == InboundCost(D("8.00"), D("1.00"), D("1.00"))


def test_without_a_replica_a_purchase_takes_its_own_cost() -> None:
    assert cost_of_receipt(D(1), D("90.00"), None, is_purchase=True) == InboundCost(D("90.00"))


def test_transfer_received_in_parts_gives_back_exactly_the_shipped_cost() -> None:
    assert reprice(D("10.00"), D(3), [D(1), D(1), D(1)]) == [D("3.33"), D("3.34"), D("3.33")]
    assert cumulative_share(D("10.00"), D(3), D(1), D(2)) == D("6.67")
    with pytest.raises(InvalidQuantityError):
        cumulative_share(D("10.00"), D(3), D(2), D(2))


# Properties ---------------------------------------------------------------------------------------

quantities = st.decimals(min_value=D("0.001"), max_value=D("500"), places=3)
unit_costs = st.decimals(min_value=D("0"), max_value=D("1000"), places=5)
days = st.integers(min_value=1, max_value=6)
movement = st.tuples(st.sampled_from(["receive", "sell", "return", "invoice"]), days, quantities, unit_costs)


@given(st.lists(movement, max_size=30), st.booleans())
def test_average_conserves_value_and_zero_quantity_means_zero_value(
    movements: list[tuple[str, int, Decimal, Decimal]], sell_out: bool
) -> None:
    item = AverageItem()
    on_hand = D(0)
    inbound, outbound = [], []
    returnable: dict[int, Decimal] = {}
    for kind, day, quantity, unit_cost in movements:
        # Only later-dated outbound entries of what is on hand, so no period ever goes negative.
        last_day = max((p.day for p in item.periods), default=1)
        later = bool(item.periods) and day >= last_day and _stock_every_day(item, quantity)
        if kind == "receive":
            inbound.append(item.receive(date(2023, 1, day), quantity, unit_cost))
            returnable[inbound[-1]] = quantity
            on_hand += quantity
        elif kind == "sell" and quantity <= on_hand and later:
            outbound.append(item.sell(date(2023, 1, day), quantity))
            on_hand -= quantity
        elif kind == "return" and later and (open_ := [n for n, left in returnable.items() if left >= quantity]):
            receipt = open_[int(unit_cost) % len(open_)]
            outbound.append(item.return_to(date(2023, 1, day), receipt, quantity))
            returnable[receipt] -= quantity
            on_hand -= quantity
        elif kind == "invoice" and inbound:
            receipt = inbound[int(quantity) % len(inbound)]
            item.change_cost(receipt, (item.received[receipt][1] * unit_cost).quantize(D("0.01")) - item.costs[receipt])
    if sell_out and on_hand > 0:
        outbound.append(item.sell(date(2023, 1, 28), on_hand))
        on_hand = D(0)

    inbound_cost = sum((item.costs[e] for e in inbound), D(0))
    outbound_cost_ = sum((item.costs[e] for e in outbound), D(0))
    assert inbound_cost + item.rounding == -outbound_cost_ + item.value
    assert all(item.costs[e] <= 0 for e in outbound)
    if item.periods:
        # The last period ends with what the entries add up to.
        assert (item.quantity, item.value) == (on_hand, max(item.periods.values(), key=lambda p: p.start).end_value)
        if on_hand == 0:
            assert item.value == 0


def _stock_every_day(item: AverageItem, quantity: Decimal) -> bool:
    last = max(item.periods.values(), key=lambda p: p.start)
    return last.end_quantity >= quantity


@given(st.lists(quantities, min_size=1, max_size=10), st.decimals(min_value=D("0"), max_value=D("100000"), places=2))
def test_parts_of_a_cost_add_up_to_it_and_zero_quantity_means_zero_value(parts: list[Decimal], total: Decimal) -> None:
    whole = sum(parts, D(0))
    shares = reprice(total, whole, parts)
    assert sum(shares, D(0)) == total
    assert all(share >= 0 for share in shares)


@given(quantities, unit_costs, unit_costs, st.decimals(min_value=D(0), max_value=D(50), places=2),
       st.decimals(min_value=D(0), max_value=D(20), places=2))
def test_standard_item_always_holds_its_standard_cost(
    quantity: Decimal, direct: Decimal, standard: Decimal, pct: Decimal, overhead: Decimal
) -> None:
    setup = CostSetup("I", CostingMethod.STANDARD, standard_cost=standard, indirect_cost_pct=pct, overhead_rate=overhead)
    cost = cost_of_receipt(quantity, direct, setup, is_purchase=True)
    assert cost.value == (quantity * standard).quantize(D("0.01"), rounding="ROUND_HALF_UP")


@given(st.integers(1, 60), st.integers(0, 100_000), st.lists(st.integers(1, 10), min_size=1, max_size=20))
def test_outbound_entries_that_take_everything_take_exactly_the_value(units: int, cents: int, parts: list[int]) -> None:
    period = Period(date(2024, 1, 1), D(0), D(0), D(units), D(cents) / 100)
    taken = D(0)
    outbound = []
    for n, part in enumerate(parts):
        quantity = min(D(part), units - taken)
        if quantity <= 0:
            break
        outbound.append(AverageOutbound(n, quantity, True, D(0)))
        taken += quantity
    if taken < units:
        outbound.append(AverageOutbound(len(parts), units - taken, True, D(0)))
    costs = [adjustment for _, adjustment in revalue_period(period, outbound)]
    assert sum(costs, D(0)) == -D(cents) / 100
    assert all(cost <= 0 for cost in costs)
    assert (period.end_quantity, period.end_value) == (0, 0)


def test_a_start_at_the_same_average_is_still_a_different_pool_to_share() -> None:
    # Three sales of one unit. From 10.00 for 3: 3.33, then 6.67/2 = 3.335 -> 3.34, then the last unit 3.33.
    # From 20.00 for 6: 3.33, then 16.67/5 = 3.334 -> 3.33, then 13.34/4 = 3.335 -> 3.34.
    sales = [AverageOutbound(n, D(1), True, D(0)) for n in (1, 2, 3)]
    before, after = Period(date(2024, 1, 1), D(3), D("10.00")), Period(date(2024, 1, 1), D(6), D("20.00"))
    assert [a for _, a in revalue_period(before, sales)] == [D("-3.33"), D("-3.34"), D("-3.33")]
    assert [a for _, a in revalue_period(after, sales)] == [D("-3.33"), D("-3.33"), D("-3.34")]
    assert not before.unrounded and not same_costs(before, after)
    # Nothing to share either way: every outbound entry costs nothing.
    assert same_costs(Period(date(2024, 1, 1), D(0), D(5)), Period(date(2024, 1, 1), D(-1), D(7)))


def test_entries_that_took_the_average_unrounded_cost_the_same_from_any_start_at_that_average() -> None:
    # 500.00 for 50: sales of 1 and 3 take 10.00 and 30.00 exactly, and so they do from 510.00 for 51.
    sales = [AverageOutbound(1, D(1), True, D(0)), AverageOutbound(2, D(3), True, D(0))]
    before, after = Period(date(2024, 1, 1), D(50), D("500.00")), Period(date(2024, 1, 1), D(51), D("510.00"))
    assert [a for _, a in revalue_period(before, sales)] == [D("-10.00"), D("-30.00")]
    assert before.unrounded and same_costs(before, after)
    assert [a for _, a in revalue_period(after, sales)] == [D("-10.00"), D("-30.00")]
    assert outbound_cost(after, D(2)) == D("-20.00")


@given(day=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)), kind=st.sampled_from(list(AverageCostPeriod)))
def test_a_period_ends_the_day_before_the_next_one_starts(day: date, kind: AverageCostPeriod) -> None:
    start = period_start(day, kind)
    end = period_end(start, kind)
    assert start <= day <= end
    assert period_start(end, kind) == start and period_start(end + timedelta(days=1), kind) == end + timedelta(days=1)


def test_a_period_that_ends_with_nothing_on_hand_needs_its_value_rounded_away() -> None:
    period = Period(date(2024, 1, 1), D(0), D(0), D(2), D("2.01"), D(-2), D("-2.00"))
    assert period.rounding_needed() == D("-0.01")
    period.rounding_value = D("-0.01")
    assert period.end_value == 0 and period.rounding_needed() == 0
    period.inbound_quantity += 1
    assert period.rounding_needed() == D("0.01")
