"""Reservation policies and reservations of incoming supply: the pure rules, and the use cases over the fakes."""

from datetime import date
from typing import Any
from decimal import Decimal

import pytest

from inventory_contracts.catalog import ReservePolicy
from inventory_contracts.warehouse import ItemLedgerEntryType

from warehouse.domain.errors import (
    InsufficientSupplyError,
    ReservationNotAllowedError,
    SupplyMismatchError,
    SupplyTooLateError,
)
from warehouse.domain.ledger_state import Demand
from warehouse.domain.locations import Location
from warehouse.domain.planning_orders import NewOrderLine, OrderType
from warehouse.domain.reservation_policy import (
    RECEIVED,
    OpenSupply,
    SupplyRef,
    SupplyReservation,
    SupplyType,
    check_reservable,
    check_supply_reservation,
    free_on_supply,
    move_onto_receipt,
    plan_from_supplies,
    reserves_automatically,
)
from warehouse.service_layer.posting import post_item_journal
from warehouse.service_layer import planning_orders, reservations, transfers
from warehouse.service_layer.reservation_policies import (
    list_supply_reservations,
    reserve_against_supply,
    reserve_automatically,
)
from warehouse.service_layer.reservations import reserve


D = Decimal
DAY = date(2026, 8, 3)
PURCHASE = ItemLedgerEntryType.PURCHASE
KEY = ("1000", "", "")
PO = SupplyRef(SupplyType.PURCHASE_ORDER, "PO1", 10000)
SO1, SO2 = Demand("Sales Order", "SO1", 10000), Demand("Sales Order", "SO2", 10000)


def supply(ref: SupplyRef = PO, outstanding: str = "10", due: date | None = date(2026, 8, 10), key=KEY) -> OpenSupply:
    return OpenSupply(ref, key, D(outstanding), due)


def held(demand: Demand, quantity: str, ref: SupplyRef = PO, id_: int = 1) -> SupplyReservation:
    return SupplyReservation(id_, demand, KEY, ref, None, D(quantity), D(quantity))


class TestPolicy:
    def test_never_refuses_any_reservation(self, new_item: Any) -> None:
        with pytest.raises(ReservationNotAllowedError):
            check_reservable(new_item(reserve=ReservePolicy.NEVER))

    def test_optional_and_always_may_be_reserved_and_only_always_reserves_by_itself(self, new_item: Any) -> None:
        for policy in (ReservePolicy.OPTIONAL, ReservePolicy.ALWAYS):
            check_reservable(new_item(reserve=policy))
        assert [reserves_automatically(new_item(reserve=p)) for p in ReservePolicy] == [False, False, True]

    async def test_reserving_stock_of_a_never_item_is_refused_and_writes_nothing(
        self, new_item: Any, new_uow: Any, new_line: Any
    ) -> None:
        uow = new_uow(new_item(reserve=ReservePolicy.NEVER))
        await post_item_journal(uow, [new_line(PURCHASE, "5", unit_cost="1")])
        with pytest.raises(ReservationNotAllowedError):
            await reserve(uow, SO1, "1000", "", "", D(1))
        assert uow.tables.reservations == {}


