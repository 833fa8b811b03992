"""In-memory supply reservations, open documents and allocation runs, for unit tests."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from warehouse.domain.allocation import Allocated, AllocationPolicy
from warehouse.domain.ledger_state import RESERVED, Demand, Key, ReservationEntry
from warehouse.domain.ports_reservation_policies import OpenDemandLine
from warehouse.domain.planning_orders import OrderType
from warehouse.domain.reservation_policy import OpenSupply, SupplyRef, SupplyReservation, SupplyType

if TYPE_CHECKING:
    from warehouse.adapters.memory import WarehouseTables


@dataclass
class ReservationPolicyTables:
    supply_reservations: dict[int, SupplyReservation] = field(default_factory=dict)
    supplies: dict[SupplyRef, OpenSupply] = field(default_factory=dict)
    demands: list[OpenDemandLine] = field(default_factory=list)
    allocation_runs: list[tuple[Key, AllocationPolicy, Decimal, list[Allocated]]] = field(default_factory=list)


class InMemoryOpenDocuments:
    """Transfer orders' receiving side, purchase order lines (supply) and sales order lines (demand) from the
    warehouse's tables, as the SQL reads them; other supply and demand as a test registers them."""

    def __init__(self, tables: ReservationPolicyTables, warehouse: "WarehouseTables") -> None:
        self._t = tables
        self._w = warehouse

    def _supplies(self) -> list[OpenSupply]:
        found = list(self._t.supplies.values())
        for order in self._w.transfer_orders.values():
            found += [OpenSupply(SupplyRef(SupplyType.TRANSFER_ORDER, order.no, l.line_no),
                                 (l.item_no, l.variant_code, order.transfer_to_code), l.quantity - l.quantity_received, None)
                      for l in order.lines if l.quantity > l.quantity_received]
        for (order_type, no), planned in self._w.planning_orders.items():
            if order_type is OrderType.PURCHASE:
                found += [OpenSupply(SupplyRef(SupplyType.PURCHASE_ORDER, no, l.line_no),
                                     (l.item_no, l.variant_code, l.location_code), l.outstanding_base, l.due_date)
                          for l in planned.lines if l.outstanding_base > 0]
        return found

    async def supply(self, ref: SupplyRef) -> OpenSupply | None:
        return next((s for s in self._supplies() if s.ref == ref), None)

    async def supplies_of(self, key: Key) -> list[OpenSupply]:
        return sorted((s for s in self._supplies() if s.key == key and s.outstanding > 0),
                      key=lambda s: (s.due_date is None, s.due_date or date.min, s.ref.supply_id, s.ref.supply_line_no))

    async def demands_of(self, key: Key) -> list[OpenDemandLine]:
        found = [d for d in self._t.demands if d.key == key and d.outstanding > 0]
        for (order_type, no), planned in self._w.planning_orders.items():
            if order_type is OrderType.SALES:
                found += [OpenDemandLine(Demand(str(order_type), no, l.line_no), key, l.outstanding_base, l.due_date)
                          for l in planned.lines
                          if (l.item_no, l.variant_code, l.location_code) == key and l.outstanding_base > 0]
        return found


class InMemorySupplyReservations:
    """Reads hand out copies: the use cases change them and save what changed."""

    def __init__(self, tables: ReservationPolicyTables, reservations: dict[int, ReservationEntry]) -> None:
        self._t = tables
        self._reservations = reservations

    def _open(self, wanted: Callable[[SupplyReservation], bool]) -> list[SupplyReservation]:
        return [replace(r) for r in self._t.supply_reservations.values() if r.status == RESERVED and wanted(r)]

    async def open_of_supplies(self, refs: Sequence[SupplyRef]) -> list[SupplyReservation]:
        return self._open(lambda r: r.supply in set(refs))

    async def open_of_demand(self, demand: Demand) -> list[SupplyReservation]:
        return self._open(lambda r: r.demand == demand)

    async def open_of_key(self, key: Key) -> list[SupplyReservation]:
        return self._open(lambda r: r.key == key)

    async def add(self, made: Sequence[SupplyReservation]) -> list[int]:
        ids = []
        for r in made:
            id_ = len(self._t.supply_reservations) + 1
            self._t.supply_reservations[id_] = replace(r, id=id_, status=RESERVED)
            ids.append(id_)
        return ids

    async def save_changes(self, changed: Sequence[SupplyReservation]) -> None:
        for r in changed:
            assert r.id is not None
            self._t.supply_reservations[r.id] = replace(r)

    async def add_moved(self, moved: Sequence[tuple[ReservationEntry, int]]) -> list[int]:
        ids = []
        for r, _ in moved:
            id_ = max(self._reservations, default=0) + 1
            self._reservations[id_] = replace(r, id=id_, status=RESERVED)
            ids.append(id_)
        return ids

    async def find(
        self, item_no: str | None, source_type: str | None, source_id: str | None, supply_id: str | None,
        include_closed: bool,
    ) -> list[SupplyReservation]:
        return [replace(r) for r in self._t.supply_reservations.values()
                if (item_no is None or r.key[0] == item_no) and (source_type is None or r.demand.source_type == source_type)
                and (source_id is None or r.demand.source_id == source_id)
                and (supply_id is None or r.supply.supply_id == supply_id) and (include_closed or r.status == RESERVED)]


class InMemoryAllocations:
    def __init__(self, tables: ReservationPolicyTables) -> None:
        self._t = tables

    async def add_run(self, key: Key, policy: AllocationPolicy, available: Decimal, lines: Sequence[Allocated]) -> int:
        self._t.allocation_runs.append((key, policy, available, list(lines)))
        return len(self._t.allocation_runs)
