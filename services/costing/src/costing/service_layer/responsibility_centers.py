"""Valuation of one responsibility center. Costing knows locations by code only: which locations belong to a center
is the warehouse's to say, so costing asks it (a read-only look-up for a report; the posting path never does)."""

import httpx

from servicekit.auth import current_access_token

from costing.adapters.warehouse import WarehouseUnavailableError, read_center_locations
from costing.config import CostingSettings
from costing.domain.errors import CenterLocationsUnavailableError, OutsideResponsibilityCenterError

CLAIM = "responsibility_center"


def requested_center(asked: str | None) -> str | None:
    """The center to value: the one the caller's token ties it to, else the one asked for (None: every center)."""
    access = current_access_token()
    mine = (access.string_claim(CLAIM) or None) if access is not None else None
    if mine is None:
        return asked
    if asked is not None and asked != mine:
        raise OutsideResponsibilityCenterError(
            f"this caller works for responsibility center {mine} and may not read center {asked}",
            responsibility_center=asked, caller_responsibility_center=mine,
        )
    return mine


async def center_locations(settings: CostingSettings, center: str) -> frozenset[str]:
    try:
        async with httpx.AsyncClient(timeout=10, auth=settings.warehouse_auth()) as client:
            return await read_center_locations(client, settings.warehouse_url, center)
    except WarehouseUnavailableError as exc:
        raise CenterLocationsUnavailableError(str(exc), responsibility_center=center) from exc
