"""A consumer batch like the benchmark's is valued in a bounded number of statements, with the values the engine gives
on a graph in memory.

The benchmark posts random purchases and sales of 1-10 units over many items that may go negative: many sales are
valued provisionally, at the item's current unit cost, and covered later by a purchase, which adjusts them. Valuing
such a batch must not write what the session holds before every read of one item or one entry: that costs several
statements per entry and made PostgreSQL the bottleneck of costing.
"""

import asyncio
import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import astuple, dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import asyncpg

from inventory_contracts.catalog import CostingMethod
from inventory_contracts.warehouse import ItemApplication, ItemEntryPosted, ItemLedgerEntryType

from costing.adapters.memory import InMemoryCostGraph
from costing.adapters.unit_of_work import PostgresCostingUnitOfWork
from costing.domain import engine
from costing.domain.inbound import CostSetup
from costing.domain.model import ValueEntry
from costing.service_layer.valuation import value_item_entries

D = Decimal
DAY = date(2026, 3, 1)
ITEMS = tuple(f"BS{n:03d}" for n in range(200))
BATCH = 500

# Statements (COPY and each row of an executemany counted as one) sent to value the measured batch. Before reads were
# answered from what the session holds, the same batch took 2,222 (191 writes of what it held, one per entry read).
MAX_STATEMENTS = 24


@dataclass
class Warehouse:
    """Applies entries as the warehouse does for items that may go negative: a sale takes from the oldest open inbound
    entries and waits with the rest; a purchase covers the oldest waiting sales first."""

    rng: random.Random
    next_no: int = 1
    inbound: dict[str, list[list[Any]]] = field(default_factory=lambda: {item: [] for item in ITEMS})
    waiting: dict[str, list[list[Any]]] = field(default_factory=lambda: {item: [] for item in ITEMS})

    def batch(self, size: int) -> list[ItemEntryPosted]:
        return [self.posting() for _ in range(size)]

    def posting(self) -> ItemEntryPosted:
        no, self.next_no = self.next_no, self.next_no + 1
        item, quantity = self.rng.choice(ITEMS), D(self.rng.randint(1, 10))
        common = dict(entry_no=no, item_no=item, location_code="MAIN", posting_date=DAY, document_no=f"BS{no}",
                      costing_method=CostingMethod.FIFO, inventory_posting_group="RESALE", gen_prod_posting_group="RETAIL",
                      recorded_at=datetime.now(UTC))
        if self.rng.random() < 0.6:
            applications = self._take(self.waiting[item], quantity, lambda sale, taken: ItemApplication(
                inbound_entry_no=no, outbound_entry_no=sale, quantity=taken))
            left = quantity - sum((a.quantity for a in applications), D(0))
            if left:
                self.inbound[item].append([no, left])
            return ItemEntryPosted(**common, entry_type=ItemLedgerEntryType.PURCHASE, quantity=quantity,
                                   unit_cost=self._unit_cost(), applications=applications)
        applications = self._take(self.inbound[item], quantity, lambda receipt, taken: ItemApplication(
            inbound_entry_no=receipt, outbound_entry_no=no, quantity=taken))
        left = quantity - sum((a.quantity for a in applications), D(0))
        if left:
            self.waiting[item].append([no, left])
        return ItemEntryPosted(**common, entry_type=ItemLedgerEntryType.SALE, quantity=-quantity, applications=applications)

    def _unit_cost(self) -> Decimal:
        """In cents as the benchmark's, but for a few in tenths of a cent: their layers leave a residue to round."""
        if self.rng.random() < 0.9:
            return D(self.rng.randint(100, 9_999)) / 100
        return D(self.rng.randint(1_000, 99_999)) / 1000

    @staticmethod
    def _take(open_entries: list[list[Any]], wanted: Decimal, application: Callable[[int, Decimal], ItemApplication]) -> list[ItemApplication]:
        taken = []
        while wanted and open_entries:
            entry = open_entries[0]
            quantity = min(wanted, entry[1])
            taken.append(application(entry[0], quantity))
            entry[1] -= quantity
            wanted -= quantity
            if not entry[1]:
                open_entries.pop(0)
        return taken


class CountingConnection:
    """The connection, counting the statements sent through it: each COPY, and each row of an executemany (PostgreSQL
    executes it once per row)."""

    COUNTED = frozenset({"execute", "executemany", "fetch", "fetchrow", "fetchval", "copy_records_to_table"})

    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn
        self.statements: list[str] = []

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._conn, name)
        if name not in self.COUNTED:
            return method

        async def counted(*args: Any, **kwargs: Any) -> Any:
            what = f"COPY {args[0]}" if name == "copy_records_to_table" else " ".join(args[0].split())
            self.statements += [what] * (len(args[1]) if name == "executemany" else 1)
            return await method(*args, **kwargs)

        return counted


