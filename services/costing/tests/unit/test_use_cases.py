"""Every use case of costing's service layer against the in-memory unit of work: no database, no broker."""

import asyncio
from collections.abc import Awaitable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, TypeVar
from uuid import uuid4

import pytest

from inventory_contracts import (
    ITEM_ENTRY_INVOICED_V1,
    ITEM_ENTRY_POSTED_V1,
    ITEM_UNIT_COST_CHANGED_V1,
    QUANTITY_DIFFERENCE_FOUND_V1,
    STANDARD_COST_IMPLEMENTED_V1,
    VALUE_ENTRIES_POSTED_V1,
    new_envelope,
)
from inventory_contracts.catalog import CostingMethod, ItemType, ItemUpserted
from inventory_contracts.costing import ValueEntryType
from inventory_contracts.warehouse import InventorySetupChanged, ItemEntryInvoiced, ItemEntryPosted, ItemLedgerEntryType

from servicekit.inbox import PermanentError

from costing.adapters.memory_unit_of_work import InMemoryCostingUnitOfWork
from costing.domain.charges import ChargeSplit
from costing.domain.errors import NotAStandardItemError, PostingDateClosedError, UnknownItemError, UnknownWorksheetLineError
from costing.domain.quantity_reconciliation import WarehouseQuantity
from costing.domain.standard_cost import WorksheetLine
from costing.entrypoints.consumers import on_item_entry_posted, repeated_item_entries
from costing.service_layer.inventory_setup import replicate_inventory_setup
from costing.service_layer.item_costs import item_cost
from costing.service_layer.items import replicate_item, replicate_items
from costing.service_layer.publishing import publish_unit_cost, published_value_entries, value_entries_written
from costing.service_layer.quantity_reconciliation import compare, report
from costing.service_layer.requests import post_item_charge, post_revaluation, post_standard_cost_changes
from costing.service_layer.standard_costs import (
    ImplementStandardCostChanges,
    SuggestItemStandardCost,
    delete_worksheet_line,
    implement_standard_cost_changes,
    set_worksheet_line,
    suggest_item_standard_cost,
)
from costing.service_layer.valuation import (
    AssignItemCharge,
    ChargeLine,
    RevalueInventory,
    assign_item_charge,
    invoice_item_entry,
    revalue_inventory,
    value_item_entries,
    value_item_entry,
)

D = Decimal
T = TypeVar("T")
DAY = date(2025, 3, 1)


def run(coroutine: Awaitable[T]) -> T:
    async def awaited() -> T:
        return await coroutine
    return asyncio.run(awaited())


def card(item_no: str, revision: int, method: CostingMethod = CostingMethod.FIFO, standard_cost: str = "0",
         implementation_no: int = 0) -> ItemUpserted:
    return ItemUpserted(
        item_no=item_no, revision=revision, description=item_no, type=ItemType.INVENTORY, base_unit_of_measure="PCS",
        costing_method=method, standard_cost=D(standard_cost), inventory_posting_group="RESALE",
        gen_prod_posting_group="RETAIL", standard_cost_implementation_no=implementation_no,
    )


def receipt(no: int, item_no: str, quantity: str, unit_cost: str, method: CostingMethod = CostingMethod.FIFO,
            day: date = DAY, **more: Any) -> ItemEntryPosted:
    return ItemEntryPosted(
        entry_no=no, item_no=item_no, location_code="MAIN", posting_date=day, entry_type=ItemLedgerEntryType.PURCHASE,
        document_no=f"R{no}", quantity=D(quantity), costing_method=method, unit_cost=D(unit_cost),
        inventory_posting_group="RESALE", gen_prod_posting_group="RETAIL", recorded_at=datetime.now(UTC), **more,
    )


def sale(no: int, item_no: str, quantity: str, method: CostingMethod = CostingMethod.FIFO, day: date = DAY) -> ItemEntryPosted:
    return ItemEntryPosted(
        entry_no=no, item_no=item_no, location_code="MAIN", posting_date=day, entry_type=ItemLedgerEntryType.SALE,
        document_no=f"S{no}", quantity=-D(quantity), costing_method=method, inventory_posting_group="RESALE",
        gen_prod_posting_group="RETAIL", recorded_at=datetime.now(UTC),
    )


def topics(uow: InMemoryCostingUnitOfWork) -> list[str]:
    return [topic for topic, _ in uow.published]


def with_item(item_no: str = "A", method: CostingMethod = CostingMethod.FIFO, standard_cost: str = "0") -> InMemoryCostingUnitOfWork:
    uow = InMemoryCostingUnitOfWork()
    run(replicate_item(uow, card(item_no, 1, method, standard_cost)))
    return uow


