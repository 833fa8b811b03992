"""Chart of accounts, posting setup and closed periods. A change that can complete a setup posts what waited for it."""

from dataclasses import astuple
from datetime import date

from ledger.domain.errors import AccountExistsError, AccountNotFoundError, PostingSetupNotFoundError, UnknownAccountError
from ledger.domain.model import GLAccount
from ledger.domain.posting import GeneralKey, GeneralPostingSetup, InventoryKey, InventoryPostingSetup
from ledger.service_layer.posting import PostingSummary, post_pending_value_entries
from ledger.service_layer.unit_of_work import LedgerUnitOfWork


async def create_account(uow: LedgerUnitOfWork, account: GLAccount) -> GLAccount:
    if not await uow.accounts.add(account):
        raise AccountExistsError(f"G/L account {account.account_no} already exists", account_no=account.account_no)
    return account


async def update_account(uow: LedgerUnitOfWork, account: GLAccount) -> PostingSummary:
    """Change an account's card; unblocking it posts the value entries that waited for it."""
    await uow.posting_setups.lock(exclusive=True)
    if not await uow.accounts.update(account):
        raise AccountNotFoundError(f"G/L account {account.account_no} does not exist", account_no=account.account_no)
    return await post_pending_value_entries(uow)


async def get_account(uow: LedgerUnitOfWork, account_no: str) -> GLAccount:
    account = await uow.accounts.get(account_no)
    if account is None:
        raise AccountNotFoundError(f"G/L account {account_no} does not exist", account_no=account_no)
    return account


async def list_accounts(uow: LedgerUnitOfWork, after: str | None, limit: int) -> list[GLAccount]:
    return await uow.accounts.page(after, limit)


async def get_inventory_posting_setup(uow: LedgerUnitOfWork, key: InventoryKey) -> InventoryPostingSetup:
    setup = (await uow.posting_setups.inventory_setups([key])).get(key)
    if setup is None:
        raise PostingSetupNotFoundError(
            f"no inventory posting setup for location '{key[0]}' and inventory posting group '{key[1]}'",
            location_code=key[0],
            inventory_posting_group=key[1],
        )
    return setup


async def put_inventory_posting_setup(
    uow: LedgerUnitOfWork, key: InventoryKey, setup: InventoryPostingSetup
) -> PostingSummary:
    """Create or replace the setup, then post the value entries that waited for it, in one transaction."""
    await uow.posting_setups.lock(exclusive=True)
    await _check_accounts(uow, astuple(setup))
    await uow.posting_setups.put_inventory_setup(key, setup)
    return await post_pending_value_entries(uow)


async def get_general_posting_setup(uow: LedgerUnitOfWork, key: GeneralKey) -> GeneralPostingSetup:
    setup = (await uow.posting_setups.general_setups([key])).get(key)
    if setup is None:
        raise PostingSetupNotFoundError(
            f"no general posting setup for general business posting group '{key[0]}' "
            f"and general product posting group '{key[1]}'",
            gen_bus_posting_group=key[0],
            gen_prod_posting_group=key[1],
        )
    return setup


async def put_general_posting_setup(
    uow: LedgerUnitOfWork, key: GeneralKey, setup: GeneralPostingSetup
) -> PostingSummary:
    """Create or replace the setup, then post the value entries that waited for it, in one transaction."""
    await uow.posting_setups.lock(exclusive=True)
    await _check_accounts(uow, astuple(setup))
    await uow.posting_setups.put_general_setup(key, setup)
    return await post_pending_value_entries(uow)


async def _check_accounts(uow: LedgerUnitOfWork, account_nos: tuple[str, ...]) -> None:
    named = {no for no in account_nos if no}
    unknown = sorted(named - set(await uow.accounts.by_number(named)))
    if unknown:
        raise UnknownAccountError(
            f"the chart of accounts has no account {', '.join(unknown)}", account_nos=unknown
        )


async def close_period(uow: LedgerUnitOfWork, closed_through: date | None) -> date | None:
    """Close every date up to `closed_through` (an earlier date or none reopens); later postings respect it."""
    await uow.posting_setups.lock(exclusive=True)
    await uow.general_ledger.set_closed_through(closed_through)
    return closed_through


async def get_closed_through(uow: LedgerUnitOfWork) -> date | None:
    return await uow.general_ledger.closed_through()
