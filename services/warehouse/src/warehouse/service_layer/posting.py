"""Posting of documents: item ledger entries, applications and their events, in one transaction.

Every document (item journal, reclassification, transfer, physical inventory) turns its lines into entry drafts
and hands them to `post_drafts`, so the rules of application, tracking, bins and periods are the same for all.
Round trips do not grow with the number of lines: the document's open entries, reservations and bin contents
are read once, the drafts are applied in memory (domain.ledger_state) and the result is written with one
statement per table.
"""

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date

from inventory_contracts import ITEM_ENTRY_POSTED_V1
from inventory_contracts.catalog import CostingMethod

from warehouse.adapters.events import item_entry_posted
from warehouse.domain.application import Application, OpenEntry
from warehouse.domain.errors import (
    ItemTrackingError,
    SerialNoInStockError,
    TrackingNotInStockError,
    UnknownItemError,
)
from warehouse.domain.ledger_state import Accept, Key, OpenLedgerState
from warehouse.domain.locations import check_destination
from warehouse.domain.model import (
    EntryDraft,
    Item,
    ItemLedgerEntry,
    JournalLine,
    check_applies_to,
    check_line,
    journal_drafts,
)
from warehouse.domain.periods import check_posting_date
from warehouse.domain.tracking import check_not_expired, is_expired
from warehouse.service_layer.responsibility_centers import centers_of_drafts

from warehouse.service_layer.kits import explode_kits
from warehouse.service_layer.unit_of_work import WarehouseUnitOfWork


async def post_item_journal(
    uow: WarehouseUnitOfWork, lines: Sequence[JournalLine], *, document_type: str = "Item Journal",
    expected: bool = False, responsibility_center: str = "",
) -> list[ItemLedgerEntry]:
    """Post every line or none. The items are locked first, so one item's postings run one at a time.

    `expected`: the lines are a purchase receipt or sales shipment, valued at expected cost until invoiced.
    `responsibility_center`: the document's; blank takes each line's location's.
    """
    lines = await explode_kits(uow, lines)
    items = await uow.items.lock(line.item_no for line in lines)
    locations = await uow.locations.locations(line.location_code for line in lines)
    bins = await uow.locations.bins(code for code, location in locations.items() if location.bin_mandatory)
    named = await uow.ledger.posted((l.applies_to_entry for l in lines if l.applies_to_entry is not None), lock=False)
    drafts: list[EntryDraft] = []
    for line in lines:
        item = items.get(line.item_no)
        if item is None:
            raise UnknownItemError(f"item {line.item_no} is unknown", item_no=line.item_no, line_no=line.line_no)
        check_line(line, item)
        if line.applies_to_entry is not None:
            inbound = named.get(line.applies_to_entry)
            check_applies_to(line, (inbound.item_no, inbound.variant_code, inbound.location_code)
                             if inbound is not None and inbound.quantity > 0 else None)
        check_destination(
            line.location_code, line.bin_code, locations.get(line.location_code),
            frozenset(b.code for b in bins.get(line.location_code, [])), line_no=line.line_no, item_no=line.item_no,
        )
        drafts += journal_drafts(line, item, document_type=document_type, expected=expected)
    return await post_drafts(uow, items, drafts, responsibility_center=responsibility_center)


async def post_drafts(
    uow: WarehouseUnitOfWork, items: Mapping[str, Item], drafts: Sequence[EntryDraft], *,
    responsibility_center: str = "",
) -> list[ItemLedgerEntry]:
    """Apply and write the drafts in order, with their events. The caller holds the items' locks (items.lock).

    The single posting path of the warehouse: load the open ledger state once, post the drafts in memory, write
    the result with one statement per table. Every entry records its responsibility center (the document's
    `responsibility_center`, else its location's), and a caller tied to one center posts for it alone."""
    centers = await centers_of_drafts(uow, drafts, responsibility_center)
    state, prevent_default = await _load(uow, items, drafts)
    entry_nos = await uow.ledger.next_entry_nos(len(drafts))
    posted: list[ItemLedgerEntry] = []
    for d, entry_no in zip(drafts, entry_nos, strict=True):
        posted.append(_post(state, prevent_default, items[d.item_no], d, entry_no, posted, entry_nos))
    posted = [replace(e, responsibility_center=c) for e, c in zip(posted, centers, strict=True)]
    await uow.ledger.add(posted)
    await uow.ledger.save_open_changes(*state.changes())
    await uow.reservations.save_changes(state.reservation_changes())
    await uow.publish_all([(ITEM_ENTRY_POSTED_V1.topic, item_entry_posted(e, items[e.item_no])) for e in posted])
    return posted


