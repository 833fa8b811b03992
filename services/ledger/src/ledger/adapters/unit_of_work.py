"""The ledger's unit of work on PostgreSQL: servicekit's transaction and outbox, with the ledger's repositories."""

import asyncpg

from servicekit.uow import UnitOfWork

from ledger.adapters.repository import (
    PostgresAccounts,
    PostgresGeneralLedger,
    PostgresPostingSetups,
    PostgresReconciliation,
    PostgresValueEntries,
)


class PostgresLedgerUnitOfWork(UnitOfWork):
    def __init__(self, conn: asyncpg.Connection) -> None:
        super().__init__(conn)
        self.accounts = PostgresAccounts(conn)
        self.posting_setups = PostgresPostingSetups(conn)
        self.value_entries = PostgresValueEntries(conn)
        self.general_ledger = PostgresGeneralLedger(conn)
        self.reconciliation = PostgresReconciliation(conn)
