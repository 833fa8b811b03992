"""One transaction's connection and what the valuation path keeps in it, shared by costing's repositories.

The valuation path reads and writes through identity maps and write buffers: the layers, item ledger entries,
provisional costs, cost sources, valuation dates, item setups and the calendar it reads are kept once read (a
batch's are read set-based ahead), and the item ledger entries, layers, cost applications, provisional costs and
value entries it writes are kept until `flush` writes them in bulk, one statement per table. A read of what the
session holds is answered as the tables would answer it after a flush: held rows as they stand, the others as
stored, which nothing kept has changed. Every other query flushes first, so it reads what was written: a batch
that flushed before each such read of one item or one entry sent several statements per entry.
Value entries get provisional numbers (negative) until they are stored; `stored` gives their numbers then.
"""

import functools
import inspect
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import astuple, dataclass, field, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar

import asyncpg

from inventory_contracts.catalog import CostingMethod

from costing.domain.average import AverageKey, AverageOutbound, Period
from costing.domain.calendar import InventoryCalendar
from costing.domain.fifo import CostLayer
from costing.domain.inbound import CostSetup
from costing.domain.model import ItemLedgerEntry, ValueEntry
from costing.domain.ports import CostSource, KnownEntry, Provisional

ENTRY_COLUMNS = (
    "entry_no, item_no, variant_code, location_code, posting_date, entry_type, document_no, quantity, "
    "costing_method, inventory_posting_group, gen_prod_posting_group, gen_bus_posting_group, invoiced_quantity, applies_to_entry"
)


