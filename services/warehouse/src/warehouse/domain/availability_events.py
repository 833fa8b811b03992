"""Availability by event and by period: the inventory, then each gross requirement and scheduled receipt in date
order, with the projected available balance after it (inventory + scheduled receipts - gross requirements).

What carries no date here (open transfer lines, reservations for no order line) counts before every dated event,
as the availability as of a date has always counted it."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
import datetime as dt
from datetime import date
from decimal import Decimal
from enum import StrEnum

from warehouse.domain.availability import Figures, Period, PeriodFigures, Stock

ZERO = Decimal(0)


class EventType(StrEnum):
    SALES_ORDER = "Sales Order"
    PURCHASE_ORDER = "Purchase Order"
    TRANSFER_SHIPMENT = "Transfer Shipment"
    TRANSFER_RECEIPT = "Transfer Receipt"
    ASSEMBLY_ORDER = "Assembly Order"
    ASSEMBLY_COMPONENT = "Assembly Component"
    RESERVATION = "Reservation"


class ViewAs(StrEnum):
    """As the period page shows requirements and receipts: those of the period, or all up to its end."""

    NET_CHANGE = "net_change"
    BALANCE_AT_DATE = "balance_at_date"


@dataclass(frozen=True)
class SupplyDemand:
    """One outstanding document line: a scheduled receipt (quantity > 0) or a gross requirement (quantity < 0)."""

    type: EventType
    date: dt.date | None
    """None: undated, counts before every date."""
    document_no: str
    line_no: int
    location_code: str
    variant_code: str
    quantity: Decimal

    @property
    def gross_requirement(self) -> Decimal:
        return -self.quantity if self.quantity < 0 else ZERO

    @property
    def scheduled_receipt(self) -> Decimal:
        return self.quantity if self.quantity > 0 else ZERO

    def due_by(self, day: dt.date | None) -> bool:
        """Counted as of `day` (None: every event)."""
        return day is None or self.date is None or self.date <= day


@dataclass(frozen=True)
class Event:
    event: SupplyDemand
    projected_available_balance: Decimal
    """After this event."""


def _order(e: SupplyDemand) -> tuple[bool, date, bool, str, str, int]:
    # Undated first; on one date, receipts before requirements, so that a day's balance is not shown short
    # before what arrives that day.
    return (e.date is not None, e.date or date.min, e.quantity < 0, e.type.value, e.document_no, e.line_no)


def timeline(inventory: Decimal, events: Iterable[SupplyDemand], to: date | None = None) -> list[Event]:
    """The events up to `to` (all when None) in date order, each with the projected available balance after it."""
    balance = inventory
    found: list[Event] = []
    for e in sorted((e for e in events if e.due_by(to)), key=_order):
        balance += e.quantity
        found.append(Event(e, balance))
    return found


def figures_as_of(stock: Stock, reserved: Decimal, events: Sequence[SupplyDemand], on_date: date | None) -> Figures:
    """The figures as of a date: requirements and receipts due by then (undated ones always)."""
    due = [e for e in events if e.due_by(on_date)]
    gross_requirement = sum((e.gross_requirement for e in due), ZERO)
    scheduled_receipts = sum((e.scheduled_receipt for e in due), ZERO)
    return Figures(
        inventory=stock.inventory, in_transit=stock.in_transit, reserved=reserved,
        available_inventory=stock.inventory - stock.in_transit - reserved, gross_requirement=gross_requirement,
        scheduled_receipts=scheduled_receipts,
        projected_available_balance=stock.inventory + scheduled_receipts - gross_requirement,
    )


def per_period(
    wanted: Sequence[Period], stock: Sequence[Stock], reserved: Decimal, events: Sequence[SupplyDemand],
    view_as: ViewAs = ViewAs.NET_CHANGE,
) -> list[PeriodFigures]:
    """Each period's figures (`stock` as of the day before the first period, then as of each period's end).

    Net change: the requirements and receipts due in the period (undated and overdue ones in the first);
    balance at date: all due by its end. The projected available balance is always the one at the period's end."""
    rows: list[PeriodFigures] = []
    for index, (period, before, at_end) in enumerate(zip(wanted, stock, stock[1:], strict=False)):
        through_end = figures_as_of(at_end, reserved, events, period.end)
        if view_as is ViewAs.NET_CHANGE:
            shown = [e for e in events if e.due_by(period.end) and (
                index == 0 or (e.date is not None and e.date >= period.start))]
            through_end = Figures(**{
                **through_end.__dict__,
                "gross_requirement": sum((e.gross_requirement for e in shown), ZERO),
                "scheduled_receipts": sum((e.scheduled_receipt for e in shown), ZERO),
            })
        rows.append(PeriodFigures(period, at_end.inventory - before.inventory, through_end))
    return rows
