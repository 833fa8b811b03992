"""The warehouse's unit of work on PostgreSQL: its repositories built on the transaction's connection."""

from collections.abc import Iterable

import asyncpg

from servicekit.uow import UnitOfWork

from warehouse.adapters.availability import PostgresAvailabilityRepository, PostgresReconciliationRepository
from warehouse.adapters.locations import PostgresLocationRepository
from warehouse.adapters.physical_inventory import PostgresPhysicalInventoryRepository
from warehouse.adapters.repository import WarehouseRepository
from warehouse.adapters.setup import PostgresInventoryPeriodRepository, PostgresInventorySetupRepository
from warehouse.domain.model import Item
from warehouse.domain.ports import (
    AvailabilityRepository,
    InventoryPeriodRepository,
    InventorySetupRepository,
    Items,
    LocationRepository,
    PhysicalInventoryRepository,
    ReconciliationRepository,
)


class PostgresWarehouseUnitOfWork(UnitOfWork):
    def __init__(self, conn: asyncpg.Connection) -> None:
        super().__init__(conn)
        # setup and counts
        self.locations: LocationRepository = PostgresLocationRepository(conn)
        self.inventory_setup: InventorySetupRepository = PostgresInventorySetupRepository(conn)
        self.periods: InventoryPeriodRepository = PostgresInventoryPeriodRepository(conn)
        self.physical_inventory: PhysicalInventoryRepository = PostgresPhysicalInventoryRepository(conn)
        self.availability: AvailabilityRepository = PostgresAvailabilityRepository(conn)
        self.reconciliation: ReconciliationRepository = PostgresReconciliationRepository(conn)
        # stand-in for the posting side's items repository
        self.items: Items = _StandInItems(WarehouseRepository(conn))


class _StandInItems:
    """Stand-in for the posting side's items repository (PostgresItems): the item cards as WarehouseRepository reads them."""

    def __init__(self, repository: WarehouseRepository) -> None:
        self._repository = repository

    async def lock(self, item_nos: Iterable[str]) -> dict[str, Item]:
        return await self._repository.lock_items(item_nos)

    async def get(self, item_no: str) -> Item | None:
        return await self._repository.get_item(item_no)
