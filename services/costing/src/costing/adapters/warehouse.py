"""The warehouse's API as costing reads it: its settled quantities, for the quantity reconciliation."""

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