def rows_of(entries: Sequence[ValueEntry]) -> list[tuple[Any, ...]]:
    """What values an entry, without the numbers (the database's and memory's are drawn apart)."""
    item_ledger_entry_of = {entry.entry_no: entry.item_ledger_entry.entry_no for entry in entries}
    return [
        (entry.item_ledger_entry.entry_no, str(entry.entry_type), entry.posting_date, entry.valued_at, entry.valued_quantity,
         entry.invoiced_quantity, entry.cost_amount_actual, entry.cost_amount_expected, entry.adjustment,
         None if entry.applies_to_entry is None else item_ledger_entry_of[entry.applies_to_entry])
        for entry in entries
    ]


def stored_rows(records: Sequence[asyncpg.Record]) -> list[tuple[Any, ...]]:
    """`rows_of` the value entries as stored."""
    item_ledger_entry_of = {row["entry_no"]: row["item_ledger_entry_no"] for row in records}
    return [
        (row["item_ledger_entry_no"], row["entry_type"], row["posting_date"], row["valuation_date"], row["valued_quantity"],
         row["invoiced_quantity"], row["cost_amount_actual"], row["cost_amount_expected"], row["adjustment"],
         None if row["applies_to_entry"] is None else item_ledger_entry_of[row["applies_to_entry"]])
        for row in records
    ]


@dataclass
class Valued:
    statements: list[str]
    written: list[ValueEntry]
    """What the measured batch gave back, as stored."""
    stored: list[asyncpg.Record]
    on_hand: dict[str, tuple[Decimal, Decimal]]
    layers: list[tuple[Any, ...]]
    provisionals: list[tuple[Any, ...]]


async def in_memory(batches: list[list[ItemEntryPosted]]) -> InMemoryCostGraph:
    graph = InMemoryCostGraph([CostSetup(item, CostingMethod.FIFO) for item in ITEMS])
    for batch in batches:
        await engine.value_events(graph, batch)
    return graph


def test_a_batch_with_negative_inventory_takes_few_statements_and_values_as_the_engine_does(in_rolled_back_transaction: Any) -> None:
    warehouse = Warehouse(random.Random(20))
    before, measured = warehouse.batch(BATCH), warehouse.batch(BATCH)
    assert sum(1 for event in measured if event.quantity > 0 and event.applications) > 50, "purchases covering waiting sales"
    assert sum(1 for event in measured if -event.quantity > sum((a.quantity for a in event.applications), D(0))) > 50

    async def value(conn: asyncpg.Connection) -> Valued:
        await PostgresCostingUnitOfWork(conn).items.upsert_items([(CostSetup(item, CostingMethod.FIFO), 1, 0) for item in ITEMS])
        await value_item_entries(PostgresCostingUnitOfWork(conn), before)
        counting = CountingConnection(conn)
        written = await value_item_entries(PostgresCostingUnitOfWork(counting), measured)  # type: ignore[arg-type]
        return Valued(
            counting.statements, [entry for entries in written for entry in entries],
            await conn.fetch("""SELECT entry_no, item_ledger_entry_no, entry_type, posting_date, valuation_date, valued_quantity,
                                       invoiced_quantity, cost_amount_actual, cost_amount_expected, adjustment, applies_to_entry
                                FROM value_entries ORDER BY entry_no"""),
            {row["item_no"]: (row["quantity"], row["value"]) for row in await conn.fetch("SELECT * FROM item_on_hand")},
            [tuple(row) for row in await conn.fetch(
                """SELECT entry_no, quantity, cost_amount, applied_quantity, applied_cost, rounding_amount FROM cost_layers
                   ORDER BY entry_no""")],
            [tuple(row) for row in await conn.fetch(
                """SELECT entry_no, provisional_quantity, provisional_cost, covered_quantity FROM provisional_outbound_costs
                   ORDER BY entry_no""")],
        )

    valued = in_rolled_back_transaction(value)
    graph = asyncio.run(in_memory([before, measured]))
    assert stored_rows(valued.stored) == rows_of(graph.value_entries)
    by_no = {row["entry_no"]: row for row in valued.stored}
    assert [(row["cost_amount_actual"], row["applies_to_entry"], row["valuation_date"]) for row in map(by_no.__getitem__, (
        entry.entry_no for entry in valued.written))] == [(e.cost_amount_actual, e.applies_to_entry, e.valued_at) for e in valued.written]
    assert {item: valued.on_hand.get(item, (D(0), D(0))) for item in ITEMS} == {item: asyncio.run(graph.on_hand(item)) for item in ITEMS}
    assert valued.layers == sorted(
        (layer.entry_no, layer.quantity, layer.cost_amount, layer.applied_quantity, layer.applied_cost, layer.rounding_amount)
        for item in ITEMS for layer, _ in graph.cost_layers(item))
    provisionals = asyncio.run(graph.provisionals([event.entry_no for event in [*before, *measured] if event.quantity < 0]))
    assert valued.provisionals == [astuple(provisional) for provisional in provisionals.values()]
    assert any(entry.adjustment for entry in valued.written) and any(str(entry.entry_type) == "Rounding" for entry in valued.written)
    print(f"\n{len(valued.statements)} statements for a batch of {BATCH}:")
    for statement, count in Counter(valued.statements).most_common():
        print(f"{count:>6}x {statement[:150]}")
    assert len(valued.statements) <= MAX_STATEMENTS, f"{len(valued.statements)} statements for a batch of {BATCH}"
