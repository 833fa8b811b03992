"""Costing's unit of work on PostgreSQL: one transaction and the repositories built on it."""

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
        session = CostingSession(conn)
        self.cost_graph = PostgresCostGraph(session)
        self.items = ItemStore(session)
        self.value_entries = PostgresValueEntryQueries(session)
        self.unit_costs = PostgresUnitCosts(session)
        self.worksheets = StandardCostWorksheetRepository(conn)
        self.reconciliation = QuantityReconciliationRepository(conn)
