"""Costing's unit of work on PostgreSQL: one transaction and the repositories built on it."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg

from servicekit.uow import UnitOfWork

from costing.adapters.items import ItemStore
from costing.adapters.reconciliation import QuantityReconciliationRepository
from costing.adapters.repository import PostgresCostGraph
from costing.adapters.session import CostingSession
from costing.adapters.standard_cost_worksheet import StandardCostWorksheetRepository
from costing.adapters.unit_costs import PostgresUnitCosts
from costing.adapters.value_entries import PostgresValueEntryQueries


class PostgresCostingUnitOfWork(UnitOfWork):
    """The repositories share one session: what the valuation path keeps unwritten, every other query writes first."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        super().__init__(conn)
        self._session = session = CostingSession(conn)
        self.cost_graph = PostgresCostGraph(session)
        self.items = ItemStore(session)
        self.value_entries = PostgresValueEntryQueries(session)
        self.unit_costs = PostgresUnitCosts(session)
        self.worksheets = StandardCostWorksheetRepository(conn)
        self.reconciliation = QuantityReconciliationRepository(conn)

    @asynccontextmanager
    async def savepoint(self) -> AsyncIterator[None]:
        """A nested transaction that also undoes what the session read and kept in it: an event dead-lettered in a batch
        run event by event must leave nothing behind, neither unwritten (flushed with the next event) nor held (layers
        and provisional costs as it changed them)."""
        await self._session.flush()
        try:
            async with self.conn.transaction():
                yield
        except BaseException:
            self._session.forget()
            raise