# item card and inventory setup replicas ------------------------------------------------------------------------------

def test_a_replicated_card_keeps_the_newest_revision_and_says_when_a_standard_cost_changed() -> None:
    uow = InMemoryCostingUnitOfWork()
    assert run(replicate_item(uow, card("A", 1, CostingMethod.STANDARD, "10"))) is False
    assert run(replicate_item(uow, card("A", 3, CostingMethod.STANDARD, "12"))) is True
    assert run(replicate_item(uow, card("A", 2, CostingMethod.STANDARD, "99"))) is False
    found = run(uow.items.item_card("A"))
    assert found is not None and (found.revision, found.standard_cost) == (3, D("12"))


def test_cards_replicated_together_name_the_standard_items_whose_standard_cost_changed() -> None:
    uow = InMemoryCostingUnitOfWork()
    run(replicate_items(uow, [card("A", 1, CostingMethod.STANDARD, "10"), card("B", 1)]))
    changed = run(replicate_items(uow, [card("A", 2, CostingMethod.STANDARD, "11"), card("B", 2, standard_cost="5")]))
    assert changed == {"A"}


def test_the_inventory_setup_replica_keeps_the_newest_revision() -> None:
    uow = InMemoryCostingUnitOfWork()
    assert run(replicate_inventory_setup(uow, InventorySetupChanged(revision=2, allow_posting_from=DAY))) is True
    assert run(replicate_inventory_setup(uow, InventorySetupChanged(revision=1))) is False
    assert run(uow.items.inventory_calendar()).allow_posting_from == DAY
    assert run(uow.items.inventory_setup_revision()) == 2


# valuation -------------------------------------------------------------------------------------------------------------

def test_a_receipt_and_a_sale_are_valued_and_published_with_the_unit_cost() -> None:
    uow = with_item()
    written = run(value_item_entries(uow, [receipt(1, "A", "10", "2.50"), sale(2, "A", "4")]))
    assert [[entry.cost_amount_actual for entry in entries] for entries in written] == [[D("25.00")], [D("-10.00")]]
    run(value_entries_written(uow, ["A"], [entry for entries in written for entry in entries]))
    assert topics(uow) == [VALUE_ENTRIES_POSTED_V1.topic, ITEM_UNIT_COST_CHANGED_V1.topic]
    unit_cost = uow.published[-1][1].payload
    assert unit_cost.unit_cost == D("2.50")
    status = run(uow.unit_costs.cost_status("A"))
    assert status is not None and status.cost_is_adjusted
    run(publish_unit_cost(uow, "A"))
    assert len(uow.published) == 2, "an unchanged unit cost is not published again"


def test_events_built_from_a_consumed_event_carry_its_correlation_and_cause() -> None:
    uow = with_item()
    posted = receipt(1, "A", "1", "3")
    cause = new_envelope(ITEM_ENTRY_POSTED_V1, posted, producer="warehouse", key="A", correlation_id=uuid4())
    written = run(value_item_entry(uow, posted))
    run(value_entries_written(uow, ["A"], written, cause))
    assert {(event.correlation_id, event.causation_id) for _, event in uow.published} == {(cause.correlation_id, cause.event_id)}


def test_an_invoice_turns_expected_cost_into_actual_cost() -> None:
    uow = with_item()
    run(value_item_entry(uow, receipt(1, "A", "10", "2.00", invoiced_quantity=D(0))))
    written = run(invoice_item_entry(uow, ItemEntryInvoiced(
        item_no="A", item_ledger_entry_no=1, document_no="INV1", posting_date=DAY, invoiced_quantity=D(10),
        unit_cost=D("2.20"), recorded_at=datetime.now(UTC),
    )))
    assert sum((entry.cost_amount_actual for entry in written), D(0)) == D("22.00")
    assert sum((entry.cost_amount_expected for entry in written), D(0)) == D("-20.00")


def test_an_item_charge_adds_direct_cost_to_the_receipt() -> None:
    uow = with_item()
    run(value_item_entry(uow, receipt(1, "A", "10", "2.00")))
    written = run(assign_item_charge(uow, AssignItemCharge(
        "FREIGHT", "PI-1", DAY, D("5.00"), ChargeSplit.EQUALLY, (ChargeLine(1),),
    )))
    assert [(entry.entry_type, entry.cost_amount_actual, entry.item_charge_no) for entry in written] == [
        (ValueEntryType.DIRECT_COST, D("5.00"), "FREIGHT")
    ]
    stored = run(published_value_entries(uow, written))
    assert [entry.entry_no for entry in stored] == [entry.entry_no for entry in written]
    assert VALUE_ENTRIES_POSTED_V1.topic in topics(uow)


