"""Costing methods as pure functions: cost carried by applies-from, indirect cost, Standard, Average."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inventory_contracts.catalog import CostingMethod
from inventory_contracts.warehouse import AverageCostPeriod

from costing.domain.average import AverageOutbound, Period, outbound_cost, period_end, period_start, revalue_period, same_average
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
        period.inbound_quantity += quantity
        period.inbound_value += value
        self._settle(period, revalue=True)
        return self.entry_no

    def sell(self, day: date, quantity: Decimal) -> int:
        period = self._period(day)
        self.entry_no += 1
        before = -period.outbound_quantity
        cost = outbound_cost(period, before, quantity)
        period.outbound_quantity -= quantity
        period.outbound_value += cost
        self.outbound[day].append(AverageOutbound(self.entry_no, quantity, before, True, cost))
        self.costs[self.entry_no] = cost
        self._settle(period, revalue=False)
        return self.entry_no

    def _settle(self, period: Period, revalue: bool) -> None:
        while True:
            if revalue:
                entries = []
                for entry, adjustment in revalue_period(period, self.outbound[period.start]):
                    if adjustment:
                        self.adjustments.append((entry.entry_no, adjustment))
                        self.costs[entry.entry_no] += adjustment
                    entries.append(AverageOutbound(entry.entry_no, entry.quantity, entry.quantity_before, True,
                                                   entry.cost_amount + adjustment))
                self.outbound[period.start] = entries
            later = sorted(p for p in self.periods if p > period.start)
            if not later:
                return
            nxt = self.periods[later[0]]
            if (nxt.start_quantity, nxt.start_value) == (period.end_quantity, period.end_value):
                return
            nxt.start_quantity, nxt.start_value = period.end_quantity, period.end_value
            period, revalue = nxt, True

    @property
    def quantity(self) -> Decimal:
        last = max(self.periods.values(), key=lambda p: p.start)
        return last.end_quantity

    @property
    def value(self) -> Decimal:
        return sum(self.costs.values(), D(0))


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
    assert outbound_cost(period, D(0), D(2)) == 0
    with pytest.raises(InvalidQuantityError):
        outbound_cost(period, D(0), D(0))


def test_outbound_entries_of_a_period_share_its_value_to_the_cent() -> None:
    period = Period(date(2023, 1, 1), D(0), D(0), inbound_quantity=D(3), inbound_value=D("10.00"))
    costs = [outbound_cost(period, D(before), D(1)) for before in range(3)]
    assert costs == [D("-3.33"), D("-3.34"), D("-3.33")]


def test_transfers_take_the_average_without_counting_in_it() -> None:
    period = Period(date(2023, 1, 1), D(2), D("10.00"))
    transfer = AverageOutbound(1, D(1), D(0), False, D(0))
    ((_, adjustment),) = revalue_period(period, [transfer])
    assert adjustment == D("-5.00")
    assert period.outbound_value == 0 and period.end_value == D("10.00")


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
movement = st.tuples(st.sampled_from(["receive", "sell"]), days, quantities, unit_costs)


@given(st.lists(movement, max_size=30), st.booleans())
def test_average_conserves_value_and_zero_quantity_means_zero_value(
    movements: list[tuple[str, int, Decimal, Decimal]], sell_out: bool
) -> None:
    item = AverageItem()
    on_hand = D(0)
    inbound, outbound = [], []
    for kind, day, quantity, unit_cost in movements:
        # Only later-dated sales of what is on hand, so no period ever goes negative.
        last_day = max((p.day for p in item.periods), default=1)
        if kind == "receive":
            inbound.append(item.receive(date(2023, 1, day), quantity, unit_cost))
            on_hand += quantity
        elif quantity <= on_hand and (item.periods and day >= last_day) and _stock_every_day(item, quantity):
            outbound.append(item.sell(date(2023, 1, day), quantity))
            on_hand -= quantity
    if sell_out and on_hand > 0:
        outbound.append(item.sell(date(2023, 1, 28), on_hand))
        on_hand = D(0)

    inbound_cost = sum((item.costs[e] for e in inbound), D(0))
    outbound_cost_ = sum((item.costs[e] for e in outbound), D(0))
    assert inbound_cost == -outbound_cost_ + item.value
    assert all(item.costs[e] <= 0 for e in outbound)
    if item.periods:
        assert item.quantity == on_hand
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


@given(
    start=st.integers(0, 50), inbound=st.integers(0, 50), value=st.integers(0, 10_000), taken=st.integers(1, 100),
    shift=st.integers(-20, 20), shift_value=st.integers(-2_000, 2_000),
)
def test_same_average_means_the_same_outbound_costs(
    start: int, inbound: int, value: int, taken: int, shift: int, shift_value: int
) -> None:
    before = Period(date(2024, 1, 1), D(start), D(value) / 100, D(inbound), D(value) / 50)
    after = Period(before.start, before.start_quantity + shift, before.start_value + D(shift_value) / 100,
                   before.inbound_quantity, before.inbound_value)
    if same_average(before, after):
        assert outbound_cost(before, D(0), D(taken)) == outbound_cost(after, D(0), D(taken))
    scaled = Period(before.start, before.start_quantity * 2, before.start_value * 2, before.inbound_quantity * 2, before.inbound_value * 2)
    assert same_average(before, scaled)
    assert outbound_cost(before, D(0), D(taken)) == outbound_cost(scaled, D(0), D(taken))


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
