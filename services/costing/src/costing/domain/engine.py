"""The valuation engine: item ledger entries valued along the applications the warehouse decided, and cost adjustment.

It does no I/O: it reads and writes an item's cost graph through `CostGraph` (costing.domain.ports).

Every entry is valued when its event arrives. A cost that changes afterwards is forwarded at once,
in the same transaction, as adjustment value entries along what used it:

- an inbound entry's layer -> the outbound entries that took from it (`cost_applications`);
- an outbound entry -> the inbound entries that apply from it, transfers and returns (`cost_sources`);
- an Average item's period -> its outbound entries, and the later periods while their start changes;
- an Average item's inbound entry -> the outbound entries fixed-applied to it, outside their periods' averages;
- an assembly consumption -> the output entries of its posting, each by its share.

The work is bounded by the entries the change reaches, never the item's whole history.

`Valuation` values the entries and forwards the changes; `LayerValuation` (layer_valuation) and
`AverageValuation` (average_valuation) hold the rules of each kind of cost source, `AssemblyValuation`
(assembly_valuation) those of assembly outputs, and `ValueEntryWriter` (value_entries) writes the value entries.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from datetime import date, timedelta
from decimal import Decimal

from inventory_contracts.catalog import CostingMethod
from inventory_contracts.costing import ValueEntryType
from inventory_contracts.limits import AMOUNT_QUANTUM
from inventory_contracts.warehouse import ItemEntryInvoiced, ItemEntryPosted, ItemLedgerEntryType

from costing.domain.assembly_valuation import AssemblyValuation, known_consumptions
from costing.domain.average import period_start
from costing.domain.average_valuation import AverageValuation
from costing.domain.calendar import InventoryCalendar
from costing.domain.charges import ChargeSplit, bases_for, split_charge
from costing.domain.errors import (
    CostAdjustmentLoopError,
    PostingDateClosedError,
    InvalidRevaluationError,
    InvoiceQuantityError,
    NotAReceiptError,
    UnknownCostSourceError,
    UnknownItemLedgerEntryError,
    UnsupportedCostingMethodError,
)
from costing.domain.expected import expected_to_reverse
from costing.domain.fifo import (
    CostLayer,
    average_unit_cost,
    cumulative_share,
    reprice,
    value_outbound,
)
from costing.domain.inbound import CostSetup, InboundCost, cost_of_receipt
from costing.domain.layer_valuation import LayerValuation
from costing.domain.model import ItemLedgerEntry, ValueEntry
from costing.domain.ports import CostGraph, CostSource
from costing.domain.value_entries import ValueEntryWriter

# FIFO, LIFO and Specific differ only in which inbound entries the warehouse applies (Specific: the
# entry of the serial the outbound entry names); costing follows the applications. Standard uses the
# same layers, each holding the standard cost.
SUPPORTED_METHODS = frozenset(CostingMethod)

# Transfers back and forth between averages kept per location feed each other's cost: a change forwarded
# round such a loop fades out, but rounding can keep one cent going round. A cent forwarded again after
# this many rounds stays where it is; a change that keeps going round beyond the cap is an error.
CENT_SETTLES_AFTER = 10
MAX_FORWARDED_CHANGES = 10_000

_ENTRY_FIELDS = {f.name for f in fields(ItemLedgerEntry)}


async def value_events(graph: CostGraph, events: Sequence[ItemEntryPosted | ItemEntryInvoiced]) -> list[list[ValueEntry]]:
    """Value postings and invoices in order. Per event, the value entries it wrote (provisionally numbered)."""
    written = []
    for event in events:
        if isinstance(event, ItemEntryInvoiced):
            written.append(await _invoice(graph, event))
        else:
            written.append(await _value(graph, event))
    return written


async def _value(graph: CostGraph, posted: ItemEntryPosted) -> list[ValueEntry]:
    if posted.costing_method not in SUPPORTED_METHODS:
        raise UnsupportedCostingMethodError(f"item {posted.item_no}: costing method {posted.costing_method} is not supported yet")
    entry = ItemLedgerEntry(**posted.model_dump(include=_ENTRY_FIELDS))
    is_output = entry.entry_type == ItemLedgerEntryType.ASSEMBLY_OUTPUT and entry.quantity > 0 and posted.applies_from_entry is None
    consumptions = await known_consumptions(graph, posted) if is_output else {}
    await graph.add_item_ledger_entry(entry)
    valuation = Valuation(graph, _setup(await graph.item_setup(entry.item_no), posted), await graph.inventory_calendar())
    if is_output:
        value, valued_at = await valuation.assembly.value_output(entry, posted, consumptions)
        await valuation.hold(entry, posted, value, valued_at)
    elif entry.quantity > 0:
        await valuation.value_inbound(entry, posted)
    else:
        await valuation.value_outbound(entry, posted)
    if entry.entry_type == ItemLedgerEntryType.ASSEMBLY_CONSUMPTION and entry.quantity < 0:
        valuation.cost_changed(entry.entry_no)  # an output valued before it takes its cost now
    await valuation.forward_changes()
    await valuation.flush()
    return valuation.written


def _setup(replica: CostSetup | None, posted: ItemEntryPosted) -> CostSetup | None:
    """The card as costing knows it, with the costing method the entry was posted under.

    The replica comes on catalog.items.v1, the entry on warehouse.item-entries.v1: the replica may lag.
    Then the method still comes from the entry (the warehouse copied it when posting), but standard
    cost, indirect cost % and overhead rate are unknown: a purchase takes its own unit cost, without
    indirect cost or variance, and a Standard item's outbound entries take the cost of what they apply to.
    """
    if replica is None:
        return None
    return replace(replica, costing_method=posted.costing_method)


class Valuation:
    """Values item ledger entries along their applications and forwards every change of cost to what took from them."""

    def __init__(self, graph: CostGraph, setup: CostSetup | None, calendar: InventoryCalendar) -> None:
        self.graph = graph
        self.setup = setup
        self.calendar = calendar
        self.writer = ValueEntryWriter(graph, calendar)
        self.layers = LayerValuation(graph, calendar, self.writer, self._adjust_outbound)
        self.average = AverageValuation(graph, calendar, self.writer, self._adjust_outbound)
        self.assembly = AssemblyValuation(graph, self.writer, setup, self._valuation_date, self.forward_inbound_change)
        self._forwarded = 0
        self._rounds: dict[int, int] = defaultdict(int)
        self._changed_outbound: list[int] = []

    @property
    def written(self) -> list[ValueEntry]:
        return self.writer.written

    async def flush(self) -> None:
        await self.writer.flush()

    async def value_inbound(self, entry: ItemLedgerEntry, posted: ItemEntryPosted) -> None:
        self.writer.know(entry)
        valued_at = None
        if entry.costing_method == CostingMethod.AVERAGE:
            sources = [posted.applies_from_entry] if posted.applies_from_entry is not None else []
            valued_at = await self._valuation_date(entry, sources)
        if posted.applies_from_entry is not None:
            cost = InboundCost(await self._cost_from(entry, posted.applies_from_entry))
        elif posted.unit_cost is not None:
            is_purchase = entry.entry_type == ItemLedgerEntryType.PURCHASE
            cost = cost_of_receipt(entry.quantity, posted.unit_cost, self.setup, is_purchase=is_purchase)
        else:
            # A count or another inbound entry without a cost of its own: the item's current unit cost.
            unit_cost = await self._current_unit_cost(entry)
            cost = cost_of_receipt(entry.quantity, unit_cost, self.setup, is_purchase=False)
        if entry.invoiced_quantity is not None:
            # A receipt (or an undone shipment) waits for its invoice: its whole cost is expected until then;
            # the invoice posts the indirect cost and variance with the actual cost.
            await self.writer.write(entry, ValueEntryType.DIRECT_COST, cost.value, valued=True, valuation_date=valued_at)
        else:
            await self.writer.write(entry, ValueEntryType.DIRECT_COST, cost.direct, valued=True, valuation_date=valued_at)
        if cost.indirect and entry.invoiced_quantity is None:
            await self.writer.write(entry, ValueEntryType.INDIRECT_COST, cost.indirect)
        if cost.variance and entry.invoiced_quantity is None:
            await self.writer.write(entry, ValueEntryType.VARIANCE, cost.variance)
        await self.hold(entry, posted, cost.value, valued_at)

    async def hold(self, entry: ItemLedgerEntry, posted: ItemEntryPosted, value: Decimal, valued_at: date | None) -> None:
        """The valued inbound entry holds `value` for what takes from it: in its average, or in a layer of its own."""
        if entry.costing_method == CostingMethod.AVERAGE:
            await self.average.receive(entry, valued_at, value, posted.applies_from_entry)
            return
        layer = CostLayer(entry.entry_no, entry.quantity, value)
        await self.graph.add_layer(layer, entry.item_no)
        if posted.applications:
            await self.layers.cover_waiting(layer, posted)
            await self.layers.round(layer)
            await self.graph.save_layers([layer])

    def cost_changed(self, outbound_entry_no: int) -> None:
        """The outbound entry's cost is new or changed: forward it to what takes its cost."""
        self._changed_outbound.append(outbound_entry_no)

    async def _cost_from(self, entry: ItemLedgerEntry, source_entry_no: int) -> Decimal:
        """Cost of an inbound entry that applies from an outbound entry: its share of that entry's cost.

        Cumulative rounding over every inbound entry applying from the same outbound entry, so a
        transfer received in parts gives back exactly what was shipped.
        """
        source = await self.writer.entry(source_entry_no)
        if source is None or source.quantity >= 0:
            raise UnknownCostSourceError(f"entry {entry.entry_no} applies from {source_entry_no}, which is no valued outbound entry")
        await self.writer.flush()
        sources = (await self.graph.cost_sources_of([source_entry_no])).get(source_entry_no, [])
        taken = sum((cost_source.quantity for cost_source in sources), Decimal(0))
        total = -await self.graph.entry_cost(source_entry_no)
        cost = cumulative_share(total, -source.quantity, taken, entry.quantity)
        await self.graph.add_cost_source(entry.entry_no, source_entry_no, entry.quantity, cost)
        return cost

    async def _current_unit_cost(self, entry: ItemLedgerEntry) -> Decimal:
        if entry.costing_method == CostingMethod.STANDARD and self.setup is not None:
            return self.setup.standard_cost
        await self.writer.flush()
        if entry.costing_method == CostingMethod.AVERAGE:
            quantity, value = await self.graph.on_hand(entry.item_no)
        else:
            quantity, value = await self.graph.remaining_on_hand(entry.item_no)
        return average_unit_cost(quantity, value) if quantity > 0 else Decimal(0)

    async def value_outbound(self, entry: ItemLedgerEntry, posted: ItemEntryPosted) -> None:
        self.writer.know(entry)
        if entry.costing_method == CostingMethod.AVERAGE:
            await self.average.issue(entry, await self._valuation_date(entry, [a.inbound_entry_no for a in posted.applications]))
            return
        applications = [(a.inbound_entry_no, a.quantity) for a in posted.applications]
        valued_at = await self._valuation_date(entry, [inbound for inbound, _ in applications], revalued=True)
        if valued_at is not None:
            entry = replace(entry, valuation_date=valued_at)
            self.writer.know(entry)
        layers = await self.graph.layers(inbound for inbound, _ in applications)
        applied = sum((quantity for _, quantity in applications), Decimal(0))
        unapplied = -entry.quantity - applied
        unit_cost = Decimal(0)
        if unapplied > 0:
            # Negative inventory: value what no stock covers at the item's current unit cost until an inbound entry arrives.
            unit_cost = await self._current_unit_cost(entry)
        cost_amount, portions = value_outbound(entry.entry_no, entry.quantity, applications, layers, unit_cost)
        for layer in layers.values():
            await self.layers.round(layer)
        await self.graph.save_layers(layers.values())
        await self.graph.add_cost_applications(
            [(p.inbound_entry_no, p.outbound_entry_no, p.quantity, p.cost_amount) for p in portions]
        )
        if unapplied > 0:
            taken = sum((portion.cost_amount for portion in portions), Decimal(0))
            await self.graph.add_provisional(entry.entry_no, unapplied, -cost_amount - taken)
        await self.writer.write(entry, ValueEntryType.DIRECT_COST, cost_amount, valued=True, valuation_date=valued_at)

    async def _valuation_date(self, entry: ItemLedgerEntry, related: list[int], *, revalued: bool = False) -> date | None:
        """The later of the entry's posting date and the valuation dates of the entries it applies to or from:
        what an outbound entry takes is valued no earlier than it arrived (None: its posting date). `revalued`: and
        no earlier than their layers' revaluations, so that one posted after a revaluation but dated before it is
        valued at the revaluation's date."""
        dates = self.graph.latest_valuation_dates if revalued else self.graph.valuation_dates
        latest = max([entry.posting_date, *(await dates(related) if related else [])])
        if latest == entry.posting_date:
            return None
        await self.graph.set_valuation_date(entry.entry_no, latest)
        return latest

    async def _adjust_outbound(self, entry_no: int, amount: Decimal) -> None:
        if amount:
            target = await self.writer.entry(entry_no)
            assert target is not None
            await self.writer.write(target, ValueEntryType.DIRECT_COST, amount, adjustment=True)
            self._changed_outbound.append(entry_no)

    async def forward_changes(self) -> None:
        """Forward every outbound entry whose cost changed to the inbound entries applying from it, and onward: the
        entries changed so far are looked up together, then forwarded in the order they changed."""
        while self._changed_outbound:
            queued, self._changed_outbound = self._changed_outbound, []
            sources_of = await self.graph.cost_sources_of(queued)
            # Only assembly consumptions feed outputs: other entries cost no look-up (the batch path counts them).
            outputs_of = await self.assembly.outputs_taking(queued)
            for outbound_entry_no in queued:
                self._forwarded += 1
                if self._forwarded > MAX_FORWARDED_CHANGES:
                    raise CostAdjustmentLoopError(
                        f"cost changes were forwarded {MAX_FORWARDED_CHANGES} times without settling: transfers in a loop "
                        "between averages that feed each other"
                    )
                self._rounds[outbound_entry_no] += 1
                if sources_of.get(outbound_entry_no):
                    await self._forward(outbound_entry_no, sources_of[outbound_entry_no])
                if outputs_of.get(outbound_entry_no):
                    await self.assembly.forward(outbound_entry_no, outputs_of[outbound_entry_no])

    async def _forward(self, outbound_entry_no: int, sources: list[CostSource]) -> None:
        outbound = await self.writer.entry(outbound_entry_no)
        assert outbound is not None
        await self.writer.flush()
        total = -await self.graph.entry_cost(outbound_entry_no)
        shares = reprice(total, -outbound.quantity, [source.quantity for source in sources])
        for source, share in zip(sources, shares, strict=True):
            change = share - source.cost_amount
            if change and (abs(change) > AMOUNT_QUANTUM or self._rounds[outbound_entry_no] <= CENT_SETTLES_AFTER):
                source.cost_amount = share
                await self.graph.set_cost_source_cost(source.seq, share)
                await self._inbound_cost_changed(source.inbound_entry_no, change)

    async def _inbound_cost_changed(self, inbound_entry_no: int, change: Decimal) -> None:
        inbound = await self.writer.entry(inbound_entry_no)
        assert inbound is not None
        await self.writer.write(inbound, ValueEntryType.DIRECT_COST, change, adjustment=True)
        await self.forward_inbound_change(inbound, change)

    async def forward_inbound_change(self, inbound: ItemLedgerEntry, change: Decimal) -> None:
        """The inbound entry's cost changed by `change` (its value entry is written): pass it to what took from it."""
        if inbound.costing_method == CostingMethod.AVERAGE:
            await self.average.inbound_changed(inbound.entry_no, change)
            return
        layer = (await self.graph.layers([inbound.entry_no]))[inbound.entry_no]
        layer.cost_amount += change
        await self.layers.reprice(layer)

    async def invoice(self, entry: ItemLedgerEntry, invoiced: ItemEntryInvoiced) -> None:
        """Turn the invoiced share of a receipt's or shipment's expected cost into actual cost.

        A receipt's actual cost comes from the invoice's unit cost; the difference to the expected cost it reverses
        is forwarded to what took from it. A shipment's cost stays the cost of what it took: the share moves from
        expected to actual, with the sales amount.
        """
        assert entry.invoiced_quantity is not None
        await self.writer.flush()
        self.writer.know(entry)
        quantity = invoiced.invoiced_quantity
        uninvoiced = abs(entry.quantity) - entry.invoiced_quantity
        if quantity > uninvoiced:
            raise InvoiceQuantityError(
                f"entry {entry.entry_no}: {quantity} cannot be invoiced, {uninvoiced} is left to invoice"
            )
        expected = await self.graph.expected_cost(entry.entry_no)
        reversed_ = expected_to_reverse(expected, uninvoiced, quantity, entry_no=entry.entry_no)
        # A Standard entry revalued before it was invoiced: the revaluation's share is reversed as Revaluation.
        revalued = await self.graph.expected_cost(entry.entry_no, ValueEntryType.REVALUATION)
        reversed_revaluation = expected_to_reverse(revalued, uninvoiced, quantity, entry_no=entry.entry_no)
        reversed_direct = reversed_ - reversed_revaluation
        sign = Decimal(1) if entry.quantity > 0 else Decimal(-1)
        after = replace(entry, invoiced_quantity=entry.invoiced_quantity + quantity)
        self.writer.know(after)
        on = (invoiced.posting_date, invoiced.document_no, sign * quantity)
        if entry.quantity < 0 or invoiced.unit_cost is None:
            await self.writer.write_invoice_part(after, ValueEntryType.DIRECT_COST, reversed_direct, -reversed_direct, on,
                                    sales_amount=invoiced.sales_amount or Decimal(0))
            if reversed_revaluation:
                await self.writer.write_invoice_part(after, ValueEntryType.REVALUATION, reversed_revaluation, -reversed_revaluation, on)
            return
        is_purchase = entry.entry_type == ItemLedgerEntryType.PURCHASE
        cost = cost_of_receipt(quantity, invoiced.unit_cost, self.setup, is_purchase=is_purchase)
        if is_purchase and self.setup is not None and self.setup.costing_method == CostingMethod.STANDARD:
            # A Standard entry keeps the standard it is carried at, the revalued one after a standard cost change:
            # the variance is its difference to the invoiced cost.
            cost = replace(cost, variance=reversed_ - cost.direct - cost.indirect)
        await self.writer.write_invoice_part(after, ValueEntryType.DIRECT_COST, cost.direct, -reversed_direct, on)
        if reversed_revaluation:
            await self.writer.write_invoice_part(after, ValueEntryType.REVALUATION, Decimal(0), -reversed_revaluation, on)
        if cost.indirect:
            await self.writer.write_invoice_part(after, ValueEntryType.INDIRECT_COST, cost.indirect, Decimal(0), on)
        if cost.variance:
            await self.writer.write_invoice_part(after, ValueEntryType.VARIANCE, cost.variance, Decimal(0), on)
        if cost.value != reversed_:
            await self.forward_inbound_change(after, cost.value - reversed_)  # repriced and rounded on the way
        elif after.costing_method != CostingMethod.AVERAGE:
            layer = (await self.graph.layers([after.entry_no]))[after.entry_no]
            await self.layers.round(layer)
            await self.graph.save_layer_cost(layer)

    async def assign_charge(self, receipt: ItemLedgerEntry, amount: Decimal, posting_date: date, charge_no: str) -> None:
        """A share of an item charge on a receipt: Direct Cost on the receipt at its valuation date, forwarded.

        A Standard item stays at its standard cost: the charge is offset by a Variance entry, and
        nothing changes for what took from the receipt.
        """
        self.writer.know(receipt)
        await self.writer.write(receipt, ValueEntryType.DIRECT_COST, amount, posting_date=posting_date, item_charge_no=charge_no)
        if receipt.costing_method == CostingMethod.STANDARD:
            await self.writer.write(receipt, ValueEntryType.VARIANCE, -amount, posting_date=posting_date, item_charge_no=charge_no)
            return
        await self.forward_inbound_change(receipt, amount)

