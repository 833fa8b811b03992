"""Costing's inventory value, read through costing's API."""

from decimal import Decimal
from typing import Any

import httpx

from ledger.domain.errors import CostingUnavailableError
from ledger.domain.reconciliation import GroupValue


class HttpInventoryValuation:
    """The InventoryValuation port over costing's `GET /inventory-valuation/by-posting-group`."""

    def __init__(self, client: httpx.AsyncClient, costing_url: str) -> None:
        self._client = client
        self._costing_url = costing_url

    async def by_posting_group(self) -> tuple[int, list[GroupValue]]:
        try:
            response = await self._client.get(f"{self._costing_url}/inventory-valuation/by-posting-group")
            response.raise_for_status()
        except httpx.HTTPError as exc:
            raise CostingUnavailableError(f"costing valuation not readable at {self._costing_url}: {exc}") from exc
        body: dict[str, Any] = response.json()
        values = [
            GroupValue(
                line["location_code"], line["inventory_posting_group"],
                Decimal(line["cost_amount_actual"]), Decimal(line["cost_amount_expected"]),
            )
            for line in body["lines"]
        ]
        return int(body["value_entries"]), values
