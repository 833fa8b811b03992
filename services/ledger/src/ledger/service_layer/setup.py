"""Chart of accounts and posting setup. A change that can complete a setup posts what waited for it."""

from dataclasses import astuple
from datetime import date

import asyncpg

from ledger.adapters.repository import GeneralKey, InventoryKey, LedgerRepository
from ledger.domain.errors import AccountExistsError, AccountNotFoundError, PostingSetupNotFoundError, UnknownAccountError
from ledger.domain.model import GLAccount
from ledger.domain.posting import GeneralPostingSetup, InventoryPostingSetup
from ledger.service_layer.posting import PostingSummary, post_pending_value_entries


async def create_account(conn: asyncpg.Connection, account: GLAccount) -> GLAccount:
    if not await LedgerRepository(conn).add_account(account):
        raise AccountExistsError(f"G/L account {account.account_no} already exists", account_no=account.account_no)
    return account


async def update_account(conn: asyncpg.Connection, account: GLAccount) -> PostingSummary:
    """Change an account's card; unblocking it posts the value entries that waited for it."""
    repository = LedgerRepository(conn)
    await repository.lock_posting_setup(exclusive=True)
    if not await repository.update_account(account):
        raise AccountNotFoundError(f"G/L account {account.account_no} does not exist", account_no=account.account_no)
    return await post_pending_value_entries(conn)


async def get_account(conn: asyncpg.Connection, account_no: str) -> GLAccount:
    account = await LedgerRepository(conn).get_account(account_no)
    if account is None:
        raise AccountNotFoundError(f"G/L account {account_no} does not exist", account_no=account_no)
    return account


async def get_inventory_posting_setup(conn: asyncpg.Connection, key: InventoryKey) -> InventoryPostingSetup:
    setup = await LedgerRepository(conn).get_inventory_posting_setup(key)
    if setup is None:
        raise PostingSetupNotFoundError(
            f"no inventory posting setup for location '{key[0]}' and inventory posting group '{key[1]}'",
            location_code=key[0],
            inventory_posting_group=key[1],
        )
    return setup


async def put_inventory_posting_setup(
    conn: asyncpg.Connection, key: InventoryKey, setup: InventoryPostingSetup
) -> PostingSummary:
    """Create or replace the setup, then post the value entries that waited for it, in one transaction."""
    repository = LedgerRepository(conn)
    await repository.lock_posting_setup(exclusive=True)
    await _check_accounts(repository, astuple(setup))
    await repository.put_inventory_posting_setup(key, setup)
    return await post_pending_value_entries(conn)


async def get_general_posting_setup(conn: asyncpg.Connection, key: GeneralKey) -> GeneralPostingSetup:
    setup = await LedgerRepository(conn).get_general_posting_setup(key)
    if setup is None:
        raise PostingSetupNotFoundError(
            f"no general posting setup for general business posting group '{key[0]}' "
            f"and general product posting group '{key[1]}'",
            gen_bus_posting_group=key[0],
            gen_prod_posting_group=key[1],
        )
    return setup


async def put_general_posting_setup(
    conn: asyncpg.Connection, key: GeneralKey, setup: GeneralPostingSetup
) -> PostingSummary:
    """Create or replace the setup, then post the value entries that waited for it, in one transaction."""
    repository = LedgerRepository(conn)
    await repository.lock_posting_setup(exclusive=True)
    await _check_accounts(repository, astuple(setup))
    await repository.put_general_posting_setup(key, setup)
    return await post_pending_value_entries(conn)


async def _check_accounts(repository: LedgerRepository, account_nos: tuple[str, ...]) -> None:
    named = {no for no in account_nos if no}
    unknown = sorted(named - set(await repository.accounts(named)))
    if unknown:
        raise UnknownAccountError(
            f"the chart of accounts has no account {', '.join(unknown)}", account_nos=unknown
        )


async def close_period(conn: asyncpg.Connection, closed_through: date | None) -> date | None:
    """Close every date up to `closed_through` (an earlier date or none reopens); later postings respect it."""
    repository = LedgerRepository(conn)
    await repository.lock_posting_setup(exclusive=True)
    await repository.set_closed_through(closed_through)
    return closed_through


async def get_closed_through(conn: asyncpg.Connection) -> date | None:
    return await LedgerRepository(conn).closed_through()
