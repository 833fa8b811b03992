"""Responsibility centers: their cards, the locations they own, and what a caller tied to one may see and post.

A caller is tied to a center by the `responsibility_center` claim of its access token; one without it sees every
center. Reads of entries, documents, locations and availability are filtered to the caller's center; postings for
or at another center's locations are refused (domain.responsibility_centers).
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from servicekit.auth import current_access_token
from servicekit.errors import NotFoundError

from warehouse.domain.availability import Figures, PeriodFigures, PeriodType
from warehouse.domain.availability_events import ViewAs
from warehouse.domain.errors import InvalidAvailabilityQueryError
from warehouse.domain.locations import BinContent, Location
from warehouse.domain.model import EntryDraft, ListedEntry, StockAtLocation
from warehouse.domain.responsibility_centers import (
    NO_CENTER,
    ResponsibilityCenter,
    check_known,
    check_may_see,
    document_center,
    draft_centers,
    sum_figures,
    sum_periods,
    visible_center,
)
from warehouse.service_layer.tracing import TracedEntry
from warehouse.service_layer.availability import item_availability
from warehouse.service_layer.unit_of_work import WarehouseUnitOfWork

CLAIM = "responsibility_center"
T = TypeVar("T")


def caller_center() -> str | None:
    """The center the caller's token ties it to; None for a caller without the claim (or outside a request)."""
    access = current_access_token()
    return (access.string_claim(CLAIM) or None) if access is not None else None


# cards --------------------------------------------------------------------------------------------------------------


async def create_center(uow: WarehouseUnitOfWork, center: ResponsibilityCenter) -> ResponsibilityCenter:
    check_may_see(caller_center(), center.code, f"responsibility center {center.code}")
    await uow.responsibility_centers.add(center)
    return center


async def list_centers(uow: WarehouseUnitOfWork, after: str | None, limit: int) -> list[ResponsibilityCenter]:
    mine = caller_center()
    if mine is None:
        return await uow.responsibility_centers.page(after, limit)
    return [c for c in (await uow.responsibility_centers.centers([mine])).values() if after is None or c.code > after]


async def get_center(uow: WarehouseUnitOfWork, code: str) -> ResponsibilityCenter:
    check_may_see(caller_center(), code, f"responsibility center {code}")
    center = (await uow.responsibility_centers.centers([code])).get(code)
    if center is None:
        raise NotFoundError(f"responsibility center {code} does not exist", responsibility_center=code)
    return center


async def change_center(uow: WarehouseUnitOfWork, code: str, changes: dict[str, Any]) -> ResponsibilityCenter:
    """Change the fields given (the code stays)."""
    center = replace(await get_center(uow, code), **changes)
    await uow.responsibility_centers.change(center)
    return center


async def assign_location(uow: WarehouseUnitOfWork, location_code: str, center: str) -> Location:
    """The location belongs to `center` ('' for none) from now on; entries already posted keep the center they
    recorded."""
    location = await get_visible_location(uow, location_code)
    check_may_see(caller_center(), center, f"responsibility center {center or '(none)'}")
    check_known(center, bool(await uow.responsibility_centers.centers([center])))
    await uow.responsibility_centers.assign_location(location_code, center)
    return replace(location, responsibility_center=center)


# locations ----------------------------------------------------------------------------------------------------------


async def location_for_caller(uow: WarehouseUnitOfWork, location: Location) -> Location:
    """A new location of the center it names, or else of the caller's; refuses an unknown center or another's."""
    mine = caller_center()
    if mine is not None and location.responsibility_center == NO_CENTER:
        location = replace(location, responsibility_center=mine)
    check_may_see(mine, location.responsibility_center, f"location {location.code}")
    center = location.responsibility_center
    check_known(center, bool(await uow.responsibility_centers.centers([center])))
    return location


async def visible_locations(
    uow: WarehouseUnitOfWork, asked: str | None, after: str | None, limit: int
) -> list[Location]:
    center = visible_center(caller_center(), asked)
    if center is None:
        return await uow.locations.page(after, limit)
    return await uow.responsibility_centers.locations_page(center, after, limit)


async def get_visible_location(uow: WarehouseUnitOfWork, code: str) -> Location:
    location = (await uow.locations.locations([code])).get(code)
    if location is None:
        raise NotFoundError(f"location {code} does not exist", location_code=code)
    check_may_see(caller_center(), location.responsibility_center, f"location {code}")
    return location


async def _center_location_codes(uow: WarehouseUnitOfWork, center: str) -> list[str]:
    codes: list[str] = []
    while page := await uow.responsibility_centers.locations_page(center, codes[-1] if codes else None, 1000):
        codes += [location.code for location in page]
    return codes


# postings and reads -------------------------------------------------------------------------------------------------