async def _invoice(graph: CostGraph, invoiced: ItemEntryInvoiced) -> list[ValueEntry]:
    rows = await graph.item_ledger_entries([invoiced.item_ledger_entry_no])
    if invoiced.item_ledger_entry_no not in rows:
        raise UnknownItemLedgerEntryError(f"item ledger entry {invoiced.item_ledger_entry_no} is not known to costing")
    entry = rows[invoiced.item_ledger_entry_no].entry
    if entry.invoiced_quantity is None:
        raise InvoiceQuantityError(f"entry {entry.entry_no} was invoiced as it posted; it takes no invoice")
    setup = await graph.item_setup(entry.item_no)
    valuation = Valuation(
        graph, replace(setup, costing_method=entry.costing_method) if setup else None, await graph.inventory_calendar()
    )
    await valuation.invoice(entry, invoiced)
    await graph.add_invoiced_quantity(entry.entry_no, invoiced.invoiced_quantity, invoiced.invoice_entry_no)
    await valuation.forward_changes()
    await valuation.flush()
    return valuation.written


# item charges and revaluation: use cases called by costing's API ---------------------------------


@dataclass(frozen=True)
class ChargeLine:
    item_ledger_entry_no: int
    weight: Decimal | None = None
    volume: Decimal | None = None


