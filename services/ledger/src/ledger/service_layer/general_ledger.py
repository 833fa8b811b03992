"""What the general ledger shows: its entries, the trial balance and the value entries still waiting."""

from datetime import date

from ledger.domain.model import PendingValueEntry, RecordedGLEntry, TrialBalance
from ledger.service_layer.unit_of_work import LedgerUnitOfWork


async def list_gl_entries(
    uow: LedgerUnitOfWork,
    *,
    account_no: str | None = None,
    from_date: date | None = None,
    to_date: date | None = None,
    value_entry_no: int | None = None,
    after: int | None = None,
    limit: int,
) -> list[RecordedGLEntry]:
    return await uow.general_ledger.list_entries(
        account_no=account_no, from_date=from_date, to_date=to_date, value_entry_no=value_entry_no,
        after=after, limit=limit,
    )


async def trial_balance(uow: LedgerUnitOfWork, at: date | None) -> TrialBalance:
    """Debit, credit and balance per account over the entries posted on or before `at` (all when none)."""
    return TrialBalance(at, await uow.general_ledger.trial_balance(at))


async def list_pending_value_entries(uow: LedgerUnitOfWork, after: int | None, limit: int) -> list[PendingValueEntry]:
    return await uow.value_entries.list_pending(after, limit)


async def count_pending_value_entries(uow: LedgerUnitOfWork) -> int:
    return await uow.value_entries.count_pending()
