"""Posting value entries to the G/L, through the consumer and the use case, against the in-memory unit of work."""

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest

from inventory_contracts import GL_ENTRIES_POSTED_V1, Envelope
from inventory_contracts.costing import ValueEntriesPosted
from servicekit.inbox import PermanentError

from ledger.adapters.events import value_entries_from_event
from ledger.adapters.memory import InMemoryLedgerUnitOfWork
from ledger.entrypoints.consumers import on_value_entries_batch, on_value_entries_posted, repeated_value_entries
from ledger.service_layer.posting import PostingSummary, post_pending_value_entries, post_received_value_entries

EventFactory = Callable[..., Envelope[ValueEntriesPosted]]
D = Decimal


def lines(uow: InMemoryLedgerUnitOfWork) -> list[tuple[int, str, Decimal, int | None]]:
    return [(e.register_no, e.account_no, e.amount, e.value_entry_no) for e in uow.state.gl_entries]


async def post_batch(
    uow: InMemoryLedgerUnitOfWork, events: list[Envelope[ValueEntriesPosted]]
) -> PostingSummary:
    """The events posted as the consumer posts a batch, with the summary it gets."""
    return await post_received_value_entries(
        uow, [(event.payload.item_no, value_entries_from_event(event)) for event in events]
    )


async def test_a_sale_posts_to_inventory_and_cogs_and_announces_the_register(
    uow: InMemoryLedgerUnitOfWork, value_entries_posted: EventFactory
) -> None:
    event = value_entries_posted((3, {}))

    summary = await post_received_value_entries(uow, [("1000", value_entries_from_event(event))])

    assert (summary.posted, summary.waiting, summary.pending_total) == ([3], [], None)
    assert lines(uow) == [(1, "2130", D("-80.00"), 3), (1, "7290", D("80.00"), 3)]
    assert uow.state.posted == {3: 1}
    [(topic, published)] = uow.published
    assert topic == GL_ENTRIES_POSTED_V1.topic
    assert (published.payload.register_no, published.payload.item_no, published.key) == (1, "1000", "1000")
    assert [(e.entry_no, e.account_no, e.amount) for e in published.payload.gl_entries] == [
        (1, "2130", D("-80.00")), (2, "7290", D("80.00"))
    ]
    assert (published.correlation_id, published.causation_id) == (event.correlation_id, event.event_id)


async def test_each_event_of_a_batch_gets_its_own_register_and_correlation(
    uow: InMemoryLedgerUnitOfWork, value_entries_posted: EventFactory
) -> None:
    first, second = value_entries_posted((3, {})), value_entries_posted((4, {"cost_amount_actual": "-20.00"}))

    await on_value_entries_batch(uow, [first, second])

    assert lines(uow) == [(1, "2130", D("-80.00"), 3), (1, "7290", D("80.00"), 3), (2, "2130", D("-20.00"), 4), (2, "7290", D("20.00"), 4)]
    assert [(e.correlation_id, e.causation_id) for _, e in uow.published] == [
        (first.correlation_id, first.event_id), (second.correlation_id, second.event_id)
    ]


async def test_an_entry_without_setup_waits_and_later_entries_of_the_item_wait_behind_it(
    uow: InMemoryLedgerUnitOfWork, value_entries_posted: EventFactory
) -> None:
    event = value_entries_posted((3, {"location_code": "EAST"}), (4, {}))

    await on_value_entries_posted(uow, event)

    assert uow.state.gl_entries == [] and uow.published == []
    waiting = await uow.value_entries.list_pending(None, 10)
    assert [(p.value_entry_no, p.item_no) for p in waiting] == [(3, "1000"), (4, "1000")]
    assert waiting[0].reason == "no inventory posting setup for location 'EAST' and inventory posting group 'RESALE'"
    assert waiting[1].reason == "waits behind value entry 3 of item 1000"
    assert waiting[0].payload["location_code"] == "EAST"


async def test_a_value_entry_delivered_twice_posts_once(uow: InMemoryLedgerUnitOfWork, value_entries_posted: EventFactory) -> None:
    await on_value_entries_batch(uow, [value_entries_posted((3, {}))])
    again = value_entries_posted((3, {}))

    assert await repeated_value_entries(uow, [again]) == {again.event_id}
    summary = await post_received_value_entries(uow, [("1000", value_entries_from_event(again))])

    assert (summary.posted, summary.waiting) == ([], [])
    assert len(uow.state.gl_entries) == 2 and len(uow.published) == 1


