"""Reading the item ledger: entries, quantity on hand, item tracing."""

from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Query

from servicekit.auth import requires
from servicekit.endpoints import Runtime
from servicekit.pagination import decode_cursor, paginate

from warehouse.domain.tracing import TraceDirection
from warehouse.entrypoints.mapping import PROBLEM, entry_out, listed_entry_out
from warehouse.entrypoints.schemas import (
    ItemLedgerEntryPage,
    ItemTracing,
    LocationQuantity,
    QuantityOnHand,
    TracedEntryOut,
)
from warehouse.service_layer.item_ledger import quantity_on_hand as stock_of
from warehouse.service_layer.responsibility_centers import visible_entries, visible_stock, visible_traces
from warehouse.service_layer.tracing import trace_item

router = APIRouter()


@router.get("/item-tracing", response_model=ItemTracing, tags=["item ledger"], responses={403: PROBLEM, 422: PROBLEM},
            dependencies=[requires("inventory:read")])
async def item_tracing(
    runtime: Runtime, serial_no: str = "", lot_no: str = "", item_no: str | None = None,
    direction: TraceDirection = TraceDirection.USAGE,
) -> ItemTracing:
    """Every entry that created, moved, sold or returned a serial or lot number: the entries carrying it, then
    level by level the entries linked to them by applications and applies-from links, towards usage (where it
    went) or origin (where it came from)."""
    async with runtime.reading() as uow:
        traced = visible_traces(await trace_item(uow, direction, serial_no=serial_no, lot_no=lot_no, item_no=item_no))
    return ItemTracing(serial_no=serial_no, lot_no=lot_no, direction=str(direction), entries=[
        TracedEntryOut(**entry_out(t.entry).model_dump(), level=t.level, traced_from=t.traced_from) for t in traced])


@router.get("/item-ledger-entries", response_model=ItemLedgerEntryPage, responses={403: PROBLEM, 400: PROBLEM},
            tags=["item ledger"], dependencies=[requires("inventory:read")])
async def list_entries(
    runtime: Runtime, item_no: str | None = None, cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100, responsibility_center: str | None = None,
) -> ItemLedgerEntryPage:
    """Item ledger entries in entry order; of one responsibility center with `responsibility_center` (a caller
    whose token ties it to a center sees that center's only)."""
    async with runtime.reading() as uow:
        found = await visible_entries(uow, responsibility_center, item_no, decode_cursor(cursor), limit + 1)
    page, next_cursor = paginate(found, limit, lambda listed: listed.entry.entry_no)
    return ItemLedgerEntryPage(entries=[listed_entry_out(e) for e in page], next_cursor=next_cursor)


@router.get("/items/{item_no}/quantity-on-hand", response_model=QuantityOnHand, responses={403: PROBLEM, 404: PROBLEM},
            tags=["item ledger"], dependencies=[requires("inventory:read")])
async def quantity_on_hand(item_no: str, runtime: Runtime, responsibility_center: str | None = None) -> QuantityOnHand:
    async with runtime.reading() as uow:
        stock = await visible_stock(uow, responsibility_center, await stock_of(uow, item_no))
    locations = [LocationQuantity(**s.__dict__) for s in stock]
    return QuantityOnHand(item_no=item_no, quantity=sum((l.quantity for l in locations), Decimal(0)), locations=locations)
