"""Valuation of an item's cost layers (FIFO, LIFO, Specific, Standard): what inbound entries put in them, what the
outbound entries that took from them cost when a layer's cost changes, and their rounding and revaluation."""

from collections import defaultdict
from collections.abc import Awaitable, Callable
from datetime import date
from decimal import Decimal

from inventory_contracts.costing import ValueEntryType
from inventory_contracts.warehouse import ItemEntryPosted

from costing.domain.calendar import InventoryCalendar
from costing.domain.errors import InvalidRevaluationError, UnsupportedCostingMethodError
from costing.domain.fifo import CostLayer, provisional_share, take_from_layer
from costing.domain.ports import CostGraph
from costing.domain.revaluation import (
    Application,
    LayerRevaluation,
    application_costs,
    held_at,
    revalue,
    split_value,
    target_value,
)
from costing.domain.value_entries import ValueEntryWriter


class LayerValuation:
    """The cost layers of inbound entries, and the outbound entries' shares of them."""

    def __init__(
        self, graph: CostGraph, calendar: InventoryCalendar, writer: ValueEntryWriter,
        adjust_outbound: Callable[[int, Decimal], Awaitable[None]],
    ) -> None:
        self.graph = graph
        self.calendar = calendar
        self.writer = writer
        self._adjust_outbound = adjust_outbound

    async def cover_waiting(self, layer: CostLayer, posted: ItemEntryPosted) -> None:
        """A late inbound entry becomes the cost source of outbound entries valued provisionally before it."""
        waiting = [application.outbound_entry_no for application in posted.applications]
        provisionals = await self.graph.provisionals(waiting)
        await self.writer.entries_of(waiting)
        covered: dict[int, Decimal] = defaultdict(Decimal)
        taken_by: list[tuple[int, int, Decimal, Decimal]] = []
        for application in posted.applications:
            provisional = provisionals.get(application.outbound_entry_no)
            if provisional is None:
                raise UnsupportedCostingMethodError(
                    f"entry {application.outbound_entry_no} was not valued provisionally; cannot apply entry {layer.entry_no} to it"
                )
            taken = take_from_layer(layer, application.quantity)
            share = provisional_share(
                provisional.provisional_cost, provisional.provisional_quantity,
                provisional.covered_quantity + covered[application.outbound_entry_no], application.quantity,
            )
            covered[application.outbound_entry_no] += application.quantity
            taken_by.append((layer.entry_no, application.outbound_entry_no, application.quantity, taken))
            await self._adjust_outbound(application.outbound_entry_no, share - taken)
        await self.graph.cover_provisionals(list(covered.items()))
        await self.graph.add_cost_applications(taken_by)

    async def round(self, layer: CostLayer) -> None:
        """A completely applied and invoiced layer gives away exactly its cost: the residue of the portions, each rounded
        on its own, is a Rounding entry on its inbound entry, dated like its last invoiced value entry."""
        residue = layer.rounding_needed()
        if not residue:
            return
        inbound = await self.writer.entry(layer.entry_no)
        assert inbound is not None
        if inbound.invoiced_quantity is not None and inbound.invoiced_quantity < inbound.quantity:
            return  # the invoice may still change the cost: rounded once invoiced
        await self.writer.flush()
        day = await self.graph.last_invoiced_posting_date(layer.entry_no) or inbound.posting_date
        await self.writer.write(inbound, ValueEntryType.ROUNDING, residue, posting_date=self.calendar.adjustment_date(day))
        layer.rounding_amount += residue

    async def reprice(
        self, layer: CostLayer, applications: list[Application] | None = None, revaluations: list[LayerRevaluation] | None = None
    ) -> None:
        """Give every outbound entry that took from the layer its share of the layer's cost now, adjusting each by
        the difference; save the layer, rounded."""
        if applications is None:
            applications = await self.graph.applications_with_dates(layer.entry_no)
        if revaluations is None:
            revaluations = await self.graph.layer_revaluations(layer.entry_no) if layer.revalued else []
        shares = application_costs(layer, applications, revaluations)
        changes: dict[int, Decimal] = defaultdict(Decimal)
        for application, share in zip(applications, shares, strict=True):
            changes[application.outbound_entry_no] += share - application.cost_amount
        layer.applied_cost = sum(shares, Decimal(0))
        await self.graph.set_cost_application_costs(
            [(a.seq, share) for a, share in zip(applications, shares, strict=True) if share != a.cost_amount]
        )
        await self.writer.entries_of(changes)
        for outbound_entry_no, taken_more in changes.items():
            await self._adjust_outbound(outbound_entry_no, -taken_more)
        await self.round(layer)
        await self.graph.save_layer_cost(layer)

    async def revalue(
        self, item_no: str, at: date, new_unit_cost: Decimal | None, new_value: Decimal | None, entry_no: int | None,
        *, invoiced_only: bool,
    ) -> None:
        """Revalue what the item's layers (or one entry's) held at `at`; outbound entries after `at` that took it follow.

        `invoiced_only`: only completely invoiced entries are revalued, so that no invoice changes a revalued cost afterwards.
        """
        open_layers = [
            layer for layer in await self.graph.open_layers(item_no, at) if entry_no is None or layer.entry_no == entry_no
        ]
        if invoiced_only:
            if entry_no is not None and open_layers and not open_layers[0].invoiced:
                raise InvalidRevaluationError(
                    f"item ledger entry {entry_no} is not completely invoiced; only invoiced quantity is revalued"
                )
            open_layers = [layer for layer in open_layers if layer.invoiced]
        layers = await self.graph.layers(layer.entry_no for layer in open_layers)
        held = []
        for open_layer in open_layers:
            layer = layers[open_layer.entry_no]
            applications = await self.graph.applications_with_dates(layer.entry_no)
            revaluations = await self.graph.layer_revaluations(layer.entry_no)
            quantity, _ = held_at(layer, applications, revaluations, at)
            held.append((layer, applications, revaluations, quantity))
        if not held:
            what = "no completely invoiced quantity" if invoiced_only else "nothing"
            raise InvalidRevaluationError(f"item {item_no} has {what} on hand on {at} to revalue")
        if new_value is not None:
            targets = split_value(target_value(Decimal(1), None, new_value), [quantity for *_, quantity in held])
        else:
            targets = [target_value(quantity, new_unit_cost, None) for *_, quantity in held]
        for (layer, applications, revaluations, quantity), target in zip(held, targets, strict=True):
            revaluation = revalue(layer, applications, revaluations, at, target)
            if revaluation is None:
                continue
            inbound = await self.writer.entry(layer.entry_no)
            assert inbound is not None
            await self.writer.write(inbound, ValueEntryType.REVALUATION, revaluation.amount, posting_date=at, valuation_date=at,
                              valued_quantity=quantity)
            await self.graph.add_layer_revaluation(layer.entry_no, revaluation)
            await self.reprice(layer, applications, [*revaluations, revaluation])
