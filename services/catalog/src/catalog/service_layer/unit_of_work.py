"""What the catalog's use cases work in: its repositories, and the events they announce, in one transaction."""

from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol

from inventory_contracts import Envelope

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


class CatalogUnitOfWork(Protocol):
    items: ItemRepository
    categories: CategoryRepository
    attributes: AttributeRepository
    tracking_codes: TrackingCodeRepository
    units_of_measure: UnitOfMeasureRepository
    nonstock: NonstockRepository
    references: ReferenceRepository
    assembly: AssemblyRepository
    resources: ResourceRepository
    resource_allocation: ResourceAllocationRepository

    async def publish(self, topic: str, event: Envelope[Any]) -> None:
        """Queue `event` for `topic`: published after, and only if, the unit of work commits."""

    def savepoint(self) -> AbstractAsyncContextManager[Any]:
        """A nested transaction: what is done inside it is undone alone if it raises."""
