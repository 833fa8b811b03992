"""Availability of an item: as of a date, or per calendar period."""

from datetime import date

from servicekit.errors import NotFoundError

from warehouse.domain.availability import Figures, PeriodFigures, PeriodType, as_of_dates, check_query, periods
from warehouse.domain.availability_events import ViewAs, figures_as_of, per_period
from warehouse.service_layer.unit_of_work import WarehouseUnitOfWork


async def item_availability(
    uow: WarehouseUnitOfWork,
    item_no: str,
    location_code: str | None,
    on_date: date | None = None,
    period: PeriodType | None = None,
    from_date: date | None = None,
    to_date: date | None = None,
    view_as: ViewAs = ViewAs.NET_CHANGE,
) -> Figures | list[PeriodFigures]:
    """The figures as of `on_date` (None: every entry and document line), or with `period` one row per calendar
    period from the one holding `from_date` to the one holding `to_date`: its requirements and receipts (`view_as`)
    and its projected available balance at the period's end."""
    check_query(period, from_date, to_date, on_date)
    wanted = periods(period, from_date, to_date) if period is not None and from_date and to_date else []
    if not await uow.availability.item_known(item_no):
        raise NotFoundError(f"item {item_no} is unknown to the warehouse", item_no=item_no)
    events = await uow.availability_events.supply_and_demand(item_no, location_code, None)
    if period is None:
        stock, reserved = await uow.availability.stock_and_reserved(item_no, location_code, on_date)
        return figures_as_of(stock, reserved, events, on_date)
    reserved = await uow.availability.reserved(item_no, location_code)
    stock_as_of = await uow.availability.stock_as_of(item_no, location_code, as_of_dates(wanted))
    return per_period(wanted, stock_as_of, reserved, events, view_as)
