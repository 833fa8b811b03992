"""Costing's unit of work in memory: every repository port on one `InMemoryCostGraph`, and the events published.

The fakes do what the SQL does (costing.adapters.*) on the graph's tables; use cases run against them without a
database. Events published are kept in `published`, in order.
"""

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from inventory_contracts import Envelope
from inventory_contracts.catalog import CostingMethod
from inventory_contracts.warehouse import InventorySetupChanged

from costing.adapters.memory import InMemoryCostGraph
from costing.domain.calendar import InventoryCalendar
from costing.domain.inbound import CostSetup
from costing.domain.model import ValueEntry
from costing.domain.ports import (
    CostStatus,
    ItemCard,
    PostingGroupValuation,
    PublishedUnitCost,
    StoredValueEntry,
    UnitCostBasis,
    ValuationRow,
)
from costing.domain.quantity_reconciliation import Place, QuantityComparison
from costing.domain.standard_cost import WorksheetLine

_ZERO = Decimal(0)


class InMemoryValuationGraph(InMemoryCostGraph):
    """The graph as a unit of work holds it: nothing to lock, read ahead or write at the end in memory."""

    async def lock_items(self, item_nos: Iterable[str]) -> None:
        return None

    async def lock_assembly_consumptions(self, entry_nos: Iterable[int]) -> None:
        return None

    async def prefetch(
        self, item_nos: Iterable[str], inbound_entry_nos: Iterable[int], outbound_entry_nos: Iterable[int] = ()
    ) -> None:
        return None

    async def flush(self) -> None:
        return None

    async def known_item_ledger_entries(self, entry_nos: Iterable[int]) -> set[int]:
        return {entry_no for entry_no in entry_nos if entry_no in self._state.entries}

    async def known_invoice_lines(self, invoice_entry_nos: Iterable[int]) -> set[int]:
        wanted = set(invoice_entry_nos)
        return {line.invoice_entry_no for line in self._state.invoice_lines if line.invoice_entry_no in wanted}


@dataclass
class _Card:
    setup: CostSetup
    revision: int
    implementation_no: int


class InMemoryItems:
    """The item card and inventory setup replicas (costing.adapters.items)."""

    def __init__(self, graph: InMemoryValuationGraph) -> None:
        self._graph = graph
        self.cards: dict[str, _Card] = {}
        self.setup_revision = 0

    async def upsert_items(self, cards: Sequence[tuple[CostSetup, int, int]]) -> None:
        for setup, revision, implementation_no in cards:
            known = self.cards.get(setup.item_no)
            if known is not None and known.revision >= revision:
                continue
            if known is not None and implementation_no < known.implementation_no:
                setup = replace(setup, standard_cost=known.setup.standard_cost)
            kept = max(implementation_no, known.implementation_no if known else 0)
            self.cards[setup.item_no] = _Card(setup, revision, kept)
            self._graph.set_item_setup(setup)

    async def upsert_item(self, setup: CostSetup, revision: int, standard_cost_implementation_no: int = 0) -> None:
        await self.upsert_items([(setup, revision, standard_cost_implementation_no)])

    async def implement_standard_cost(self, item_no: str, standard_cost: Decimal, implementation_no: int) -> None:
        card = self.cards[item_no]
        self.cards[item_no] = _Card(replace(card.setup, standard_cost=standard_cost), card.revision, implementation_no)
        self._graph.implement_standard_cost(item_no, standard_cost)

    async def item_setup(self, item_no: str) -> CostSetup | None:
        return await self._graph.item_setup(item_no)

    async def item_setups(self, item_nos: Sequence[str]) -> dict[str, CostSetup | None]:
        return {item_no: await self._graph.item_setup(item_no) for item_no in item_nos}

    async def item_card(self, item_no: str) -> ItemCard | None:
        card = self.cards.get(item_no)
        if card is None:
            return None
        quantity, value = await self._graph.on_hand(item_no)
        setup = card.setup
        return ItemCard(item_no, card.revision, str(setup.costing_method), setup.standard_cost, setup.indirect_cost_pct,
                        setup.overhead_rate, quantity, value)

    async def inventory_setup_revision(self) -> int:
        return self.setup_revision

    async def inventory_calendar(self) -> InventoryCalendar:
        return await self._graph.inventory_calendar()

    async def save_inventory_setup(self, setup: InventorySetupChanged) -> bool:
        if setup.revision <= self.setup_revision:
            return False
        self.setup_revision = setup.revision
        self._graph.set_calendar(InventoryCalendar(
            setup.allow_posting_from, setup.closed_through, setup.average_cost_period, setup.average_cost_calc_type
        ))
        return True

    async def has_average_periods(self) -> bool:
        return self._graph.has_periods()


