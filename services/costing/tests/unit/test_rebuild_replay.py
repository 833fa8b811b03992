"""What a rebuild makes of a replayed step: a request costing refuses now, and value entries published only in part."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, cast
from uuid import uuid4

from inventory_contracts import VALUE_ENTRIES_POSTED_V1, Envelope, EventRegistry, examples
from inventory_contracts.costing import ValueEntry as PublishedEntry

from costing.adapters.memory_unit_of_work import InMemoryCostingUnitOfWork
from costing.rebuild import Rebuilt, Step, StepKind, _apply, _paired, _renumbered, _signature
from costing.service_layer.unit_of_work import CostingUnitOfWork

SCRATCH = 9_000_000_000_000_000
TEMPLATE: PublishedEntry = EventRegistry([VALUE_ENTRIES_POSTED_V1]).parse(examples(VALUE_ENTRIES_POSTED_V1)).payload.value_entries[0]


class ReplayUnitOfWork(InMemoryCostingUnitOfWork):
    """The in-memory unit of work with the savepoint the rebuild enters, as PostgreSQL's is entered."""

    @asynccontextmanager
    async def savepoint(self) -> AsyncIterator[None]:  # type: ignore[override]
        with super().savepoint():
            yield


def entry(no: int, **values: Any) -> PublishedEntry:
    return TEMPLATE.model_copy(update={"entry_no": no, **values})


async def test_a_request_costing_refuses_when_replayed_is_a_difference_and_the_rebuild_goes_on() -> None:
    """An item charge on a receipt and a revaluation of an item costing does not know (their postings were refused)."""
    uow = ReplayUnitOfWork()
    charge = Step(datetime.now(UTC), StepKind.CHARGE, [("1000", entry(5, item_charge_no="FREIGHT", entry_type="Direct Cost",
                                                                       item_ledger_entry_no=77, cost_amount_actual=Decimal("3.00")))],
                  correlation_id=uuid4())
    revaluation = Step(datetime.now(UTC), StepKind.REVALUATION, [("1000", entry(6, entry_type="Revaluation",
                                                                              cost_amount_actual=Decimal("-8.00")))],
                       correlation_id=uuid4())
    done = Rebuilt()

    for step in (charge, revaluation):
        assert await _apply(cast(CostingUnitOfWork, uow), cast(Any, None), step, done) is False

    assert done.requests == 2 and len(done.differences) == 2
    assert done.differences[0].startswith(f"the item charge of correlation id {charge.correlation_id} (value entries 5) "
                                          "was refused when replayed: ")
    assert done.differences[1].startswith(f"the revaluation of correlation id {revaluation.correlation_id} (value entries 6) "
                                          "was refused when replayed: ")
    assert uow.cost_graph.value_entries == [] and uow.published == []


def test_rebuilt_value_entries_take_the_numbers_of_the_published_ones_of_their_item_that_say_the_same() -> None:
    """An event wrote A1 = 10, B1 = 11 and A2 = 12; only item A's message reached the log."""
    a1, b1, a2 = entry(SCRATCH, cost_amount_actual=Decimal("5.00")), entry(SCRATCH + 1), entry(SCRATCH + 2, adjustment=True)
    written = [(ve.entry_no, item_no, _signature(ve, numbered=False)) for item_no, ve in (("A", a1), ("B", b1), ("A", a2))]
    published = [("A", a1.model_copy(update={"entry_no": 10})), ("A", a2.model_copy(update={"entry_no": 12}))]

    assert _paired(written, published) == {SCRATCH: 10, SCRATCH + 2: 12}  # B1 is given a new number and published
    # Written in another order than published, each still finds its own.
    assert _paired(written[::-1], published) == {SCRATCH: 10, SCRATCH + 2: 12}


def test_a_rebuilt_value_entry_that_says_otherwise_takes_the_number_of_one_of_its_item_left_unpaired() -> None:
    written = [(SCRATCH, "A", _signature(entry(SCRATCH, cost_amount_actual=Decimal("9.99")), numbered=False)),
               (SCRATCH + 1, "A", _signature(entry(SCRATCH + 1, adjustment=True), numbered=False)),
               (SCRATCH + 2, "A", _signature(entry(SCRATCH + 2, cost_amount_actual=Decimal("1.00")), numbered=False))]
    published = [("A", entry(10, cost_amount_actual=Decimal("5.00"))), ("A", entry(12, adjustment=True)), ("B", entry(11))]

    assert _paired(written, published) == {SCRATCH + 1: 12, SCRATCH: 10}  # compared with 10: a difference


def test_a_message_published_now_carries_its_entries_new_numbers() -> None:
    message: Envelope[Any] = EventRegistry([VALUE_ENTRIES_POSTED_V1]).parse(examples(VALUE_ENTRIES_POSTED_V1))
    message = message.model_copy(update={"payload": message.payload.model_copy(update={"value_entries": [
        entry(SCRATCH + 1), entry(SCRATCH + 3, applies_to_entry=SCRATCH + 1), entry(SCRATCH + 4, applies_to_entry=7)]})})

    renumbered = _renumbered(message, {SCRATCH: 10, SCRATCH + 1: 13, SCRATCH + 3: 14, SCRATCH + 4: 15})

    assert [(ve.entry_no, ve.applies_to_entry) for ve in renumbered.payload.value_entries] == [(13, None), (14, 13), (15, 7)]
    assert renumbered.event_id == message.event_id
