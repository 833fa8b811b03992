"""Reservations of on-hand stock for demand lines, under the item's posting lock."""

from decimal import Decimal

from inventory_contracts.catalog import CostingMethod, ItemType

from warehouse.domain.errors import ItemBlockedError, NotAnInventoryItemError, UnknownItemError
from warehouse.domain.ledger_state import Demand, OpenLedgerState, ReservationEntry
from warehouse.domain.locations import check_location
from warehouse.service_layer.responsibility_centers import check_locations_visible, visible_at_locations

from warehouse.domain.reservation_policy import check_reservable
from warehouse.service_layer.unit_of_work import WarehouseUnitOfWork


async def reserve(
    uow: WarehouseUnitOfWork, demand: Demand, item_no: str, variant_code: str, location_code: str, quantity: Decimal,
    *, serial_no: str = "", lot_no: str = "",
) -> list[ReservationEntry]:
    """Reserve unreserved on-hand stock (only entries of `serial_no` / `lot_no` when given); the item's lock keeps a
    concurrent sale from taking it meanwhile."""
    await check_locations_visible(uow, [location_code], "a reservation")
    item = (await uow.items.lock([item_no])).get(item_no)
    where = {"item_no": item_no, "line_no": demand.source_line_no}
    if item is None:
        raise UnknownItemError(f"item {item_no} is unknown", **where)
    if item.type is not ItemType.INVENTORY:
        raise NotAnInventoryItemError(f"item {item_no} is a {item.type} item and has no stock to reserve", **where)
    if item.blocked:
        raise ItemBlockedError(f"item {item_no} is blocked", **where)
    check_reservable(item, line_no=demand.source_line_no)
    # Reservations are per location, not per bin: the bin is chosen when the demand posts.
    location = (await uow.locations.locations([location_code])).get(location_code)
    check_location(location_code, location, line_no=demand.source_line_no, item_no=item_no, what="a reservation")
    key = (item_no, variant_code, location_code)
    state = OpenLedgerState(await uow.ledger.open_entries_of([key]), await uow.reservations.open_of([key]))
    made = state.reserve(key, demand, quantity, newest_first=item.costing_method is CostingMethod.LIFO,
                         serial_no=serial_no, lot_no=lot_no)
    for reservation, id_ in zip(made, await uow.reservations.add(made), strict=True):
        reservation.id = id_
    return made


async def cancel_reservation(uow: WarehouseUnitOfWork, demand: Demand) -> list[ReservationEntry]:
    """Cancel what is still reserved for the demand line; consumed quantities stay consumed."""
    found = await uow.reservations.open_of_demand(demand)
    await check_locations_visible(uow, {r.key[2] for r in found}, "cancelling a reservation")
    await uow.items.lock({r.key[0] for r in found})
    state = OpenLedgerState({}, await uow.reservations.open_of({r.key for r in found}))
    cancelled = state.cancel(demand)
    await uow.reservations.save_changes(state.reservation_changes())
    return cancelled


async def list_reservations(
    uow: WarehouseUnitOfWork, item_no: str | None, source_type: str | None, source_id: str | None, include_closed: bool
) -> list[ReservationEntry]:
    found = await uow.reservations.find(item_no, source_type, source_id, include_closed)
    return await visible_at_locations(uow, found, lambda r: r.key[2])
