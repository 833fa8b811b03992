"""Availability of an item by event and by BOM level."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from servicekit.auth import requires
from servicekit.endpoints import Runtime

from warehouse.entrypoints.mapping import PROBLEM
from warehouse.entrypoints.schemas_planning import (
    AvailabilityByBomLevel,
    AvailabilityByEvent,
    AvailabilityEventOut,
    BomLevelLineOut,
)
from warehouse.service_layer.availability_events import availability_by_bom_level, availability_by_event

router = APIRouter(tags=["availability"])


@router.get("/items/{item_no}/availability/events", response_model=AvailabilityByEvent,
            responses={404: PROBLEM, 422: PROBLEM}, dependencies=[requires("inventory:read")])
async def by_event(
    item_no: str, runtime: Runtime, location_code: str | None = None, variant_code: str | None = None,
    to: date | None = None,
) -> AvailabilityByEvent:
    """The inventory on hand, then each gross requirement (outstanding sales order lines by shipment date, assembly
    components by due date, transfer shipments from the location) and scheduled receipt (outstanding purchase order
    lines by expected receipt date, assembly output by due date, transfer receipts to the location) up to `to`, in
    date order, each with the projected available balance after it. Without a location, transfers net out."""
    async with runtime.reading() as uow:
        found = await availability_by_event(uow, item_no, location_code, variant_code, to)
    events = [AvailabilityEventOut(
        date=e.event.date, type=e.event.type.value, document_no=e.event.document_no, line_no=e.event.line_no,
        location_code=e.event.location_code, variant_code=e.event.variant_code,
        gross_requirement=e.event.gross_requirement, scheduled_receipt=e.event.scheduled_receipt,
        projected_available_balance=e.projected_available_balance) for e in found.events]
    return AvailabilityByEvent(
        item_no=item_no, location_code=location_code, variant_code=variant_code, to=to, inventory=found.inventory,
        events=events,
        projected_available_balance=events[-1].projected_available_balance if events else found.inventory)


@router.get("/items/{item_no}/availability/bom-levels", response_model=AvailabilityByBomLevel,
            responses={404: PROBLEM, 422: PROBLEM}, dependencies=[requires("inventory:read")])
async def by_bom_level(
    item_no: str, runtime: Runtime, location_code: str | None = None,
    on_date: Annotated[date | None, Query(alias="date")] = None,
) -> AvailabilityByBomLevel:
    """The item and every component item at every level of its assembly BOM, each with its quantity per, its
    projected available balance as of `date`, how many parents and top items it allows, and the bottleneck."""
    async with runtime.reading() as uow:
        lines, items = await availability_by_bom_level(uow, item_no, location_code, on_date)
    return AvailabilityByBomLevel(item_no=item_no, location_code=location_code, date=on_date, lines=[BomLevelLineOut(
        **l.__dict__, description=items[l.item_no].description if l.item_no in items else "",
        base_unit_of_measure=items[l.item_no].base_unit_of_measure if l.item_no in items else "") for l in lines])
