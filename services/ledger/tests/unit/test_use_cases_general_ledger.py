"""What the general ledger shows, against the in-memory unit of work."""

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from inventory_contracts import Envelope
from inventory_contracts.costing import ValueEntriesPosted

from ledger.adapters.memory import InMemoryLedgerUnitOfWork
from ledger.entrypoints.consumers import on_value_entries_batch
from ledger.service_layer import general_ledger

EventFactory = Callable[..., Envelope[ValueEntriesPosted]]
D = Decimal


async def post_two_sales(uow: InMemoryLedgerUnitOfWork, value_entries_posted: EventFactory) -> None:
    await on_value_entries_batch(uow, [
        value_entries_posted((3, {})),
        value_entries_posted((4, {"cost_amount_actual": "-20.00", "posting_date": "2026-02-03"})),
    ])


async def test_list_gl_entries_filters_and_pages_in_entry_order(
    uow: InMemoryLedgerUnitOfWork, value_entries_posted: EventFactory
) -> None:
    await post_two_sales(uow, value_entries_posted)

    everything = await general_ledger.list_gl_entries(uow, limit=100)
    assert [(e.entry_no, e.register_no, e.account_no, e.amount) for e in everything] == [
        (1, 1, "2130", D("-80.00")), (2, 1, "7290", D("80.00")), (3, 2, "2130", D("-20.00")), (4, 2, "7290", D("20.00"))
    ]
    assert everything[0].description == "Item 1000 Sale" and everything[0].document_no == "SHIP-0001"
    assert [e.entry_no for e in await general_ledger.list_gl_entries(uow, account_no="2130", limit=100)] == [1, 3]
    assert [e.entry_no for e in await general_ledger.list_gl_entries(uow, from_date=date(2026, 2, 1), limit=100)] == [3, 4]
    assert [e.entry_no for e in await general_ledger.list_gl_entries(uow, to_date=date(2026, 1, 31), limit=100)] == [1, 2]
    assert [e.entry_no for e in await general_ledger.list_gl_entries(uow, value_entry_no=4, limit=100)] == [3, 4]
    assert [e.entry_no for e in await general_ledger.list_gl_entries(uow, after=1, limit=2)] == [2, 3]


async def test_trial_balance_sums_debit_and_credit_per_account(
    uow: InMemoryLedgerUnitOfWork, value_entries_posted: EventFactory
) -> None:
    await post_two_sales(uow, value_entries_posted)

    balance = await general_ledger.trial_balance(uow, None)
    assert [(line.account_no, line.debit, line.credit, line.balance) for line in balance.lines] == [
        ("2130", D("0.00"), D("100.00"), D("-100.00")), ("7290", D("100.00"), D("0.00"), D("100.00"))
    ]
    assert (balance.total_debit, balance.total_credit) == (D("100.00"), D("100.00"))

    january = await general_ledger.trial_balance(uow, date(2026, 1, 31))
    assert (january.at, january.total_debit, january.total_credit) == (date(2026, 1, 31), D("80.00"), D("80.00"))


async def test_an_empty_ledger_has_an_empty_trial_balance(empty_uow: InMemoryLedgerUnitOfWork) -> None:
    balance = await general_ledger.trial_balance(empty_uow, None)
    assert (balance.lines, balance.total_debit, balance.total_credit) == ([], D("0.00"), D("0.00"))


async def test_pending_value_entries_are_listed_and_counted(
    uow: InMemoryLedgerUnitOfWork, value_entries_posted: EventFactory
) -> None:
    await on_value_entries_batch(uow, [value_entries_posted((3, {"location_code": "EAST"}), (4, {}), (5, {}))])

    assert await general_ledger.count_pending_value_entries(uow) == 3
    first = await general_ledger.list_pending_value_entries(uow, None, 2)
    rest = await general_ledger.list_pending_value_entries(uow, first[-1].value_entry_no, 2)
    assert [p.value_entry_no for p in first] == [3, 4] and [p.value_entry_no for p in rest] == [5]
    assert rest[0].reason == "waits behind value entry 3 of item 1000"
