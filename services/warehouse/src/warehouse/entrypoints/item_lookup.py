"""Read-your-writes for clients: an item the catalog has just created may not have reached the replica yet."""

import logging

import httpx

from servicekit.errors import ServiceError
from servicekit.runtime import ServiceRuntime

from warehouse.adapters.catalog import CatalogUnavailableError, HttpCatalog
from warehouse.adapters.events import item_from_event
from warehouse.config import WarehouseSettings
from warehouse.domain.errors import UnknownItemError
from warehouse.service_layer.items import replicate_item

log = logging.getLogger(__name__)


async def learn_unknown_item(runtime: ServiceRuntime, refusal: ServiceError) -> bool:
    """For a posting refused because the replica lacks its item: take the card from the catalog into the replica
    (as its event would) and let the posting run again. False when the catalog has no such item either."""
    item_no = refusal.extensions.get("item_no")
    if not isinstance(refusal, UnknownItemError) or not isinstance(item_no, str):
        return False
    settings = runtime.settings_as(WarehouseSettings)
    async with httpx.AsyncClient(timeout=settings.catalog_timeout_seconds, auth=settings.catalog_auth()) as client:
        try:
            card = await HttpCatalog(client, settings.catalog_url).published_card(item_no)
        except CatalogUnavailableError as exc:
            log.warning("item %s is not in the replica and the catalog could not be asked: %s", item_no, exc)
            return False
    if card is None:
        return False
    async with runtime.unit_of_work() as uow:
        await replicate_item(uow, item_from_event(card))
    log.info("item %s taken from the catalog ahead of its event (revision %s)", item_no, card.revision)
    return True
