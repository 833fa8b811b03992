"""Posting of item journal lines: item ledger entries, applications and their events, in one transaction."""

from collections.abc import Sequence
from decimal import Decimal

import asyncpg

from inventory_contracts import ITEM_ENTRY_POSTED_V1
from inventory_contracts.catalog import CostingMethod
from servicekit.outbox import add_event

from warehouse.adapters.events import item_entry_posted
from warehouse.adapters.repository import WarehouseRepository
from warehouse.domain.application import Application, apply_inbound, apply_outbound
from warehouse.domain.errors import InsufficientInventoryError, UnknownItemError
from warehouse.domain.model import Item, ItemLedgerEntry, JournalLine, check_line


async def post_item_journal(conn: asyncpg.Connection, lines: Sequence[JournalLine]) -> list[ItemLedgerEntry]:
    """Post every line or none. The items are locked first, so one item's postings run one at a time."""
    repository = WarehouseRepository(conn)
    items = await repository.lock_items(line.item_no for line in lines)
    for line in lines:
        item = items.get(line.item_no)
        if item is None:
            raise UnknownItemError(f"item {line.item_no} is unknown", item_no=line.item_no, line_no=line.line_no)
        check_line(line, item)
    prevent_default = await repository.prevent_negative_inventory_default()
    posted = []
    for line in lines:
        item = items[line.item_no]
        entry = ItemLedgerEntry(
            entry_no=await repository.next_entry_no(),
            item_no=line.item_no,
            variant_code=line.variant_code,
            location_code=line.location_code,
            posting_date=line.posting_date,
            entry_type=line.entry_type,
            document_no=line.document_no,
            document_line_no=line.line_no,
            quantity=line.signed_quantity,
            unit_cost=line.unit_cost,
        )
        await repository.add_entry(entry)
        applications = await _apply(repository, entry, item, prevent_default)
        entry = ItemLedgerEntry(**{**entry.__dict__, "applications": tuple(applications)})
        await add_event(conn, ITEM_ENTRY_POSTED_V1.topic, item_entry_posted(entry, item))
        posted.append(entry)
    return posted


async def _apply(
    repository: WarehouseRepository, entry: ItemLedgerEntry, item: Item, prevent_default: bool
) -> list[Application]:
    if entry.quantity > 0:
        waiting = await repository.open_entries(entry, inbound=False)
        applications, remaining = apply_inbound(entry.entry_no, entry.quantity, waiting)
        taken = [(a.outbound_entry_no, a.quantity) for a in applications]
    else:
        available = await repository.open_entries(entry, inbound=True)
        applications, remaining = apply_outbound(
            entry.entry_no, entry.quantity, available, newest_first=item.costing_method is CostingMethod.LIFO
        )
        if remaining != 0 and item.prevents_negative_inventory(prevent_default):
            on_hand = sum((e.remaining_quantity for e in available), Decimal(0))
            raise InsufficientInventoryError(
                f"item {item.item_no} has {on_hand.normalize():f} on hand at {entry.location_code or 'the blank location'}; "
                f"{(-entry.quantity).normalize():f} cannot be taken and negative inventory is prevented",
                item_no=item.item_no,
                location_code=entry.location_code,
                line_no=entry.document_line_no,
                on_hand=str(on_hand),
            )
        taken = [(a.inbound_entry_no, a.quantity) for a in applications]
    await repository.reduce_open_entries(taken)
    if remaining != 0:
        await repository.open_entry(entry, remaining)
    await repository.add_applications(applications, entry.posting_date)
    return applications