class CostingSession:
    """The connection of one transaction, what its repositories read and kept, and what they wrote and not stored yet."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn
        self.stored_numbers: dict[int, int] = {}
        self.stored_entries: dict[int, ValueEntry] = {}
        self.last_provisional = 0
        self.forget()

    def forget(self) -> None:
        """Drop what was read and kept, unwritten: after a rollback to a savepoint it no longer stands. Provisional
        numbers go on from the last one drawn, so that none of an entry written before stands for another."""
        self.ahead: dict[AverageKey, PeriodsAhead] = {}
        self.pending = _Pending()
        self.layers: dict[int, CostLayer] = {}
        self.item_layers: dict[str, set[int]] = {}
        self.provisionals: dict[int, Provisional] = {}
        self.entries: dict[int, KnownEntry] = {}
        self.cost_sources: dict[int, list[CostSource]] = {}
        self.stored_on_hand: dict[str, tuple[Decimal, Decimal]] = {}
        self.first_written: dict[int, int] = {}
        self.valued_at: dict[int, date] = {}
        self.setups: dict[str, CostSetup | None] = {}
        self.calendar: InventoryCalendar | None = None

    async def load_setups(self, item_nos: Iterable[str]) -> None:
        """Read, set-based, the costing setups of the items not read yet in this transaction."""
        missing_items = [item_no for item_no in dict.fromkeys(item_nos) if item_no not in self.setups]
        if missing_items:
            rows = await self.conn.fetch(
                "SELECT item_no, costing_method, standard_cost, indirect_cost_pct, overhead_rate, single_level_material_cost, "
                "single_level_capacity_cost, single_level_cap_ovhd_cost, single_level_mfg_ovhd_cost "
                "FROM items WHERE item_no = ANY($1::text[])",
                missing_items,
            )
            self.setups.update(dict.fromkeys(missing_items))
            self.setups.update({row["item_no"]: setup_of(row) for row in rows})

    async def flush(self) -> None:
        """Write what the valuation path kept: one statement per table."""
        pending, self.pending = self.pending, _Pending()
        if pending.entries:
            await self.conn.copy_records_to_table(
                "item_ledger_entries", columns=[*ENTRY_COLUMNS.split(", "), "valuation_date"],
                records=[
                    (entry.entry_no, entry.item_no, entry.variant_code, entry.location_code, entry.posting_date,
                     str(entry.entry_type), entry.document_no, entry.quantity, str(entry.costing_method),
                     entry.inventory_posting_group, entry.gen_prod_posting_group, entry.gen_bus_posting_group,
                     entry.invoiced_quantity, entry.applies_to_entry, entry.valuation_date)
                    for entry in pending.entries.values()
                ],
            )
        if pending.valuation_dates:
            await self.conn.execute(
                """UPDATE item_ledger_entries e SET valuation_date = d.valuation_date
                FROM unnest($1::bigint[], $2::date[]) AS d(entry_no, valuation_date) WHERE e.entry_no = d.entry_no""",
                list(pending.valuation_dates), list(pending.valuation_dates.values()),
            )
        if pending.layers:
            await self.conn.copy_records_to_table(
                "cost_layers", columns=["entry_no", "item_no", "quantity", "cost_amount", "applied_quantity", "applied_cost",
                                        "revalued_amount", "rounding_amount", "revalued"],
                records=[(layer.entry_no, item_no, layer.quantity, layer.cost_amount, layer.applied_quantity, layer.applied_cost,
                          layer.revalued_amount, layer.rounding_amount, layer.revalued) for layer, item_no in pending.layers.values()],
            )
        changed = [layer for entry_no, layer in pending.changed_layers.items() if entry_no not in pending.layers]
        if changed:
            await self.conn.execute(
                """UPDATE cost_layers l SET applied_quantity = c.applied_quantity, applied_cost = c.applied_cost,
                    rounding_amount = c.rounding_amount
                FROM unnest($1::bigint[], $2::numeric[], $3::numeric[], $4::numeric[])
                    AS c(entry_no, applied_quantity, applied_cost, rounding_amount)
                WHERE l.entry_no = c.entry_no""",
                [layer.entry_no for layer in changed], [layer.applied_quantity for layer in changed],
                [layer.applied_cost for layer in changed], [layer.rounding_amount for layer in changed],
            )
        if pending.applications:
            await self.conn.copy_records_to_table(
                "cost_applications", columns=["inbound_entry_no", "outbound_entry_no", "quantity", "cost_amount"],
                records=pending.applications,
            )
        if pending.provisionals:
            await self.conn.copy_records_to_table(
                "provisional_outbound_costs", columns=["entry_no", "provisional_quantity", "provisional_cost", "covered_quantity"],
                records=[astuple(provisional) for provisional in pending.provisionals.values()],
            )
        covered = [provisional for entry_no, provisional in pending.covered.items() if entry_no not in pending.provisionals]
        if covered:
            await self.conn.execute(
                """UPDATE provisional_outbound_costs p SET covered_quantity = c.covered_quantity
                FROM unnest($1::bigint[], $2::numeric[]) AS c(entry_no, covered_quantity) WHERE p.entry_no = c.entry_no""",
                [provisional.entry_no for provisional in covered], [provisional.covered_quantity for provisional in covered],
            )
        if pending.value_entries:
            await self._store_value_entries(pending.value_entries)

    def hold_layer(self, layer: CostLayer, item_no: str) -> None:
        self.layers[layer.entry_no] = layer
        self.item_layers.setdefault(item_no, set()).add(layer.entry_no)

    def hold_entry(self, entry_no: int, entry: ItemLedgerEntry, first_value_entry_no: int | None) -> None:
        """The item ledger entry as the table would give it back now (with what is kept written)."""
        self.entries[entry_no] = KnownEntry(
            replace(entry, quantity=stored_quantity(entry.quantity), invoiced_quantity=(
                None if entry.invoiced_quantity is None else stored_quantity(entry.invoiced_quantity))),
            first_value_entry_no,
        )

    def stored_entry(self, entry_no: int) -> KnownEntry:
        """A held item ledger entry, with the stored number of its first value entry once it is stored."""
        known = self.entries[entry_no]
        first = known.first_value_entry_no
        if first is None or first not in self.stored_numbers:
            return known
        return replace(known, first_value_entry_no=self.stored_numbers[first])

    def first_value_entry(self, item_ledger_entry_no: int) -> int | None:
        """The number of the first value entry of the item ledger entry written in this transaction: stored, or provisional."""
        first = self.first_written.get(item_ledger_entry_no)
        return None if first is None else self.stored_numbers.get(first, first)

    def stored(self, entries: Iterable[ValueEntry]) -> list[ValueEntry]:
        """The value entries as stored, with their numbers (and those they apply to) in place of provisional ones."""
        return [self.stored_entries.get(entry.entry_no) or self._numbered(entry) for entry in entries]

    def _numbered(self, entry: ValueEntry) -> ValueEntry:
        number, applies_to = self.stored_numbers.get(entry.entry_no), entry.applies_to_entry
        stored_applies_to = self.stored_numbers.get(applies_to) if applies_to is not None else None
        if number is None and stored_applies_to is None:
            return entry
        return replace(entry, entry_no=number or entry.entry_no, applies_to_entry=stored_applies_to or applies_to)

    async def _store_value_entries(self, entries: Sequence[ValueEntry]) -> None:
        provisional_of = [entry.entry_no for entry in entries]
        provisional = sorted((number for number in provisional_of if number < 0), reverse=True)
        drawn = await self.conn.fetch("SELECT nextval('value_entry_no') FROM generate_series(1, $1)", len(provisional))
        self.stored_numbers.update(zip(provisional, sorted(row[0] for row in drawn), strict=True))
        entries = [self._numbered(entry) for entry in entries]
        self.stored_entries.update(zip(provisional_of, entries, strict=True))
        await self.conn.copy_records_to_table(
            "value_entries",
            columns=["entry_no", "item_no", "item_ledger_entry_no", "item_ledger_entry_type", "entry_type", "posting_date",
                     "valuation_date", "location_code", "variant_code", "document_no", "valued_quantity", "invoiced_quantity",
                     "cost_per_unit", "cost_amount_actual", "cost_amount_expected", "adjustment", "applies_to_entry",
                     "inventory_posting_group", "gen_prod_posting_group", "gen_bus_posting_group", "item_charge_no",
                     "sales_amount_actual", "variance_type", "resource_no"],
            records=[
                (
                    ve.entry_no, ile.item_no, ile.entry_no, str(ile.entry_type), str(ve.entry_type), ve.posting_date,
                    ve.valued_at, ile.location_code, ile.variant_code, ile.document_no, ve.valued_quantity,
                    ve.invoiced_quantity, ve.cost_per_unit, ve.cost_amount_actual, ve.cost_amount_expected,
                    ve.adjustment, ve.applies_to_entry, ile.inventory_posting_group, ile.gen_prod_posting_group,
                    ile.gen_bus_posting_group, ve.item_charge_no, ve.sales_amount_actual,
                    None if ve.variance_type is None else str(ve.variance_type), ve.resource_no,
                )
                for ve in entries
                for ile in [ve.item_ledger_entry]
            ],
        )
        totals: dict[str, tuple[Decimal, Decimal]] = {}
        for ve in entries:
            quantity, value = totals.get(ve.item_ledger_entry.item_no, (Decimal(0), Decimal(0)))
            totals[ve.item_ledger_entry.item_no] = (quantity + ve.item_ledger_entry_quantity, value + ve.cost_amount_actual)
        await self.conn.execute(
            """
            INSERT INTO item_on_hand (item_no, quantity, value)
            SELECT * FROM unnest($1::text[], $2::numeric[], $3::numeric[])
            ON CONFLICT (item_no) DO UPDATE SET quantity = item_on_hand.quantity + excluded.quantity,
                value = item_on_hand.value + excluded.value
            """,
            list(totals), [quantity for quantity, _ in totals.values()], [value for _, value in totals.values()],
        )


class CostingStore:
    """A repository of costing on the transaction's session."""

    def __init__(self, session: CostingSession) -> None:
        self._session = session
        self._conn = session.conn


