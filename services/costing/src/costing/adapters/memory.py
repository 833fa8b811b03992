"""An item's cost graph in memory: `CostGraph` with the semantics of the PostgreSQL repositories' SQL (costing.adapters), without a database.

It serves the tests that drive the valuation engine directly (thousands of random operations a second, where
PostgreSQL manages a few hundred). Each method does what the repository's query does, read for read: sums over
value entries, the order rows come back in, what an UPDATE changes. Layers are kept as the objects the engine
changes (the repository's identity map, for the graph's whole life); every other read gives a copy, so what the
engine changes reaches the graph only through the calls that write it, as it reaches the database. (The repository
reads a layer afresh in each transaction; one kept for the graph's life differs only where that reload loses something,
which is what comparing the two finds.)

Value entries get their final numbers at once (positive, increasing in the order they were drawn): `stored` gives
them back unchanged, so a test reads both implementations alike.
"""

from collections.abc import Container, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from inventory_contracts.costing import ValueEntryType
from inventory_contracts.limits import AMOUNT_QUANTUM

from costing.domain.assembly import AssemblyOutput
from costing.domain.average import (
    AverageInbound,
    AverageInboundEntry,
    AverageKey,
    AverageOutbound,
    FixedOutbound,
    GivenBack,
    Period,
)
from costing.domain.calendar import InventoryCalendar
from costing.domain.fifo import CostLayer
from costing.domain.inbound import CostSetup
from costing.domain.model import ItemLedgerEntry, ValueEntry
from costing.domain.ports import AssemblyInput, CostGraph, CostSource, KnownEntry, OpenLayer, Provisional
from costing.domain.revaluation import Application, LayerRevaluation

_ZERO = Decimal(0)


class StorageError(Exception):
    """What PostgreSQL would refuse: a duplicate key, a broken CHECK, an amount its numeric(20, 2) column would round.

    The database rounds such an amount silently; here it is an error, so that no test passes because of it.
    """


def _stored_amount(amount: Decimal, what: str) -> None:
    if amount != amount.quantize(AMOUNT_QUANTUM):
        raise StorageError(f"{what}: {amount} has more than 2 decimals")


def _positive(quantity: Decimal, what: str) -> None:
    if not quantity > 0:
        raise StorageError(f"{what}: quantity {quantity} is not positive")


def _unique(key: int, table: Container[int], what: str) -> None:
    if key in table:
        raise StorageError(f"{what} already holds {key}")


@dataclass
class _CostApplication:
    """A row of cost_applications."""

    seq: int
    inbound_entry_no: int
    outbound_entry_no: int
    quantity: Decimal
    cost_amount: Decimal


@dataclass
class _CostSourceRow:
    """A row of cost_sources."""

    seq: int
    inbound_entry_no: int
    outbound_entry_no: int
    quantity: Decimal
    cost_amount: Decimal


@dataclass(frozen=True)
class ChargeAssignment:
    item_charge_no: str
    document_no: str
    posting_date: date
    item_ledger_entry_no: int
    amount: Decimal


@dataclass(frozen=True)
class InvoiceLine:
    invoice_entry_no: int
    item_ledger_entry_no: int
    quantity: Decimal


