from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from costing.domain.errors import (
    CostingDomainError,
    CostLayerOverdrawnError,
    InvalidQuantityError,
    UnknownCostLayerError,
)
from costing.domain.fifo import (
    CostLayer,
    OutboundCost,
    Portion,
    adjustment_for_late_inbound,
    average_unit_cost,
    cost_of_inbound,
    take_from_layer,
    value_outbound,
)

D = Decimal


class FifoItem:
    """One item's layers, applied oldest first, as the warehouse would apply them."""

    def __init__(self) -> None:
        self.layers: dict[int, CostLayer] = {}
        self.next_entry_no = 1

    def receive(self, quantity: Decimal, unit_cost: Decimal) -> int:
        entry_no = self._next()
        self.layers[entry_no] = CostLayer(entry_no, quantity, cost_of_inbound(quantity, unit_cost))
        return entry_no

    def sell(self, quantity: Decimal) -> Decimal:
        applications: list[tuple[int, Decimal]] = []
        to_apply = quantity
        for layer in self.layers.values():
            if to_apply == 0:
                break
            applied = min(layer.remaining_quantity, to_apply)
            if applied > 0:
                applications.append((layer.entry_no, applied))
                to_apply -= applied
        cost, _ = value_outbound(self._next(), -quantity, applications, self.layers, D(0))
        for inbound_entry_no, _ in applications:  # what costing posts as Rounding entries on the inbound entries
            layer = self.layers[inbound_entry_no]
            layer.rounding_amount += layer.rounding_needed()
        return cost

    @property
    def quantity_on_hand(self) -> Decimal:
        return sum((layer.remaining_quantity for layer in self.layers.values()), D(0))

    @property
    def value_on_hand(self) -> Decimal:
        return sum((layer.remaining_cost for layer in self.layers.values()), D(0))

    def _next(self) -> int:
        self.next_entry_no += 1
        return self.next_entry_no - 1


def test_domain_example_fifo_sales_cost_oldest_purchases_first() -> None:
    item = FifoItem()
    for unit_cost in ("10.00", "20.00", "30.00"):
        item.receive(D(1), D(unit_cost))

    assert [item.sell(D(1)) for _ in range(3)] == [D("-10.00"), D("-20.00"), D("-30.00")]
    assert item.quantity_on_hand == 0
    assert item.value_on_hand == 0


def test_sale_spanning_two_receipts_takes_the_oldest_fully_first() -> None:
    item = FifoItem()
    item.receive(D(10), D("5.00"))
    item.receive(D(10), D("6.00"))

    assert item.sell(D(15)) == D("-80.00")
    assert item.quantity_on_hand == 5
    assert item.value_on_hand == D("30.00")


def test_each_portion_is_rounded_on_its_own_and_a_consumed_layer_needs_a_rounding_entry() -> None:
    layer = CostLayer(1, D(3), D("10.00"))

    taken = [take_from_layer(layer, D(1)) for _ in range(3)]

    assert taken == [D("3.33"), D("3.33"), D("3.33")]
    assert layer.remaining_quantity == 0 and layer.remaining_cost == D("0.01")
    assert layer.rounding_needed() == D("-0.01")


def test_a_layer_with_quantity_left_needs_no_rounding() -> None:
    layer = CostLayer(1, D(3), D("10.00"))
    take_from_layer(layer, D(2))
    assert layer.rounding_needed() == 0 and layer.remaining_cost == D("3.33")  # 2 x 3.33333 = 6.67 taken


def test_domain_rounding_example_three_units_for_ten_sold_one_by_one() -> None:
    """Business Central's rounding example, FIFO: each sale -3.33, and a Rounding entry of -0.01 on the purchase."""
    item = FifoItem()
    item.layers[1] = CostLayer(1, D(3), D("10.00"))
    item.next_entry_no = 2

    costs = [item.sell(D(1)) for _ in range(3)]

    assert costs == [D("-3.33"), D("-3.33"), D("-3.33")]
    assert item.layers[1].rounding_amount == D("-0.01")
    assert item.value_on_hand == 0


def test_value_outbound_returns_the_portion_taken_from_each_layer() -> None:
    layers = {1: CostLayer(1, D(2), D("7.00")), 2: CostLayer(2, D(4), D("10.00"))}

    cost, portions = value_outbound(3, D(-3), [(1, D(2)), (2, D(1))], layers, D(0))

    assert cost == D("-9.50")
    assert portions == [Portion(1, 3, D(2), D("7.00")), Portion(2, 3, D(1), D("2.50"))]
    assert layers[2].applied_quantity == 1 and layers[2].applied_cost == D("2.50")


def test_unapplied_quantity_is_valued_at_the_provisional_unit_cost() -> None:
    layers = {1: CostLayer(1, D(1), D("4.00"))}

    cost, portions = value_outbound(2, D(-3), [(1, D(1))], layers, D("3.333"))

    assert cost == D("-10.67")  # -4.00 from the layer, 2 x 3.333 rounded to -6.67
    assert [p.quantity for p in portions] == [D(1)]