async def _load(
    uow: WarehouseUnitOfWork, items: Mapping[str, Item], drafts: Sequence[EntryDraft]
) -> tuple[OpenLedgerState, bool]:
    """Check the posting dates, then read the open entries, reservations and bin contents the drafts touch, and the
    negative-inventory default."""
    posting_dates = await uow.inventory_setup.posting_dates()
    periods = await uow.periods.inventory_periods()
    for d in drafts:
        check_posting_date(d.posting_date, posting_dates, periods, line_no=d.line_no, item_no=d.item_no)
    prevent_default = await uow.inventory_setup.prevent_negative_inventory_default()
    keys = {_key(d) for d in drafts}
    # A serial is in stock at most once per item, wherever it is: tracked items load their open entries everywhere.
    tracked = {d.item_no for d in drafts if items[d.item_no].tracking is not None}
    if tracked:
        keys |= await uow.ledger.keys_with_open_entries(tracked)
    return OpenLedgerState(
        await uow.ledger.open_entries_of(keys),
        await uow.reservations.open_of(keys),
        await uow.ledger.bin_contents_of({(_key(d), d.bin_code) for d in drafts if d.bin_code}),
    ), prevent_default


def _post(
    state: OpenLedgerState, prevent_default: bool, item: Item, d: EntryDraft, entry_no: int, posted: Sequence[ItemLedgerEntry],
    entry_nos: Sequence[int],
) -> ItemLedgerEntry:
    """Post one draft to the state: its applications and the entry it becomes."""
    key = _key(d)
    expiration_date = d.expiration_date
    accept: Sequence[Accept | None] = (None,)
    before: dict[int, OpenEntry] = {}
    if d.is_inbound:
        if d.applies_from_draft is not None and d.expiration_date is None:
            # The receiving side of a transfer keeps the date of what left, unless it sets a new one.
            d = replace(d, expiration_date=posted[d.applies_from_draft].expiration_date)
        expiration_date = _check_inbound_tracking(state, item, d)
    else:
        accept = _outbound_passes(state, item, d, key)
        if item.tracking is not None and item.tracking.use_expiration_dates:
            before = dict(state.open_entries.get(key, {}))
    applications = state.post(
        key,
        OpenEntry(entry_no, d.posting_date, d.quantity, d.serial_no, d.lot_no, expiration_date),
        newest_first=item.costing_method is CostingMethod.LIFO,
        prevent_negative=d.never_negative or item.prevents_negative_inventory(prevent_default),
        demand=d.demand,
        bin_code=d.bin_code,
        line_no=d.line_no,
        accept=accept,
    )
    if before and expiration_date is None:
        expiration_date = _outbound_expiration(state, key, entry_no, before, applications)
    return ItemLedgerEntry(
        entry_no=entry_no, item_no=d.item_no, variant_code=d.variant_code, location_code=d.location_code,
        bin_code=d.bin_code, posting_date=d.posting_date, entry_type=d.entry_type, document_no=d.document_no,
        document_line_no=d.line_no, quantity=d.quantity, unit_cost=d.unit_cost, applications=tuple(applications),
        serial_no=d.serial_no, lot_no=d.lot_no, expiration_date=expiration_date,
        applies_from_entry=entry_nos[d.applies_from_draft] if d.applies_from_draft is not None else d.applies_from_entry,
        invoiced_quantity=d.invoiced_quantity, applies_to_entry=d.applies_to_entry,
        unit_of_measure_code=d.unit_of_measure_code or item.base_unit_of_measure,
        qty_per_unit_of_measure=d.qty_per_unit_of_measure, document_type=d.document_type, correction=d.correction,
        order_type=d.order_type, order_no=d.order_no, order_line_no=d.order_line_no,
        consumption_entries=tuple(entry_nos[i] for i in d.consumption_drafts), resources=d.resources,
        output_quantities=d.output_quantities, output_index=d.output_index,
    )


