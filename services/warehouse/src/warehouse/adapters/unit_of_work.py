"""The warehouse's unit of work on PostgreSQL: its repositories built on the transaction's connection."""

import asyncpg

from servicekit.uow import UnitOfWork

from warehouse.adapters.repository import WarehouseRepository
from warehouse.adapters.repository_documents import PostgresInvoices, PostgresTransferOrders
from warehouse.adapters.repository_items import PostgresItems
from warehouse.adapters.repository_ledger import PostgresItemLedger
from warehouse.adapters.repository_reservations import PostgresReservations


class PostgresWarehouseUnitOfWork(UnitOfWork):
    def __init__(self, conn: asyncpg.Connection) -> None:
        super().__init__(conn)
        # --- posting half ---
        self.items = PostgresItems(conn)
        self.ledger = PostgresItemLedger(conn)
        self.invoices = PostgresInvoices(conn)
        self.reservations = PostgresReservations(conn)
        self.transfer_orders = PostgresTransferOrders(conn)
        # --- end of the posting half ---
        self.warehouse = WarehouseRepository(conn)