def test_late_inbound_adjusts_a_provisionally_valued_outbound_to_its_real_cost() -> None:
    cost, _ = value_outbound(1, D(-2), [], {}, D("10.00"))
    outbound = OutboundCost(1, D(-2), cost)
    late_receipt = CostLayer(2, D(2), cost_of_inbound(D(2), D("12.00")))

    portion_cost = take_from_layer(late_receipt, D(2))
    adjustment = adjustment_for_late_inbound(outbound, portion_cost, D(2), D("10.00"))

    assert cost == D("-20.00")
    assert adjustment == D("-4.00")
    assert outbound.cost_amount + adjustment == D("-24.00")
    assert late_receipt.remaining_cost == 0


def test_late_inbound_covering_part_adjusts_only_that_part() -> None:
    outbound = OutboundCost(1, D(-3), D("-30.00"))

    assert adjustment_for_late_inbound(outbound, D("8.00"), D(1), D("10.00")) == D("2.00")


@pytest.mark.parametrize("quantity", [D(0), D(4)])
def test_late_inbound_cannot_cover_more_than_the_outbound(quantity: Decimal) -> None:
    with pytest.raises(InvalidQuantityError):
        adjustment_for_late_inbound(OutboundCost(1, D(-3), D("-30.00")), D("1.00"), quantity, D("10.00"))


def test_cost_of_inbound_is_rounded_half_up_to_cents() -> None:
    assert cost_of_inbound(D(3), D("3.335")) == D("10.01")
    assert cost_of_inbound(D("0.5"), D("0.01")) == D("0.01")


def test_average_unit_cost() -> None:
    assert average_unit_cost(D(3), D("10.00")) == D("3.33333")
    assert average_unit_cost(D(0), D(0)) == 0
    assert average_unit_cost(D(0), D("5.00")) == 0


def test_taking_more_than_a_layer_holds_is_refused() -> None:
    with pytest.raises(CostLayerOverdrawnError):
        take_from_layer(CostLayer(1, D(1), D("5.00")), D(2))


def test_a_refused_valuation_leaves_the_layers_untouched() -> None:
    layers = {1: CostLayer(1, D(2), D("5.00"))}

    with pytest.raises(CostLayerOverdrawnError):
        value_outbound(2, D(-3), [(1, D(1)), (1, D(2))], layers, D(0))
    assert layers[1] == CostLayer(1, D(2), D("5.00"))


def test_valuation_refuses_wrong_signs_and_unknown_layers() -> None:
    layers = {1: CostLayer(1, D(2), D("5.00"))}
    with pytest.raises(InvalidQuantityError):
        value_outbound(2, D(1), [], layers, D(0))
    with pytest.raises(InvalidQuantityError):
        value_outbound(2, D(-1), [(1, D(2))], layers, D(0))
    with pytest.raises(UnknownCostLayerError):
        value_outbound(2, D(-1), [(9, D(1))], layers, D(0))
    with pytest.raises(InvalidQuantityError):
        take_from_layer(layers[1], D(0))
    with pytest.raises(InvalidQuantityError):
        cost_of_inbound(D(0), D(1))
    assert issubclass(InvalidQuantityError, CostingDomainError)


quantities = st.decimals(min_value=D("0.001"), max_value=D("500"), places=3)
unit_costs = st.decimals(min_value=D("0"), max_value=D("1000"), places=5)
receipt = st.tuples(st.just("receive"), quantities, unit_costs)
sale = st.tuples(st.just("sell"), quantities, st.just(D(0)))


@given(st.lists(st.one_of(receipt, sale), max_size=40), st.booleans())
def test_fifo_conserves_value_and_zero_quantity_means_zero_value(
    movements: list[tuple[str, Decimal, Decimal]], sell_out: bool
) -> None:
    item = FifoItem()
    outbound_cost = D(0)
    for kind, quantity, unit_cost in movements:
        if kind == "receive":
            item.receive(quantity, unit_cost)
        elif 0 < quantity <= item.quantity_on_hand:
            outbound_cost += item.sell(quantity)
    if sell_out and item.quantity_on_hand > 0:
        outbound_cost += item.sell(item.quantity_on_hand)

    inbound_cost = sum((layer.cost_amount + layer.rounding_amount for layer in item.layers.values()), D(0))
    assert inbound_cost == abs(outbound_cost) + item.value_on_hand
    assert outbound_cost <= 0
    for layer in item.layers.values():
        assert 0 <= layer.applied_cost <= layer.cost_amount + layer.rounding_amount
        assert abs(layer.rounding_amount) <= D("0.01") * len(movements)
        if layer.remaining_quantity == 0:
            assert layer.remaining_cost == 0
    if item.quantity_on_hand == 0:
        assert item.value_on_hand == 0
