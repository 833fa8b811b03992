"""Maps item cards to catalog.items.v1 events."""

from dataclasses import asdict

from inventory_contracts import ITEM_UPSERTED_V1, Envelope, new_envelope
from inventory_contracts.catalog import ItemUpserted

from catalog.domain.model import Item


def item_upserted(item: Item) -> Envelope[ItemUpserted]:
    return new_envelope(ITEM_UPSERTED_V1, ItemUpserted(**asdict(item)), producer="catalog", key=item.item_no)