def test_a_revaluation_sets_a_new_unit_cost_on_what_is_on_hand() -> None:
    uow = with_item()
    run(value_item_entry(uow, receipt(1, "A", "10", "2.00")))
    written = run(revalue_inventory(uow, RevalueInventory("A", date(2025, 3, 2), new_unit_cost=D("3.00"))))
    assert [(entry.entry_type, entry.cost_amount_actual) for entry in written] == [(ValueEntryType.REVALUATION, D("10.00"))]
    found = run(item_cost(uow, "A"))
    assert found is not None and (found.card.value_on_hand, found.unit_cost) == (D("30.00"), D("3.00"))


def test_a_charge_or_revaluation_request_publishes_what_it_wrote_and_answers_it_as_stored() -> None:
    uow = with_item()
    run(value_item_entry(uow, receipt(1, "A", "10", "2.00")))
    uow.published.clear()
    charged = run(post_item_charge(uow, AssignItemCharge(
        "FREIGHT", "PI-1", DAY, D("5.00"), ChargeSplit.EQUALLY, (ChargeLine(1),),
    )))
    assert [(entry.entry_type, entry.cost_amount_actual, entry.item_charge_no) for entry in charged] == [
        (ValueEntryType.DIRECT_COST, D("5.00"), "FREIGHT")
    ]
    assert topics(uow) == [VALUE_ENTRIES_POSTED_V1.topic, ITEM_UNIT_COST_CHANGED_V1.topic]
    revalued = run(post_revaluation(uow, RevalueInventory("A", date(2025, 3, 2), new_unit_cost=D("3.00"))))
    assert [(entry.entry_type, entry.cost_amount_actual) for entry in revalued] == [(ValueEntryType.REVALUATION, D("5.00"))]
    assert topics(uow)[2:] == [VALUE_ENTRIES_POSTED_V1.topic, ITEM_UNIT_COST_CHANGED_V1.topic]


def test_implementing_standard_costs_through_the_request_publishes_the_revaluation() -> None:
    uow = with_item("S1", CostingMethod.STANDARD, "10")
    run(value_item_entry(uow, receipt(1, "S1", "5", "10", CostingMethod.STANDARD)))
    run(set_worksheet_line(uow, "DEFAULT", "S1", D("12")))
    uow.published.clear()
    done, stored = run(post_standard_cost_changes(uow, ImplementStandardCostChanges("DEFAULT", date(2025, 3, 2))))
    assert [entry.entry_no for entry in stored] == [entry.entry_no for entry in done.written]
    assert sorted(topics(uow)) == sorted([STANDARD_COST_IMPLEMENTED_V1.topic, VALUE_ENTRIES_POSTED_V1.topic,
                                          ITEM_UNIT_COST_CHANGED_V1.topic])


def test_an_unknown_item_has_no_cost() -> None:
    assert run(item_cost(InMemoryCostingUnitOfWork(), "NOPE")) is None


# standard cost worksheet -------------------------------------------------------------------------------------------

def test_suggest_writes_a_line_per_standard_item_and_refuses_other_items() -> None:
    uow = InMemoryCostingUnitOfWork()
    run(replicate_items(uow, [card("S1", 1, CostingMethod.STANDARD, "10"), card("F", 1)]))
    lines = run(suggest_item_standard_cost(uow, SuggestItemStandardCost("DEFAULT", adjustment_factor=D("1.1"))))
    assert lines == [WorksheetLine("DEFAULT", "S1", D("10"), D("11.0"))]
    with pytest.raises(NotAStandardItemError):
        run(suggest_item_standard_cost(uow, SuggestItemStandardCost("DEFAULT", item_nos=("F",))))
    with pytest.raises(UnknownItemError):
        run(suggest_item_standard_cost(uow, SuggestItemStandardCost("DEFAULT", item_nos=("NOPE",))))


def test_a_worksheet_line_is_set_and_deleted() -> None:
    uow = with_item("S1", CostingMethod.STANDARD, "10")
    line = run(set_worksheet_line(uow, "DEFAULT", "S1", D("12")))
    assert run(uow.worksheets.lines("DEFAULT")) == [line]
    run(delete_worksheet_line(uow, "DEFAULT", "S1"))
    with pytest.raises(UnknownWorksheetLineError):
        run(delete_worksheet_line(uow, "DEFAULT", "S1"))