def _outbound_expiration(
    state: OpenLedgerState, key: Key, entry_no: int, before: Mapping[int, OpenEntry], applications: Sequence[Application]
) -> date | None:
    """An outbound entry takes the earliest expiration date of what it applied to (kept if it stays open)."""
    dates = [before[a.inbound_entry_no].expiration_date for a in applications if a.inbound_entry_no in before]
    expiration_date = min((x for x in dates if x is not None), default=None)
    if expiration_date is not None and key in state.open_entries and entry_no in state.open_entries[key]:
        state.open_entries[key][entry_no] = replace(state.open_entries[key][entry_no], expiration_date=expiration_date)
    return expiration_date


def _check_inbound_tracking(state: OpenLedgerState, item: Item, d: EntryDraft) -> date | None:
    """A serial no. must not be in stock already; a lot in stock keeps its expiration date. Returns the date."""
    where = {"item_no": d.item_no, "line_no": d.line_no}
    if d.serial_no:
        found = state.in_stock(d.item_no, serial_no=d.serial_no)
        if found:
            raise SerialNoInStockError(
                f"line {d.line_no}: serial no. {d.serial_no} of item {d.item_no} is in stock already "
                f"(entry {found[0].entry_no}); a serial number is in stock at most once",
                serial_no=d.serial_no, **where,
            )
    rules = item.tracking
    if d.lot_no and rules is not None and rules.use_expiration_dates:
        known = sorted({e.expiration_date for e in state.in_stock(d.item_no, lot_no=d.lot_no) if e.expiration_date})
        if d.expiration_date is None and known:
            return known[0]
        if d.expiration_date is not None and known and d.expiration_date not in known:
            raise ItemTrackingError(
                f"line {d.line_no}: lot no. {d.lot_no} is in stock with expiration date {known[0]}; "
                f"a lot has one expiration date (use a reclassification to change it)",
                lot_no=d.lot_no, expiration_date=known[0].isoformat(), **where,
            )
    return d.expiration_date


def _outbound_passes(state: OpenLedgerState, item: Item, d: EntryDraft, key: Key) -> list[Accept | None]:
    """The inbound entries an outbound draft may take from, pass by pass."""
    rules = item.tracking
    strict = rules is not None and rules.strict_expiration and d.check_expiration

    def fresh(e: OpenEntry) -> bool:
        return not (strict and is_expired(e.expiration_date, d.posting_date))

    if d.applies_to_entries is not None:
        named_entries = d.applies_to_entries
        return [lambda e: e.entry_no in named_entries]
    if not (d.serial_no or d.lot_no):
        return [fresh] if strict else [None]
    here = state.in_stock(d.item_no, serial_no=d.serial_no, lot_no=d.lot_no, key=key)
    specific = d.specific or (rules is not None and (
        (bool(d.serial_no) and rules.serial_specific) or (bool(d.lot_no) and rules.lot_specific)))
    if specific and not here:
        number = f"serial no. {d.serial_no}" if d.serial_no else f"lot no. {d.lot_no}"
        raise TrackingNotInStockError(
            f"line {d.line_no}: {number} of item {d.item_no} is not in stock at "
            f"{d.location_code or 'the blank location'}{' (variant ' + d.variant_code + ')' if d.variant_code else ''}; "
            "specific tracking takes only the numbers it names",
            item_no=d.item_no, line_no=d.line_no, serial_no=d.serial_no, lot_no=d.lot_no, location_code=d.location_code,
        )
    if d.check_expiration and here:
        check_not_expired(rules, [e.expiration_date for e in here], d.posting_date, item_no=d.item_no,
                          line_no=d.line_no, serial_no=d.serial_no, lot_no=d.lot_no)

    def same_number(e: OpenEntry) -> bool:
        return (not d.serial_no or e.serial_no == d.serial_no) and (not d.lot_no or e.lot_no == d.lot_no) and fresh(e)

    # Without specific tracking a number not in stock still posts (the numbers are information), from any stock.
    return [same_number] if specific else [same_number, fresh]


def _key(d: EntryDraft) -> Key:
    return (d.item_no, d.variant_code, d.location_code)
