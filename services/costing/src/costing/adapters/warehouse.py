"""The warehouse's API as costing reads it: its settled quantities, for the quantity reconciliation, and the locations
of a responsibility center, for the valuation of one center."""

from decimal import Decimal
from typing import Any

import httpx

from costing.domain.quantity_reconciliation import WarehouseQuantity


class WarehouseUnavailableError(Exception):
    """The warehouse's quantities could not be read; reconciliation waits for the next round."""


async def read_warehouse_quantities(client: httpx.AsyncClient, warehouse_url: str, settle_seconds: float) -> list[WarehouseQuantity]:
    """The warehouse's settled quantities, through its API (never its database)."""
    try:
        response = await client.get(f"{warehouse_url}/reconciliation/quantities", params={"settle_seconds": settle_seconds})
        response.raise_for_status()
    except httpx.HTTPError as exc:
        raise WarehouseUnavailableError(f"warehouse quantities not readable at {warehouse_url}: {exc}") from exc
    body: dict[str, Any] = response.json()
    return [
        WarehouseQuantity(line["item_no"], line["location_code"], Decimal(line["quantity"]), int(line["through_entry_no"]))
        for line in body["lines"]
    ]


async def read_center_locations(client: httpx.AsyncClient, warehouse_url: str, center: str) -> frozenset[str]:
    """The codes of the locations that belong to the responsibility center, through the warehouse's API."""
    codes: set[str] = set()
    params: dict[str, Any] = {"responsibility_center": center, "limit": 1000}
    while True:
        try:
            response = await client.get(f"{warehouse_url}/locations", params=params)
            response.raise_for_status()
        except httpx.HTTPError as exc:
            raise WarehouseUnavailableError(f"locations not readable at {warehouse_url}: {exc}") from exc
        page: dict[str, Any] = response.json()
        codes |= {location["code"] for location in page["locations"]}
        if not page.get("next_cursor"):
            return frozenset(codes)
        params["cursor"] = page["next_cursor"]