class TestSupply:
    def test_free_on_a_supply_is_its_outstanding_less_what_others_hold(self) -> None:
        s = supply(outstanding="10")
        holds = [held(SO1, "4"), held(SO2, "3", id_=2), held(SO2, "9", ref=SupplyRef(SupplyType.PURCHASE_ORDER, "PO2"))]
        assert free_on_supply(s, holds) == 3
        assert free_on_supply(s, holds, demand=SO2) == 6

    def test_more_than_is_free_is_refused_with_what_is_left(self) -> None:
        with pytest.raises(InsufficientSupplyError) as refused:
            check_supply_reservation(supply(), KEY, D(4), D(3), None, allow_later=False)
        assert refused.value.extensions["available"] == "3.00000"

    def test_supply_due_after_the_demand_is_refused_unless_allowed(self) -> None:
        late = supply(due=date(2026, 8, 20))
        with pytest.raises(SupplyTooLateError):
            check_supply_reservation(late, KEY, D(1), D(10), date(2026, 8, 15), allow_later=False)
        check_supply_reservation(late, KEY, D(1), D(10), date(2026, 8, 15), allow_later=True)
        check_supply_reservation(late, KEY, D(1), D(10), date(2026, 8, 20), allow_later=False)

    def test_supply_of_another_place_is_refused(self) -> None:
        with pytest.raises(SupplyMismatchError):
            check_supply_reservation(supply(key=("1000", "", "EAST")), KEY, D(1), D(10), None, allow_later=False)

    def test_plan_takes_supplies_due_by_the_demand_date_earliest_first(self) -> None:
        early = supply(SupplyRef(SupplyType.ASSEMBLY_ORDER, "A1"), "2", date(2026, 8, 5))
        mid = supply(PO, "5", date(2026, 8, 10))
        late = supply(SupplyRef(SupplyType.PURCHASE_ORDER, "PO9", 10000), "50", date(2026, 9, 1))
        plan = plan_from_supplies([late, mid, early], [held(SO2, "1")], D(5), date(2026, 8, 12))
        assert [(s.ref.supply_id, q) for s, q in plan] == [("A1", 2), ("PO1", 3)]

    def test_receipt_moves_the_oldest_reservation_first_and_keeps_the_rest_on_the_supply(self) -> None:
        first, second = held(SO1, "4", id_=1), held(SO2, "5", id_=2)
        moves = move_onto_receipt([second, first], {101: D(6)})
        assert [(r.demand, no, q) for r, no, q in moves] == [(SO1, 101, 4), (SO2, 101, 2)]
        assert (first.status, first.remaining_quantity) == (RECEIVED, 0)
        assert (second.status, second.remaining_quantity) == ("Reserved", 3)


class TestUseCases:
    async def test_supply_reservation_is_refused_for_a_never_item(
        self, new_item: Any, new_uow: Any, new_line: Any
    ) -> None:
        uow = new_uow(new_item(reserve=ReservePolicy.NEVER))
        uow.reservation_policy_tables.supplies[PO] = supply()
        with pytest.raises(ReservationNotAllowedError):
            await reserve_against_supply(uow, SO1, KEY, D(1), PO, None)

    async def test_two_demands_cannot_hold_more_than_the_supply_brings(
        self, new_item: Any, new_uow: Any, new_line: Any
    ) -> None:
        uow = new_uow()
        uow.reservation_policy_tables.supplies[PO] = supply(outstanding="10")
        await reserve_against_supply(uow, SO1, KEY, D(7), PO, None)
        with pytest.raises(InsufficientSupplyError):
            await reserve_against_supply(uow, SO2, KEY, D(4), PO, None)
        await reserve_against_supply(uow, SO2, KEY, D(3), PO, None)

    async def test_automatic_reservation_takes_stock_first_then_supply_and_gives_back_the_excess(
        self, new_item: Any, new_uow: Any, new_line: Any
    ) -> None:
        uow = new_uow(new_item(reserve=ReservePolicy.ALWAYS))
        await post_item_journal(uow, [new_line(PURCHASE, "5", unit_cost="1")])
        uow.reservation_policy_tables.supplies[PO] = supply(outstanding="10", due=date(2026, 8, 10))
        held_now = await reserve_automatically(uow, SO1, KEY, D(8), date(2026, 8, 12))
        assert sum(r.remaining_quantity for r in held_now.on_hand) == 5
        assert [(r.supply, r.remaining_quantity) for r in held_now.on_supply] == [(PO, 3)]
        smaller = await reserve_automatically(uow, SO1, KEY, D(4), date(2026, 8, 12))
        assert (smaller.quantity, smaller.on_supply) == (4, [])
        assert sum(r.remaining_quantity for r in smaller.on_hand) == 4

    async def test_automatic_reservation_leaves_unreserved_what_nothing_covers_by_the_date(
        self, new_item: Any, new_uow: Any, new_line: Any
    ) -> None:
        uow = new_uow(new_item(reserve=ReservePolicy.ALWAYS))
        uow.reservation_policy_tables.supplies[PO] = supply(outstanding="10", due=DAY.replace(day=20))
        assert (await reserve_automatically(uow, SO1, KEY, D(3), DAY)).quantity == 0


