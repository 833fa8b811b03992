"""What a warehouse use case works in: the repositories of one transaction, and the events it announces."""

from typing import Any, Protocol

from inventory_contracts import Envelope

from warehouse.domain.ports import (
    AvailabilityRepository,
    InventoryPeriodRepository,
    InventorySetupRepository,
    Items,
    LocationRepository,
    PhysicalInventoryRepository,
    ReconciliationRepository,
)


class WarehouseUnitOfWork(Protocol):
    # setup and counts
    locations: LocationRepository
    inventory_setup: InventorySetupRepository
    periods: InventoryPeriodRepository
    physical_inventory: PhysicalInventoryRepository
    availability: AvailabilityRepository
    reconciliation: ReconciliationRepository
    # posting side (what setup and counts use of it)
    items: Items

    async def publish(self, topic: str, event: Envelope[Any]) -> None:
        """Queue `event` for `topic`: published after, and only if, the transaction commits."""