S = TypeVar("S", bound=type[CostingStore])


def flushes_first(*kept: str) -> Callable[[S], S]:
    """Make every public query of the class write what the session kept first, but those named in `kept`: they are
    served from (or add to) what this transaction read and kept."""
    def decorate(cls: S) -> S:
        for name, query in list(vars(cls).items()):
            if inspect.iscoroutinefunction(query) and not name.startswith("_") and name not in kept:
                setattr(cls, name, _flushing_first(query))
        return cls
    return decorate


def _flushing_first(query: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    @functools.wraps(query)
    async def flushed(self: CostingStore, *args: Any, **kwargs: Any) -> Any:
        await self._session.flush()
        return await query(self, *args, **kwargs)
    return flushed


def stored_quantity(quantity: Decimal) -> Decimal:
    """A quantity as a numeric(20, 5) column gives it back: kept in the session, it reads as if read from the table."""
    return quantity.quantize(_QUANTITY_PLACES, rounding=ROUND_HALF_UP)


def stored_amount(amount: Decimal) -> Decimal:
    """An amount as a numeric(20, 2) column gives it back."""
    return amount.quantize(_AMOUNT_PLACES, rounding=ROUND_HALF_UP)


_QUANTITY_PLACES = Decimal("0.00001")
_AMOUNT_PLACES = Decimal("0.01")


def setup_of(row: asyncpg.Record) -> CostSetup:
    return CostSetup(**{**dict(row), "costing_method": CostingMethod(row["costing_method"])})


@dataclass
class _Pending:
    """What the valuation path wrote and `flush` has not stored yet."""

    entries: dict[int, ItemLedgerEntry] = field(default_factory=dict)
    valuation_dates: dict[int, date] = field(default_factory=dict)
    layers: dict[int, tuple[CostLayer, str]] = field(default_factory=dict)
    changed_layers: dict[int, CostLayer] = field(default_factory=dict)
    applications: list[tuple[int, int, Decimal, Decimal]] = field(default_factory=list)
    provisionals: dict[int, Provisional] = field(default_factory=dict)
    """New rows, as they stand now."""
    covered: dict[int, Provisional] = field(default_factory=dict)
    """Rows stored before whose covered quantity changed, as they stand now."""
    value_entries: list[ValueEntry] = field(default_factory=list)


MAX_BATCH = 1024


@dataclass
class PeriodsAhead:
    """An item's periods after `after`, read and locked ahead in this transaction, kept as saved since.

    `periods` are all the item's periods after `after` up to the last one read (all of them when `complete`);
    `outbounds` the outbound entries of some of them, as stored.
    """

    after: date
    periods: list[Period] = field(default_factory=list)
    complete: bool = False
    batch: int = 8
    outbounds: dict[date, list[AverageOutbound]] = field(default_factory=dict)
    outbound_batch: int = 4

    def skip_to(self, start: date) -> None:
        """Forget what lies at or before `start`: the walk has passed it."""
        passed = 0
        while passed < len(self.periods) and self.periods[passed].start <= start:
            self.outbounds.pop(self.periods[passed].start, None)
            passed += 1
        del self.periods[:passed]
        self.after = start

    def saved(self, period: Period) -> bool:
        """Keep a saved period read ahead as saved; False if it was not read ahead: a new period."""
        for i, known in enumerate(self.periods):
            if known.start == period.start:
                self.periods[i] = replace(period)
                return True
        return False

    def set_costs(self, costs: dict[int, Decimal]) -> None:
        for start, outbound in self.outbounds.items():
            if any(entry.entry_no in costs for entry in outbound):
                self.outbounds[start] = [
                    replace(entry, cost_amount=costs[entry.entry_no]) if entry.entry_no in costs else entry for entry in outbound
                ]
