"""Sales and purchase order lines: validation, changes while outstanding, fulfilment by shipments and receipts,
and a receipt and its undo over the fakes."""

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest

from inventory_contracts.warehouse import ItemLedgerEntryType

from warehouse.adapters.memory import InMemoryWarehouseUnitOfWork
from warehouse.domain.errors import (
    DocumentStateError,
    InTransitLocationError,
    InvalidDocumentError,
    InvalidJournalLineError,
    ItemBlockedError,
    UnknownItemError,
    UnknownUnitOfMeasureError,
)
from warehouse.domain.ledger_state import Demand
from warehouse.domain.locations import Location
from warehouse.domain.model import Item, ItemUnit, JournalLine
from warehouse.domain.planning_orders import (
    NewOrderLine,
    Order,
    OrderType,
    PostedLine,
    changed_line,
    check_deletable,
    fulfil,
    order_line,
)
from warehouse.service_layer.documents import post_receipt_or_shipment, undo_receipts_or_shipments
from warehouse.service_layer.planning_orders import create_order, get_order

D = Decimal
ORDERED = date(2026, 9, 1)


def new(quantity: str = "2", unit: str = "BOX", **extra: object) -> NewOrderLine:
    values: dict[str, object] = dict(line_no=10000, item_no="1000", quantity=D(quantity), due_date=date(2026, 9, 10),
                                     unit_of_measure_code=unit)
    return NewOrderLine(**{**values, **extra})  # type: ignore[arg-type]


def test_a_line_is_kept_in_the_base_unit_too_and_bad_lines_are_refused(new_item: Callable[..., Item]) -> None:
    boxes = new_item(units_of_measure=(ItemUnit("BOX", D(6)),))
    line = order_line(OrderType.SALES, ORDERED, new(), boxes, None)
    assert (line.quantity, line.quantity_base, line.qty_per_unit_of_measure, line.outstanding_base) == (2, 12, 6, 12)
    assert line.in_line_unit(D(5)) == D("0.83333")
    with pytest.raises(UnknownItemError):
        order_line(OrderType.SALES, ORDERED, new(), None, None)
    with pytest.raises(ItemBlockedError):
        order_line(OrderType.SALES, ORDERED, new(), new_item(sales_blocked=True), None)
    with pytest.raises(ItemBlockedError):
        order_line(OrderType.PURCHASE, ORDERED, new(unit=""), new_item(purchasing_blocked=True), None)
    order_line(OrderType.PURCHASE, ORDERED, new(unit=""), new_item(sales_blocked=True), None)
    with pytest.raises(UnknownUnitOfMeasureError):
        order_line(OrderType.SALES, ORDERED, new(unit="PALLET"), boxes, None)
    with pytest.raises(InvalidDocumentError):
        order_line(OrderType.SALES, ORDERED, new(quantity="0"), boxes, None)
    with pytest.raises(InvalidDocumentError):
        order_line(OrderType.SALES, ORDERED, new(due_date=date(2026, 8, 31)), boxes, None)
    with pytest.raises(InTransitLocationError):
        order_line(OrderType.SALES, ORDERED, new(location_code="TRUCK"), boxes,
                   Location("TRUCK", "Truck", use_as_in_transit=True))


def test_a_partly_shipped_line_keeps_its_item_and_at_least_what_is_shipped(new_item: Callable[..., Item]) -> None:
    item = new_item()
    current = order_line(OrderType.SALES, ORDERED, new(quantity="10", unit=""), item, None)
    order = Order(OrderType.SALES, "SO1", "C1", ORDERED, (current,))
    changed, postings = fulfil(OrderType.SALES, {"SO1": order},
                               [PostedLine(10000, "SO1", 10000, "1000", "", "", ((7, D(3)), (8, D(1))))])
    [shipped] = changed["SO1"]
    assert (shipped.quantity_posted_base, shipped.outstanding_base) == (4, 6)
    assert [(p.item_ledger_entry_no, p.quantity) for p in postings] == [(7, 3), (8, 1)]
    partly = Order(OrderType.SALES, "SO1", "C1", ORDERED, (shipped,))
    with pytest.raises(DocumentStateError):
        changed_line(partly, shipped, order_line(OrderType.SALES, ORDERED, new(quantity="3", unit=""), item, None))
    other = new_item(item_no="2000")
    with pytest.raises(DocumentStateError):
        changed_line(partly, shipped, order_line(OrderType.SALES, ORDERED, new(quantity="8", unit="", item_no="2000"),
                                                 other, None))
    kept = changed_line(partly, shipped, order_line(OrderType.SALES, ORDERED, new(quantity="4", unit=""), item, None))
    assert (kept.quantity_posted_base, kept.outstanding_base) == (4, 0)
    with pytest.raises(DocumentStateError):
        check_deletable(partly, shipped)


def test_a_shipment_takes_no_more_than_is_outstanding_on_the_line_it_names(new_item: Callable[..., Item]) -> None:
    order = Order(OrderType.SALES, "SO1", "C1", ORDERED,
                  (order_line(OrderType.SALES, ORDERED, new(quantity="5", unit=""), new_item(), None),))
    # Two lines of one shipment against the same order line add up.
    with pytest.raises(InvalidJournalLineError, match="more than the 2"):
        fulfil(OrderType.SALES, {"SO1": order}, [PostedLine(10000, "SO1", 10000, "1000", "", "", ((1, D(3)),)),
                                                 PostedLine(20000, "SO1", 10000, "1000", "", "", ((2, D(3)),))])
    for wrong in (PostedLine(10000, "SO2", 10000, "1000", "", "", ((1, D(1)),)),
                  PostedLine(10000, "SO1", 20000, "1000", "", "", ((1, D(1)),)),
                  PostedLine(10000, "SO1", 10000, "1000", "", "EAST", ((1, D(1)),))):
        with pytest.raises(InvalidJournalLineError):
            fulfil(OrderType.SALES, {"SO1": order}, [wrong])


async def test_a_receipt_naming_its_line_fulfils_it_and_its_undo_gives_it_back(
    new_uow: Callable[..., InMemoryWarehouseUnitOfWork],
) -> None:
    uow = new_uow()
    await create_order(uow, OrderType.PURCHASE, "PO1", "V1", ORDERED, [new(quantity="5", unit="")])
    receipt = JournalLine(item_no="1000", entry_type=ItemLedgerEntryType.PURCHASE, quantity=D(5), posting_date=ORDERED,
                          location_code="", document_no="R1", line_no=10000, unit_cost=D(1),
                          demand=Demand("Purchase Order", "PO1", 10000))
    [entry] = await post_receipt_or_shipment(uow, [receipt], purchase=True)
    [line] = (await get_order(uow, OrderType.PURCHASE, "PO1")).lines
    assert line.outstanding_base == 0
    await undo_receipts_or_shipments(uow, [entry.entry_no], purchase=True)
    [line] = (await get_order(uow, OrderType.PURCHASE, "PO1")).lines
    assert (line.quantity_posted_base, line.outstanding_base) == (0, 5)