def stored_value_entry(entry: ValueEntry) -> StoredValueEntry:
    """The row costing.adapters.session stores for a value entry."""
    ile = entry.item_ledger_entry
    return StoredValueEntry(
        entry.entry_no, ile.item_no, ile.entry_no, ile.entry_type, entry.entry_type, entry.posting_date, entry.valued_at,
        ile.location_code, ile.variant_code, ile.document_no, entry.valued_quantity, entry.invoiced_quantity,
        entry.cost_per_unit, entry.cost_amount_actual, entry.cost_amount_expected, entry.adjustment, entry.applies_to_entry,
        ile.inventory_posting_group, ile.gen_prod_posting_group, ile.gen_bus_posting_group, entry.item_charge_no,
        entry.sales_amount_actual, entry.variance_type, entry.resource_no,
    )


class InMemoryValueEntryQueries:
    """Value entries as stored and the value they sum to (costing.adapters.value_entries)."""

    def __init__(self, graph: InMemoryValuationGraph) -> None:
        self._graph = graph

    def _stored(self) -> list[StoredValueEntry]:
        return [stored_value_entry(entry) for entry in self._graph.value_entries]

    async def list_value_entries(
        self, item_no: str | None, item_ledger_entry_no: int | None, after: int | None, limit: int
    ) -> list[StoredValueEntry]:
        return [
            entry for entry in self._stored()
            if (item_no is None or entry.item_no == item_no)
            and (item_ledger_entry_no is None or entry.item_ledger_entry_no == item_ledger_entry_no)
            and (after is None or entry.entry_no > after)
        ][:limit]

    async def value_entries_by_no(self, entry_nos: Sequence[int]) -> list[StoredValueEntry]:
        wanted = set(entry_nos)
        return [entry for entry in self._stored() if entry.entry_no in wanted]

    async def valuation(self, at: date | None, item_no: str | None, location_code: str | None = None) -> list[ValuationRow]:
        """Per item, location and inventory posting group, up to `at` (a revaluation adds value, no quantity)."""
        sums: dict[tuple[str, str, str], tuple[Decimal, Decimal, Decimal]] = {}
        for entry in self._stored():
            if (at is not None and entry.posting_date > at) or (item_no is not None and entry.item_no != item_no) \
                    or (location_code is not None and entry.location_code != location_code):
                continue
            key = (entry.item_no, entry.location_code, entry.inventory_posting_group)
            quantity, actual, expected = sums.get(key, (_ZERO, _ZERO, _ZERO))
            counted = _ZERO if entry.entry_type == "Revaluation" else entry.valued_quantity
            sums[key] = (quantity + counted, actual + entry.cost_amount_actual, expected + entry.cost_amount_expected)
        return [
            ValuationRow(item_no, location_code, group, quantity, actual, expected)
            for (item_no, location_code, group), (quantity, actual, expected) in sorted(sums.items())
        ]

    async def valuation_by_posting_group(self) -> list[PostingGroupValuation]:
        sums: dict[tuple[str, str], tuple[Decimal, Decimal, int]] = {}
        for entry in self._stored():
            key = (entry.location_code, entry.inventory_posting_group)
            actual, expected, count = sums.get(key, (_ZERO, _ZERO, 0))
            sums[key] = (actual + entry.cost_amount_actual, expected + entry.cost_amount_expected, count + 1)
        return [
            PostingGroupValuation(location_code, group, actual, expected, count)
            for (location_code, group), (actual, expected, count) in sorted(sums.items())
        ]


class InMemoryUnitCosts:
    """Unit costs as published and items' adjustment status (costing.adapters.unit_costs)."""

    def __init__(self, graph: InMemoryValuationGraph, items: InMemoryItems) -> None:
        self._graph = graph
        self._items = items
        self.published: dict[str, PublishedUnitCost] = {}
        self.statuses: dict[str, CostStatus] = {}

    async def unit_cost_bases(self, item_nos: Sequence[str]) -> dict[str, UnitCostBasis]:
        bases = {}
        for item_no in item_nos:
            card = self._items.cards.get(item_no)
            entries = [self._graph.item_ledger_entry(no) for no in self._graph.item_ledger_entry_nos]
            last = [entry.costing_method for entry in entries if entry.item_no == item_no][-1:]
            method = str(card.setup.costing_method) if card else (str(last[0]) if last else None)
            if method is None:
                continue
            quantity, value = await self._graph.on_hand(item_no)
            bases[item_no] = UnitCostBasis(item_no, method, card.setup.standard_cost if card else _ZERO, quantity, value)
        return bases

    async def published_unit_costs(self, item_nos: Sequence[str]) -> dict[str, PublishedUnitCost]:
        return {item_no: self.published[item_no] for item_no in item_nos if item_no in self.published}

    async def save_published_unit_costs(self, rows: Sequence[PublishedUnitCost]) -> None:
        self.published.update((row.item_no, row) for row in rows)

    async def mark_adjusted(self, item_nos: Sequence[str]) -> None:
        for item_no in set(item_nos):
            known = self.statuses.get(item_no)
            adjusted = known is None or known.last_error is None
            self.statuses[item_no] = replace(known or CostStatus(True), cost_is_adjusted=adjusted, last_adjusted_at=None)

    async def mark_error(self, item_no: str, error: str) -> None:
        self.statuses[item_no] = replace(self.statuses.get(item_no) or CostStatus(False), cost_is_adjusted=False, last_error=error)

    async def cost_status(self, item_no: str) -> CostStatus | None:
        return self.statuses.get(item_no)