@dataclass
class _State:
    """Everything the tables hold; one object, so that a savepoint copies it whole."""

    setups: dict[str, CostSetup] = field(default_factory=dict)
    calendar: InventoryCalendar = field(default_factory=InventoryCalendar)
    entries: dict[int, ItemLedgerEntry] = field(default_factory=dict)
    value_entries: list[ValueEntry] = field(default_factory=list)
    value_entry_nos: set[int] = field(default_factory=set)
    value_entries_of: dict[int, list[ValueEntry]] = field(default_factory=dict)
    last_value_entry_no: int = 0
    on_hand: dict[str, tuple[Decimal, Decimal]] = field(default_factory=dict)
    invoice_lines: list[InvoiceLine] = field(default_factory=list)
    layers: dict[int, CostLayer] = field(default_factory=dict)
    layer_items: dict[int, str] = field(default_factory=dict)
    applications: dict[int, _CostApplication] = field(default_factory=dict)
    applications_of: dict[int, list[int]] = field(default_factory=dict)
    """Per inbound entry, the `seq` of its applications in order."""
    layer_revaluations: dict[int, list[LayerRevaluation]] = field(default_factory=dict)
    provisionals: dict[int, Provisional] = field(default_factory=dict)
    cost_sources: dict[int, _CostSourceRow] = field(default_factory=dict)
    cost_sources_of: dict[int, list[int]] = field(default_factory=dict)
    """Per outbound entry, the `seq` of its cost sources in order."""
    periods: dict[AverageKey, dict[date, Period]] = field(default_factory=dict)
    average_outbounds: dict[int, tuple[AverageKey, date, AverageOutbound]] = field(default_factory=dict)
    average_inbounds: dict[int, AverageInboundEntry] = field(default_factory=dict)
    fixed_outbounds: dict[int, FixedOutbound] = field(default_factory=dict)
    charge_assignments: list[ChargeAssignment] = field(default_factory=list)
    last_seq: int = 0
    assembly_inputs: dict[int, AssemblyInput] = field(default_factory=dict)
    assembly_outputs: dict[int, AssemblyOutput] = field(default_factory=dict)

    def copy(self) -> "_State":
        """A copy that shares nothing the graph changes in place (frozen entries and rows are shared, periods too: they
        are stored and given out as copies)."""
        return _State(
            setups=dict(self.setups), calendar=self.calendar, entries=dict(self.entries),
            value_entries=list(self.value_entries), value_entry_nos=set(self.value_entry_nos),
            value_entries_of={k: list(v) for k, v in self.value_entries_of.items()},
            last_value_entry_no=self.last_value_entry_no, on_hand=dict(self.on_hand), invoice_lines=list(self.invoice_lines),
            layers={k: replace(v) for k, v in self.layers.items()}, layer_items=dict(self.layer_items),
            applications={k: replace(v) for k, v in self.applications.items()},
            applications_of={k: list(v) for k, v in self.applications_of.items()},
            layer_revaluations={k: list(v) for k, v in self.layer_revaluations.items()},
            provisionals=dict(self.provisionals),
            cost_sources={k: replace(v) for k, v in self.cost_sources.items()},
            cost_sources_of={k: list(v) for k, v in self.cost_sources_of.items()},
            periods={k: dict(v) for k, v in self.periods.items()},
            average_outbounds=dict(self.average_outbounds), average_inbounds=dict(self.average_inbounds),
            fixed_outbounds=dict(self.fixed_outbounds), charge_assignments=list(self.charge_assignments),
            last_seq=self.last_seq, assembly_inputs={k: replace(v) for k, v in self.assembly_inputs.items()},
            assembly_outputs={k: replace(v) for k, v in self.assembly_outputs.items()},
        )


def _check_layer(layer: CostLayer) -> None:
    _positive(layer.quantity, f"cost layer {layer.entry_no}")
    if layer.applied_quantity > layer.quantity:
        raise StorageError(f"cost layer {layer.entry_no}: applied {layer.applied_quantity} of {layer.quantity}")
    for amount in (layer.cost_amount, layer.applied_cost, layer.revalued_amount, layer.rounding_amount):
        _stored_amount(amount, f"cost layer {layer.entry_no}")


class _MemoryTables:
    """The tables, and what several of them share."""

    _state: _State

    def _next_seq(self) -> int:
        self._state.last_seq += 1
        return self._state.last_seq

    def _of(self, entry_no: int) -> list[ValueEntry]:
        return self._state.value_entries_of.get(entry_no, [])

    async def first_value_entry(self, item_ledger_entry_no: int) -> int | None:
        return min((entry.entry_no for entry in self._of(item_ledger_entry_no)), default=None)


