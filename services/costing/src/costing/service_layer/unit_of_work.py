"""What costing's use cases work in: one transaction, the repositories of its aggregates and the events it announces."""

from collections.abc import Sequence
from typing import Any, Protocol

from inventory_contracts import Envelope

from costing.domain.ports import (
    ItemRepository,
    QuantityReconciliations,
    StandardCostWorksheets,
    UnitCostRepository,
    ValuationGraph,
    ValueEntryQueries,
)


class CostingUnitOfWork(Protocol):
    cost_graph: ValuationGraph
    items: ItemRepository
    value_entries: ValueEntryQueries
    unit_costs: UnitCostRepository
    worksheets: StandardCostWorksheets
    reconciliation: QuantityReconciliations

    async def publish(self, topic: str, event: Envelope[Any]) -> None:
        """Queue `event` for `topic`: it is published after, and only if, the transaction commits."""
        ...

    async def publish_all(self, events: Sequence[tuple[str, Envelope[Any]]]) -> None: ...

    def savepoint(self) -> Any:
        """A nested transaction: what is done inside it is undone alone if it raises."""
        ...
