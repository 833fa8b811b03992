"""Valuation of item ledger entries along the applications the warehouse decided."""

from dataclasses import fields
from decimal import Decimal

import asyncpg

from inventory_contracts.catalog import CostingMethod
from inventory_contracts.costing import ValueEntryType
from inventory_contracts.warehouse import ItemEntryPosted, ItemLedgerEntryType

from costing.adapters.repository import CostingRepository
from costing.domain.errors import UnsupportedCostingMethodError
from costing.domain.fifo import CostLayer, average_unit_cost, cost_of_inbound, provisional_share, take_from_layer, value_outbound
from costing.domain.model import ItemLedgerEntry, ValueEntry

# FIFO and LIFO differ only in which inbound entries the warehouse applies; costing follows the applications.
SUPPORTED_METHODS = frozenset({CostingMethod.FIFO, CostingMethod.LIFO})


async def value_item_entry(conn: asyncpg.Connection, posted: ItemEntryPosted) -> list[ValueEntry]:
    """Write the value entries an item ledger entry causes, its own and the adjustments of earlier ones."""
    if posted.costing_method not in SUPPORTED_METHODS:
        raise UnsupportedCostingMethodError(f"item {posted.item_no}: costing method {posted.costing_method} is not supported yet")
    repository = CostingRepository(conn)
    entry = ItemLedgerEntry(**posted.model_dump(include=_ENTRY_FIELDS))
    await repository.add_item_ledger_entry(entry)
    if entry.quantity > 0:
        written = await _value_inbound(repository, entry, posted)
    else:
        written = await _value_outbound(repository, entry, posted)
    await repository.add_value_entries(written)
    return written


async def _value_inbound(repository: CostingRepository, entry: ItemLedgerEntry, posted: ItemEntryPosted) -> list[ValueEntry]:
    layer = CostLayer(entry.entry_no, entry.quantity, cost_of_inbound(entry.quantity, posted.unit_cost or Decimal(0)))
    written = [
        ValueEntry(
            entry_no=await repository.next_value_entry_no(),
            item_ledger_entry=entry,
            entry_type=ValueEntryType.DIRECT_COST,
            posting_date=entry.posting_date,
            valued_quantity=entry.quantity,
            invoiced_quantity=entry.quantity,
            cost_amount_actual=layer.cost_amount,
        )
    ]
    await repository.add_layer(layer, entry.item_no)
    if posted.applications:
        written += await _cover_waiting_outbound(repository, layer, posted)
        await repository.save_layers([layer])
    return written


async def _cover_waiting_outbound(
    repository: CostingRepository, layer: CostLayer, posted: ItemEntryPosted
) -> list[ValueEntry]:
    """A late inbound entry becomes the cost source of outbound entries valued provisionally before it."""
    outbound = await repository.item_ledger_entries(a.outbound_entry_no for a in posted.applications)
    adjustments = []
    for application in posted.applications:
        provisional = await repository.provisional(application.outbound_entry_no)
        if provisional is None:
            raise UnsupportedCostingMethodError(
                f"entry {application.outbound_entry_no} was not valued provisionally; cannot apply entry {layer.entry_no} to it"
            )
        taken = take_from_layer(layer, application.quantity)
        share = provisional_share(
            provisional["provisional_cost"], provisional["provisional_quantity"], provisional["covered_quantity"], application.quantity
        )
        await repository.cover_provisional(application.outbound_entry_no, application.quantity)
        target = _entry(outbound[application.outbound_entry_no])
        adjustments.append(
            ValueEntry(
                entry_no=await repository.next_value_entry_no(),
                item_ledger_entry=target,
                entry_type=ValueEntryType.DIRECT_COST,
                posting_date=target.posting_date,
                valued_quantity=Decimal(0),
                invoiced_quantity=Decimal(0),
                cost_amount_actual=share - taken,
                adjustment=True,
            )
        )
    return [ve for ve in adjustments if ve.cost_amount_actual != 0]


async def _value_outbound(repository: CostingRepository, entry: ItemLedgerEntry, posted: ItemEntryPosted) -> list[ValueEntry]:
    applications = [(a.inbound_entry_no, a.quantity) for a in posted.applications]
    layers = await repository.layers(inbound for inbound, _ in applications)
    applied = sum((quantity for _, quantity in applications), Decimal(0))
    unapplied = -entry.quantity - applied
    unit_cost = Decimal(0)
    if unapplied > 0:
        # Negative inventory: value what no stock covers at the item's current unit cost until an inbound entry arrives.
        unit_cost = average_unit_cost(*await repository.remaining_on_hand(entry.item_no))
    cost_amount, portions = value_outbound(entry.entry_no, entry.quantity, applications, layers, unit_cost)
    await repository.save_layers(layers.values())
    if unapplied > 0:
        taken = sum((portion.cost_amount for portion in portions), Decimal(0))
        await repository.add_provisional(entry.entry_no, unapplied, -cost_amount - taken)
    return [
        ValueEntry(
            entry_no=await repository.next_value_entry_no(),
            item_ledger_entry=entry,
            entry_type=ValueEntryType.DIRECT_COST,
            posting_date=entry.posting_date,
            valued_quantity=entry.quantity,
            invoiced_quantity=entry.quantity,
            cost_amount_actual=cost_amount,
        )
    ]


_ENTRY_FIELDS = {f.name for f in fields(ItemLedgerEntry)}


def _entry(row: asyncpg.Record) -> ItemLedgerEntry:
    return ItemLedgerEntry(
        **{**dict(row), "entry_type": ItemLedgerEntryType(row["entry_type"]), "costing_method": CostingMethod(row["costing_method"])}
    )
