"""Posting of item journal lines: item ledger entries, applications and their events, in one transaction.

Round trips do not grow with the number of lines: the document's open entries, reservations and
bin contents are read once, the lines are applied in memory (domain.ledger_state) and the result
is written with one statement per table.
"""

from collections.abc import Sequence
from dataclasses import replace

import asyncpg

from inventory_contracts import ITEM_ENTRY_POSTED_V1
from inventory_contracts.catalog import CostingMethod
from servicekit.outbox import add_events

from warehouse.adapters.events import item_entry_posted
from warehouse.adapters.repository import WarehouseRepository
from warehouse.domain.application import OpenEntry
from warehouse.domain.errors import UnknownItemError
from warehouse.domain.ledger_state import Key, OpenLedgerState
from warehouse.domain.locations import check_destination
from warehouse.domain.model import ItemLedgerEntry, JournalLine, check_line
from warehouse.domain.periods import check_posting_date


async def post_item_journal(conn: asyncpg.Connection, lines: Sequence[JournalLine]) -> list[ItemLedgerEntry]:
    """Post every line or none. The items are locked first, so one item's postings run one at a time."""
    repository = WarehouseRepository(conn)
    items = await repository.lock_items(line.item_no for line in lines)
    locations = await repository.locations(line.location_code for line in lines)
    bins = await repository.bins(code for code, location in locations.items() if location.bin_mandatory)
    posting_dates = await repository.posting_dates()
    periods = await repository.inventory_periods()
    for line in lines:
        item = items.get(line.item_no)
        if item is None:
            raise UnknownItemError(f"item {line.item_no} is unknown", item_no=line.item_no, line_no=line.line_no)
        check_line(line, item)
        check_destination(
            line.location_code, line.bin_code, locations.get(line.location_code),
            frozenset(b.code for b in bins.get(line.location_code, [])), line_no=line.line_no, item_no=line.item_no,
        )
        check_posting_date(line.posting_date, posting_dates, periods, line_no=line.line_no, item_no=line.item_no)
    prevent_default = await repository.prevent_negative_inventory_default()

    keys = {_key(line) for line in lines}
    state = OpenLedgerState(
        await repository.open_entries_of(keys),
        await repository.open_reservations_of(keys),
        await repository.bin_contents_of({(_key(line), line.bin_code) for line in lines if line.bin_code}),
    )
    entry_nos = await repository.next_entry_nos(len(lines))
    posted = []
    for line, entry_no in zip(lines, entry_nos, strict=True):
        item = items[line.item_no]
        entry = ItemLedgerEntry(
            entry_no=entry_no,
            item_no=line.item_no,
            variant_code=line.variant_code,
            location_code=line.location_code,
            bin_code=line.bin_code,
            posting_date=line.posting_date,
            entry_type=line.entry_type,
            document_no=line.document_no,
            document_line_no=line.line_no,
            quantity=line.signed_quantity,
            unit_cost=line.unit_cost,
        )
        applications = state.post(
            _key(line),
            OpenEntry(entry_no, line.posting_date, entry.quantity),
            newest_first=item.costing_method is CostingMethod.LIFO,
            prevent_negative=item.prevents_negative_inventory(prevent_default),
            demand=line.demand,
            bin_code=line.bin_code,
            line_no=line.line_no,
        )
        posted.append(replace(entry, applications=tuple(applications)))

    await repository.add_entries(posted)
    await repository.save_open_changes(*state.changes())
    await repository.add_applications_of(posted)
    await repository.save_reservation_changes(state.reservation_changes())
    await add_events(conn, [(ITEM_ENTRY_POSTED_V1.topic, item_entry_posted(e, items[e.item_no])) for e in posted])
    return posted


def _key(line: JournalLine) -> Key:
    return (line.item_no, line.variant_code, line.location_code)
