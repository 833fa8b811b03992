"""Reservations against the in-memory unit of work: reserve, consume by a sale, cancel, list, refusals."""

from collections.abc import Callable
from decimal import Decimal

import pytest

from inventory_contracts.warehouse import ItemLedgerEntryType

from warehouse.adapters.memory import InMemoryWarehouseUnitOfWork
from warehouse.domain.errors import InsufficientInventoryError, InTransitLocationError, UnknownItemError
from warehouse.domain.ledger_state import CANCELLED, CONSUMED, RESERVED, Demand
from warehouse.domain.locations import Location
from warehouse.domain.model import JournalLine
from warehouse.service_layer.posting import post_item_journal
from warehouse.service_layer.reservations import cancel_reservation, list_reservations, reserve

D = Decimal
PURCHASE, SALE = ItemLedgerEntryType.PURCHASE, ItemLedgerEntryType.SALE
ORDER = Demand("Sales Order", "SO1", 10000)
OTHER = Demand("Sales Order", "SO2", 10000)
Uow = Callable[..., InMemoryWarehouseUnitOfWork]
Line = Callable[..., JournalLine]


async def _stocked(new_uow: Uow, new_line: Line) -> InMemoryWarehouseUnitOfWork:
    uow = new_uow(locations=(Location("TRANSIT", "Road", use_as_in_transit=True),))
    await post_item_journal(uow, [new_line(PURCHASE, "5", unit_cost="1")])
    return uow


async def test_reserved_stock_is_not_available_to_other_demand(new_uow: Uow, new_line: Line) -> None:
    uow = await _stocked(new_uow, new_line)
    [made] = await reserve(uow, ORDER, "1000", "", "", D(3))
    assert (made.id, made.item_ledger_entry_no, made.remaining_quantity, made.status) == (1, 1, D(3), RESERVED)
    with pytest.raises(InsufficientInventoryError):
        await reserve(uow, OTHER, "1000", "", "", D(3))
    with pytest.raises(InsufficientInventoryError):
        await post_item_journal(uow, [new_line(SALE, "3")])


async def test_a_sale_naming_the_demand_consumes_its_reservation(new_uow: Uow, new_line: Line) -> None:
    uow = await _stocked(new_uow, new_line)
    await reserve(uow, ORDER, "1000", "", "", D(3))
    await post_item_journal(uow, [new_line(SALE, "3", demand=ORDER)])
    [consumed] = await list_reservations(uow, "1000", None, None, include_closed=True)
    assert (consumed.status, consumed.remaining_quantity) == (CONSUMED, D(0))
    assert await list_reservations(uow, "1000", None, None, include_closed=False) == []


async def test_cancel_frees_what_is_left(new_uow: Uow, new_line: Line) -> None:
    uow = await _stocked(new_uow, new_line)
    await reserve(uow, ORDER, "1000", "", "", D(3))
    [cancelled] = await cancel_reservation(uow, ORDER)
    assert cancelled.status == CANCELLED
    assert await cancel_reservation(uow, ORDER) == []
    [again] = await reserve(uow, OTHER, "1000", "", "", D(5))
    assert again.remaining_quantity == D(5)
    assert [r.demand for r in await list_reservations(uow, None, "Sales Order", "SO2", include_closed=False)] == [OTHER]


async def test_refusals(new_uow: Uow, new_line: Line) -> None:
    uow = await _stocked(new_uow, new_line)
    with pytest.raises(UnknownItemError):
        await reserve(uow, ORDER, "NOPE", "", "", D(1))
    with pytest.raises(InTransitLocationError):
        await reserve(uow, ORDER, "1000", "", "TRANSIT", D(1))
    assert uow.reservations.entries == {}
