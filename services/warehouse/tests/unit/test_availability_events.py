"""Availability by event and by period from dated requirements and receipts: the timeline's order and balances,
each period's own figures, and the use cases over the fakes with sales and purchase orders."""

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from inventory_contracts.warehouse import ItemLedgerEntryType

from warehouse.adapters.memory import InMemoryWarehouseUnitOfWork
from warehouse.domain.availability import Period, PeriodType, Stock, periods
from warehouse.domain.availability_events import EventType, SupplyDemand, ViewAs, figures_as_of, per_period, timeline
from warehouse.domain.ledger_state import Demand
from warehouse.domain.model import JournalLine
from warehouse.domain.planning_orders import NewOrderLine, OrderType
from warehouse.service_layer import availability
from warehouse.service_layer.availability_events import availability_by_event
from warehouse.service_layer.documents import post_receipt_or_shipment
from warehouse.service_layer.planning_orders import create_order

D = Decimal
SO, PO = EventType.SALES_ORDER, EventType.PURCHASE_ORDER


def event(kind: EventType, day: date | None, quantity: str, no: str = "X1") -> SupplyDemand:
    return SupplyDemand(kind, day, no, 10000, "MAIN", "", D(quantity))


# A worked example: 10 on hand; sales of 4 on 09-03 and 9 on 09-10; a purchase of 6 on 09-10 (received first
# that day) and a transfer of 2 from the location with no date. By event the balance goes
# 10 -> 8 (transfer) -> 4 (09-03) -> 10 (purchase) -> 1 (sale).
EXAMPLE = [event(SO, date(2026, 9, 10), "-9", "SO2"), event(PO, date(2026, 9, 10), "6", "PO1"),
           event(SO, date(2026, 9, 3), "-4", "SO1"), event(EventType.TRANSFER_SHIPMENT, None, "-2", "T1")]


def test_the_timeline_takes_undated_first_then_dates_with_receipts_before_requirements() -> None:
    found = timeline(D(10), EXAMPLE)
    assert [(e.event.document_no, e.projected_available_balance) for e in found] == [
        ("T1", 8), ("SO1", 4), ("PO1", 10), ("SO2", 1)]
    assert [e.event.document_no for e in timeline(D(10), EXAMPLE, date(2026, 9, 9))] == ["T1", "SO1"]


def test_figures_as_of_a_date_count_what_is_due_by_then() -> None:
    before = figures_as_of(Stock(D(10), D(0)), D(0), EXAMPLE, date(2026, 9, 5))
    assert (before.gross_requirement, before.scheduled_receipts, before.projected_available_balance) == (6, 0, 4)
    everything = figures_as_of(Stock(D(10), D(0)), D(0), EXAMPLE, None)
    assert (everything.gross_requirement, everything.scheduled_receipts, everything.projected_available_balance) == (
        15, 6, 1)


def test_each_week_has_its_own_requirements_and_balance_at_its_end() -> None:
    weeks = periods(PeriodType.WEEK, date(2026, 8, 31), date(2026, 9, 14))
    # Stock as of 08-30, then each week's end: 10 all along (nothing posted).
    stock = [Stock(D(10), D(0))] * (len(weeks) + 1)
    net = per_period(weeks, stock, D(0), EXAMPLE)
    assert [p.period for p in net] == [Period(date(2026, 8, 31), date(2026, 9, 6)),
                                       Period(date(2026, 9, 7), date(2026, 9, 13)),
                                       Period(date(2026, 9, 14), date(2026, 9, 20))]
    # The undated transfer counts in the first week, with the sale of 09-03.
    assert [p.figures.gross_requirement for p in net] == [6, 9, 0]
    assert [p.figures.scheduled_receipts for p in net] == [0, 6, 0]
    assert [p.figures.projected_available_balance for p in net] == [4, 1, 1]
    balance = per_period(weeks, stock, D(0), EXAMPLE, ViewAs.BALANCE_AT_DATE)
    assert [p.figures.gross_requirement for p in balance] == [6, 15, 15]
    assert [p.figures.projected_available_balance for p in balance] == [4, 1, 1]


def test_an_overdue_line_counts_in_the_first_period() -> None:
    days = periods(PeriodType.DAY, date(2026, 9, 5), date(2026, 9, 6))
    found = per_period(days, [Stock(D(10), D(0))] * 3, D(0), EXAMPLE)
    assert [p.figures.gross_requirement for p in found] == [6, 0]


async def test_orders_are_events_and_a_shipment_naming_a_line_lowers_its_requirement(
    new_uow: Callable[..., InMemoryWarehouseUnitOfWork],
) -> None:
    uow = new_uow()
    receipt = JournalLine(item_no="1000", entry_type=ItemLedgerEntryType.PURCHASE, quantity=D(10),
                          posting_date=date(2026, 9, 1), location_code="", document_no="R1", line_no=10000,
                          unit_cost=D(1))
    await post_receipt_or_shipment(uow, [receipt], purchase=True)
    await create_order(uow, OrderType.SALES, "SO1", "C1", date(2026, 9, 1),
                       [NewOrderLine(10000, "1000", D(4), date(2026, 9, 3)),
                        NewOrderLine(20000, "1000", D(9), date(2026, 9, 10))])
    await create_order(uow, OrderType.PURCHASE, "PO1", "V1", date(2026, 9, 1),
                       [NewOrderLine(10000, "1000", D(6), date(2026, 9, 10))])
    found = await availability_by_event(uow, "1000", None, None, None)
    assert found.inventory == 10
    assert [(e.event.document_no, e.event.line_no, e.projected_available_balance) for e in found.events] == [
        ("SO1", 10000, 6), ("PO1", 10000, 12), ("SO1", 20000, 3)]

    shipment = JournalLine(item_no="1000", entry_type=ItemLedgerEntryType.SALE, quantity=D(3),
                           posting_date=date(2026, 9, 2), location_code="", document_no="S1", line_no=10000,
                           demand=Demand("Sales Order", "SO1", 10000))
    await post_receipt_or_shipment(uow, [shipment], purchase=False)
    found = await availability_by_event(uow, "1000", None, None, None)
    # Shipping 3 of the line's 4 moves 3 from the requirement to the inventory: the balances stay.
    assert found.inventory == 7 and found.events[0].event.gross_requirement == 1
    assert [e.projected_available_balance for e in found.events] == [6, 12, 3]
    months = await availability.item_availability(uow, "1000", None, None, PeriodType.MONTH, date(2026, 9, 1),
                                                  date(2026, 10, 1))
    assert isinstance(months, list)
    assert [(p.figures.gross_requirement, p.figures.scheduled_receipts, p.figures.projected_available_balance)
            for p in months] == [(10, 6, 3), (0, 0, 3)]
