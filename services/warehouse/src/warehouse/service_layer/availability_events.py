"""Availability of an item by event and by BOM level."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from inventory_contracts.catalog import BomComponentType
from servicekit.errors import NotFoundError

from warehouse.domain.availability_events import Event, figures_as_of, timeline
from warehouse.domain.bom_levels import BomLine, bom_levels
from warehouse.domain.model import Item
from warehouse.service_layer.unit_of_work import WarehouseUnitOfWork


@dataclass(frozen=True)
class EventTimeline:
    inventory: Decimal
    events: list[Event]


async def availability_by_event(
    uow: WarehouseUnitOfWork, item_no: str, location_code: str | None, variant_code: str | None, to: date | None
) -> EventTimeline:
    """The inventory on hand (every posted entry), then each requirement and receipt up to `to` in date order."""
    await _item(uow, item_no)
    stock = await uow.availability_events.on_hand(item_no, location_code, variant_code)
    events = await uow.availability_events.supply_and_demand(item_no, location_code, variant_code)
    return EventTimeline(stock.inventory, timeline(stock.inventory, events, to))


async def availability_by_bom_level(
    uow: WarehouseUnitOfWork, item_no: str, location_code: str | None, on_date: date | None
) -> tuple[list[BomLine], dict[str, Item]]:
    """The item and every component item at every level of its assembly BOM (from the item cards), each with its
    projected available balance as of `on_date` (None: every entry and line) and what it allows to make."""
    items = {item_no: await _item(uow, item_no)}
    wanted = [item_no]
    while wanted:
        for component in items[wanted.pop()].assembly_bom:
            if component.type is BomComponentType.ITEM and component.no not in items:
                found = await uow.items.get(component.no)
                if found is not None:
                    items[component.no] = found
                    wanted.append(component.no)
    # A component the warehouse does not know has nothing available: it limits what can be made to none.
    available: dict[str, Decimal] = {c.no: Decimal(0) for i in items.values() for c in i.assembly_bom
                                     if c.type is BomComponentType.ITEM}
    for no in items:
        stock = await uow.availability_events.on_hand(no, location_code, None, on_date)
        events = await uow.availability_events.supply_and_demand(no, location_code, None)
        available[no] = figures_as_of(stock, Decimal(0), events, on_date).projected_available_balance

    def components(parent: str) -> list[tuple[str, Decimal]]:
        lines = []
        for c in items[parent].assembly_bom if parent in items else ():
            per = items[c.no].qty_per_unit_of_measure(c.unit_of_measure_code) if c.no in items else None
            if c.type is BomComponentType.ITEM and c.quantity_per > 0:
                lines.append((c.no, c.quantity_per * (per or Decimal(1))))
        return lines

    return bom_levels(item_no, components, available), items


async def _item(uow: WarehouseUnitOfWork, item_no: str) -> Item:
    item = await uow.items.get(item_no)
    if item is None:
        raise NotFoundError(f"item {item_no} is unknown to the warehouse", item_no=item_no)
    return item
