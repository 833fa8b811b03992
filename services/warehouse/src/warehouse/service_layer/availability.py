"""Availability of an item: as of a date, or per calendar period."""

from datetime import date

from servicekit.errors import NotFoundError

from warehouse.domain.availability import (
    Figures,
    PeriodFigures,
    PeriodType,
    as_of_dates,
    check_query,
    figures,
    per_period,
    periods,
)
from warehouse.service_layer.unit_of_work import WarehouseUnitOfWork


async def item_availability(
    uow: WarehouseUnitOfWork,
    item_no: str,
    location_code: str | None,
    on_date: date | None = None,
    period: PeriodType | None = None,
    from_date: date | None = None,
    to_date: date | None = None,
) -> Figures | list[PeriodFigures]:
    """The figures as of `on_date` (None: every entry), or with `period` one row per calendar period from the one
    holding `from_date` to the one holding `to_date`, with the figures as of the period's end."""
    check_query(period, from_date, to_date, on_date)
    wanted = periods(period, from_date, to_date) if period is not None and from_date and to_date else []
    if not await uow.availability.item_known(item_no):
        raise NotFoundError(f"item {item_no} is unknown to the warehouse", item_no=item_no)
    transfers = await uow.availability.open_transfers(item_no, location_code)
    per_location = location_code is not None
    if period is None:
        stock, reserved = await uow.availability.stock_and_reserved(item_no, location_code, on_date)
        return figures(stock.inventory, stock.in_transit, reserved, transfers.outbound, transfers.inbound,
                       per_location=per_location)
    reserved = await uow.availability.reserved(item_no, location_code)
    stock_as_of = await uow.availability.stock_as_of(item_no, location_code, as_of_dates(wanted))
    return per_period(wanted, stock_as_of, reserved, transfers, per_location=per_location)
