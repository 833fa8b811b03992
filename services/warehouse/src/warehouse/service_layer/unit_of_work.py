"""What a warehouse use case works in: the repositories of one transaction, and the events it announces."""

from collections.abc import Sequence
from typing import Any, Protocol

from inventory_contracts import Envelope

from warehouse.domain.ports import (
    AvailabilityEvents,
    AvailabilityRepository,
    InventoryPeriodRepository,
    InventorySetupRepository,
    Invoices,
    ItemLedger,
    Items,
    LocationRepository,
    PhysicalInventoryRepository,
    PlanningOrders,
    ReconciliationRepository,
    Reservations,
    ResponsibilityCenters,
    TransferOrders,
)
from warehouse.domain.ports_reservation_policies import Allocations, OpenDocuments, SupplyReservations


class WarehouseUnitOfWork(Protocol):
    @property
    def items(self) -> Items: ...

    @property
    def ledger(self) -> ItemLedger: ...

    @property
    def invoices(self) -> Invoices: ...

    @property
    def reservations(self) -> Reservations: ...

    @property
    def transfer_orders(self) -> TransferOrders: ...

    @property
    def locations(self) -> LocationRepository: ...

    @property
    def inventory_setup(self) -> InventorySetupRepository: ...

    @property
    def periods(self) -> InventoryPeriodRepository: ...

    @property
    def physical_inventory(self) -> PhysicalInventoryRepository: ...

    @property
    def availability(self) -> AvailabilityRepository: ...

    @property
    def reconciliation(self) -> ReconciliationRepository: ...

    @property
    def responsibility_centers(self) -> ResponsibilityCenters: ...

    @property
    def planning_orders(self) -> PlanningOrders: ...

    @property
    def supply_reservations(self) -> SupplyReservations: ...

    @property
    def open_documents(self) -> OpenDocuments: ...

    @property
    def allocations(self) -> Allocations: ...

    @property
    def availability_events(self) -> AvailabilityEvents: ...

    async def publish(self, topic: str, event: Envelope[Any]) -> None:
        """Queue `event` for `topic`: published after, and only if, the transaction commits."""

    async def publish_all(self, events: Sequence[tuple[str, Envelope[Any]]]) -> None:
        """Queue several (topic, event) pairs, in this order."""