class TestSupplyDocuments:
    PLACES = (Location("BLUE", "Blue"), Location("RED", "Red"), Location("TRUCK", "Truck", use_as_in_transit=True))

    async def test_a_transfer_receipt_moves_the_reservation_onto_its_entry_part_by_part(
        self, new_uow: Any, new_line: Any,
    ) -> None:
        uow = new_uow(locations=self.PLACES)
        await post_item_journal(uow, [new_line(PURCHASE, "5", unit_cost="1", location_code="BLUE")])
        await transfers.create_transfer_order(uow, "T1", "BLUE", "RED", "TRUCK", False,
                                              [transfers.NewTransferLine(10000, "1000", "", D(5))])
        ref = SupplyRef(SupplyType.TRANSFER_ORDER, "T1", 10000)
        await reserve_against_supply(uow, SO1, ("1000", "", "RED"), D(4), ref, None)
        await transfers.ship_transfer(uow, "T1", "SH1", DAY, [transfers.ShipLine(10000, D(5))])
        _, first = await transfers.receive_transfer(uow, "T1", "RC1", DAY, [transfers.ReceiveLine(10000, D(3))])
        _, second = await transfers.receive_transfer(uow, "T1", "RC2", DAY, [transfers.ReceiveLine(10000, D(2))])
        into = [e.entry_no for e in first + second if e.location_code == "RED"]
        moved = [(r.item_ledger_entry_no, r.quantity) for r in await reservations.list_reservations(
            uow, None, None, "SO1", False)]
        assert moved == [(into[0], 3), (into[1], 1)]
        [held] = await list_supply_reservations(uow, None, None, "SO1", None, True)
        assert (held.status, held.remaining_quantity) == (RECEIVED, 0)

    async def test_a_smaller_purchase_line_gives_back_the_latest_reservations_and_a_deleted_one_all(
        self, new_uow: Any,
    ) -> None:
        uow = new_uow()
        await planning_orders.create_order(uow, OrderType.PURCHASE, "PO1", "V1", DAY,
                                           [NewOrderLine(10000, "1000", D(8), DAY)])
        await reserve_against_supply(uow, SO1, KEY, D(3), PO, None)
        await reserve_against_supply(uow, SO2, KEY, D(4), PO, None)
        await planning_orders.set_order_line(uow, OrderType.PURCHASE, "PO1", NewOrderLine(10000, "1000", D(5), DAY))
        held = await list_supply_reservations(uow, None, None, None, "PO1", False)
        assert [(r.demand, r.remaining_quantity) for r in held] == [(SO1, 3), (SO2, 2)]
        await planning_orders.delete_order_line(uow, OrderType.PURCHASE, "PO1", 10000)
        assert await list_supply_reservations(uow, None, None, None, "PO1", False) == []


class TestDemandDocuments:
    async def test_an_always_sales_line_moved_to_another_location_reserves_there_and_gives_back_the_old(
        self, new_item: Any, new_uow: Any, new_line: Any,
    ) -> None:
        uow = new_uow(new_item(reserve=ReservePolicy.ALWAYS),
                      locations=(Location("BLUE", "Blue"), Location("RED", "Red")))
        await post_item_journal(uow, [new_line(PURCHASE, "5", unit_cost="1", location_code="BLUE"),
                                      new_line(PURCHASE, "5", unit_cost="1", location_code="RED", line_no=20000)])
        await planning_orders.create_order(uow, OrderType.SALES, "SO1", "C1", DAY,
                                           [NewOrderLine(10000, "1000", D(3), DAY, location_code="BLUE")])
        held = await reservations.list_reservations(uow, None, None, "SO1", False)
        assert [(r.key[2], r.remaining_quantity) for r in held] == [("BLUE", 3)]
        await planning_orders.set_order_line(uow, OrderType.SALES, "SO1",
                                             NewOrderLine(10000, "1000", D(4), DAY, location_code="RED"))
        held = await reservations.list_reservations(uow, None, None, "SO1", False)
        assert [(r.key[2], r.remaining_quantity) for r in held] == [("RED", 4)]
        await planning_orders.delete_order_line(uow, OrderType.SALES, "SO1", 10000)
        assert await reservations.list_reservations(uow, None, None, "SO1", False) == []

    async def test_an_optional_sales_line_reserves_nothing_by_itself(self, new_uow: Any, new_line: Any) -> None:
        uow = new_uow()
        await post_item_journal(uow, [new_line(PURCHASE, "5", unit_cost="1")])
        await planning_orders.create_order(uow, OrderType.SALES, "SO1", "C1", DAY, [NewOrderLine(10000, "1000", D(3), DAY)])
        assert await reservations.list_reservations(uow, None, None, "SO1", False) == []
