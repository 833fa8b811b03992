"""Transfer orders against the in-memory unit of work: create, ship, receive, undo a shipment, refusals."""

from collections.abc import Callable
from decimal import Decimal

import pytest

from inventory_contracts import ITEM_ENTRY_POSTED_V1
from inventory_contracts.warehouse import ItemLedgerEntryType
from servicekit.errors import NotFoundError

from warehouse.adapters.memory import InMemoryWarehouseUnitOfWork
from warehouse.domain.errors import AlreadyExistsError, DocumentStateError, InsufficientInventoryError, InvalidDocumentError
from warehouse.domain.locations import Location
from warehouse.domain.model import JournalLine
from warehouse.service_layer.posting import post_item_journal
from warehouse.service_layer.transfers import (
    NewTransferLine,
    ReceiveLine,
    ShipLine,
    create_transfer_order,
    get_transfer_order,
    receive_transfer,
    ship_transfer,
    undo_transfer_shipment,
)
from warehouse.service_layer.item_ledger import quantity_on_hand

D = Decimal
PURCHASE = ItemLedgerEntryType.PURCHASE
PLACES = (Location("A", "Origin"), Location("B", "Destination"), Location("TRANSIT", "Road", use_as_in_transit=True))
Uow = Callable[..., InMemoryWarehouseUnitOfWork]
Line = Callable[..., JournalLine]


async def _stocked(new_uow: Uow, new_line: Line, quantity: str = "10") -> InMemoryWarehouseUnitOfWork:
    uow = new_uow(locations=PLACES)
    await post_item_journal(uow, [new_line(PURCHASE, quantity, unit_cost="2", location_code="A")])
    await create_transfer_order(uow, "T1", "A", "B", "TRANSIT", False, [NewTransferLine(10000, "1000", "", D(6))])
    return uow


async def _on_hand(uow: InMemoryWarehouseUnitOfWork) -> dict[str, Decimal]:
    return {s.location_code: s.quantity for s in await quantity_on_hand(uow, "1000")}


async def test_ship_then_receive_moves_stock_through_transit(new_uow: Uow, new_line: Line) -> None:
    uow = await _stocked(new_uow, new_line)
    order, shipped = await ship_transfer(uow, "T1", "S1", new_line(PURCHASE, "1").posting_date, [ShipLine(10000, D(4))])
    assert [(e.location_code, e.quantity) for e in shipped] == [("A", D(-4)), ("TRANSIT", D(4))]
    assert shipped[1].applies_from_entry == shipped[0].entry_no
    assert order.lines[0].quantity_shipped == D(4)
    assert await _on_hand(uow) == {"A": D(6), "TRANSIT": D(4)}
    order, received = await receive_transfer(uow, "T1", "RC1", shipped[0].posting_date, [ReceiveLine(10000, D(3))])
    assert [(e.location_code, e.quantity) for e in received] == [("TRANSIT", D(-3)), ("B", D(3))]
    assert order.lines[0].quantity_received == D(3)
    assert await _on_hand(uow) == {"A": D(6), "TRANSIT": D(1), "B": D(3)}
    assert [t for t, _ in uow.events] == [ITEM_ENTRY_POSTED_V1.topic] * 5


async def test_undo_of_an_unreceived_shipment_brings_it_back(new_uow: Uow, new_line: Line) -> None:
    uow = await _stocked(new_uow, new_line)
    _, shipped = await ship_transfer(uow, "T1", "S1", new_line(PURCHASE, "1").posting_date, [ShipLine(10000, D(4))])
    order, undone = await undo_transfer_shipment(uow, "T1", "S1")
    assert all(e.correction for e in undone) and order.lines[0].quantity_shipped == D(0)
    assert await _on_hand(uow) == {"A": D(10), "TRANSIT": D(0)}
    assert (await uow.transfer_orders.shipment_lines("T1"))[0].undone
    with pytest.raises(DocumentStateError):
        await undo_transfer_shipment(uow, "T1", "S1")


async def test_a_direct_transfer_ships_and_receives_at_once(new_uow: Uow, new_line: Line) -> None:
    uow = new_uow(locations=PLACES)
    await post_item_journal(uow, [new_line(PURCHASE, "5", unit_cost="2", location_code="A")])
    await create_transfer_order(uow, "T2", "A", "B", None, True, [NewTransferLine(10000, "1000", "", D(5))])
    order, _ = await ship_transfer(uow, "T2", "S1", new_line(PURCHASE, "1").posting_date, [ShipLine(10000, D(5))])
    assert (order.lines[0].quantity_shipped, order.lines[0].quantity_received) == (D(5), D(5))
    assert await _on_hand(uow) == {"A": D(0), "B": D(5)}
    with pytest.raises(InvalidDocumentError):
        await receive_transfer(uow, "T2", "RC1", new_line(PURCHASE, "1").posting_date, [ReceiveLine(10000, D(1))])


async def test_refusals(new_uow: Uow, new_line: Line) -> None:
    uow = await _stocked(new_uow, new_line, quantity="2")
    with pytest.raises(AlreadyExistsError):
        await create_transfer_order(uow, "T1", "A", "B", "TRANSIT", False, [NewTransferLine(10000, "1000", "", D(1))])
    with pytest.raises(InvalidDocumentError):
        await create_transfer_order(uow, "T3", "A", "A", "TRANSIT", False, [NewTransferLine(10000, "1000", "", D(1))])
    with pytest.raises(InsufficientInventoryError):
        await ship_transfer(uow, "T1", "S1", new_line(PURCHASE, "1").posting_date, [ShipLine(10000, D(3))])
    with pytest.raises(InvalidDocumentError):
        await ship_transfer(uow, "T1", "S1", new_line(PURCHASE, "1").posting_date, [ShipLine(20000, D(1))])
    with pytest.raises(NotFoundError):
        await get_transfer_order(uow, "NOPE")
    assert (await get_transfer_order(uow, "T1")).lines[0].quantity_shipped == D(0)
