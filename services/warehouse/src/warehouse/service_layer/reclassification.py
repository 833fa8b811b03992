"""Posting of the reclassification journal."""

from collections.abc import Sequence

import asyncpg

from warehouse.adapters.locations import PostgresLocationRepository
from warehouse.adapters.repository import WarehouseRepository
from warehouse.domain.errors import UnknownItemError
from warehouse.domain.locations import check_destination
from warehouse.domain.model import EntryDraft, ItemLedgerEntry
from warehouse.domain.reclassification import ReclassLine, reclassification_drafts
from warehouse.service_layer.posting import post_drafts


async def post_reclassification(conn: asyncpg.Connection, lines: Sequence[ReclassLine]) -> list[ItemLedgerEntry]:
    repository = WarehouseRepository(conn)
    items = await repository.lock_items(line.item_no for line in lines)
    codes = {line.location_code for line in lines} | {line.new_location_code for line in lines}
    locations = await PostgresLocationRepository(conn).locations(codes)
    bins = await PostgresLocationRepository(conn).bins(code for code, location in locations.items() if location.bin_mandatory)
    drafts: list[EntryDraft] = []
    for line in lines:
        item = items.get(line.item_no)
        if item is None:
            raise UnknownItemError(f"item {line.item_no} is unknown", item_no=line.item_no, line_no=line.line_no)
        for code, bin_code in ((line.location_code, line.bin_code), (line.new_location_code, line.new_bin_code)):
            check_destination(code, bin_code, locations.get(code), frozenset(b.code for b in bins.get(code, [])),
                              line_no=line.line_no, item_no=line.item_no)
        drafts += reclassification_drafts(line, item, len(drafts))
    return await post_drafts(conn, repository, items, drafts)
