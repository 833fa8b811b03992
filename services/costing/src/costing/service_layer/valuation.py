"""Valuation use cases: load what a batch needs, run the engine (costing.domain.engine), store what it wrote."""

from collections.abc import Sequence

from inventory_contracts.warehouse import ItemEntryInvoiced, ItemEntryPosted, ItemLedgerEntryType

from costing.domain import engine
from costing.domain.engine import AssignItemCharge, ChargeLine, RevalueInventory
from costing.domain.model import ValueEntry
from costing.service_layer.unit_of_work import CostingUnitOfWork

__all__ = ["AssignItemCharge", "ChargeLine", "RevalueInventory", "assign_item_charge", "invoice_item_entry",
           "revalue_inventory", "value_item_entries", "value_item_entry"]


async def value_item_entries(uow: CostingUnitOfWork, events: Sequence[ItemEntryPosted | ItemEntryInvoiced]) -> list[list[ValueEntry]]:
    """Value postings and invoices in order, in one unit of work: what they read is read for all of them at once, what
    they write is written in bulk at the end. Per event, the value entries it wrote."""
    graph = uow.cost_graph
    await graph.lock_assembly_consumptions(_assembly_consumptions(events))
    await graph.lock_items(event.item_no for event in events)
    postings = [event for event in events if isinstance(event, ItemEntryPosted)]
    await graph.prefetch(
        [event.item_no for event in events],
        [a.inbound_entry_no for event in postings for a in event.applications],
        [a.outbound_entry_no for event in postings if event.quantity > 0 for a in event.applications],
    )
    written = await engine.value_events(graph, events)
    await graph.flush()
    return [graph.stored(entries) for entries in written]


def _assembly_consumptions(events: Sequence[ItemEntryPosted | ItemEntryInvoiced]) -> list[int]:
    """The assembly consumptions the postings value, and those their outputs take the cost of: locked before the items,
    so that an output and its consumption valued by two consumers at once are valued one after the other (else the
    output could read the consumption as not valued while the consumption finds no output to forward its cost to)."""
    numbers: list[int] = []
    for event in events:
        if isinstance(event, ItemEntryPosted):
            if event.entry_type == ItemLedgerEntryType.ASSEMBLY_CONSUMPTION:
                numbers.append(event.entry_no)
            numbers.extend(event.consumption_entries)
    return numbers


async def value_item_entry(uow: CostingUnitOfWork, posted: ItemEntryPosted) -> list[ValueEntry]:
    """Write the value entries an item ledger entry causes, its own and the adjustments of earlier ones."""
    (written,) = await value_item_entries(uow, [posted])
    return written


async def invoice_item_entry(uow: CostingUnitOfWork, invoiced: ItemEntryInvoiced) -> list[ValueEntry]:
    """Value the invoice of (part of) a receipt or shipment entry, and forward a changed cost."""
    (written,) = await value_item_entries(uow, [invoiced])
    return written


async def assign_item_charge(uow: CostingUnitOfWork, command: AssignItemCharge) -> list[ValueEntry]:
    graph = uow.cost_graph
    receipts = await graph.item_ledger_entries(line.item_ledger_entry_no for line in command.lines)
    await graph.lock_items(known.entry.item_no for known in receipts.values())
    written = await engine.assign_item_charge(graph, command)
    await graph.flush()
    return graph.stored(written)


async def revalue_inventory(uow: CostingUnitOfWork, command: RevalueInventory) -> list[ValueEntry]:
    graph = uow.cost_graph
    await graph.lock_items([command.item_no])
    written = await engine.revalue_inventory(graph, command)
    await graph.flush()
    return graph.stored(written)
