"""The in-memory fakes answer as the PostgreSQL repositories do: one history of postings, transfers, reservations,
a count and a closed period is played through the use cases on both units of work, and everything the use cases
read back is compared. The unit tests of the use cases run on the fakes; this keeps them honest."""

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import asyncpg
import pytest

from devstack.postgres import migrated_connection
from devstack.stack import Stack
from inventory_contracts.catalog import CostingMethod, ItemType, PreventNegativeInventory
from inventory_contracts.warehouse import ItemLedgerEntryType

from warehouse.adapters.memory import InMemoryWarehouseUnitOfWork
from warehouse.adapters.unit_of_work import PostgresWarehouseUnitOfWork
from warehouse.domain.ledger_state import Demand
from warehouse.domain.locations import Location
from warehouse.domain.model import Item, JournalLine
from warehouse.domain.periods import PostingDates
from warehouse.domain.physical_inventory import RecordedLine, Unrecorded
from warehouse.domain.reservation_policy import SupplyRef, SupplyType
from warehouse.domain.tracking import TrackingLine, TrackingRules
from warehouse.service_layer import (
    availability,
    item_ledger,
    items,
    locations,
    periods,
    physical_inventory,
    posting,
    reservation_policies,
    reservations,
    transfers,
)
from warehouse.service_layer.unit_of_work import WarehouseUnitOfWork

D = Decimal
JAN, FEB, MAR = date(2026, 1, 10), date(2026, 2, 10), date(2026, 3, 10)
P, S = ItemLedgerEntryType.PURCHASE, ItemLedgerEntryType.SALE


def item(item_no: str, method: CostingMethod = CostingMethod.FIFO, **extra: Any) -> Item:
    values: dict[str, Any] = dict(
        item_no=item_no, revision=1, description=f"item {item_no}", type=ItemType.INVENTORY,
        base_unit_of_measure="PCS", costing_method=method, inventory_posting_group="RESALE",
        gen_prod_posting_group="RETAIL", prevent_negative_inventory=PreventNegativeInventory.DEFAULT, blocked=False,
        sales_blocked=False, purchasing_blocked=False,
    )
    return Item(**{**values, **extra})


def line(entry_type: ItemLedgerEntryType, item_no: str, quantity: str, location_code: str, posting_date: date,
         document_no: str, **extra: Any) -> JournalLine:
    unit_cost = D("2.50") if entry_type is P else None
    return JournalLine(item_no=item_no, entry_type=entry_type, quantity=D(quantity), posting_date=posting_date,
                       location_code=location_code, document_no=document_no, line_no=10000, unit_cost=unit_cost,
                       **extra)


PLACES = (Location("BLUE", "Blue"), Location("RED", "Red"), Location("WHITE", "White", bin_mandatory=True),
          Location("TRUCK", "Truck", use_as_in_transit=True))


def journal(*lines: JournalLine) -> list[JournalLine]:
    return [replace(l, line_no=10000 * (i + 1)) for i, l in enumerate(lines)]


