"""Posting of value entries to the G/L: per item, in entry order, waiting while the posting setup is missing.

A batch of items is read, planned and written together, in a number of statements that does not grow with its items."""

from collections.abc import Mapping, Sequence
from dataclasses import astuple, dataclass
from datetime import date, timedelta
from itertools import groupby

from inventory_contracts import GL_ENTRIES_POSTED_V1

from ledger.adapters.events import gl_entries_posted
from ledger.domain.model import GLEntry, ReceivedValueEntry, gl_lines, plan_item_posting
from ledger.domain.posting import GLLine
from ledger.service_layer.unit_of_work import LedgerUnitOfWork


@dataclass(frozen=True)
class PostingSummary:
    posted: list[int]
    """Value entry nos. posted now, including those whose amounts were zero."""
    waiting: list[int]
    """Value entry nos. of the items looked at that still wait."""
    pending_total: int | None
    """Value entries waiting in all, when this posting may have changed it."""


async def post_received_value_entries(
    uow: LedgerUnitOfWork, received_per_item: Sequence[tuple[str, Sequence[ReceivedValueEntry]]]
) -> PostingSummary:
    """Post the value entries of several events at once: per item, in the order received."""
    by_item: dict[str, list[ReceivedValueEntry]] = {}
    for item_no, received in received_per_item:
        by_item.setdefault(item_no, []).extend(received)
    first_open_date = _day_after(await uow.posting_setups.lock_shared_and_read_closed_through())
    posted, waiting = await _post_items(uow, by_item, first_open_date)
    received_nos = {r.entry_no for received in by_item.values() for r in received}
    # Counting pending entries costs a round trip; only a change of the waiting set needs it.
    changed = waiting or set(posted) - received_nos
    return PostingSummary(posted, waiting, await uow.value_entries.count_pending() if changed else None)


async def post_pending_value_entries(uow: LedgerUnitOfWork) -> PostingSummary:
    """Post every waiting value entry whose setup now exists. The caller holds the setup lock exclusively."""
    first_open_date = _day_after(await uow.general_ledger.closed_through())
    items = await uow.value_entries.items_with_pending()
    posted, waiting = await _post_items(uow, {item_no: [] for item_no in items}, first_open_date)
    return PostingSummary(posted, waiting, await uow.value_entries.count_pending())


async def _post_items(
    uow: LedgerUnitOfWork,
    received_by_item: Mapping[str, Sequence[ReceivedValueEntry]],
    first_open_date: date | None,
) -> tuple[list[int], list[int]]:
    """Post the items' waiting and newly received value entries, item after item in the order given.

    Each item is planned as if alone, but everything the items need is read, and everything they
    write is written, in one round trip per kind: a batch spanning hundreds of items costs the
    same dozen statements as one of a single item.
    """
    if not received_by_item:
        return [], []
    await uow.value_entries.lock_items(received_by_item)
    pending = await uow.value_entries.pending_of(received_by_item)
    # A value entry delivered again, in this or another event, is posted once.
    known = await uow.value_entries.already_received([r.entry_no for received in received_by_item.values() for r in received])
    queues = _queues(received_by_item, pending, known)
    if not queues:
        return [], []
    values = [r.value_entry for queue in queues.values() for r in queue]
    inventory = await uow.posting_setups.inventory_setups((v.location_code, v.inventory_posting_group) for v in values)
    general = await uow.posting_setups.general_setups((v.gen_bus_posting_group, v.gen_prod_posting_group) for v in values)
    named = [*(astuple(s) for s in inventory.values()), *(astuple(s) for s in general.values())]
    accounts = await uow.accounts.by_number(account_no for setup in named for account_no in setup if account_no)
    plans = {
        item_no: plan_item_posting(
            queue,
            lambda v: gl_lines(
                v,
                inventory.get((v.location_code, v.inventory_posting_group)),
                general.get((v.gen_bus_posting_group, v.gen_prod_posting_group)),
                accounts,
            ),
        )
        for item_no, queue in queues.items()
    }
    # A register per item and source event, so each published register names the event that caused it.
    registers = [
        (item_no, list(register))
        for item_no, plan in plans.items()
        for _, register in groupby(plan.posted, key=lambda posted: posted[0].event_id)
    ]
    await _write_registers(uow, registers, first_open_date)
    pending_nos = {r.entry_no for item_pending in pending.values() for r in item_pending}
    await uow.value_entries.remove_pending(
        [r.entry_no for plan in plans.values() for r, _ in plan.posted if r.entry_no in pending_nos]
    )
    await uow.value_entries.keep_pending([waiting for plan in plans.values() for waiting in plan.waiting])
    return (
        [r.entry_no for plan in plans.values() for r, _ in plan.posted],
        [r.entry_no for plan in plans.values() for r, _ in plan.waiting],
    )


