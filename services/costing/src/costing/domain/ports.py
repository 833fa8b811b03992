"""What the valuation engine reads and writes: an item's cost graph, behind one interface.

The engine does no I/O of its own. The service layer gives it a `CostGraph` that has read, set-based, what a
batch of events needs and keeps what the engine writes until it is stored in bulk (costing.adapters.repository, on the session of
costing.adapters.session); costing.adapters.memory holds the whole graph in memory for tests.

Below it, the ports of costing's other aggregates: what the use cases read and write, as domain objects.

Layers are kept once read: `layers` gives the same object for an entry while the graph lives, and the engine
changes it in place, then saves it. Every other read gives a copy: what the engine changes is written only
through the calls that write it.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Protocol

from inventory_contracts.costing import ValueEntryType, VarianceType
from inventory_contracts.warehouse import InventorySetupChanged, ItemLedgerEntryType

from costing.domain.assembly import AssemblyOutput
from costing.domain.average import (
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
from costing.domain.quantity_reconciliation import Place, QuantityComparison
from costing.domain.standard_cost import WorksheetLine
from costing.domain.revaluation import Application, LayerRevaluation


@dataclass
class CostSource:
    """An inbound entry that takes its cost from an outbound entry (a transfer's receipt, a return)."""

    seq: int
    inbound_entry_no: int
    quantity: Decimal
    cost_amount: Decimal


@dataclass
class AssemblyInput:
    """An assembly consumption an output took its material cost from: the cost it took (its share), and the
    consumption's whole cost that share was taken of."""

    seq: int
    output_entry_no: int
    consumption_entry_no: int
    cost_amount: Decimal
    consumption_cost: Decimal


@dataclass(frozen=True)
class KnownEntry:
    """An item ledger entry costing has valued, and the value entry that valued it (later ones apply to it)."""

    entry: ItemLedgerEntry
    first_value_entry_no: int | None


@dataclass(frozen=True)
class Provisional:
    """An outbound entry that took more than was on hand: what it was valued at provisionally, and how much of
    that quantity inbound entries have covered since."""

    entry_no: int
    provisional_quantity: Decimal
    provisional_cost: Decimal
    covered_quantity: Decimal


@dataclass(frozen=True)
class OpenLayer:
    """A layer that held quantity at a date, and whether its inbound entry is completely invoiced."""

    entry_no: int
    quantity: Decimal
    cost_amount: Decimal
    invoiced: bool


class CostGraph(Protocol):
    """Item ledger entries, their layers and applications, average-cost periods and value entries."""

    # setup
    async def item_setup(self, item_no: str) -> CostSetup | None: ...
    async def inventory_calendar(self) -> InventoryCalendar: ...

    # item ledger entries
    async def add_item_ledger_entry(self, entry: ItemLedgerEntry) -> None: ...
    async def item_ledger_entries(self, entry_nos: Iterable[int]) -> dict[int, KnownEntry]: ...
    async def set_valuation_date(self, entry_no: int, valuation_date: date) -> None: ...
    async def valuation_dates(self, entry_nos: Iterable[int]) -> list[date]:
        """Per entry (of those known), its valuation date, or its posting date if it has none."""
        ...
    async def latest_valuation_dates(self, entry_nos: Iterable[int]) -> list[date]:
        """Per entry (of those known), the latest valuation date of its value entries: its own, or a later revaluation's."""
        ...
    async def add_invoiced_quantity(self, entry_no: int, quantity: Decimal, invoice_entry_no: int | None) -> None: ...

    # value entries (sums read only stored ones)
    async def next_value_entry_no(self) -> int:
        """A provisional number, negative; the stored one is drawn in the same order."""
        ...
    async def add_value_entries(self, entries: Sequence[ValueEntry]) -> None: ...
    async def first_value_entry(self, item_ledger_entry_no: int) -> int | None: ...
    async def expected_cost(self, entry_no: int, entry_type: ValueEntryType | None = None) -> Decimal:
        """Sum of cost_amount_expected of the entry's value entries (of `entry_type`, or all)."""
        ...
    async def entry_cost(self, entry_no: int) -> Decimal:
        """Sum of actual and expected cost of the entry's value entries."""
        ...
    async def last_invoiced_posting_date(self, entry_no: int) -> date | None:
        """Posting date of the entry's last value entry with invoiced quantity."""
        ...
    async def direct_cost_of(self, entry_nos: Sequence[int]) -> dict[int, Decimal]:
        """Per receipt, the sum of its own Direct Cost entries (no adjustment, no item charge)."""
        ...
    async def on_hand(self, item_no: str) -> tuple[Decimal, Decimal]:
        """Quantity and value of the item: the sum of its value entries (a revaluation adds no quantity)."""
        ...

    # layers and applications
    async def add_layer(self, layer: CostLayer, item_no: str) -> None: ...
    async def layers(self, entry_nos: Iterable[int]) -> dict[int, CostLayer]: ...
    async def save_layers(self, layers: Iterable[CostLayer]) -> None:
        """Store applied quantity, applied cost and rounding of changed layers."""
        ...
    async def save_layer_cost(self, layer: CostLayer) -> None:
        """Store cost, applied cost, revalued amount and rounding of a layer."""
        ...
    async def remaining_on_hand(self, item_no: str) -> tuple[Decimal, Decimal]:
        """Quantity and value left in the item's layers that still hold quantity."""
        ...
    async def open_layers(self, item_no: str, at: date) -> list[OpenLayer]:
        """In entry order, the item's layers whose inbound entry posted on or before `at` and still held quantity
        then (less than its quantity taken by outbound entries posted on or before `at`)."""
        ...
    async def add_cost_applications(self, rows: Sequence[tuple[int, int, Decimal, Decimal]]) -> None:
        """(inbound entry, outbound entry, quantity, cost) taken, in order: each gets the next `seq`."""
        ...
    async def applications_with_dates(self, inbound_entry_no: int) -> list[Application]:
        """What outbound entries took from the layer, by `seq`, with their posting dates."""
        ...
    async def set_cost_application_costs(self, rows: Sequence[tuple[int, Decimal]]) -> None:
        """(seq, cost)"""
        ...
    async def layer_revaluations(self, inbound_entry_no: int) -> list[LayerRevaluation]: ...
    async def add_layer_revaluation(self, inbound_entry_no: int, revaluation: LayerRevaluation) -> None: ...
    async def add_provisional(self, entry_no: int, quantity: Decimal, cost: Decimal) -> None: ...
    async def provisionals(self, entry_nos: Sequence[int]) -> dict[int, Provisional]: ...
    async def cover_provisionals(self, rows: Sequence[tuple[int, Decimal]]) -> None:
        """(outbound entry, quantity an inbound entry now covers): added to its covered quantity."""
        ...

    # cost sources: inbound entries that take the cost of an outbound entry
    async def add_cost_source(self, inbound_entry_no: int, outbound_entry_no: int, quantity: Decimal, cost: Decimal) -> None: ...
    async def cost_sources_of(self, outbound_entry_nos: Iterable[int]) -> dict[int, list[CostSource]]:
        """Per outbound entry, the inbound entries that take their cost from it, by `seq`."""
        ...
    async def set_cost_source_cost(self, seq: int, cost: Decimal) -> None: ...

    # average cost: every call names the average's key
    async def period(self, key: AverageKey, start: date) -> Period | None: ...
    async def period_before(self, key: AverageKey, start: date) -> Period | None:
        """The key's latest period starting before `start`."""
        ...
    async def period_after(self, key: AverageKey, start: date) -> Period | None:
        """The key's earliest period starting after `start`."""
        ...
    async def save_period(self, key: AverageKey, period: Period) -> None:
        """Insert the period, or replace the one with its start."""
        ...
    async def average_keys(self, item_no: str) -> list[AverageKey]:
        """The keys the item has periods under, by location and variant."""
        ...
    async def add_average_outbound(self, key: AverageKey, start: date, outbound: AverageOutbound) -> None: ...
    async def average_outbounds(self, key: AverageKey, start: date) -> list[AverageOutbound]:
        """The period's outbound entries in entry order."""
        ...
    async def set_average_outbound_costs(self, rows: Sequence[tuple[int, Decimal]]) -> None:
        """(entry, cost)"""
        ...
    async def average_outbound_place(self, entry_no: int) -> tuple[AverageKey, date] | None: ...
    async def add_average_inbound(self, inbound: AverageInboundEntry) -> None: ...
    async def average_inbound(self, entry_no: int) -> AverageInboundEntry | None: ...
    async def set_average_inbound_cost(self, entry_no: int, cost_amount: Decimal) -> None: ...
    async def average_given_back(self, key: AverageKey, start: date) -> list[GivenBack]:
        """The period's inbound entries counted as giving back, in entry order."""
        ...
    async def last_average_inbound(self, key: AverageKey, at: date) -> int | None:
        """The key's latest inbound entry (by posting date, then entry) posted on or before `at`."""
        ...
    async def add_fixed_outbound(self, outbound: FixedOutbound) -> None: ...
    async def fixed_outbounds(self, inbound_entry_no: int) -> list[FixedOutbound]:
        """The outbound entries fixed-applied to the inbound entry, in entry order."""
        ...
    async def set_fixed_outbound_costs(self, rows: Sequence[tuple[int, Decimal]]) -> None:
        """(entry, cost)"""
        ...

    # assembly: outputs that take the cost of their consumptions
    async def add_assembly_inputs(self, output_entry_no: int, rows: Sequence[tuple[int, Decimal, Decimal]]) -> None:
        """(consumption entry, its cost taken, the consumption's whole cost) of an output."""
        ...
    async def assembly_inputs_of(self, consumption_entry_nos: Iterable[int]) -> dict[int, list[AssemblyInput]]:
        """Per consumption entry, the outputs that took its cost, by `seq`."""
        ...
    async def set_assembly_input_cost(self, seq: int, cost: Decimal, consumption_cost: Decimal) -> None: ...
    async def add_assembly_output(self, output: AssemblyOutput) -> None: ...
    async def assembly_output(self, entry_no: int) -> AssemblyOutput | None: ...
    async def save_assembly_output(self, output: AssemblyOutput) -> None:
        """Store its material cost, its posting's and its overhead."""
        ...
    async def lock_items(self, item_nos: Iterable[str]) -> None:
        """Hold the items until the transaction ends (a cost forwarded to another item's entries takes its item too)."""
        ...
    async def lock_assembly_consumptions(self, entry_nos: Iterable[int]) -> None:
        """Hold the assembly consumptions until the transaction ends: an output recording what it takes of one, and
        the consumption's cost set or changed and forwarded to the outputs recorded, happen one after the other."""
        ...

    # item charges
    async def add_charge_assignment(self, charge_no: str, document_no: str, posting_date: date, entry_no: int, amount: Decimal) -> None: ...


# What the rest of costing reads and writes, per aggregate ------------------------------------------------------------


@dataclass(frozen=True)
class StoredValueEntry:
    """A value entry as stored: numbered, flat, as the API and the ledger read it."""

    entry_no: int
    item_no: str
    item_ledger_entry_no: int
    item_ledger_entry_type: ItemLedgerEntryType
    entry_type: ValueEntryType
    posting_date: date
    valuation_date: date
    location_code: str
    variant_code: str
    document_no: str
    valued_quantity: Decimal
    invoiced_quantity: Decimal
    cost_per_unit: Decimal
    cost_amount_actual: Decimal
    cost_amount_expected: Decimal
    adjustment: bool
    applies_to_entry: int | None
    inventory_posting_group: str
    gen_prod_posting_group: str
    gen_bus_posting_group: str
    item_charge_no: str | None
    sales_amount_actual: Decimal
    variance_type: VarianceType | None = None
    resource_no: str | None = None


@dataclass(frozen=True)
class ValuationRow:
    """Quantity and value of an item at a location in an inventory posting group."""

    item_no: str
    location_code: str
    inventory_posting_group: str
    quantity: Decimal
    cost_amount_actual: Decimal
    cost_amount_expected: Decimal


@dataclass(frozen=True)
class PostingGroupValuation:
    """Value at a location in an inventory posting group, and how many value entries it sums."""

    location_code: str
    inventory_posting_group: str
    cost_amount_actual: Decimal
    cost_amount_expected: Decimal
    value_entries: int


@dataclass(frozen=True)
class ItemCard:
    """The item card as costing replicates it, with the item's quantity and value on hand."""

    item_no: str
    revision: int
    costing_method: str
    standard_cost: Decimal
    indirect_cost_pct: Decimal
    overhead_rate: Decimal
    quantity_on_hand: Decimal
    value_on_hand: Decimal


@dataclass(frozen=True)
class CostStatus:
    """Whether the item's costs are adjusted, when last, and the last error."""

    cost_is_adjusted: bool
    last_adjusted_at: datetime | None = None
    last_error: str | None = None
    last_error_at: datetime | None = None


@dataclass(frozen=True)
class UnitCostBasis:
    """What an item's unit cost is computed from."""

    item_no: str
    costing_method: str
    standard_cost: Decimal
    quantity: Decimal
    value: Decimal


@dataclass(frozen=True)
class PublishedUnitCost:
    item_no: str
    unit_cost: Decimal
    sequence: int


class ItemRepository(Protocol):
    """The replica of the item cards and of the warehouse's inventory setup."""

    async def upsert_items(self, cards: Sequence[tuple[CostSetup, int, int]]) -> None:
        """(setup, revision, standard cost implementation no.) in order; the newest revision wins."""
        ...
    async def implement_standard_cost(self, item_no: str, standard_cost: Decimal, implementation_no: int) -> None: ...
    async def item_setup(self, item_no: str) -> CostSetup | None: ...
    async def item_setups(self, item_nos: Sequence[str]) -> dict[str, CostSetup | None]: ...
    async def item_card(self, item_no: str) -> ItemCard | None: ...
    async def inventory_setup_revision(self) -> int: ...
    async def inventory_calendar(self) -> InventoryCalendar: ...
    async def save_inventory_setup(self, setup: InventorySetupChanged) -> bool:
        """Keep the newest revision; False when this one is not newer than the replica."""
        ...
    async def has_average_periods(self) -> bool: ...


class ValueEntryQueries(Protocol):
    """Value entries as stored, and the inventory value they sum to."""

    async def list_value_entries(
        self, item_no: str | None, item_ledger_entry_no: int | None, after: int | None, limit: int
    ) -> list[StoredValueEntry]: ...
    async def value_entries_by_no(self, entry_nos: Sequence[int]) -> list[StoredValueEntry]: ...
    async def valuation(self, at: date | None, item_no: str | None, location_code: str | None = None) -> list[ValuationRow]: ...
    async def valuation_by_posting_group(self) -> list[PostingGroupValuation]: ...


class UnitCostRepository(Protocol):
    """Items' unit costs as last published, and whether their costs are adjusted."""

    async def unit_cost_bases(self, item_nos: Sequence[str]) -> dict[str, UnitCostBasis]: ...
    async def published_unit_costs(self, item_nos: Sequence[str]) -> dict[str, PublishedUnitCost]: ...
    async def save_published_unit_costs(self, rows: Sequence[PublishedUnitCost]) -> None: ...
    async def mark_adjusted(self, item_nos: Sequence[str]) -> None: ...
    async def mark_error(self, item_no: str, error: str) -> None: ...
    async def cost_status(self, item_no: str) -> CostStatus | None: ...


class StandardCostWorksheets(Protocol):
    """The lines of the standard cost worksheets, and the Standard items they are suggested for."""

    async def lines(self, worksheet_name: str) -> list[WorksheetLine]: ...
    async def lines_to_implement(self, worksheet_name: str) -> list[WorksheetLine]: ...
    async def save_lines(self, lines: Sequence[WorksheetLine]) -> None: ...
    async def delete_line(self, worksheet_name: str, item_no: str) -> bool: ...
    async def next_implementation_no(self) -> int: ...
    async def mark_implemented(self, line: WorksheetLine, implementation_no: int, posting_date: date) -> None: ...
    async def standard_items(self, item_nos: Sequence[str] | None) -> list[CostSetup]: ...


class QuantityReconciliations(Protocol):
    """Costing's quantities by the warehouse's watermarks, and the differences reported so far."""

    async def quantities_through(self, through: Mapping[str, int]) -> dict[Place, Decimal]: ...
    async def reported(self) -> dict[Place, Decimal]: ...
    async def record_reported(self, comparison: QuantityComparison) -> None: ...


class ValuationGraph(CostGraph, Protocol):
    """The cost graph as a unit of work holds it: locked per item, read ahead set-based, written in bulk."""

    async def prefetch(
        self, item_nos: Iterable[str], inbound_entry_nos: Iterable[int], outbound_entry_nos: Iterable[int] = ()
    ) -> None:
        """Read ahead what valuing entries of these items reads: applied to these inbound entries, covering these
        outbound entries (valued provisionally before)."""
        ...
    async def flush(self) -> None: ...
    def stored(self, entries: Iterable[ValueEntry]) -> list[ValueEntry]: ...
    async def known_item_ledger_entries(self, entry_nos: Iterable[int]) -> set[int]: ...
    async def known_invoice_lines(self, invoice_entry_nos: Iterable[int]) -> set[int]: ...