class _EntriesInMemory(_MemoryTables):
    """item_ledger_entries, invoice_lines and cost_sources."""

    async def add_item_ledger_entry(self, entry: ItemLedgerEntry) -> None:
        _unique(entry.entry_no, self._state.entries, "item_ledger_entries")
        self._state.entries[entry.entry_no] = entry

    async def item_ledger_entries(self, entry_nos: Iterable[int]) -> dict[int, KnownEntry]:
        known = {}
        for entry_no in entry_nos:
            entry = self._state.entries.get(entry_no)
            if entry is not None:
                known[entry_no] = KnownEntry(entry, await self.first_value_entry(entry_no))
        return known

    async def set_valuation_date(self, entry_no: int, valuation_date: date) -> None:
        if entry_no in self._state.entries:
            self._state.entries[entry_no] = replace(self._state.entries[entry_no], valuation_date=valuation_date)

    async def valuation_dates(self, entry_nos: Iterable[int]) -> list[date]:
        return [
            entry.valuation_date or entry.posting_date
            for entry in (self._state.entries.get(entry_no) for entry_no in set(entry_nos)) if entry is not None
        ]

    async def latest_valuation_dates(self, entry_nos: Iterable[int]) -> list[date]:
        latest = []
        for entry_no in set(entry_nos):
            entry = self._state.entries.get(entry_no)
            if entry is None:
                continue
            revalued = [r.revaluation_date for r in self._state.layer_revaluations.get(entry_no, [])]
            latest.append(max([entry.valuation_date or entry.posting_date, *revalued]))
        return latest

    async def add_invoiced_quantity(self, entry_no: int, quantity: Decimal, invoice_entry_no: int | None) -> None:
        entry = self._state.entries.get(entry_no)
        if entry is not None and entry.invoiced_quantity is not None:  # NULL + quantity stays NULL
            self._state.entries[entry_no] = replace(entry, invoiced_quantity=entry.invoiced_quantity + quantity)
        if invoice_entry_no is not None:
            _unique(invoice_entry_no, {line.invoice_entry_no for line in self._state.invoice_lines}, "invoice_lines")
            self._state.invoice_lines.append(InvoiceLine(invoice_entry_no, entry_no, quantity))

    async def add_cost_source(self, inbound_entry_no: int, outbound_entry_no: int, quantity: Decimal, cost: Decimal) -> None:
        _unique(inbound_entry_no, {r.inbound_entry_no for r in self._state.cost_sources.values()}, "cost_sources")
        _positive(quantity, f"cost source {outbound_entry_no} -> {inbound_entry_no}")
        _stored_amount(cost, f"cost source {outbound_entry_no} -> {inbound_entry_no}")
        row = _CostSourceRow(self._next_seq(), inbound_entry_no, outbound_entry_no, quantity, cost)
        self._state.cost_sources[row.seq] = row
        self._state.cost_sources_of.setdefault(outbound_entry_no, []).append(row.seq)

    async def cost_sources_of(self, outbound_entry_nos: Iterable[int]) -> dict[int, list[CostSource]]:
        sources: dict[int, list[CostSource]] = {}
        for outbound_entry_no in set(outbound_entry_nos):
            rows = [self._state.cost_sources[seq] for seq in self._state.cost_sources_of.get(outbound_entry_no, [])]
            if rows:
                sources[outbound_entry_no] = [CostSource(r.seq, r.inbound_entry_no, r.quantity, r.cost_amount) for r in rows]
        return sources

    async def set_cost_source_cost(self, seq: int, cost: Decimal) -> None:
        _stored_amount(cost, f"cost source {seq}")
        if seq in self._state.cost_sources:
            self._state.cost_sources[seq].cost_amount = cost


