"""Ports of reservation against supply and of allocation: open supply and demand documents, supply reservations."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from warehouse.domain.allocation import Allocated, AllocationPolicy
from warehouse.domain.ledger_state import Demand, Key, ReservationEntry
from warehouse.domain.reservation_policy import OpenSupply, SupplyRef, SupplyReservation


@dataclass(frozen=True)
class OpenDemandLine:
    """An open demand document line: what it still wants of an item at a place, by when, and its priority."""

    demand: Demand
    key: Key
    outstanding: Decimal
    due_date: date | None
    priority: int = 0


class OpenDocuments(Protocol):
    """Open supply documents (purchase, transfer and assembly orders) and open demand documents (sales order lines,
    assembly order components), read from their own tables."""

    async def supply(self, ref: SupplyRef) -> OpenSupply | None: ...

    async def supplies_of(self, key: Key) -> list[OpenSupply]:
        """Every open supply of the item at the place with something still to come."""

    async def demands_of(self, key: Key) -> list[OpenDemandLine]: ...


class SupplyReservations(Protocol):
    async def open_of_supplies(self, refs: Sequence[SupplyRef]) -> list[SupplyReservation]: ...

    async def open_of_demand(self, demand: Demand) -> list[SupplyReservation]: ...

    async def open_of_key(self, key: Key) -> list[SupplyReservation]: ...

    async def add(self, made: Sequence[SupplyReservation]) -> list[int]:
        """Write new supply reservations; their ids, in order."""

    async def save_changes(self, changed: Sequence[SupplyReservation]) -> None: ...

    async def add_moved(self, moved: Sequence[tuple[ReservationEntry, int]]) -> list[int]:
        """Write reservations of received entries, each with the supply reservation it moved from; their ids."""

    async def find(
        self, item_no: str | None, source_type: str | None, source_id: str | None, supply_id: str | None,
        include_closed: bool,
    ) -> list[SupplyReservation]: ...


class Allocations(Protocol):
    async def add_run(self, key: Key, policy: AllocationPolicy, available: Decimal, lines: Sequence[Allocated]) -> int:
        """Record an allocation made; its id."""