def test_implementing_revalues_what_is_on_hand_once_and_announces_the_new_standard_cost() -> None:
    uow = with_item("S1", CostingMethod.STANDARD, "10")
    run(value_item_entry(uow, receipt(1, "S1", "5", "10", CostingMethod.STANDARD)))
    run(set_worksheet_line(uow, "DEFAULT", "S1", D("12")))
    done = run(implement_standard_cost_changes(uow, ImplementStandardCostChanges("DEFAULT", date(2025, 3, 2))))
    assert [line.implementation_no for line in done.lines] == [1]
    assert sum((entry.cost_amount_actual for entry in done.written), D(0)) == D("10.00")
    assert topics(uow) == [STANDARD_COST_IMPLEMENTED_V1.topic]
    assert run(uow.items.item_setup("S1")).standard_cost == D("12")  # type: ignore[union-attr]
    again = run(implement_standard_cost_changes(uow, ImplementStandardCostChanges("DEFAULT", date(2025, 3, 3))))
    assert (again.lines, again.written) == ([], [])


def test_standard_costs_are_not_implemented_on_a_closed_date() -> None:
    uow = with_item("S1", CostingMethod.STANDARD, "10")
    run(replicate_inventory_setup(uow, InventorySetupChanged(revision=1, allow_posting_from=DAY)))
    with pytest.raises(PostingDateClosedError):
        run(implement_standard_cost_changes(uow, ImplementStandardCostChanges("DEFAULT", date(2025, 2, 1))))


# quantity reconciliation ---------------------------------------------------------------------------------------------

def test_a_quantity_difference_is_reported_when_it_appears_and_when_it_is_resolved() -> None:
    uow = with_item()
    run(value_item_entry(uow, receipt(1, "A", "10", "1")))
    differing = run(compare(uow, [WarehouseQuantity("A", "MAIN", D(12), 1)]))
    assert [comparison.difference for comparison in differing] == [D(-2)]
    assert len(run(report(uow, differing))) == 1
    assert run(report(uow, differing)) == [], "an unchanged difference is not reported again"
    agreeing = run(compare(uow, [WarehouseQuantity("A", "MAIN", D(10), 1)]))
    assert [comparison.difference for comparison in run(report(uow, agreeing))] == [D(0)]
    assert topics(uow) == [QUANTITY_DIFFERENCE_FOUND_V1.topic] * 2


# consumers ---------------------------------------------------------------------------------------------------------

def test_a_refused_entry_is_dead_lettered_and_the_item_shows_the_error() -> None:
    uow = with_item()
    event = new_envelope(ITEM_ENTRY_INVOICED_V1, ItemEntryInvoiced(
        item_no="A", item_ledger_entry_no=7, document_no="INV1", posting_date=DAY, invoiced_quantity=D(1),
        unit_cost=D(1), recorded_at=datetime.now(UTC),
    ), producer="warehouse", key="A")
    with pytest.raises(PermanentError) as refused:
        run(on_item_entry_posted(uow, event))
    assert refused.value.record is not None
    run(refused.value.record(uow))  # type: ignore[arg-type]
    status = run(uow.unit_costs.cost_status("A"))
    assert status is not None and not status.cost_is_adjusted and (status.last_error or "").startswith("entry 7:")


def test_a_posting_valued_before_or_earlier_in_the_batch_is_a_repeat() -> None:
    uow = with_item()
    run(value_item_entry(uow, receipt(1, "A", "1", "1")))
    events = [new_envelope(ITEM_ENTRY_POSTED_V1, receipt(no, "A", "1", "1"), producer="warehouse", key="A") for no in (1, 2, 2)]
    assert run(repeated_item_entries(uow, events)) == {events[0].event_id, events[2].event_id}


def test_the_value_entries_sum_to_the_inventory_value() -> None:
    uow = with_item()
    run(value_item_entries(uow, [receipt(1, "A", "10", "2.00"), receipt(2, "A", "5", "4.00")]))
    run(revalue_inventory(uow, RevalueInventory("A", date(2025, 3, 2), new_unit_cost=D("3.00"))))
    (line,) = run(uow.value_entries.valuation(None, "A"))
    assert (line.quantity, line.cost_amount_actual) == (D(15), D("45.00"))
    (before,) = run(uow.value_entries.valuation(DAY, "A"))
    assert (before.quantity, before.cost_amount_actual) == (D(15), D("40.00"))
    (group,) = run(uow.value_entries.valuation_by_posting_group())
    assert (group.cost_amount_actual, group.value_entries) == (D("45.00"), 4)
    first, *rest = run(uow.value_entries.list_value_entries("A", None, None, 2))
    assert [entry.entry_no for entry in rest] == [first.entry_no + 1]