@dataclass(frozen=True)
class AssignItemCharge:
    item_charge_no: str
    document_no: str
    posting_date: date
    amount: Decimal
    split: ChargeSplit
    lines: tuple[ChargeLine, ...]


@dataclass(frozen=True)
class RevalueInventory:
    item_no: str
    posting_date: date
    new_unit_cost: Decimal | None = None
    new_value: Decimal | None = None
    item_ledger_entry_no: int | None = None


async def assign_item_charge(graph: CostGraph, command: AssignItemCharge) -> list[ValueEntry]:
    """Split the charge over the receipt entries and post each share on its entry, forwarding the change."""
    numbers = [line.item_ledger_entry_no for line in command.lines]
    rows = await graph.item_ledger_entries(numbers)
    receipts = []
    for number in numbers:
        if number not in rows:
            raise UnknownItemLedgerEntryError(f"item ledger entry {number} is not known to costing")
        receipt = rows[number].entry
        if receipt.entry_type != ItemLedgerEntryType.PURCHASE or receipt.quantity <= 0:
            raise NotAReceiptError(f"item ledger entry {number} is a {receipt.entry_type} of {receipt.quantity}, not a purchase receipt")
        receipts.append(receipt)
    calendar = await graph.inventory_calendar()
    _check_open(calendar, command.posting_date, "item charge")
    amounts = await graph.direct_cost_of(numbers)
    bases = bases_for(command.split, [amounts.get(n, Decimal(0)) for n in numbers],
                      [line.weight for line in command.lines], [line.volume for line in command.lines])
    shares = split_charge(command.amount, bases)
    written: list[ValueEntry] = []
    for item_no in dict.fromkeys(receipt.item_no for receipt in receipts):
        valuation = Valuation(graph, await graph.item_setup(item_no), calendar)
        for receipt, share in zip(receipts, shares, strict=True):
            if receipt.item_no != item_no:
                continue
            await graph.add_charge_assignment(command.item_charge_no, command.document_no, command.posting_date, receipt.entry_no, share)
            if share:
                await valuation.assign_charge(receipt, share, command.posting_date, command.item_charge_no)
        await valuation.forward_changes()
        await valuation.flush()
        written += valuation.written
    return written