async def centers_of_drafts(uow: WarehouseUnitOfWork, drafts: Sequence[EntryDraft], given: str) -> list[str]:
    """The responsibility center each draft posts for (see domain.responsibility_centers.draft_centers)."""
    if given:
        check_known(given, bool(await uow.responsibility_centers.centers([given])))
    locations = await uow.locations.locations({d.location_code for d in drafts})
    return draft_centers(drafts, given, locations, caller_center())


async def visible_entries(
    uow: WarehouseUnitOfWork, asked: str | None, item_no: str | None, after: int | None, limit: int
) -> list[ListedEntry]:
    return await uow.ledger.entries(item_no, after, limit, visible_center(caller_center(), asked))


def visible_traces(traced: list[TracedEntry]) -> list[TracedEntry]:
    mine = caller_center()
    return traced if mine is None else [t for t in traced if t.entry.responsibility_center == mine]


async def visible_stock(
    uow: WarehouseUnitOfWork, asked: str | None, stock: list[StockAtLocation]
) -> list[StockAtLocation]:
    """Quantity on hand at the locations of the visible center only."""
    center = visible_center(caller_center(), asked)
    if center is None:
        return stock
    locations = await uow.locations.locations({s.location_code for s in stock})
    return [s for s in stock
            if s.location_code in locations and locations[s.location_code].responsibility_center == center]


async def visible_availability(
    uow: WarehouseUnitOfWork,
    asked: str | None,
    item_no: str,
    location_code: str | None,
    on_date: date | None = None,
    period: PeriodType | None = None,
    from_date: date | None = None,
    to_date: date | None = None,
    view_as: ViewAs = ViewAs.NET_CHANGE,
) -> Figures | list[PeriodFigures]:
    """Availability at one location (of the visible center), or over every location of the visible center, each
    with a location filter (so transfers between its own locations count as demand and supply, as in BC)."""
    center = visible_center(caller_center(), asked)
    if center is None:
        return await item_availability(uow, item_no, location_code, on_date, period, from_date, to_date, view_as)
    if location_code is not None:
        location = await get_visible_location(uow, location_code)
        if location.responsibility_center != center:
            raise InvalidAvailabilityQueryError(
                f"location {location_code} does not belong to responsibility center {center}",
                location_code=location_code, responsibility_center=center,
            )
        return await item_availability(uow, item_no, location_code, on_date, period, from_date, to_date, view_as)
    codes = await _center_location_codes(uow, center)
    if not codes:  # answer the item's shape (and its not-found) with nothing counted
        found = await item_availability(uow, item_no, None, on_date, period, from_date, to_date, view_as)
        if isinstance(found, list):
            return [PeriodFigures(p.period, Decimal(0), sum_figures([])) for p in found]
        return sum_figures([])
    each = [await item_availability(uow, item_no, code, on_date, period, from_date, to_date, view_as) for code in codes]
    if period is None:
        return sum_figures([f for f in each if isinstance(f, Figures)])
    return sum_periods([f for f in each if isinstance(f, list)])


async def center_of_document(uow: WarehouseUnitOfWork, given: str, location_codes: Sequence[str], what: str) -> str:
    """The responsibility center a new transfer or count order belongs to (domain document_center)."""
    if given:
        check_known(given, bool(await uow.responsibility_centers.centers([given])))
    locations = await uow.locations.locations(location_codes)
    return document_center(given, location_codes, locations, caller_center(), what)


def check_document_visible(center: str, what: str) -> None:
    check_may_see(caller_center(), center, what)


async def check_entries_visible(uow: WarehouseUnitOfWork, entry_nos: Iterable[int], what: str) -> None:
    """Refuse a caller tied to a center `what` on entries another center posted."""
    mine = caller_center()
    if mine is None:
        return
    for entry_no, center in sorted((await uow.responsibility_centers.entry_centers(entry_nos)).items()):
        check_may_see(mine, center, f"{what} of entry {entry_no}: the entry")


async def visible_bin_contents(uow: WarehouseUnitOfWork, contents: list[BinContent]) -> list[BinContent]:
    return await visible_at_locations(uow, contents, lambda c: c.location_code)


async def visible_at_locations(uow: WarehouseUnitOfWork, rows: list[T], location_of: Callable[[T], str]) -> list[T]:
    """The rows at locations of the caller's center (all of them for a caller tied to none)."""
    mine = caller_center()
    if mine is None:
        return rows
    locations = await uow.locations.locations({location_of(r) for r in rows})
    return [r for r in rows
            if location_of(r) in locations and locations[location_of(r)].responsibility_center == mine]


async def check_locations_visible(uow: WarehouseUnitOfWork, location_codes: Iterable[str], what: str) -> None:
    """Refuse a caller tied to a center `what` at another center's location."""
    mine = caller_center()
    if mine is None:
        return
    for code, location in sorted((await uow.locations.locations(location_codes)).items()):
        if location.responsibility_center not in (NO_CENTER, mine):
            check_may_see(mine, location.responsibility_center, f"{what} at location {code}: the location")
