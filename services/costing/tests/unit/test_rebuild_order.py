"""The order a rebuild replays the log in: what wrote value entries by their numbers, the rest by time among them."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, cast
from uuid import UUID, uuid4

from inventory_contracts import (
    INVENTORY_SETUP_CHANGED_V1,
    ITEM_ENTRY_POSTED_V1,
    ITEM_UPSERTED_V1,
    STANDARD_COST_IMPLEMENTED_V1,
    VALUE_ENTRIES_POSTED_V1,
    Envelope,
    EventRegistry,
    EventSpec,
    examples,
)

from costing.domain.charges import ChargeSplit, bases_for, split_charge
from costing.rebuild import Step, StepKind, _charge, _ordered

T0 = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


def example(spec: EventSpec, at: int, item_no: str | None = None, revision: int | None = None,
            **envelope: Any) -> Envelope[Any]:
    event = EventRegistry([spec]).parse(examples(spec))
    payload = {"item_no": item_no} if item_no is not None else {}
    if revision is not None:
        payload["revision"] = revision
    if payload:
        envelope["payload"] = event.payload.model_copy(update=payload)
    return event.model_copy(update={"event_id": uuid4(), "occurred_at": T0 + timedelta(seconds=at), **envelope})


def value_entries(at: int, numbers: list[int], causation_id: UUID | None = None, correlation_id: UUID | None = None,
                  item_no: str | None = None, **entry: Any) -> Envelope[Any]:
    message = example(VALUE_ENTRIES_POSTED_V1, at, item_no, causation_id=causation_id, correlation_id=correlation_id)
    template = message.payload.value_entries[0]
    entries = [template.model_copy(update={"entry_no": no, **entry}) for no in numbers]
    return message.model_copy(update={"payload": message.payload.model_copy(update={"value_entries": entries})})


def test_steps_follow_the_numbers_of_what_they_wrote_and_the_rest_come_by_time_among_them() -> None:
    card = example(ITEM_UPSERTED_V1, 0)
    receipt, sale, late = (example(ITEM_ENTRY_POSTED_V1, at) for at in (1, 2, 50))
    request = uuid4()
    published = [
        # The sale's valuation took its numbers after a request's, though it was posted before it was valued.
        value_entries(10, [7, 9], causation_id=sale.event_id),
        value_entries(5, [3], causation_id=receipt.event_id),
        value_entries(8, [5, 6], correlation_id=request, item_charge_no="FREIGHT", adjustment=False),
        value_entries(8, [8], correlation_id=request, adjustment=True),
        value_entries(11, [7, 9], causation_id=sale.event_id),  # published again by a relay that crashed
    ]
    differences: list[str] = []
    steps = _ordered([(None, late), (None, sale), (None, receipt), (None, card), (None, receipt)], published, [], differences)

    assert [(step.kind, step.event.event_id if step.event else None, [ve.entry_no for _, ve in step.published])
            for step in steps] == [
        ("event", card.event_id, []),
        ("event", receipt.event_id, [3]),
        ("item charge", None, [5, 6, 8]),
        ("event", sale.event_id, [7, 9]),
        ("event", late.event_id, []),
    ]
    assert differences == []


def test_a_number_published_twice_with_different_values_is_a_difference() -> None:
    cause = example(ITEM_ENTRY_POSTED_V1, 1)
    published = [value_entries(2, [4], causation_id=cause.event_id, cost_amount_actual=Decimal("10.00")),
                 value_entries(3, [4], causation_id=cause.event_id, cost_amount_actual=Decimal("12.00"))]
    differences: list[str] = []

    (step,) = _ordered([(None, cause)], published, [], differences)

    assert [ve.cost_amount_actual for _, ve in step.published] == [Decimal("10.00")]
    assert len(differences) == 1 and differences[0].startswith("value entry 4 is on the log twice, saying different things")


def test_a_request_that_implemented_standard_costs_is_known_by_its_correlation_id_even_with_nothing_revalued() -> None:
    revalued, empty = uuid4(), uuid4()
    implemented = [example(STANDARD_COST_IMPLEMENTED_V1, 3, correlation_id=revalued),
                   example(STANDARD_COST_IMPLEMENTED_V1, 20, correlation_id=empty)]
    published = [value_entries(3, [1, 2], correlation_id=revalued, entry_type="Revaluation", adjustment=False),
                 value_entries(9, [3], correlation_id=uuid4(), entry_type="Revaluation", adjustment=False)]

    steps = _ordered([], published, implemented, [])

    assert [(step.kind, step.correlation_id, len(step.implementations)) for step in steps] == [
        ("standard cost implementation", revalued, 1), ("revaluation", steps[1].correlation_id, 0), ("standard cost implementation", empty, 1)]


def test_a_charge_is_found_again_from_its_shares_and_splits_into_exactly_them() -> None:
    shares = [value_entries(1, [no], item_charge_no="FREIGHT", adjustment=False, entry_type="Direct Cost",
                            cost_amount_actual=Decimal(amount), cost_amount_expected=Decimal(0), item_ledger_entry_no=100 + no)
              for no, amount in ((4, "1.23"), (6, "0.89"), (5, "0.88"))]
    variance = value_entries(1, [7], item_charge_no="FREIGHT", adjustment=False, entry_type="Variance",
                             cost_amount_actual=Decimal("-1.23"))
    step = Step(T0, StepKind.CHARGE, sorted(((m.payload.item_no, m.payload.value_entries[0]) for m in [*shares, variance]),
                                            key=lambda found: found[1].entry_no))

    command = _charge(step)

    assert (command.item_charge_no, command.amount, command.split) == ("FREIGHT", Decimal("3.00"), ChargeSplit.BY_WEIGHT)
    assert [line.item_ledger_entry_no for line in command.lines] == [104, 105, 106]  # in the order they were written
    bases = bases_for(command.split, [Decimal(0)] * 3, [line.weight for line in command.lines], [None] * 3)
    assert split_charge(command.amount, bases) == [Decimal("1.23"), Decimal("0.88"), Decimal("0.89")]


def test_the_oldest_card_left_on_a_compacted_topic_comes_before_every_step_of_its_item_and_the_setup_before_all() -> None:
    """Compaction removed the first revisions: what is left of the card and the setup was published after the
    postings."""
    receipt, sale, other_sale = (example(ITEM_ENTRY_POSTED_V1, at, item_no) for at, item_no in ((1, "A"), (2, "A"), (3, "B")))
    card, card_changed = example(ITEM_UPSERTED_V1, 100, "A", revision=3), example(ITEM_UPSERTED_V1, 102, "A", revision=4)
    unused_card, setup = example(ITEM_UPSERTED_V1, 101, "C", revision=2), example(INVENTORY_SETUP_CHANGED_V1, 103, revision=5)
    published = [value_entries(5, [1], receipt.event_id, item_no="A"), value_entries(6, [2], sale.event_id, item_no="A"),
                 value_entries(7, [3], other_sale.event_id, item_no="B")]

    steps = _ordered([(None, event) for event in (receipt, sale, other_sale, card, unused_card, card_changed, setup)],
                     published, [], [])

    assert [cast(Envelope[Any], step.event).event_id for step in steps] == [
        setup.event_id, card.event_id, receipt.event_id, sale.event_id, other_sale.event_id,
        unused_card.event_id, card_changed.event_id]


def test_a_card_published_before_its_items_steps_keeps_its_place() -> None:
    receipt, card, sale = example(ITEM_ENTRY_POSTED_V1, 1, "B"), example(ITEM_UPSERTED_V1, 2, "A"), example(ITEM_ENTRY_POSTED_V1, 3, "A")
    published = [value_entries(1, [1], receipt.event_id, item_no="B"), value_entries(3, [2], sale.event_id, item_no="A")]

    steps = _ordered([(None, receipt), (None, card), (None, sale)], published, [], [])

    assert [cast(Envelope[Any], step.event).event_id for step in steps] == [receipt.event_id, card.event_id, sale.event_id]


def test_a_first_revision_published_after_postings_keeps_its_place() -> None:
    """Nothing was compacted before a card's or the setup's first revision: costing valued what came before it
    without it, and so does the replay."""
    receipt, sale = example(ITEM_ENTRY_POSTED_V1, 1, "A"), example(ITEM_ENTRY_POSTED_V1, 3, "A")
    card, setup = example(ITEM_UPSERTED_V1, 2, "A", revision=1), example(INVENTORY_SETUP_CHANGED_V1, 2, revision=1)
    published = [value_entries(1, [1], receipt.event_id, item_no="A"), value_entries(3, [2], sale.event_id, item_no="A")]

    steps = _ordered([(None, receipt), (None, card), (None, setup), (None, sale)], published, [], [])

    assert [cast(Envelope[Any], step.event).event_id for step in steps] == [
        receipt.event_id, card.event_id, setup.event_id, sale.event_id]
