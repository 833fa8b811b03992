"""Inventory value: per item, location and posting group at a date, and per posting group for the ledger."""

from dataclasses import asdict
from datetime import date
from decimal import Decimal

from fastapi import APIRouter

from servicekit.auth import requires
from servicekit.endpoints import Runtime

from costing.entrypoints.schemas import InventoryValuation, PostingGroupValue, ValuationByPostingGroup, ValuationLine

router = APIRouter(tags=["values"])


@router.get("/inventory-valuation", response_model=InventoryValuation, dependencies=[requires("costing:read")])
async def inventory_valuation(
    runtime: Runtime,
    at: date | None = None, item_no: str | None = None, location_code: str | None = None, include_expected: bool = True
) -> InventoryValuation:
    """Quantity and value per item, location and inventory posting group at a date (default: everything),
    with or without expected cost."""
    async with runtime.reading() as uow:
        rows = await uow.value_entries.valuation(at, item_no, location_code)
    lines = []
    for row in rows:
        line = asdict(row)
        if not include_expected:
            line["cost_amount_expected"] = Decimal(0)
        lines.append(ValuationLine(**line, value=line["cost_amount_actual"] + line["cost_amount_expected"]))
    return InventoryValuation(
        at=at,
        include_expected=include_expected,
        lines=lines,
        quantity=sum((line.quantity for line in lines), Decimal(0)),
        cost_amount_actual=sum((line.cost_amount_actual for line in lines), Decimal(0)),
        cost_amount_expected=sum((line.cost_amount_expected for line in lines), Decimal(0)),
        value=sum((line.value for line in lines), Decimal(0)),
    )


@router.get("/inventory-valuation/by-posting-group", response_model=ValuationByPostingGroup,
            dependencies=[requires("costing:read")])
async def valuation_by_posting_group(runtime: Runtime) -> ValuationByPostingGroup:
    """Value per location and inventory posting group with the count of value entries it sums,
    read in one snapshot: what the ledger reconciles its inventory accounts against."""
    async with runtime.reading() as uow:
        rows = await uow.value_entries.valuation_by_posting_group()
    lines = [PostingGroupValue(**asdict(row)) for row in rows]
    return ValuationByPostingGroup(lines=lines, value_entries=sum(line.value_entries for line in lines))

