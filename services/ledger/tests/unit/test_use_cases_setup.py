"""Chart of accounts, posting setup and closed periods, against the in-memory unit of work."""

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest

from inventory_contracts import Envelope
from inventory_contracts.costing import ValueEntriesPosted

from ledger.adapters.memory import InMemoryLedgerUnitOfWork
from ledger.domain.errors import AccountExistsError, AccountNotFoundError, PostingSetupNotFoundError, UnknownAccountError
from ledger.domain.model import GLAccount, IncomeBalance
from ledger.domain.posting import GeneralPostingSetup, InventoryPostingSetup
from ledger.entrypoints.consumers import on_value_entries_batch
from ledger.service_layer import setup

EventFactory = Callable[..., Envelope[ValueEntriesPosted]]
INVENTORY = InventoryPostingSetup("2130", "2131")
GENERAL = GeneralPostingSetup("7290", "7291", "7180", "5510", "7190", "7191", "7192")

CASH = GLAccount("2910", "Cash", IncomeBalance.BALANCE_SHEET)


async def test_create_account_adds_it_to_the_chart(empty_uow: InMemoryLedgerUnitOfWork) -> None:
    assert await setup.create_account(empty_uow, CASH) == CASH
    assert await setup.get_account(empty_uow, "2910") == CASH


async def test_create_account_refuses_a_taken_number(empty_uow: InMemoryLedgerUnitOfWork) -> None:
    await setup.create_account(empty_uow, CASH)
    with pytest.raises(AccountExistsError) as refused:
        await setup.create_account(empty_uow, GLAccount("2910", "Other", IncomeBalance.INCOME_STATEMENT))
    assert (refused.value.status, refused.value.slug, refused.value.title) == (409, "account-exists", "G/L account exists")
    assert refused.value.extensions == {"account_no": "2910"}
    assert (await setup.get_account(empty_uow, "2910")).name == "Cash"


async def test_get_account_refuses_an_unknown_number(empty_uow: InMemoryLedgerUnitOfWork) -> None:
    with pytest.raises(AccountNotFoundError) as refused:
        await setup.get_account(empty_uow, "9999")
    assert (refused.value.status, refused.value.slug) == (404, "account-not-found")


async def test_list_accounts_pages_in_account_order(uow: InMemoryLedgerUnitOfWork) -> None:
    first = await setup.list_accounts(uow, None, 3)
    rest = await setup.list_accounts(uow, first[-1].account_no, 100)
    assert [a.account_no for a in first] == ["2130", "2131", "5510"]
    assert [a.account_no for a in rest] == ["7180", "7190", "7191", "7192", "7290", "7291"]


async def test_update_account_refuses_an_unknown_number(empty_uow: InMemoryLedgerUnitOfWork) -> None:
    with pytest.raises(AccountNotFoundError):
        await setup.update_account(empty_uow, CASH)
    assert empty_uow.state.accounts == {}


async def test_unblocking_an_account_posts_what_waited_for_it(
    uow: InMemoryLedgerUnitOfWork, value_entries_posted: EventFactory
) -> None:
    blocked = GLAccount("7290", "Cost of goods sold", IncomeBalance.INCOME_STATEMENT, blocked=True)
    summary = await setup.update_account(uow, blocked)
    assert (summary.posted, summary.pending_total) == ([], 0)
    await on_value_entries_batch(uow, [value_entries_posted((3, {}))])
    assert await uow.value_entries.count_pending() == 1

    summary = await setup.update_account(uow, GLAccount("7290", "Cost of goods sold", IncomeBalance.INCOME_STATEMENT))

    assert (summary.posted, summary.waiting, summary.pending_total) == ([3], [], 0)
    assert {(e.account_no, e.amount) for e in uow.state.gl_entries} == {("2130", Decimal("-80.00")), ("7290", Decimal("80.00"))}