class _ValueEntriesInMemory(_MemoryTables):
    """value_entries, item_on_hand and item_charge_assignments."""

    async def next_value_entry_no(self) -> int:
        self._state.last_value_entry_no += 1
        return self._state.last_value_entry_no

    async def add_value_entries(self, entries: Sequence[ValueEntry]) -> None:
        for entry in entries:
            item_no = entry.item_ledger_entry.item_no
            _unique(entry.entry_no, self._state.value_entry_nos, "value_entries")
            _stored_amount(entry.cost_amount_actual, f"value entry {entry.entry_no}")
            _stored_amount(entry.cost_amount_expected, f"value entry {entry.entry_no}")
            _stored_amount(entry.sales_amount_actual, f"value entry {entry.entry_no}")
            if entry.item_ledger_entry.entry_no not in self._state.entries:
                raise StorageError(f"value entry {entry.entry_no}: no item ledger entry {entry.item_ledger_entry.entry_no}")
            self._state.value_entry_nos.add(entry.entry_no)
            self._state.value_entries.append(entry)
            self._state.value_entries_of.setdefault(entry.item_ledger_entry.entry_no, []).append(entry)
            quantity, value = self._state.on_hand.get(item_no, (_ZERO, _ZERO))
            self._state.on_hand[item_no] = (quantity + entry.item_ledger_entry_quantity, value + entry.cost_amount_actual)

    async def expected_cost(self, entry_no: int, entry_type: ValueEntryType | None = None) -> Decimal:
        return sum(
            (e.cost_amount_expected for e in self._of(entry_no) if entry_type is None or e.entry_type == entry_type), _ZERO
        )

    async def entry_cost(self, entry_no: int) -> Decimal:
        return sum((e.cost_amount_actual + e.cost_amount_expected for e in self._of(entry_no)), _ZERO)

    async def last_invoiced_posting_date(self, entry_no: int) -> date | None:
        return max((e.posting_date for e in self._of(entry_no) if e.invoiced_quantity != 0), default=None)

    async def direct_cost_of(self, entry_nos: Sequence[int]) -> dict[int, Decimal]:
        amounts = {}
        for entry_no in set(entry_nos):
            own = [
                e.cost_amount_actual + e.cost_amount_expected for e in self._of(entry_no)
                if e.entry_type == ValueEntryType.DIRECT_COST and not e.adjustment and e.item_charge_no is None
            ]
            if own:
                amounts[entry_no] = sum(own, _ZERO)
        return amounts

    async def on_hand(self, item_no: str) -> tuple[Decimal, Decimal]:
        return self._state.on_hand.get(item_no, (_ZERO, _ZERO))

    async def add_charge_assignment(self, charge_no: str, document_no: str, posting_date: date, entry_no: int, amount: Decimal) -> None:
        _stored_amount(amount, f"item charge {charge_no} on {entry_no}")
        self._state.charge_assignments.append(ChargeAssignment(charge_no, document_no, posting_date, entry_no, amount))


