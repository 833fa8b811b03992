"""Valuation of assembly outputs: what each output entry of a posting takes of its consumptions' cost, resources and
overhead (costing.domain.assembly), and a consumption's later change of cost forwarded to every output that took it.

A serial- or lot-tracked parent's posting writes several output entries, each naming all the consumptions: each
takes its share by quantity of every consumption, and keeps it (`assembly_inputs`) with the consumption's whole cost,
so that a change is split the same way and the shares keep adding up to the consumption's cost."""

from collections.abc import Awaitable, Callable
from datetime import date
from decimal import Decimal

from inventory_contracts.catalog import CostingMethod
from inventory_contracts.costing import ValueEntryType, VarianceType
from inventory_contracts.warehouse import ItemEntryPosted, ItemLedgerEntryType

from costing.domain.assembly import AssemblyOutput, OutputShare, output_cost
from costing.domain.errors import UnknownCostSourceError
from costing.domain.inbound import CostSetup
from costing.domain.model import ItemLedgerEntry
from costing.domain.ports import AssemblyInput, CostGraph, KnownEntry
from costing.domain.value_entries import ValueEntryWriter

ZERO = Decimal(0)


async def known_consumptions(graph: CostGraph, posted: ItemEntryPosted) -> dict[int, KnownEntry | None]:
    """The assembly consumptions an output names, each with its entry once costing has valued it (None before).

    They were published before the output, but on their items' partitions: one may reach costing after the output.
    The output does not wait for it (a consumer takes many partitions' records in one batch, so waiting would hold
    back the very consumption awaited): it takes that cost when the consumption is valued, as an adjustment."""
    numbers = list(dict.fromkeys(posted.consumption_entries))
    known = await graph.item_ledger_entries(numbers)
    for number, found in known.items():
        if found.entry.entry_type != ItemLedgerEntryType.ASSEMBLY_CONSUMPTION or found.entry.quantity >= 0:
            raise UnknownCostSourceError(
                f"assembly output {posted.entry_no} names entry {number}, a {found.entry.entry_type} of "
                f"{found.entry.quantity}, not an assembly consumption"
            )
    return {number: known.get(number) for number in numbers}


class AssemblyValuation:
    """Assembly outputs valued at their share of their posting's cost, and later changes of it forwarded to them."""

    def __init__(
        self, graph: CostGraph, writer: ValueEntryWriter, setup: CostSetup | None,
        valuation_date: Callable[[ItemLedgerEntry, list[int]], Awaitable[date | None]],
        forward_inbound_change: Callable[[ItemLedgerEntry, Decimal], Awaitable[None]],
    ) -> None:
        self.graph = graph
        self.writer = writer
        self.setup = setup
        self._valuation_date = valuation_date
        self._forward_inbound_change = forward_inbound_change

    async def value_output(
        self, entry: ItemLedgerEntry, posted: ItemEntryPosted, consumptions: dict[int, KnownEntry | None]
    ) -> tuple[Decimal, date | None]:
        """Write the output's value entries; what it holds for what takes from it, and its valuation date. What it
        took from each consumption is kept, so that a later change of the consumption's cost, or the cost of one
        valued after the output, is forwarded to it."""
        self.writer.know(entry)
        share = OutputShare.posted(entry.quantity, posted.output_quantities, posted.output_index, entry_no=entry.entry_no)
        whole = {number: -await self.graph.entry_cost(number) if known is not None else ZERO
                 for number, known in consumptions.items()}
        taken = [(number, share.of(cost), cost) for number, cost in whole.items()]
        await self.graph.add_assembly_inputs(entry.entry_no, taken)
        valued_at = await self._valuation_date(entry, [number for number, known in consumptions.items() if known is not None])
        material = sum((cost for _, cost, _ in taken), ZERO)
        posting_material = sum(whole.values(), ZERO)
        cost = output_cost(share, material, posting_material, posted.resources, self.setup)
        first, *others = cost.parts
        await self.writer.write(entry, first.entry_type, first.amount, valued=True, valuation_date=valued_at)
        for part in others:
            await self.writer.write(entry, part.entry_type, part.amount, resource_no=part.resource_no,
                                    variance_type=part.variance_type)
        capacity = sum((part.amount for part in cost.parts if part.resource_no is not None), ZERO)
        overhead = sum((part.amount for part in cost.parts if part.resource_no is None
                        and part.entry_type == ValueEntryType.INDIRECT_COST), ZERO)
        await self.graph.add_assembly_output(AssemblyOutput(
            entry.entry_no, entry.quantity, self.setup.indirect_cost_pct if self.setup else ZERO,
            self.setup.overhead_rate if self.setup else ZERO, capacity, material, overhead, share, posting_material,
            cost.posting_capacity_cost,
        ))
        return sum((part.amount for part in cost.parts), ZERO), valued_at

    async def outputs_taking(self, changed: list[int]) -> dict[int, list[AssemblyInput]]:
        """Per changed assembly consumption among `changed`, the outputs that took its cost. The consumptions are locked
        first: an output being valued meanwhile records what it took of them before they are read, or reads their
        changed cost. (Taken here, after the items, the lock can close a cycle with an output's valuation: PostgreSQL
        ends one of the two, and a consumer retries its batch, a request is refused as unavailable for the moment.)"""
        consumptions = [number for number in changed if (entry := await self.writer.entry(number)) is not None
                        and entry.entry_type == ItemLedgerEntryType.ASSEMBLY_CONSUMPTION]
        if not consumptions:
            return {}
        await self.graph.lock_assembly_consumptions(consumptions)
        return await self.graph.assembly_inputs_of(consumptions)

    async def forward(self, consumption_entry_no: int, inputs: list[AssemblyInput]) -> None:
        """A consumption's cost changed: each output that took it takes the change of its share as a Direct Cost
        adjustment, and the change of its overhead share that follows as an Indirect Cost adjustment, passed on to
        what took from it. A Standard output stays at its standard cost: Material and Manufacturing Overhead
        variances offset them."""
        await self.writer.flush()
        cost = -await self.graph.entry_cost(consumption_entry_no)
        for taken in inputs:
            posting_change = cost - taken.consumption_cost
            if not posting_change:
                continue
            output = await self.writer.entry(taken.output_entry_no)
            assert output is not None
            await self.graph.lock_items([output.item_no])
            made = await self.graph.assembly_output(output.entry_no)
            share = made.share.of(cost) if made is not None else cost
            change = share - taken.cost_amount
            taken.cost_amount, taken.consumption_cost = share, cost
            await self.graph.set_assembly_input_cost(taken.seq, share, cost)
            overhead = made.take_material_change(change, posting_change) if made is not None else ZERO
            if made is not None:
                await self.graph.save_assembly_output(made)
            await self._adjust(output, change, overhead)

    async def _adjust(self, output: ItemLedgerEntry, change: Decimal, overhead: Decimal) -> None:
        if change:
            await self.writer.write(output, ValueEntryType.DIRECT_COST, change, adjustment=True)
        if overhead:
            await self.writer.write(output, ValueEntryType.INDIRECT_COST, overhead, adjustment=True)
        if not change and not overhead:
            return
        if output.costing_method != CostingMethod.STANDARD:
            await self._forward_inbound_change(output, change + overhead)
            return
        if change:
            await self.writer.write(output, ValueEntryType.VARIANCE, -change, adjustment=True,
                                    variance_type=VarianceType.MATERIAL)
        if overhead:
            await self.writer.write(output, ValueEntryType.VARIANCE, -overhead, adjustment=True,
                                    variance_type=VarianceType.MANUFACTURING_OVERHEAD)
