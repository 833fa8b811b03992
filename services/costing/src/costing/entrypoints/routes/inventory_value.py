"""Inventory value: per item, location and posting group at a date, and per posting group for the ledger."""

from dataclasses import asdict
from datetime import date
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Query

from servicekit.auth import requires
from servicekit.endpoints import Runtime

from costing.config import CostingSettings
from costing.entrypoints.routes.common import PROBLEM
from costing.entrypoints.schemas import InventoryValuation, PostingGroupValue, ValuationByPostingGroup, ValuationLine
from costing.service_layer.responsibility_centers import center_locations, requested_center

router = APIRouter(tags=["values"])


@router.get("/inventory-valuation", response_model=InventoryValuation,
            responses={403: PROBLEM, 422: PROBLEM, 503: PROBLEM},
            dependencies=[requires("costing:read")])
async def inventory_valuation(
    runtime: Runtime,
    at: date | None = None, item_no: str | None = None, location_code: str | None = None, include_expected: bool = True,
    responsibility_center: Annotated[str | None, Query(max_length=10, pattern=r"^[A-Za-z0-9_.\-/]+$")] = None,
) -> InventoryValuation:
    """Quantity and value per item, location and inventory posting group at a date (default: everything),
    with or without expected cost. With `responsibility_center` (or for a caller whose token ties it to one): the
    locations the warehouse says belong to that center only."""
    center = requested_center(responsibility_center)
    locations = await center_locations(runtime.settings_as(CostingSettings), center) if center is not None else None
    async with runtime.reading() as uow:
        rows = await uow.value_entries.valuation(at, item_no, location_code)
    if locations is not None:
        rows = [row for row in rows if row.location_code in locations]
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