class _LayersInMemory(_MemoryTables):
    """cost_layers, cost_applications, layer_revaluations and provisional_outbound_costs."""

    async def add_layer(self, layer: CostLayer, item_no: str) -> None:
        _unique(layer.entry_no, self._state.layers, "cost_layers")
        if layer.entry_no not in self._state.entries:
            raise StorageError(f"cost layer {layer.entry_no}: no item ledger entry")
        _check_layer(layer)
        self._state.layers[layer.entry_no] = layer
        self._state.layer_items[layer.entry_no] = item_no

    async def layers(self, entry_nos: Iterable[int]) -> dict[int, CostLayer]:
        return {entry_no: self._state.layers[entry_no] for entry_no in set(entry_nos) if entry_no in self._state.layers}

    async def save_layers(self, layers: Iterable[CostLayer]) -> None:
        """The layers are the objects kept: what the engine changed in them is stored already, if the table takes it."""
        for layer in layers:
            _check_layer(layer)

    async def save_layer_cost(self, layer: CostLayer) -> None:
        _check_layer(layer)

    async def remaining_on_hand(self, item_no: str) -> tuple[Decimal, Decimal]:
        quantity = value = _ZERO
        for entry_no, layer in self._state.layers.items():
            if self._state.layer_items[entry_no] == item_no and layer.applied_quantity < layer.quantity:
                quantity += layer.quantity - layer.applied_quantity
                value += layer.cost_amount - layer.applied_cost
        return quantity, value

    async def open_layers(self, item_no: str, at: date) -> list[OpenLayer]:
        found = []
        for entry_no, layer in sorted(self._state.layers.items()):
            entry = self._state.entries.get(entry_no)
            if self._state.layer_items[entry_no] != item_no or entry is None or entry.posting_date > at:
                continue
            taken = sum(
                (a.quantity for a in self._applications_of(entry_no)
                 if self._state.entries[a.outbound_entry_no].posting_date <= at),
                _ZERO,
            )
            if layer.quantity > taken:
                invoiced = (entry.invoiced_quantity if entry.invoiced_quantity is not None else entry.quantity) == entry.quantity
                found.append(OpenLayer(entry_no, layer.quantity, layer.cost_amount, invoiced))
        return found

    async def add_cost_applications(self, rows: Sequence[tuple[int, int, Decimal, Decimal]]) -> None:
        for inbound_entry_no, outbound_entry_no, quantity, cost in rows:
            _positive(quantity, f"cost application {inbound_entry_no} -> {outbound_entry_no}")
            _stored_amount(cost, f"cost application {inbound_entry_no} -> {outbound_entry_no}")
            row = _CostApplication(self._next_seq(), inbound_entry_no, outbound_entry_no, quantity, cost)
            self._state.applications[row.seq] = row
            self._state.applications_of.setdefault(inbound_entry_no, []).append(row.seq)

    def _applications_of(self, inbound_entry_no: int) -> list[_CostApplication]:
        return [self._state.applications[seq] for seq in self._state.applications_of.get(inbound_entry_no, [])]

    async def applications_with_dates(self, inbound_entry_no: int) -> list[Application]:
        return [
            Application(a.seq, a.outbound_entry_no, a.quantity, a.cost_amount, self._state.entries[a.outbound_entry_no].posting_date)
            for a in self._applications_of(inbound_entry_no)
            if a.outbound_entry_no in self._state.entries
        ]

    async def set_cost_application_costs(self, rows: Sequence[tuple[int, Decimal]]) -> None:
        for seq, cost in rows:
            _stored_amount(cost, f"cost application {seq}")
            if seq in self._state.applications:
                self._state.applications[seq].cost_amount = cost

    async def layer_revaluations(self, inbound_entry_no: int) -> list[LayerRevaluation]:
        return list(self._state.layer_revaluations.get(inbound_entry_no, []))

    async def add_layer_revaluation(self, inbound_entry_no: int, revaluation: LayerRevaluation) -> None:
        if inbound_entry_no not in self._state.layers:
            raise StorageError(f"layer revaluation: no cost layer {inbound_entry_no}")
        _positive(revaluation.quantity, f"layer revaluation of {inbound_entry_no}")
        _stored_amount(revaluation.amount, f"layer revaluation of {inbound_entry_no}")
        self._state.layer_revaluations.setdefault(inbound_entry_no, []).append(revaluation)

    async def add_provisional(self, entry_no: int, quantity: Decimal, cost: Decimal) -> None:
        _unique(entry_no, self._state.provisionals, "provisional_outbound_costs")
        _positive(quantity, f"provisional cost of {entry_no}")
        _stored_amount(cost, f"provisional cost of {entry_no}")
        self._state.provisionals[entry_no] = Provisional(entry_no, quantity, cost, _ZERO)

    async def provisionals(self, entry_nos: Sequence[int]) -> dict[int, Provisional]:
        return {
            entry_no: self._state.provisionals[entry_no] for entry_no in sorted(set(entry_nos)) if entry_no in self._state.provisionals
        }

    async def cover_provisionals(self, rows: Sequence[tuple[int, Decimal]]) -> None:
        # UPDATE ... FROM unnest(...): a row named twice is updated once, by one of them.
        for entry_no, quantity in dict(rows).items():
            provisional = self._state.provisionals.get(entry_no)
            if provisional is not None:
                self._state.provisionals[entry_no] = replace(provisional, covered_quantity=provisional.covered_quantity + quantity)