def _queues(
    received_by_item: Mapping[str, Sequence[ReceivedValueEntry]],
    pending: Mapping[str, Sequence[ReceivedValueEntry]],
    known: set[int],
) -> dict[str, list[ReceivedValueEntry]]:
    """Per item, its waiting entries, then those received that were not posted or queued before, once each."""
    queues: dict[str, list[ReceivedValueEntry]] = {}
    for item_no, received in received_by_item.items():
        fresh = [r for r in received if r.entry_no not in known]
        queue = list({r.entry_no: r for r in [*pending.get(item_no, []), *fresh]}.values())
        # An entry no. under an earlier item of the batch is known by now, as if that item had written it already.
        known.update(r.entry_no for r in queue)
        if queue:
            queues[item_no] = queue
    return queues


async def _write_registers(
    uow: LedgerUnitOfWork,
    registers: Sequence[tuple[str, Sequence[tuple[ReceivedValueEntry, list[GLLine]]]]],
    first_open_date: date | None,
) -> None:
    """Write the (item no., register) pairs, their G/L entries and their events in a fixed number of round trips.

    Registers and entries are numbered in the order given, so the numbers follow the items' order in the batch.
    """
    with_lines = [(item_no, posted) for item_no, posted in registers if any(lines for _, lines in posted)]
    register_of: dict[int, int | None] = {}
    if with_lines:
        line_count = sum(len(lines) for _, posted in with_lines for _, lines in posted)
        register_nos, numbers = await uow.general_ledger.next_register_and_entry_nos(len(with_lines), line_count)
        entry_nos = iter(numbers)
        written = []
        for register_no, (item_no, posted) in zip(register_nos, with_lines, strict=True):
            entries = [
                GLEntry(
                    entry_no=next(entry_nos),
                    account_no=line.account_no,
                    posting_date=posting_date_in_open_period(r.value_entry.posting_date, first_open_date),
                    document_no=r.value_entry.document_no,
                    description=r.value_entry.description,
                    amount=line.amount,
                    value_entry_no=r.entry_no,
                    item_no=item_no,
                )
                for r, lines in posted
                for line in lines
            ]
            written.append((register_no, item_no, posted[0][0].event_id, entries, posted[0][0]))
            register_of.update({r.entry_no: register_no for r, _ in posted})
        await uow.general_ledger.add_registers([(no, item, event_id, entries) for no, item, event_id, entries, _ in written])
        await uow.publish_all(
            [
                (GL_ENTRIES_POSTED_V1.topic, gl_entries_posted(no, item, entries, cause))
                for no, item, _, entries, cause in written
                if len(entries) >= 2
            ],
        )
    await uow.value_entries.mark_posted([(r.entry_no, register_of.get(r.entry_no)) for _, posted in registers for r, _ in posted])


def posting_date_in_open_period(posting_date: date, first_open_date: date | None) -> date:
    """Nothing posts on or before a closed date: such a posting takes the first open date."""
    return posting_date if first_open_date is None or posting_date >= first_open_date else first_open_date


def _day_after(closed_through: date | None) -> date | None:
    return closed_through + timedelta(days=1) if closed_through is not None else None
