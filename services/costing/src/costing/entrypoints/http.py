"""HTTP routes of costing."""

from datetime import date
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Query

from servicekit.errors import NotFoundError
from servicekit.pagination import decode_cursor, encode_cursor
from servicekit.runtime import ServiceRuntime

from costing.adapters.repository import CostingRepository
from costing.domain.fifo import average_unit_cost
from costing.entrypoints.schemas import (
    InventoryValuation,
    ItemCost,
    PostingGroupValue,
    ValuationByPostingGroup,
    ValuationLine,
    ValueEntryOut,
    ValueEntryPage,
)


def build_router(runtime: ServiceRuntime) -> APIRouter:
    router = APIRouter(tags=["values"])

    @router.get("/value-entries", response_model=ValueEntryPage)
    async def list_value_entries(
        item_no: str | None = None,
        item_ledger_entry_no: int | None = None,
        cursor: str | None = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> ValueEntryPage:
        async with runtime.pool.acquire() as conn:
            rows = await CostingRepository(conn).list_value_entries(item_no, item_ledger_entry_no, decode_cursor(cursor), limit + 1)
        page = [ValueEntryOut(**dict(row)) for row in rows[:limit]]
        return ValueEntryPage(entries=page, next_cursor=encode_cursor(page[-1].entry_no) if len(rows) > limit else None)

    @router.get("/inventory-valuation", response_model=InventoryValuation)
    async def inventory_valuation(at: date | None = None, item_no: str | None = None) -> InventoryValuation:
        """Quantity and value per item, location and inventory posting group at a date (default: everything)."""
        async with runtime.pool.acquire() as conn:
            rows = await CostingRepository(conn).valuation(at, item_no)
        lines = [ValuationLine(**dict(row)) for row in rows]
        return InventoryValuation(
            at=at,
            lines=lines,
            quantity=sum((line.quantity for line in lines), Decimal(0)),
            cost_amount_actual=sum((line.cost_amount_actual for line in lines), Decimal(0)),
            cost_amount_expected=sum((line.cost_amount_expected for line in lines), Decimal(0)),
        )

    @router.get("/inventory-valuation/by-posting-group", response_model=ValuationByPostingGroup)
    async def valuation_by_posting_group() -> ValuationByPostingGroup:
        """Value per location and inventory posting group with the count of value entries it sums,
        read in one snapshot: what the ledger reconciles its inventory accounts against."""
        async with runtime.pool.acquire() as conn:
            rows = await CostingRepository(conn).valuation_by_posting_group()
        lines = [PostingGroupValue(**dict(row)) for row in rows]
        return ValuationByPostingGroup(lines=lines, value_entries=sum(line.value_entries for line in lines))

    @router.get("/items/{item_no}/cost", response_model=ItemCost)
    async def item_cost(item_no: str) -> ItemCost:
        """What costing knows of the item card, and its quantity, value and unit cost on hand."""
        async with runtime.pool.acquire() as conn:
            row = await CostingRepository(conn).item_card(item_no)
        if row is None:
            raise NotFoundError(f"item {item_no} is not (yet) known to costing", item_no=item_no)
        card = dict(row)
        if card["costing_method"] == "Standard":
            unit_cost = card["standard_cost"]
        else:
            unit_cost = average_unit_cost(card["quantity_on_hand"], card["value_on_hand"]) if card["quantity_on_hand"] > 0 else Decimal(0)
        return ItemCost(**card, unit_cost=unit_cost)

    return router
