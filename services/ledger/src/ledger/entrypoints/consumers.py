"""Subscriptions of the ledger."""

from collections.abc import Sequence
from uuid import UUID

from inventory_contracts import VALUE_ENTRIES_POSTED_V1, Envelope
from inventory_contracts.costing import ValueEntriesPosted
from inventory_contracts.topics import COSTING_VALUE_ENTRIES
from servicekit.inbox import PermanentError, Subscription

from ledger.adapters.events import value_entries_from_event
from ledger.domain.errors import PostingRuleError
from ledger.metrics import PENDING_VALUE_ENTRIES
from ledger.service_layer.posting import post_received_value_entries
from ledger.service_layer.unit_of_work import LedgerUnitOfWork

# An event with one of these can never post: it goes to the dead-letter topic. A missing posting
# setup is not among them: such value entries wait in pending_value_entries instead.
PERMANENT_ERRORS: tuple[type[Exception], ...] = (PostingRuleError,)


async def on_value_entries_posted(uow: LedgerUnitOfWork, event: Envelope[ValueEntriesPosted]) -> None:
    await on_value_entries_batch(uow, [event])


async def on_value_entries_batch(uow: LedgerUnitOfWork, events: Sequence[Envelope[ValueEntriesPosted]]) -> None:
    """Post the value entries of `events` at once. Each G/L event names the value entry event that caused it
    (its causation id) and carries that event's correlation id: a batch mixes the events of several requests."""
    try:
        summary = await post_received_value_entries(
            uow, [(event.payload.item_no, value_entries_from_event(event)) for event in events]
        )
    except PERMANENT_ERRORS as exc:
        raise PermanentError(str(exc)) from exc
    if summary.pending_total is not None:
        PENDING_VALUE_ENTRIES.set(summary.pending_total)


async def repeated_value_entries(uow: LedgerUnitOfWork, events: Sequence[Envelope[ValueEntriesPosted]]) -> set[UUID]:
    """Events every value entry of which was received before (posted or waiting), or earlier in `events`.

    The value entry no. is costing's business key: the same entries published again under a new event id
    are skipped and counted as duplicates (the posting itself never posts a value entry twice either).
    """
    numbers = {event.event_id: [entry.entry_no for entry in event.payload.value_entries] for event in events}
    seen = await uow.value_entries.already_received([no for nos in numbers.values() for no in nos])
    repeated: set[UUID] = set()
    for event in events:
        if numbers[event.event_id] and all(no in seen for no in numbers[event.event_id]):
            repeated.add(event.event_id)
        seen.update(numbers[event.event_id])
    return repeated


SUBSCRIPTIONS = [
    Subscription(
        COSTING_VALUE_ENTRIES,
        [VALUE_ENTRIES_POSTED_V1],
        on_value_entries_posted,
        "Posts value entries to the G/L accounts of the posting setup.",
        handle_batch=on_value_entries_batch,
        duplicates=repeated_value_entries,
    ),
]
