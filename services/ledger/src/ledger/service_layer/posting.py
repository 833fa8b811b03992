"""Posting of value entries to the G/L: per item, in entry order, waiting while the posting setup is missing."""

from collections.abc import Sequence
from dataclasses import astuple, dataclass
from itertools import groupby

import asyncpg

from inventory_contracts import GL_ENTRIES_POSTED_V1
from servicekit.outbox import add_event

from ledger.adapters.events import gl_entries_posted
from ledger.adapters.repository import LedgerRepository
from ledger.domain.model import GLEntry, ReceivedValueEntry, gl_lines, plan_item_posting
from ledger.domain.posting import GLLine


@dataclass(frozen=True)
class PostingSummary:
    posted: list[int]
    """Value entry nos. posted now, including those whose amounts were zero."""
    waiting: list[int]
    """Value entry nos. of the items looked at that still wait."""
    pending_total: int | None
    """Value entries waiting in all, when this posting may have changed it."""


async def post_value_entries(
    conn: asyncpg.Connection, item_no: str, received: Sequence[ReceivedValueEntry]
) -> PostingSummary:
    """Post one event's value entries of `item_no`, behind any of the item's entries still waiting."""
    repository = LedgerRepository(conn)
    posted, waiting = await _post_item(conn, repository, item_no, received, lock_setup_shared=True)
    # Counting pending entries costs a round trip per event; only a change of the waiting set needs it.
    return PostingSummary(posted, waiting, await repository.count_pending() if waiting or _released(posted, received) else None)


def _released(posted: Sequence[int], received: Sequence[ReceivedValueEntry]) -> bool:
    return bool(set(posted) - {r.entry_no for r in received})


async def post_pending_value_entries(conn: asyncpg.Connection) -> PostingSummary:
    """Post every waiting value entry whose setup now exists. The caller holds the setup lock exclusively."""
    repository = LedgerRepository(conn)
    posted: list[int] = []
    waiting: list[int] = []
    for item_no in await repository.items_with_pending_value_entries():
        item_posted, item_waiting = await _post_item(conn, repository, item_no, ())
        posted += item_posted
        waiting += item_waiting
    return PostingSummary(posted, waiting, await repository.count_pending())


async def _post_item(
    conn: asyncpg.Connection,
    repository: LedgerRepository,
    item_no: str,
    received: Sequence[ReceivedValueEntry],
    *,
    lock_setup_shared: bool = False,
) -> tuple[list[int], list[int]]:
    await repository.lock_item(item_no, with_setup_shared=lock_setup_shared)
    pending = await repository.pending_value_entries_of(item_no)
    # A value entry delivered again, in this or another event, is posted once.
    known = await repository.already_received([r.entry_no for r in received])
    queue = list({r.entry_no: r for r in [*pending, *(r for r in received if r.entry_no not in known)]}.values())
    if not queue:
        return [], []
    values = [r.value_entry for r in queue]
    inventory = await repository.inventory_posting_setups((v.location_code, v.inventory_posting_group) for v in values)
    general = await repository.general_posting_setups((v.gen_bus_posting_group, v.gen_prod_posting_group) for v in values)
    named = [*(astuple(s) for s in inventory.values()), *(astuple(s) for s in general.values())]
    accounts = await repository.accounts(account_no for setup in named for account_no in setup if account_no)
    plan = plan_item_posting(
        queue,
        lambda v: gl_lines(
            v,
            inventory.get((v.location_code, v.inventory_posting_group)),
            general.get((v.gen_bus_posting_group, v.gen_prod_posting_group)),
            accounts,
        ),
    )
    # A register per source event, so each published register names the event that caused it.
    for _, register in groupby(plan.posted, key=lambda posted: posted[0].event_id):
        await _write_register(conn, repository, item_no, list(register))
    pending_nos = {r.entry_no for r in pending}
    await repository.remove_pending([r.entry_no for r, _ in plan.posted if r.entry_no in pending_nos])
    await repository.keep_pending(plan.waiting)
    return [r.entry_no for r, _ in plan.posted], [r.entry_no for r, _ in plan.waiting]


async def _write_register(
    conn: asyncpg.Connection,
    repository: LedgerRepository,
    item_no: str,
    posted: Sequence[tuple[ReceivedValueEntry, list[GLLine]]],
) -> None:
    line_count = sum(len(lines) for _, lines in posted)
    register_no = None
    if line_count:
        register_no, numbers = await repository.next_register_and_entry_nos(line_count)
        entry_nos = iter(numbers)
        entries = [
            GLEntry(
                entry_no=next(entry_nos),
                account_no=line.account_no,
                posting_date=r.value_entry.posting_date,
                document_no=r.value_entry.document_no,
                description=r.value_entry.description,
                amount=line.amount,
                value_entry_no=r.entry_no,
                item_no=item_no,
            )
            for r, lines in posted
            for line in lines
        ]
        cause = posted[0][0]
        await repository.add_register(register_no, item_no, cause.event_id, entries)
        if len(entries) >= 2:
            await add_event(conn, GL_ENTRIES_POSTED_V1.topic, gl_entries_posted(register_no, item_no, entries, cause))
    await repository.mark_posted([r.entry_no for r, _ in posted], register_no)