class InMemoryWorksheets:
    """The standard cost worksheets (costing.adapters.standard_cost_worksheet)."""

    def __init__(self, items: InMemoryItems) -> None:
        self._items = items
        self.lines_by_key: dict[tuple[str, str], WorksheetLine] = {}
        self.last_implementation_no = 0

    async def lines(self, worksheet_name: str) -> list[WorksheetLine]:
        return [line for (name, _), line in sorted(self.lines_by_key.items()) if name == worksheet_name]

    async def lines_to_implement(self, worksheet_name: str) -> list[WorksheetLine]:
        return [line for line in await self.lines(worksheet_name) if not line.implemented]

    async def save_lines(self, lines: Sequence[WorksheetLine]) -> None:
        for line in lines:
            self.lines_by_key[(line.worksheet_name, line.item_no)] = replace(line, implementation_no=None, posting_date=None)

    async def delete_line(self, worksheet_name: str, item_no: str) -> bool:
        return self.lines_by_key.pop((worksheet_name, item_no), None) is not None

    async def next_implementation_no(self) -> int:
        self.last_implementation_no += 1
        return self.last_implementation_no

    async def mark_implemented(self, line: WorksheetLine, implementation_no: int, posting_date: date) -> None:
        key = (line.worksheet_name, line.item_no)
        self.lines_by_key[key] = replace(self.lines_by_key[key], implementation_no=implementation_no, posting_date=posting_date)

    async def standard_items(self, item_nos: Sequence[str] | None) -> list[CostSetup]:
        return [
            CostSetup(item_no, CostingMethod.STANDARD, standard_cost=card.setup.standard_cost)
            for item_no, card in sorted(self._items.cards.items())
            if card.setup.costing_method == CostingMethod.STANDARD and (item_nos is None or item_no in item_nos)
        ]


class InMemoryReconciliations:
    """Costing's quantities by watermark and the differences reported (costing.adapters.reconciliation)."""

    def __init__(self, graph: InMemoryValuationGraph) -> None:
        self._graph = graph
        self.reported_differences: dict[Place, Decimal] = {}

    async def quantities_through(self, through: Mapping[str, int]) -> dict[Place, Decimal]:
        sums: dict[Place, Decimal] = {}
        for entry_no in self._graph.item_ledger_entry_nos:
            entry = self._graph.item_ledger_entry(entry_no)
            if entry.item_no in through and entry_no <= through[entry.item_no]:
                place = (entry.item_no, entry.location_code)
                sums[place] = sums.get(place, _ZERO) + entry.quantity
        return sums

    async def reported(self) -> dict[Place, Decimal]:
        return dict(self.reported_differences)

    async def record_reported(self, comparison: QuantityComparison) -> None:
        place = (comparison.item_no, comparison.location_code)
        if comparison.difference == 0:
            self.reported_differences.pop(place, None)
        else:
            self.reported_differences[place] = comparison.difference


@dataclass
class InMemoryCostingUnitOfWork:
    """`CostingUnitOfWork` in memory; `published` holds the (topic, event) pairs queued, in order."""

    cost_graph: InMemoryValuationGraph = field(default_factory=InMemoryValuationGraph)
    published: list[tuple[str, Envelope[Any]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.items = InMemoryItems(self.cost_graph)
        self.value_entries = InMemoryValueEntryQueries(self.cost_graph)
        self.unit_costs = InMemoryUnitCosts(self.cost_graph, self.items)
        self.worksheets = InMemoryWorksheets(self.items)
        self.reconciliation = InMemoryReconciliations(self.cost_graph)

    async def publish(self, topic: str, event: Envelope[Any]) -> None:
        self.published.append((topic, event))

    async def publish_all(self, events: Sequence[tuple[str, Envelope[Any]]]) -> None:
        self.published.extend(events)

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        with self.cost_graph.savepoint():
            yield
