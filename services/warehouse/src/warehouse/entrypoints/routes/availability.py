"""Availability of an item."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from servicekit.auth import requires
from servicekit.endpoints import Runtime

from warehouse.domain.availability import PeriodType
from warehouse.domain.availability_events import ViewAs
from warehouse.entrypoints.mapping import PROBLEM
from warehouse.entrypoints.schemas import Availability, AvailabilityByPeriod, AvailabilityPeriod
from warehouse.service_layer.availability import item_availability

router = APIRouter(tags=["reservations"])


@router.get("/items/{item_no}/availability", response_model=Availability | AvailabilityByPeriod,
            responses={404: PROBLEM, 422: PROBLEM}, dependencies=[requires("inventory:read")])
async def availability(
    item_no: str,
    runtime: Runtime,
    location_code: str | None = None,
    on_date: Annotated[date | None, Query(alias="date")] = None,
    period: PeriodType | None = None,
    from_date: Annotated[date | None, Query(alias="from")] = None,
    to_date: Annotated[date | None, Query(alias="to")] = None,
    view_as: ViewAs = ViewAs.NET_CHANGE,
) -> Availability | AvailabilityByPeriod:
    """Inventory, reservations and projected available balance of an item, optionally at one location and up to
    a date. In-transit stock counts in `in_transit`, at neither end. Gross requirements: outstanding sales order
    lines by shipment date, reservations for no sales order line; scheduled receipts: outstanding purchase order
    lines by expected receipt date. With a location filter, open transfer order lines count as gross requirement
    (from) and scheduled receipts (to); they carry no date.

    With `period` (day, week or month) and `from` / `to` dates: one row per calendar period from the one holding
    `from` to the one holding `to`, with the inventory and projected available balance at the period's end and,
    `view_as` net_change (default), the requirements and receipts due in the period (undated and overdue ones in
    the first), or balance_at_date, all due by its end."""
    async with runtime.reading() as uow:
        found = await item_availability(uow, item_no, location_code, on_date, period, from_date, to_date, view_as)
    if not isinstance(found, list):
        return Availability(item_no=item_no, location_code=location_code, as_of=on_date, **found.__dict__)
    return AvailabilityByPeriod(
        item_no=item_no, location_code=location_code, period=str(period), view_as=str(view_as),
        periods=[AvailabilityPeriod(period_start=p.period.start, period_end=p.period.end, net_change=p.net_change,
                                    **p.figures.__dict__) for p in found],
    )
