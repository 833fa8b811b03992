"""The inventory reconciliation, against the in-memory unit of work and a fixed costing valuation."""

from collections.abc import Callable
from decimal import Decimal

import pytest

from inventory_contracts import RECONCILIATION_DIFFERENCE_FOUND_V1, Envelope
from inventory_contracts.costing import ValueEntriesPosted

from ledger.adapters.memory import FixedInventoryValuation, InMemoryLedgerUnitOfWork
from ledger.domain.errors import CostingUnavailableError
from ledger.domain.reconciliation import GroupValue
from ledger.entrypoints.consumers import on_value_entries_batch
from ledger.service_layer import reconciliation

EventFactory = Callable[..., Envelope[ValueEntriesPosted]]
D = Decimal


async def test_check_is_caught_up_when_the_ledger_received_what_costing_summed(
    uow: InMemoryLedgerUnitOfWork, value_entries_posted: EventFactory
) -> None:
    await on_value_entries_batch(uow, [value_entries_posted((3, {}))])
    valuation = FixedInventoryValuation(1, [GroupValue("MAIN", "RESALE", D("-80.00"), D("0"))])

    found = await reconciliation.check(valuation, uow.opened)

    assert (found.caught_up, found.costing_value_entries, found.ledger_value_entries, found.pending_value_entries) == (True, 1, 1, 0)
    assert [(line.account_no, line.interim, line.inventory_value, line.gl_balance, line.difference) for line in found.lines] == [
        ("2130", False, D("-80.00"), D("-80.00"), D("0.00")), ("2131", True, D("0"), D("0"), D("0")),
    ]


async def test_check_counts_waiting_entries_as_received(
    uow: InMemoryLedgerUnitOfWork, value_entries_posted: EventFactory
) -> None:
    await on_value_entries_batch(uow, [value_entries_posted((3, {"location_code": "EAST"}))])

    found = await reconciliation.check(FixedInventoryValuation(2), uow.opened)

    assert (found.caught_up, found.ledger_value_entries, found.pending_value_entries) == (False, 1, 1)


async def test_check_refuses_when_costing_is_unavailable(uow: InMemoryLedgerUnitOfWork) -> None:
    with pytest.raises(CostingUnavailableError) as refused:
        await reconciliation.check(FixedInventoryValuation(None), uow.opened)
    assert (refused.value.status, refused.value.slug, refused.value.title) == (503, "costing-unavailable", "Costing unavailable")


async def test_report_publishes_a_difference_once_and_again_when_it_changes(uow: InMemoryLedgerUnitOfWork) -> None:
    valuation = FixedInventoryValuation(0, [GroupValue("MAIN", "RESALE", D("50.00"), D("0"))])

    changed = await reconciliation.reconcile_once(valuation, uow.opened, uow.opened)
    assert [(line.account_no, line.difference) for line in changed] == [("2130", D("-50.00"))]
    [(topic, event)] = uow.published
    assert topic == RECONCILIATION_DIFFERENCE_FOUND_V1.topic
    assert (event.key, event.payload.account_no, event.payload.difference, event.payload.value_entries) == (
        "2130", "2130", D("-50.00"), 0
    )

    assert await reconciliation.reconcile_once(valuation, uow.opened, uow.opened) == []
    assert len(uow.published) == 1

    valuation.values = [GroupValue("MAIN", "RESALE", D("60.00"), D("0"))]
    assert [line.difference for line in await reconciliation.reconcile_once(valuation, uow.opened, uow.opened)] == [D("-60.00")]
    assert await uow.reconciliation.reported_differences() == {"2130": D("-60.00")}


async def test_report_publishes_nothing_while_the_ledger_has_not_caught_up(uow: InMemoryLedgerUnitOfWork) -> None:
    valuation = FixedInventoryValuation(5, [GroupValue("MAIN", "RESALE", D("50.00"), D("0"))])

    assert await reconciliation.reconcile_once(valuation, uow.opened, uow.opened) == []
    assert uow.published == [] and await uow.reconciliation.reported_differences() == {}
