"""Use cases of the standard cost worksheet: suggest, edit and implement new standard costs of Standard items.

A changed standard cost on the item card revalues nothing; implementing a worksheet line does: it revalues the
item's inventory at the posting date to the new standard cost and makes that the item's standard cost, in costing's
replica at once (so entries valued from now on, and invoice variances, use it) and on the item card, which catalog
changes when it reads costing.standard-cost-implemented.
"""

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from inventory_contracts import STANDARD_COST_IMPLEMENTED_V1

from costing.adapters.events import standard_cost_implemented
from costing.domain.errors import PostingDateClosedError, UnknownItemError, UnknownWorksheetLineError
from costing.domain.inbound import CostSetup
from costing.domain.model import ValueEntry
from costing.domain.standard_cost import (
    RoundingMethodLine,
    WorksheetLine,
    check_standard_item,
    checked_standard_cost,
    suggest_standard_cost,
)
from costing.service_layer.unit_of_work import CostingUnitOfWork
from costing.service_layer.valuation import RevalueInventory, revalue_inventory


@dataclass(frozen=True)
class SuggestItemStandardCost:
    worksheet_name: str
    adjustment_factor: Decimal = Decimal(1)
    rounding_method: tuple[RoundingMethodLine, ...] = ()
    item_nos: tuple[str, ...] | None = None
    """None: every Standard item."""


@dataclass(frozen=True)
class ImplementStandardCostChanges:
    worksheet_name: str
    posting_date: date


@dataclass(frozen=True)
class Implementation:
    lines: list[WorksheetLine]
    """The lines implemented now, with their implementation nos."""
    written: list[ValueEntry]
    """The revaluations' value entries and the adjustments of what took revalued quantity."""


async def suggest_item_standard_cost(uow: CostingUnitOfWork, command: SuggestItemStandardCost) -> list[WorksheetLine]:
    """Write a line per Standard item (those named, or all): its standard cost x the factor, rounded."""
    items = await uow.worksheets.standard_items(command.item_nos)
    if command.item_nos is not None:
        found = {setup.item_no for setup in items}
        for item_no in dict.fromkeys(command.item_nos):
            if item_no not in found:
                await _standard_item(uow, item_no)  # raises why it is not one
    lines = [
        WorksheetLine(command.worksheet_name, setup.item_no, setup.standard_cost,
                      suggest_standard_cost(setup.standard_cost, command.adjustment_factor, command.rounding_method))
        for setup in items
    ]
    await uow.worksheets.save_lines(lines)
    return lines


async def set_worksheet_line(uow: CostingUnitOfWork, worksheet_name: str, item_no: str, new_standard_cost: Decimal) -> WorksheetLine:
    """Write the item's line with a new standard cost of the user's choosing."""
    setup = await _standard_item(uow, item_no)
    line = WorksheetLine(worksheet_name, item_no, setup.standard_cost, checked_standard_cost(new_standard_cost))
    await uow.worksheets.save_lines([line])
    return line


async def delete_worksheet_line(uow: CostingUnitOfWork, worksheet_name: str, item_no: str) -> None:
    if not await uow.worksheets.delete_line(worksheet_name, item_no):
        raise UnknownWorksheetLineError(f"standard cost worksheet {worksheet_name} has no line for item {item_no}")


async def implement_standard_cost_changes(uow: CostingUnitOfWork, command: ImplementStandardCostChanges) -> Implementation:
    """Implement every line of the worksheet not implemented yet, in one transaction.

    Each line revalues what the item had on hand at the posting date to the new standard cost (received but
    uninvoiced quantity as expected cost) and becomes the item's standard cost. Implemented lines are left alone:
    implementing the worksheet again revalues nothing twice.
    """
    calendar = await uow.items.inventory_calendar()
    if not calendar.is_open(command.posting_date):
        raise PostingDateClosedError(
            f"standard costs cannot be implemented on {command.posting_date}: the first open date is {calendar.first_open_date}"
        )
    implemented: list[WorksheetLine] = []
    written: list[ValueEntry] = []
    lines = await uow.worksheets.lines_to_implement(command.worksheet_name)
    await uow.cost_graph.lock_items(line.item_no for line in lines)
    for line in lines:
        setup = await _standard_item(uow, line.item_no)
        if await uow.cost_graph.open_layers(line.item_no, command.posting_date):
            written += await revalue_inventory(
                uow, RevalueInventory(line.item_no, command.posting_date, new_unit_cost=line.new_standard_cost)
            )
        implementation_no = await uow.worksheets.next_implementation_no()
        await uow.items.implement_standard_cost(line.item_no, line.new_standard_cost, implementation_no)
        await uow.worksheets.mark_implemented(line, implementation_no, command.posting_date)
        done = replace(line, implementation_no=implementation_no, posting_date=command.posting_date)
        await uow.publish(STANDARD_COST_IMPLEMENTED_V1.topic, standard_cost_implemented(done, setup.standard_cost))
        implemented.append(done)
    return Implementation(implemented, written)


async def _standard_item(uow: CostingUnitOfWork, item_no: str) -> CostSetup:
    setup = await uow.items.item_setup(item_no)
    if setup is None:
        raise UnknownItemError(f"item {item_no} is not (yet) known to costing")
    check_standard_item(setup)
    return setup