async def test_get_inventory_posting_setup_refuses_a_missing_one(uow: InMemoryLedgerUnitOfWork) -> None:
    assert await setup.get_inventory_posting_setup(uow, ("MAIN", "RESALE")) == INVENTORY
    with pytest.raises(PostingSetupNotFoundError) as refused:
        await setup.get_inventory_posting_setup(uow, ("EAST", "RESALE"))
    assert (refused.value.status, refused.value.slug) == (404, "posting-setup-not-found")
    assert refused.value.extensions == {"location_code": "EAST", "inventory_posting_group": "RESALE"}


async def test_get_general_posting_setup_refuses_a_missing_one(uow: InMemoryLedgerUnitOfWork) -> None:
    assert await setup.get_general_posting_setup(uow, ("", "RETAIL")) == GENERAL
    with pytest.raises(PostingSetupNotFoundError) as refused:
        await setup.get_general_posting_setup(uow, ("EXPORT", "RETAIL"))
    assert refused.value.extensions == {"gen_bus_posting_group": "EXPORT", "gen_prod_posting_group": "RETAIL"}


async def test_put_inventory_posting_setup_refuses_unknown_accounts(uow: InMemoryLedgerUnitOfWork) -> None:
    with pytest.raises(UnknownAccountError) as refused:
        await setup.put_inventory_posting_setup(uow, ("EAST", "RESALE"), InventoryPostingSetup("2130", "9998"))
    assert (refused.value.status, refused.value.slug, refused.value.title) == (422, "unknown-account", "Unknown G/L account")
    assert refused.value.extensions == {"account_nos": ["9998"]}
    assert ("EAST", "RESALE") not in uow.state.inventory_setups


async def test_put_general_posting_setup_refuses_unknown_accounts(uow: InMemoryLedgerUnitOfWork) -> None:
    with pytest.raises(UnknownAccountError):
        await setup.put_general_posting_setup(uow, ("EXPORT", "RETAIL"), GeneralPostingSetup("9997", "", "", "", "", "", ""))
    assert ("EXPORT", "RETAIL") not in uow.state.general_setups


async def test_an_inventory_posting_setup_posts_the_entries_that_waited_for_it(
    uow: InMemoryLedgerUnitOfWork, value_entries_posted: EventFactory
) -> None:
    await on_value_entries_batch(uow, [value_entries_posted((3, {"location_code": "EAST"}), (4, {}))])
    assert [p.value_entry_no for p in await uow.value_entries.list_pending(None, 10)] == [3, 4]

    summary = await setup.put_inventory_posting_setup(uow, ("EAST", "RESALE"), INVENTORY)

    assert (summary.posted, summary.waiting, summary.pending_total) == ([3, 4], [], 0)
    assert await setup.get_inventory_posting_setup(uow, ("EAST", "RESALE")) == INVENTORY
    assert len(uow.state.gl_entries) == 4


async def test_a_general_posting_setup_posts_the_entries_that_waited_for_it(
    uow: InMemoryLedgerUnitOfWork, value_entries_posted: EventFactory
) -> None:
    await on_value_entries_batch(uow, [value_entries_posted((3, {"gen_bus_posting_group": "EXPORT"}))])

    summary = await setup.put_general_posting_setup(uow, ("EXPORT", "RETAIL"), GENERAL)

    assert (summary.posted, summary.pending_total) == ([3], 0)
    assert await setup.get_general_posting_setup(uow, ("EXPORT", "RETAIL")) == GENERAL


async def test_close_period_sets_and_reopens_the_closed_date(empty_uow: InMemoryLedgerUnitOfWork) -> None:
    assert await setup.get_closed_through(empty_uow) is None
    assert await setup.close_period(empty_uow, date(2026, 1, 31)) == date(2026, 1, 31)
    assert await setup.get_closed_through(empty_uow) == date(2026, 1, 31)
    assert await setup.close_period(empty_uow, None) is None
    assert await setup.get_closed_through(empty_uow) is None
