"""Valuation of an Average item: the periods its inbound entries bring value into and its outbound entries take from
at their average, and a change carried into later periods (the rules in costing.domain.average)."""

from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from inventory_contracts.costing import ValueEntryType
from inventory_contracts.warehouse import ItemLedgerEntryType

from costing.domain.average import (
    AverageInbound,
    AverageInboundEntry,
    AverageKey,
    AverageOutbound,
    FixedOutbound,
    Period,
    PeriodChange,
    fixed_costs,
    outbound_cost,
    period_end,
    period_start,
    revalue_period,
    same_costs,
)
from costing.domain.calendar import InventoryCalendar
from costing.domain.errors import InvalidRevaluationError, UnknownCostSourceError
from costing.domain.model import ItemLedgerEntry
from costing.domain.ports import CostGraph
from costing.domain.revaluation import split_value, target_value
from costing.domain.value_entries import ValueEntryWriter


class AverageValuation:
    """An Average item's periods: what inbound entries bring into them and what outbound entries take at their average."""

    def __init__(
        self, graph: CostGraph, calendar: InventoryCalendar, writer: ValueEntryWriter,
        adjust_outbound: Callable[[int, Decimal], Awaitable[None]],
    ) -> None:
        self.graph = graph
        self.calendar = calendar
        self.writer = writer
        self._adjust_outbound = adjust_outbound

    def key(self, entry: ItemLedgerEntry) -> AverageKey:
        if self.calendar.per_location:
            return AverageKey(entry.item_no, entry.location_code, entry.variant_code)
        return AverageKey(entry.item_no)

    async def _period(self, key: AverageKey, day: date) -> Period:
        start = period_start(day, self.calendar.average_cost_period)
        period = await self.graph.period(key, start)
        if period is None:
            before = await self.graph.period_before(key, start)
            period = Period(start, before.end_quantity, before.end_value) if before else Period(start, Decimal(0), Decimal(0))
        return period

    async def receive(self, entry: ItemLedgerEntry, valued_at: date | None, value: Decimal, source_entry_no: int | None) -> None:
        key = self.key(entry)
        period = await self._period(key, valued_at or entry.posting_date)
        counted = await self._counted_as(entry, key, period.start, source_entry_no)
        await self.graph.add_average_inbound(
            AverageInboundEntry(entry.entry_no, key, period.start, counted, entry.quantity, value)
        )
        if counted is AverageInbound.IN_AVERAGE:
            period.inbound_quantity += entry.quantity
            period.inbound_value += value
            await self._settle(key, period, revalue=True)
        elif counted is AverageInbound.GIVES_BACK:
            # The newest entry of its period: it changes what later entries share, and there are none yet.
            period.given_back_quantity += entry.quantity
            period.given_back_value += value
            period.unrounded = period.unrounded and period.at_average(entry.quantity, value)
            await self._settle(key, period, revalue=False)

    async def _counted_as(self, entry: ItemLedgerEntry, key: AverageKey, start: date, source_entry_no: int | None) -> AverageInbound:
        """An inbound entry that takes its cost from an outbound entry of its own average and period (a return,
        a transfer back) gives back what that entry took: counted in the average, it would make the average
        depend on itself. Per item, transfers (both sides) stay out of the average: they move stock within what
        is averaged. Per location and variant, a transfer leaves one average and enters another."""
        if entry.entry_type == ItemLedgerEntryType.TRANSFER and not self.calendar.per_location:
            return AverageInbound.APART
        source = await self.graph.average_outbound_place(source_entry_no) if source_entry_no is not None else None
        if source == (key, start):
            return AverageInbound.GIVES_BACK
        return AverageInbound.IN_AVERAGE

    async def issue(self, entry: ItemLedgerEntry, valued_at: date | None) -> None:
        key = self.key(entry)
        period = await self._period(key, valued_at or entry.posting_date)
        if entry.applies_to_entry is not None:
            await self._issue_fixed(entry, entry.applies_to_entry, key, period, valued_at)
            return
        in_average = entry.entry_type != ItemLedgerEntryType.TRANSFER or self.calendar.per_location
        quantity = -entry.quantity
        cost = outbound_cost(period, quantity)
        period.unrounded = period.unrounded and period.at_average(-quantity, cost)
        if in_average:
            period.outbound_quantity -= quantity
            period.outbound_value += cost
        await self.graph.add_average_outbound(key, period.start, AverageOutbound(entry.entry_no, quantity, in_average, cost))
        await self.writer.write(entry, ValueEntryType.DIRECT_COST, cost, valued=True, valuation_date=valued_at)
        # The newest entry of its period: it takes its share of what the earlier ones left and changes none of them.
        await self._settle(key, period, revalue=False)

    async def _issue_fixed(
        self, entry: ItemLedgerEntry, inbound_entry_no: int, key: AverageKey, period: Period, valued_at: date | None
    ) -> None:
        """An outbound entry fixed-applied to an inbound entry takes that entry's cost and leaves the period's average
        to the rest: its quantity and cost come out of what the period's outbound entries share."""
        inbound = await self.graph.average_inbound(inbound_entry_no)
        if inbound is None:
            raise UnknownCostSourceError(
                f"entry {entry.entry_no} is applied to {inbound_entry_no}, which is no valued inbound entry of an Average item"
            )
        quantity = -entry.quantity
        earlier = await self.graph.fixed_outbounds(inbound_entry_no)
        cost = fixed_costs(inbound.cost_amount, inbound.quantity, [f.quantity for f in earlier] + [quantity])[-1]
        await self.graph.add_fixed_outbound(FixedOutbound(entry.entry_no, key, period.start, inbound_entry_no, quantity, cost))
        await self.writer.write(entry, ValueEntryType.DIRECT_COST, cost, valued=True, valuation_date=valued_at)
        period.fixed_quantity -= quantity
        period.fixed_value += cost
        await self._settle(key, period, revalue=True)

    async def inbound_changed(self, inbound_entry_no: int, change: Decimal) -> None:
        """An inbound entry's own cost changed (an invoice, an item charge, what it applies from): its period shares
        the change, and the outbound entries fixed-applied to it take their part of it, out of their own periods'
        averages. Every period touched is changed first and then revalued once, in date order."""
        inbound = await self.graph.average_inbound(inbound_entry_no)
        if inbound is None:
            return
        cost = inbound.cost_amount + change
        await self.graph.set_average_inbound_cost(inbound_entry_no, cost)
        changes: dict[tuple[date, AverageKey], PeriodChange] = defaultdict(PeriodChange)
        if inbound.counted is AverageInbound.IN_AVERAGE:
            changes[inbound.period_start, inbound.key].inbound_value += change
        elif inbound.counted is AverageInbound.GIVES_BACK:
            changes[inbound.period_start, inbound.key].given_back_value += change
        fixed = await self.graph.fixed_outbounds(inbound_entry_no)
        new_costs = fixed_costs(cost, inbound.quantity, [f.quantity for f in fixed])
        for outbound, new_cost in zip(fixed, new_costs, strict=True):
            if new_cost != outbound.cost_amount:
                await self._adjust_outbound(outbound.entry_no, new_cost - outbound.cost_amount)
                changes[outbound.period_start, outbound.key].fixed_value += new_cost - outbound.cost_amount
        await self.graph.set_fixed_outbound_costs(
            [(f.entry_no, c) for f, c in zip(fixed, new_costs, strict=True) if c != f.cost_amount]
        )
        for (start, key), period_change in sorted(changes.items()):
            period = await self.graph.period(key, start)
            assert period is not None
            period_change.apply_to(period)
            await self.graph.save_period(key, period)
        for start, key in sorted(changes):
            period = await self.graph.period(key, start)
            assert period is not None
            await self._settle(key, period, revalue=True)

    async def _round(self, key: AverageKey, period: Period) -> None:
        """A period that ends with nothing on hand ends with no value: the residue is a Rounding entry on the last
        inbound entry up to the period's end."""
        change = period.rounding_needed()
        if not change:
            return
        day = period_end(period.start, self.calendar.average_cost_period)
        carrier = await self.graph.last_average_inbound(key, day)
        if carrier is None:
            return
        inbound = await self.writer.entry(carrier)
        assert inbound is not None
        await self.writer.write(inbound, ValueEntryType.ROUNDING, change, posting_date=self.calendar.adjustment_date(day), valuation_date=day)
        period.rounding_value += change

    async def _settle(self, key: AverageKey, period: Period, *, revalue: bool) -> None:
        """Save `period` (revalued when what its outbound entries share changed) and carry its end into later periods
        until nothing changes."""
        while True:
            if revalue:
                given_back = await self.graph.average_given_back(key, period.start) if period.given_back_quantity else []
                adjusted = revalue_period(period, await self.graph.average_outbounds(key, period.start), given_back)
                new_costs = []
                for outbound, adjustment in adjusted:
                    if adjustment:
                        await self._adjust_outbound(outbound.entry_no, adjustment)
                        new_costs.append((outbound.entry_no, outbound.cost_amount + adjustment))
                await self.graph.set_average_outbound_costs(new_costs)
            await self._round(key, period)
            await self.graph.save_period(key, period)
            later = await self.graph.period_after(key, period.start)
            if later is None or (later.start_quantity, later.start_value) == (period.end_quantity, period.end_value):
                return
            before = replace(later)
            later.start_quantity, later.start_value = period.end_quantity, period.end_value
            period, revalue = later, not same_costs(before, later)

    async def revalue(self, item_no: str, at: date, new_unit_cost: Decimal | None, new_value: Decimal | None) -> None:
        """Revalue an Average item's stock at the end of `at` (each average it keeps): the next period starts at the new value."""
        periods = []
        for key in await self.graph.average_keys(item_no):
            period = await self._period(key, at)
            if period.end_quantity > 0:
                periods.append((key, period))
        if not periods:
            raise InvalidRevaluationError(f"item {item_no} has nothing on hand on {at} to revalue")
        if new_value is not None:
            targets = split_value(target_value(Decimal(1), None, new_value), [period.end_quantity for _, period in periods])
        else:
            targets = [target_value(period.end_quantity, new_unit_cost, None) for _, period in periods]
        for (key, period), target in zip(periods, targets, strict=True):
            following = await self._period(key, period_start(at + timedelta(days=1), self.calendar.average_cost_period))
            # Revaluations already posted at the end of `at` are carried in the following period.
            amount = target - period.end_value - following.revaluation_value
            if not amount:
                continue
            carrier = await self.graph.last_average_inbound(key, at)
            assert carrier is not None, "stock on hand came from some inbound entry"
            inbound = await self.writer.entry(carrier)
            assert inbound is not None
            await self.writer.write(inbound, ValueEntryType.REVALUATION, amount, posting_date=at, valuation_date=at)
            await self.graph.save_period(key, period)
            following.revaluation_value += amount
            await self._settle(key, following, revalue=True)
