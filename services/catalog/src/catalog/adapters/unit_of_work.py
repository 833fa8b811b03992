"""The catalog's unit of work on PostgreSQL: one transaction, the repositories built on its connection."""

import asyncpg

from servicekit.uow import UnitOfWork

from catalog.adapters.repository_assembly import PostgresAssemblyRepository
from catalog.adapters.repository_items import PostgresItemRepository
from catalog.adapters.repository_master_data import (
    PostgresAttributeRepository,
    PostgresCategoryRepository,
    PostgresTrackingCodeRepository,
    PostgresUnitOfMeasureRepository,
)
from catalog.adapters.repository_nonstock import PostgresNonstockRepository, PostgresReferenceRepository
from catalog.adapters.repository_resource_allocation import PostgresResourceAllocationRepository
from catalog.adapters.repository_resources import PostgresResourceRepository
from catalog.domain.ports import (
    AssemblyRepository,
    AttributeRepository,
    CategoryRepository,
    ItemRepository,
    NonstockRepository,
    ReferenceRepository,
    ResourceAllocationRepository,
    ResourceRepository,
    TrackingCodeRepository,
    UnitOfMeasureRepository,
)


class PostgresCatalogUnitOfWork(UnitOfWork):
    def __init__(self, conn: asyncpg.Connection) -> None:
        super().__init__(conn)
        self.items: ItemRepository = PostgresItemRepository(conn)
        self.categories: CategoryRepository = PostgresCategoryRepository(conn)
        self.attributes: AttributeRepository = PostgresAttributeRepository(conn)
        self.tracking_codes: TrackingCodeRepository = PostgresTrackingCodeRepository(conn)
        self.units_of_measure: UnitOfMeasureRepository = PostgresUnitOfMeasureRepository(conn)
        self.nonstock: NonstockRepository = PostgresNonstockRepository(conn)
        self.references: ReferenceRepository = PostgresReferenceRepository(conn)
        self.assembly: AssemblyRepository = PostgresAssemblyRepository(conn)
        self.resources: ResourceRepository = PostgresResourceRepository(conn)
        self.resource_allocation: ResourceAllocationRepository = PostgresResourceAllocationRepository(conn)