class _AveragesInMemory(_MemoryTables):
    """average_cost_periods, average_outbounds, average_inbounds and average_fixed_outbounds."""

    def _periods(self, key: AverageKey) -> dict[date, Period]:
        return self._state.periods.get(key, {})

    async def period(self, key: AverageKey, start: date) -> Period | None:
        found = self._periods(key).get(start)
        return replace(found) if found is not None else None

    async def period_before(self, key: AverageKey, start: date) -> Period | None:
        earlier = [s for s in self._periods(key) if s < start]
        return replace(self._periods(key)[max(earlier)]) if earlier else None

    async def period_after(self, key: AverageKey, start: date) -> Period | None:
        later = [s for s in self._periods(key) if s > start]
        return replace(self._periods(key)[min(later)]) if later else None

    async def save_period(self, key: AverageKey, period: Period) -> None:
        for amount in (period.start_value, period.inbound_value, period.outbound_value, period.revaluation_value,
                       period.given_back_value, period.rounding_value, period.fixed_value):
            _stored_amount(amount, f"average-cost period {key} {period.start}")
        self._state.periods.setdefault(key, {})[period.start] = replace(period)

    async def average_keys(self, item_no: str) -> list[AverageKey]:
        return sorted(key for key, periods in self._state.periods.items() if key.item_no == item_no and periods)

    async def add_average_outbound(self, key: AverageKey, start: date, outbound: AverageOutbound) -> None:
        _unique(outbound.entry_no, self._state.average_outbounds, "average_outbounds")
        _positive(outbound.quantity, f"average outbound {outbound.entry_no}")
        _stored_amount(outbound.cost_amount, f"average outbound {outbound.entry_no}")
        self._state.average_outbounds[outbound.entry_no] = (key, start, outbound)

    async def average_outbounds(self, key: AverageKey, start: date) -> list[AverageOutbound]:
        return [
            outbound for entry_no, (k, s, outbound) in sorted(self._state.average_outbounds.items()) if (k, s) == (key, start)
        ]

    async def set_average_outbound_costs(self, rows: Sequence[tuple[int, Decimal]]) -> None:
        for entry_no, cost in rows:
            _stored_amount(cost, f"average outbound {entry_no}")
            if entry_no in self._state.average_outbounds:
                key, start, outbound = self._state.average_outbounds[entry_no]
                self._state.average_outbounds[entry_no] = (key, start, replace(outbound, cost_amount=cost))

    async def average_outbound_place(self, entry_no: int) -> tuple[AverageKey, date] | None:
        found = self._state.average_outbounds.get(entry_no)
        return (found[0], found[1]) if found is not None else None

    async def add_average_inbound(self, inbound: AverageInboundEntry) -> None:
        _unique(inbound.entry_no, self._state.average_inbounds, "average_inbounds")
        _stored_amount(inbound.cost_amount, f"average inbound {inbound.entry_no}")
        self._state.average_inbounds[inbound.entry_no] = inbound

    async def average_inbound(self, entry_no: int) -> AverageInboundEntry | None:
        return self._state.average_inbounds.get(entry_no)

    async def set_average_inbound_cost(self, entry_no: int, cost_amount: Decimal) -> None:
        _stored_amount(cost_amount, f"average inbound {entry_no}")
        if entry_no in self._state.average_inbounds:
            self._state.average_inbounds[entry_no] = replace(self._state.average_inbounds[entry_no], cost_amount=cost_amount)

    async def average_given_back(self, key: AverageKey, start: date) -> list[GivenBack]:
        return [
            GivenBack(i.entry_no, i.quantity, i.cost_amount)
            for _, i in sorted(self._state.average_inbounds.items())
            if (i.key, i.period_start, i.counted) == (key, start, AverageInbound.GIVES_BACK)
        ]

    async def last_average_inbound(self, key: AverageKey, at: date) -> int | None:
        posted = [
            (self._state.entries[i.entry_no].posting_date, i.entry_no) for i in self._state.average_inbounds.values()
            if i.key == key and i.entry_no in self._state.entries and self._state.entries[i.entry_no].posting_date <= at
        ]
        return max(posted)[1] if posted else None

    async def add_fixed_outbound(self, outbound: FixedOutbound) -> None:
        _unique(outbound.entry_no, self._state.fixed_outbounds, "average_fixed_outbounds")
        _positive(outbound.quantity, f"fixed outbound {outbound.entry_no}")
        _stored_amount(outbound.cost_amount, f"fixed outbound {outbound.entry_no}")
        self._state.fixed_outbounds[outbound.entry_no] = outbound

    async def fixed_outbounds(self, inbound_entry_no: int) -> list[FixedOutbound]:
        return [f for _, f in sorted(self._state.fixed_outbounds.items()) if f.applies_to_entry == inbound_entry_no]

    async def set_fixed_outbound_costs(self, rows: Sequence[tuple[int, Decimal]]) -> None:
        for entry_no, cost in rows:
            _stored_amount(cost, f"fixed outbound {entry_no}")
            if entry_no in self._state.fixed_outbounds:
                self._state.fixed_outbounds[entry_no] = replace(self._state.fixed_outbounds[entry_no], cost_amount=cost)

