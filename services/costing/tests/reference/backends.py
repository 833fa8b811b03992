"""Where the property tests run the valuation: costing's use cases on PostgreSQL, or the engine on a graph in memory.

One test body, two implementations of the cost graph (one abstract test suite run against every implementation of a
port): `PostgresBackend` goes through the service layer and the SQL in a transaction the test rolls back;
`MemoryBackend` calls the engine's entry points (`engine.value_events`, `engine.assign_item_charge`,
`engine.revalue_inventory`) on an `InMemoryCostGraph`, no database. Both give back the value entries as stored, as
`Row`s, so that the same checks read them.

Each backend counts the operations it played (the engine calls), which the large runs report.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

import asyncpg

from inventory_contracts.warehouse import InventorySetupChanged, ItemEntryInvoiced, ItemEntryPosted

from costing.adapters.memory import InMemoryCostGraph
from costing.adapters.unit_of_work import PostgresCostingUnitOfWork
from costing.domain import engine
from costing.domain.calendar import InventoryCalendar
from costing.domain.engine import AssignItemCharge, RevalueInventory
from costing.domain.errors import PostingDateClosedError, UnknownItemError
from costing.domain.inbound import CostSetup
from costing.domain.model import ValueEntry
from costing.domain.standard_cost import check_standard_item
from costing.service_layer.standard_costs import (
    ImplementStandardCostChanges,
    implement_standard_cost_changes,
    set_worksheet_line,
)
from costing.service_layer.valuation import (
    assign_item_charge,
    invoice_item_entry,
    revalue_inventory,
    value_item_entry,
)


@dataclass(frozen=True)
class Row:
    """A stored value entry, as the checks read it (the columns of value_entries they use)."""

    entry_no: int
    no: int
    """Its item ledger entry."""
    entry_type: str
    posting_date: date
    valuation_date: date
    location_code: str
    document_no: str
    valued_quantity: Decimal
    invoiced_quantity: Decimal
    cost_amount_actual: Decimal
    cost_amount_expected: Decimal
    adjustment: bool
    applies_to_entry: int | None
    item_charge_no: str | None
    sales_amount_actual: Decimal

    @property
    def amount(self) -> Decimal:
        return self.cost_amount_actual + self.cost_amount_expected


def row_of(entry: ValueEntry) -> Row:
    """The row the repository stores for a value entry (CostingSession._store_value_entries)."""
    ile = entry.item_ledger_entry
    return Row(
        entry.entry_no, ile.entry_no, str(entry.entry_type), entry.posting_date, entry.valued_at, ile.location_code,
        ile.document_no, entry.valued_quantity, entry.invoiced_quantity, entry.cost_amount_actual, entry.cost_amount_expected,
        entry.adjustment, entry.applies_to_entry, entry.item_charge_no, entry.sales_amount_actual,
    )


class Backend(Protocol):
    operations: int
    """Operations played: engine calls (postings, invoices, item charges, revaluations, standard cost changes)."""
    written: list[ValueEntry]
    """Every value entry the operations gave back, in order."""

    async def set_item(self, setup: CostSetup) -> None: ...
    async def set_inventory_setup(self, setup: InventorySetupChanged) -> None: ...
    async def post(self, posted: ItemEntryPosted) -> list[ValueEntry]: ...
    async def invoice(self, invoiced: ItemEntryInvoiced) -> list[ValueEntry]: ...
    async def assign_charge(self, command: AssignItemCharge) -> list[ValueEntry]: ...
    async def revalue(self, command: RevalueInventory) -> list[ValueEntry]:
        """All or nothing: a revaluation that raises leaves nothing behind."""
        ...
    async def implement_standard_cost(self, item_no: str, new_standard_cost: Decimal, posting_date: date) -> list[ValueEntry]:
        """The standard cost worksheet: revalue what is on hand at the date to the new standard cost, and value at it from now on."""
        ...
    async def value_entries(self, item_no: str) -> list[Row]:
        """The item's stored value entries, by entry no."""
        ...


