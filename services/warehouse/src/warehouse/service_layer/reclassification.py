"""Posting of the reclassification journal."""

from collections.abc import Sequence

from warehouse.domain.errors import UnknownItemError
from warehouse.domain.locations import check_destination
from warehouse.domain.model import EntryDraft, ItemLedgerEntry
from warehouse.domain.reclassification import ReclassLine, reclassification_drafts
from warehouse.service_layer.posting import post_drafts
from warehouse.service_layer.unit_of_work import WarehouseUnitOfWork


async def post_reclassification(uow: WarehouseUnitOfWork, lines: Sequence[ReclassLine]) -> list[ItemLedgerEntry]:
    items = await uow.items.lock(line.item_no for line in lines)
    codes = {line.location_code for line in lines} | {line.new_location_code for line in lines}
    locations = await uow.locations.locations(codes)
    bins = await uow.locations.bins(code for code, location in locations.items() if location.bin_mandatory)
    drafts: list[EntryDraft] = []
    for line in lines:
        item = items.get(line.item_no)
        if item is None:
            raise UnknownItemError(f"item {line.item_no} is unknown", item_no=line.item_no, line_no=line.line_no)
        for code, bin_code in ((line.location_code, line.bin_code), (line.new_location_code, line.new_bin_code)):
            check_destination(code, bin_code, locations.get(code), frozenset(b.code for b in bins.get(code, [])),
                              line_no=line.line_no, item_no=line.item_no)
        drafts += reclassification_drafts(line, item, len(drafts))
    return await post_drafts(uow, items, drafts)