class _AssemblyInMemory(_MemoryTables):
    """assembly_inputs."""

    async def add_assembly_inputs(self, output_entry_no: int, rows: Sequence[tuple[int, Decimal, Decimal]]) -> None:
        for consumption_entry_no, cost, consumption_cost in rows:
            _stored_amount(cost, f"assembly input {consumption_entry_no} -> {output_entry_no}")
            _stored_amount(consumption_cost, f"assembly input {consumption_entry_no} -> {output_entry_no}")
            seq = self._next_seq()
            self._state.assembly_inputs[seq] = AssemblyInput(seq, output_entry_no, consumption_entry_no, cost,
                                                             consumption_cost)

    async def assembly_inputs_of(self, consumption_entry_nos: Iterable[int]) -> dict[int, list[AssemblyInput]]:
        wanted = set(consumption_entry_nos)
        inputs: dict[int, list[AssemblyInput]] = {}
        for seq in sorted(self._state.assembly_inputs):
            row = self._state.assembly_inputs[seq]
            if row.consumption_entry_no in wanted:
                inputs.setdefault(row.consumption_entry_no, []).append(replace(row))
        return inputs

    async def set_assembly_input_cost(self, seq: int, cost: Decimal, consumption_cost: Decimal) -> None:
        _stored_amount(cost, f"assembly input {seq}")
        _stored_amount(consumption_cost, f"assembly input {seq}")
        self._state.assembly_inputs[seq].cost_amount = cost
        self._state.assembly_inputs[seq].consumption_cost = consumption_cost

    async def add_assembly_output(self, output: AssemblyOutput) -> None:
        _unique(output.entry_no, self._state.assembly_outputs, "assembly_outputs")
        self._state.assembly_outputs[output.entry_no] = replace(output)

    async def assembly_output(self, entry_no: int) -> AssemblyOutput | None:
        found = self._state.assembly_outputs.get(entry_no)
        return None if found is None else replace(found)

    async def save_assembly_output(self, output: AssemblyOutput) -> None:
        _stored_amount(output.material_cost, f"assembly output {output.entry_no}")
        _stored_amount(output.posting_material_cost, f"assembly output {output.entry_no}")
        self._state.assembly_outputs[output.entry_no] = replace(output)

    async def lock_items(self, item_nos: Iterable[str]) -> None:
        return None

    async def lock_assembly_consumptions(self, entry_nos: Iterable[int]) -> None:
        return None


