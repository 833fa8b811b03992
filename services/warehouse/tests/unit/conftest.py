"""Builders for the use-case tests of the posting half, as factory fixtures: items, journal lines, a unit of work
over the fakes."""

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest

from inventory_contracts.catalog import CostingMethod, ItemType, PreventNegativeInventory
from inventory_contracts.warehouse import ItemLedgerEntryType

from warehouse.adapters.memory import InMemoryWarehouseUnitOfWork
from warehouse.domain.ledger_state import Demand
from warehouse.domain.locations import Location
from warehouse.domain.model import Item, JournalLine
from warehouse.domain.tracking import TrackingLine

D = Decimal
DAY = date(2026, 8, 3)
PURCHASE, SALE = ItemLedgerEntryType.PURCHASE, ItemLedgerEntryType.SALE


def item(item_no: str = "1000", **extra: object) -> Item:
    values: dict[str, object] = dict(
        item_no=item_no, revision=1, description="x", type=ItemType.INVENTORY, base_unit_of_measure="PCS",
        costing_method=CostingMethod.FIFO, inventory_posting_group="RESALE", gen_prod_posting_group="RETAIL",
        prevent_negative_inventory=PreventNegativeInventory.YES, blocked=False, sales_blocked=False,
        purchasing_blocked=False,
    )
    return Item(**{**values, **extra})  # type: ignore[arg-type]


def unit_of_work(*items: Item, locations: tuple[Location, ...] = ()) -> InMemoryWarehouseUnitOfWork:
    uow = InMemoryWarehouseUnitOfWork(items or (item(),))
    uow.tables.locations.update((l.code, l) for l in locations)
    return uow


def line(
    entry_type: ItemLedgerEntryType, quantity: str, *, item_no: str = "1000", unit_cost: str | None = None,
    location_code: str = "", document_no: str = "D1", line_no: int = 10000, posting_date: date = DAY,
    demand: Demand | None = None, tracking: tuple[TrackingLine, ...] = (), applies_to_entry: int | None = None,
) -> JournalLine:
    return JournalLine(
        item_no=item_no, entry_type=entry_type, quantity=D(quantity), posting_date=posting_date,
        location_code=location_code, document_no=document_no, line_no=line_no,
        unit_cost=None if unit_cost is None else D(unit_cost), demand=demand, tracking=tracking,
        applies_to_entry=applies_to_entry,
    )


@pytest.fixture
def new_item() -> Callable[..., Item]:
    return item


@pytest.fixture
def new_uow() -> Callable[..., InMemoryWarehouseUnitOfWork]:
    return unit_of_work


@pytest.fixture
def new_line() -> Callable[..., JournalLine]:
    return line