class PostgresBackend:
    """Costing's use cases and SQL on one connection (in the transaction the test rolls back)."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn
        self.operations = 0
        self.written: list[ValueEntry] = []
        self._revision = 0

    def _played(self, written: list[ValueEntry]) -> list[ValueEntry]:
        self.operations += 1
        self.written += written
        return written

    async def set_item(self, setup: CostSetup) -> None:
        self._revision += 1
        await PostgresCostingUnitOfWork(self.conn).items.upsert_item(setup, revision=self._revision)

    async def set_inventory_setup(self, setup: InventorySetupChanged) -> None:
        await PostgresCostingUnitOfWork(self.conn).items.save_inventory_setup(setup)

    async def post(self, posted: ItemEntryPosted) -> list[ValueEntry]:
        return self._played(await value_item_entry(PostgresCostingUnitOfWork(self.conn), posted))

    async def invoice(self, invoiced: ItemEntryInvoiced) -> list[ValueEntry]:
        return self._played(await invoice_item_entry(PostgresCostingUnitOfWork(self.conn), invoiced))

    async def assign_charge(self, command: AssignItemCharge) -> list[ValueEntry]:
        return self._played(await assign_item_charge(PostgresCostingUnitOfWork(self.conn), command))

    async def revalue(self, command: RevalueInventory) -> list[ValueEntry]:
        self.operations += 1
        async with self.conn.transaction():
            written = await revalue_inventory(PostgresCostingUnitOfWork(self.conn), command)
        self.written += written
        return written

    async def implement_standard_cost(self, item_no: str, new_standard_cost: Decimal, posting_date: date) -> list[ValueEntry]:
        await set_worksheet_line(PostgresCostingUnitOfWork(self.conn), "REFERENCE", item_no, new_standard_cost)
        implementation = await implement_standard_cost_changes(PostgresCostingUnitOfWork(self.conn), ImplementStandardCostChanges("REFERENCE", posting_date))
        return self._played(implementation.written)

    async def value_entries(self, item_no: str) -> list[Row]:
        rows = await self.conn.fetch(
            """SELECT entry_no, item_ledger_entry_no AS no, entry_type, posting_date, valuation_date, location_code, document_no,
                      valued_quantity, invoiced_quantity, cost_amount_actual, cost_amount_expected, adjustment,
                      applies_to_entry, item_charge_no, sales_amount_actual
            FROM value_entries WHERE item_no = $1 ORDER BY entry_no""",
            item_no,
        )
        return [Row(**dict(row)) for row in rows]

    async def fetch(self, query: str, *args: Any) -> list[asyncpg.Record]:
        return await self.conn.fetch(query, *args)


class MemoryBackend:
    """The engine's entry points on an `InMemoryCostGraph`: no service layer, no database."""

    def __init__(self, graph: InMemoryCostGraph | None = None) -> None:
        self.graph = graph or InMemoryCostGraph()
        self.operations = 0
        self.written: list[ValueEntry] = []

    def _played(self, written: list[ValueEntry]) -> list[ValueEntry]:
        self.operations += 1
        written = self.graph.stored(written)
        self.written += written
        return written

    async def set_item(self, setup: CostSetup) -> None:
        self.graph.set_item_setup(setup)

    async def set_inventory_setup(self, setup: InventorySetupChanged) -> None:
        self.graph.set_calendar(InventoryCalendar(
            setup.allow_posting_from, setup.closed_through, setup.average_cost_period, setup.average_cost_calc_type,
        ))

    async def post(self, posted: ItemEntryPosted) -> list[ValueEntry]:
        (written,) = await engine.value_events(self.graph, [posted])
        return self._played(written)

    async def invoice(self, invoiced: ItemEntryInvoiced) -> list[ValueEntry]:
        (written,) = await engine.value_events(self.graph, [invoiced])
        return self._played(written)

    async def assign_charge(self, command: AssignItemCharge) -> list[ValueEntry]:
        return self._played(await engine.assign_item_charge(self.graph, command))

    async def revalue(self, command: RevalueInventory) -> list[ValueEntry]:
        self.operations += 1
        with self.graph.savepoint():
            written = self.graph.stored(await engine.revalue_inventory(self.graph, command))
        self.written += written
        return written

    async def implement_standard_cost(self, item_no: str, new_standard_cost: Decimal, posting_date: date) -> list[ValueEntry]:
        """What costing.service_layer.standard_costs.implement_standard_cost_changes does for one worksheet line."""
        calendar = await self.graph.inventory_calendar()
        if not calendar.is_open(posting_date):
            raise PostingDateClosedError(f"standard costs cannot be implemented on {posting_date}")
        setup = await self.graph.item_setup(item_no)
        if setup is None:
            raise UnknownItemError(f"item {item_no} is not known to costing")
        check_standard_item(setup)
        written: list[ValueEntry] = []
        if await self.graph.open_layers(item_no, posting_date):
            written = await engine.revalue_inventory(self.graph, RevalueInventory(item_no, posting_date, new_unit_cost=new_standard_cost))
        self.graph.implement_standard_cost(item_no, new_standard_cost)
        return self._played(written)

    async def value_entries(self, item_no: str) -> list[Row]:
        return [row_of(entry) for entry in self.graph.value_entries if entry.item_ledger_entry.item_no == item_no]


def check_value_entries_are_never_rewritten(backend: Backend, item_no: str, rows: list[Row]) -> None:
    """What is stored of the item is exactly what the operations wrote, each entry as written: none changed or removed
    afterwards, none stored that was not reported (and so published)."""
    reported = sorted(
        (row_of(entry) for entry in backend.written if entry.item_ledger_entry.item_no == item_no), key=lambda row: row.entry_no
    )
    assert len({row.entry_no for row in reported}) == len(reported), "a value entry number was reported twice"
    assert rows == reported, next(
        (f"stored {stored}, written {written}" for stored, written in zip(rows, reported, strict=False) if stored != written),
        f"{len(rows)} value entries stored, {len(reported)} written",
    )