async def play(uow: WarehouseUnitOfWork) -> dict[str, Any]:
    """The history, and what the use cases read back after it."""
    await periods.change_inventory_setup(uow, False, PostingDates())
    lots = TrackingRules("LOTALL", lot_specific=True, lot_required_for=frozenset({"Purchase", "Sale"}))
    await items.replicate_item(uow, item("A"))
    await items.replicate_item(uow, item("L", CostingMethod.LIFO))
    await items.replicate_item(uow, item("T", tracking=lots))
    await items.replicate_item(uow, replace(item("A"), revision=0, description="an older revision"))
    for location in PLACES:
        await locations.create_location(uow, location)
    await locations.create_bin(uow, "WHITE", "W1", "shelf 1")
    await locations.create_bin(uow, "WHITE", "W2", "shelf 2")

    lot1, lot2 = TrackingLine(lot_no="LOT1", quantity=D(3)), TrackingLine(lot_no="LOT2", quantity=D(2))
    await posting.post_item_journal(uow, journal(
        line(P, "A", "10", "BLUE", JAN, "R1"), line(P, "A", "4", "RED", JAN, "R2"), line(P, "L", "6", "BLUE", JAN, "R3"),
        line(P, "L", "1", "BLUE", FEB, "R3"), line(P, "A", "3", "WHITE", JAN, "R4", bin_code="W1"),
        line(P, "T", "5", "BLUE", JAN, "R5", tracking=(lot1, lot2)),
    ))
    await posting.post_item_journal(uow, journal(
        line(S, "A", "3", "BLUE", FEB, "S1"), line(S, "L", "2", "BLUE", FEB, "S2"),
        line(S, "T", "2", "BLUE", FEB, "S3", tracking=(replace(lot1, quantity=D(2)),)),
    ))
    await posting.post_item_journal(uow, journal(line(S, "A", "5", "RED", FEB, "S4")))  # negative: allowed by the setup
    await posting.post_item_journal(uow, journal(line(P, "A", "2", "RED", FEB, "R6")))

    demand = Demand("Sales", "SO1", 10000)
    await reservations.reserve(uow, demand, "A", "", "BLUE", D(4))
    await transfers.create_transfer_order(uow, "T1", "BLUE", "WHITE", "TRUCK", False,
                                          [transfers.NewTransferLine(10000, "A", "", D(2))])
    await transfers.ship_transfer(uow, "T1", "SH1", FEB, [transfers.ShipLine(10000, D(2))])
    await reservation_policies.reserve_against_supply(
        uow, Demand("Sales", "SO2", 10000), ("A", "", "WHITE"), D(2),
        SupplyRef(SupplyType.TRANSFER_ORDER, "T1", 10000), None)
    await transfers.receive_transfer(uow, "T1", "RC1", FEB, [transfers.ReceiveLine(10000, D(1), bin_code="W2")])

    await physical_inventory.create_phys_invt_order(uow, "PI1", "BLUE", FEB, [], "")
    await physical_inventory.calculate_lines(uow, "PI1")
    await physical_inventory.record_counts(uow, "PI1", "C1", [RecordedLine(D(1), 10000)])
    await physical_inventory.finish_order(uow, "PI1", Unrecorded.EXPECTED)
    await physical_inventory.post_order(uow, "PI1")
    await periods.close_inventory_period(uow, date(2026, 1, 31), "January")

    return {
        "entries": await item_ledger.list_item_ledger_entries(uow, None, None, 1000),
        "on_hand": {no: await item_ledger.quantity_on_hand(uow, no) for no in ("A", "L", "T")},
        "availability": [await availability.item_availability(uow, "A", code) for code in (None, "BLUE", "RED")],
        "bin_contents": await locations.bin_contents(uow, None, None, None),
        "reservations": await reservations.list_reservations(uow, None, None, None, True),
        "supply_reservations": await reservation_policies.list_supply_reservations(uow, None, None, None, None, True),
        "worksheet": (await reservation_policies.reservation_worksheet(uow, ("A", "", "BLUE")))[0],
        "transfer": await transfers.get_transfer_order(uow, "T1"),
        "count": await physical_inventory.get_phys_invt_order(uow, "PI1"),
        "count_ledger": await physical_inventory.list_phys_invt_ledger_entries(uow, None, None, None, 100),
        "periods": await periods.list_inventory_periods(uow),
        "setup": await periods.get_inventory_setup(uow),
        # the migrations also create a few locations (MAIN, EAST, ...); the fake starts without them
        "locations": [l for l in await locations.list_locations(uow, None, 100) if l in PLACES],
        "bins": await locations.list_bins(uow, "WHITE"),
    }


@pytest.fixture
async def warehouse_database(stack: Stack) -> AsyncIterator[asyncpg.Connection]:
    async with migrated_connection(stack.database_server_url, "warehouse_fakes", "warehouse") as conn:
        yield conn


async def test_the_fakes_read_back_what_postgresql_reads_back(warehouse_database: asyncpg.Connection) -> None:
    in_memory = await play(InMemoryWarehouseUnitOfWork())
    async with warehouse_database.transaction():
        stored = await play(PostgresWarehouseUnitOfWork(warehouse_database))
    for what in stored:
        assert in_memory[what] == stored[what], what
    assert len(stored["entries"]) > 15 and stored["count_ledger"]
    # The transfer receipt of 1 moved 1 of the 2 reserved on the transfer line onto its entry.
    assert [(r.status, r.remaining_quantity) for r in stored["supply_reservations"]] == [("Reserved", 1)]
    assert [r.quantity for r in stored["reservations"] if r.demand.source_id == "SO2"] == [1]
