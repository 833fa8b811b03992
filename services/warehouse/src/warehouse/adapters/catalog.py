"""The catalog's item cards, read through the catalog's API."""

from decimal import Decimal, InvalidOperation
from urllib.parse import quote

import httpx
from pydantic import ValidationError

from inventory_contracts.catalog import ItemUpserted

from warehouse.domain.assembly import ResourceCost


class CatalogUnavailableError(Exception):
    """The catalog did not answer with a card or a 404."""


class HttpCatalog:
    """`GET /items/{item_no}/published-card`: the card as catalog.items.v1 announces it."""

    def __init__(self, client: httpx.AsyncClient, catalog_url: str) -> None:
        self._client = client
        self._catalog_url = catalog_url.rstrip("/")

    async def published_card(self, item_no: str) -> ItemUpserted | None:
        """The item's latest card, or None when the catalog has no such item."""
        url = f"{self._catalog_url}/items/{quote(item_no, safe='')}/published-card"
        try:
            response = await self._client.get(url)
            if response.status_code == 404:
                return None
            response.raise_for_status()
            return ItemUpserted.model_validate_json(response.content)
        except (httpx.HTTPError, ValidationError) as exc:
            raise CatalogUnavailableError(f"item card not readable at {url}: {exc}") from exc

    async def resource(self, no: str) -> ResourceCost | None:
        """`GET /resources/{no}`: the resource's direct unit cost and unit cost, or None when the catalog has no such
        resource."""
        if not no.strip():
            return None
        url = f"{self._catalog_url}/resources/{quote(no, safe='')}"
        try:
            response = await self._client.get(url)
            if response.status_code in (404, 405, 422):  # no such resource, or no resource no. the catalog could have
                return None
            response.raise_for_status()
            card = response.json()
            return ResourceCost(Decimal(str(card["direct_unit_cost"])), Decimal(str(card["unit_cost"])))
        except (httpx.HTTPError, ValueError, KeyError, TypeError, InvalidOperation) as exc:
            raise CatalogUnavailableError(f"resource not readable at {url}: {exc}") from exc