async def revalue_inventory(graph: CostGraph, command: RevalueInventory) -> list[ValueEntry]:
    """Revalue the item's (or one entry's) quantity on hand at the date to a new unit cost or value."""
    setup = await graph.item_setup(command.item_no)
    method = setup.costing_method if setup is not None else None
    if command.item_ledger_entry_no is not None:
        rows = await graph.item_ledger_entries([command.item_ledger_entry_no])
        known = rows.get(command.item_ledger_entry_no)
        if known is None or known.entry.item_no != command.item_no:
            raise UnknownItemLedgerEntryError(f"item {command.item_no} has no item ledger entry {command.item_ledger_entry_no}")
        method = known.entry.costing_method
    if method is None:
        raise UnknownItemLedgerEntryError(f"item {command.item_no} is not known to costing")
    calendar = await graph.inventory_calendar()
    _check_open(calendar, command.posting_date, "revaluation")
    valuation = Valuation(graph, setup, calendar)
    if method == CostingMethod.AVERAGE:
        if command.item_ledger_entry_no is not None:
            raise InvalidRevaluationError("an Average item is revalued as a whole, not per item ledger entry")
        period = calendar.average_cost_period
        if period_start(command.posting_date + timedelta(days=1), period) == period_start(command.posting_date, period):
            raise InvalidRevaluationError(
                f"an Average item is revalued at the end of an average-cost period ({calendar.average_cost_period}): "
                f"{command.posting_date} is not the last day of its period"
            )
        await valuation.average.revalue(command.item_no, command.posting_date, command.new_unit_cost, command.new_value)
    else:
        await valuation.layers.revalue(
            command.item_no, command.posting_date, command.new_unit_cost, command.new_value, command.item_ledger_entry_no,
            invoiced_only=method != CostingMethod.STANDARD,
        )
    await valuation.forward_changes()
    await valuation.flush()
    return valuation.written


def _check_open(calendar: InventoryCalendar, posting_date: date, what: str) -> None:
    if not calendar.is_open(posting_date):
        raise PostingDateClosedError(
            f"a {what} cannot be posted on {posting_date}: the first open date is {calendar.first_open_date}"
        )