async def test_a_batch_over_several_items_numbers_them_in_the_order_each_item_was_first_received(
    uow: InMemoryLedgerUnitOfWork, value_entries_posted: EventFactory
) -> None:
    first, other, second = (value_entries_posted((5, {}), item_no="2000"), value_entries_posted((3, {}), item_no="1000"),
                            value_entries_posted((6, {"cost_amount_actual": "-20.00"}), item_no="2000"))

    summary = await post_batch(uow, [first, other, second])

    assert summary.posted == [5, 6, 3]
    assert [(e.entry_no, e.register_no, e.item_no, e.value_entry_no) for e in uow.state.gl_entries] == [
        (1, 1, "2000", 5), (2, 1, "2000", 5), (3, 2, "2000", 6), (4, 2, "2000", 6), (5, 3, "1000", 3), (6, 3, "1000", 3)
    ]
    assert [(e.payload.register_no, e.causation_id) for _, e in uow.published] == [
        (1, first.event_id), (2, second.event_id), (3, other.event_id)
    ]
    assert uow.state.posted == {5: 1, 6: 2, 3: 3}


async def test_a_value_entry_repeated_under_another_item_of_the_batch_posts_once(
    uow: InMemoryLedgerUnitOfWork, value_entries_posted: EventFactory
) -> None:
    summary = await post_batch(
        uow, [value_entries_posted((3, {}), item_no="1000"), value_entries_posted((3, {}), (4, {}), item_no="2000")]
    )

    assert (summary.posted, summary.waiting) == ([3, 4], [])
    assert [(e.item_no, e.value_entry_no) for e in uow.state.gl_entries] == [("1000", 3), ("1000", 3), ("2000", 4), ("2000", 4)]


async def test_a_batch_mixing_waiting_and_posting_items_keeps_each_item_apart(
    uow: InMemoryLedgerUnitOfWork, value_entries_posted: EventFactory
) -> None:
    await on_value_entries_batch(uow, [value_entries_posted((3, {"location_code": "EAST"}), item_no="1000")])

    summary = await post_batch(
        uow, [value_entries_posted((4, {}), item_no="1000"), value_entries_posted((5, {}), item_no="2000")]
    )

    assert (summary.posted, summary.waiting, summary.pending_total) == ([5], [3, 4], 2)
    assert uow.state.pending[4].reason == "waits behind value entry 3 of item 1000"
    assert [e.value_entry_no for e in uow.state.gl_entries] == [5, 5]


async def test_repeated_value_entries_counts_repeats_within_one_batch(
    uow: InMemoryLedgerUnitOfWork, value_entries_posted: EventFactory
) -> None:
    first, repeat, new = value_entries_posted((3, {})), value_entries_posted((3, {})), value_entries_posted((3, {}), (4, {}))
    assert await repeated_value_entries(uow, [first, repeat, new]) == {repeat.event_id}


async def test_zero_amounts_post_nothing_but_count_as_posted(
    uow: InMemoryLedgerUnitOfWork, value_entries_posted: EventFactory
) -> None:
    await on_value_entries_batch(uow, [value_entries_posted((3, {"cost_amount_actual": "0", "location_code": "EAST"}))])

    assert uow.state.posted == {3: None}
    assert uow.state.gl_entries == [] and uow.published == [] and uow.state.pending == {}


async def test_a_posting_in_a_closed_period_takes_the_first_open_date(
    uow: InMemoryLedgerUnitOfWork, value_entries_posted: EventFactory
) -> None:
    uow.state.closed_through = date(2026, 1, 31)

    await on_value_entries_batch(uow, [value_entries_posted((3, {}))])

    assert {e.posting_date for e in uow.state.gl_entries} == {date(2026, 2, 1)}


async def test_an_entry_no_rule_fits_is_dead_lettered(uow: InMemoryLedgerUnitOfWork, value_entries_posted: EventFactory) -> None:
    with pytest.raises(PermanentError, match="no posting rule"):
        await on_value_entries_batch(uow, [value_entries_posted((3, {"entry_type": "Indirect Cost"}))])


async def test_post_pending_posts_every_item_whose_setup_now_exists(
    uow: InMemoryLedgerUnitOfWork, value_entries_posted: EventFactory
) -> None:
    await on_value_entries_batch(uow, [
        value_entries_posted((3, {"location_code": "EAST"}), item_no="1000"),
        value_entries_posted((5, {"location_code": "WEST"}), item_no="2000"),
    ])
    uow.state.inventory_setups[("EAST", "RESALE")] = uow.state.inventory_setups[("MAIN", "RESALE")]

    summary = await post_pending_value_entries(uow)

    assert (summary.posted, summary.waiting, summary.pending_total) == ([3], [5], 1)
    assert [p.value_entry_no for p in await uow.value_entries.list_pending(None, 10)] == [5]
    assert [e.value_entry_no for e in uow.state.gl_entries] == [3, 3]
    [(_, published)] = uow.published
    assert published.payload.item_no == "1000"
