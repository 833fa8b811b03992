"""The warehouse's unit of work on PostgreSQL: its repositories built on the transaction's connection."""

import asyncpg

from servicekit.uow import UnitOfWork

from warehouse.adapters.availability import PostgresAvailabilityRepository, PostgresReconciliationRepository
from warehouse.adapters.repository_assembly import PostgresAssemblyOrders
from warehouse.adapters.locations import PostgresLocationRepository
from warehouse.adapters.physical_inventory import PostgresPhysicalInventoryRepository
from warehouse.adapters.repository_documents import PostgresInvoices, PostgresTransferOrders
from warehouse.adapters.repository_items import PostgresItems
from warehouse.adapters.repository_ledger import PostgresItemLedger
from warehouse.adapters.repository_reservations import PostgresReservations
from warehouse.adapters.setup import PostgresInventoryPeriodRepository, PostgresInventorySetupRepository


class PostgresWarehouseUnitOfWork(UnitOfWork):
    def __init__(self, conn: asyncpg.Connection) -> None:
        super().__init__(conn)
        self.items = PostgresItems(conn)
        self.ledger = PostgresItemLedger(conn)
        self.invoices = PostgresInvoices(conn)
        self.reservations = PostgresReservations(conn)
        self.transfer_orders = PostgresTransferOrders(conn)
        self.locations = PostgresLocationRepository(conn)
        self.inventory_setup = PostgresInventorySetupRepository(conn)
        self.periods = PostgresInventoryPeriodRepository(conn)
        self.physical_inventory = PostgresPhysicalInventoryRepository(conn)
        self.availability = PostgresAvailabilityRepository(conn)
        self.reconciliation = PostgresReconciliationRepository(conn)
        self.assembly_orders = PostgresAssemblyOrders(conn)