class InMemoryCostGraph(_EntriesInMemory, _ValueEntriesInMemory, _LayersInMemory, _AveragesInMemory, _AssemblyInMemory):
    """`CostGraph` in memory, with the item card and inventory setup replicas and reads for tests."""

    def __init__(self, setups: Iterable[CostSetup] = (), calendar: InventoryCalendar | None = None) -> None:
        self._state = _State()
        for setup in setups:
            self.set_item_setup(setup)
        if calendar is not None:
            self._state.calendar = calendar

    def set_item_setup(self, setup: CostSetup) -> None:
        """The item card as catalog publishes it (ItemStore.upsert_item)."""
        self._state.setups[setup.item_no] = setup

    def implement_standard_cost(self, item_no: str, standard_cost: Decimal) -> None:
        """Value the item at `standard_cost` from now on (ItemStore.implement_standard_cost)."""
        self._state.setups[item_no] = replace(self._state.setups[item_no], standard_cost=standard_cost)

    def set_calendar(self, calendar: InventoryCalendar) -> None:
        """The inventory setup as the warehouse publishes it (ItemStore.save_inventory_setup)."""
        self._state.calendar = calendar

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """What the block writes is undone if it raises, as a rolled-back savepoint undoes it in the database.

        Layers are copied with the rest: the objects the engine held in the failed block are forgotten with it (as the
        repository of a failed transaction is).
        """
        kept = self._state.copy()
        try:
            yield
        except BaseException:
            self._state = kept
            raise

    @property
    def value_entries(self) -> list[ValueEntry]:
        """Every value entry, by entry no."""
        return sorted(self._state.value_entries, key=lambda entry: entry.entry_no)

    def item_ledger_entry(self, entry_no: int) -> ItemLedgerEntry:
        return self._state.entries[entry_no]

    @property
    def item_ledger_entry_nos(self) -> list[int]:
        return sorted(self._state.entries)

    def stored(self, entries: Iterable[ValueEntry]) -> list[ValueEntry]:
        """The value entries as stored: their numbers are final already."""
        return list(entries)

    def cost_layers(self, item_no: str) -> list[tuple[CostLayer, int]]:
        """Copies of the item's layers, each with how many applications took from it, by entry no."""
        return [
            (replace(layer), len(self._state.applications_of.get(entry_no, [])))
            for entry_no, layer in sorted(self._state.layers.items())
            if self._state.layer_items[entry_no] == item_no
        ]

    def periods_of(self, key: AverageKey) -> list[Period]:
        """Copies of the key's average-cost periods, by start."""
        return [replace(period) for _, period in sorted(self._state.periods.get(key, {}).items())]

    def entries_in_period(self, key: AverageKey, start: date) -> int:
        """How many outbound and given-back entries the period holds."""
        outbound = sum(1 for k, s, _ in self._state.average_outbounds.values() if (k, s) == (key, start))
        given_back = sum(
            1 for i in self._state.average_inbounds.values()
            if (i.key, i.period_start, i.counted) == (key, start, AverageInbound.GIVES_BACK)
        )
        return outbound + given_back

    def has_periods(self) -> bool:
        return any(self._state.periods.values())

    @property
    def charge_assignments(self) -> list[ChargeAssignment]:
        return list(self._state.charge_assignments)

    @property
    def invoice_lines(self) -> list[InvoiceLine]:
        return list(self._state.invoice_lines)

    async def item_setup(self, item_no: str) -> CostSetup | None:
        return self._state.setups.get(item_no)

    async def inventory_calendar(self) -> InventoryCalendar:
        return self._state.calendar


def _conforms(graph: InMemoryCostGraph) -> CostGraph:
    """mypy checks here that the class has every method of the port, with its signature."""
    return graph
