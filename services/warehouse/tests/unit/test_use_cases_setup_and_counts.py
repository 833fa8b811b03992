"""The setup-and-counts use cases (locations, bins, inventory setup and periods, physical inventory, availability,
reconciliation) against the in-memory unit of work: no I/O."""

from datetime import date
from decimal import Decimal

import pytest

from inventory_contracts import INVENTORY_SETUP_CHANGED_V1, ITEM_ENTRY_POSTED_V1
from inventory_contracts.catalog import CostingMethod, ItemType, PreventNegativeInventory
from inventory_contracts.warehouse import AverageCostCalcType, AverageCostPeriod, ItemLedgerEntryType
from servicekit.errors import NotFoundError

from warehouse.adapters.memory import InMemoryWarehouseUnitOfWork
from warehouse.domain.availability import Figures, PeriodType
from warehouse.domain.errors import (
    AlreadyExistsError,
    AverageCostSetupFixedError,
    DocumentStateError,
    InTransitLocationError,
    InvalidAvailabilityQueryError,
    InvalidDocumentError,
    InvalidLocationError,
    InventoryPeriodChangeError,
    InventoryPeriodClosedError,
    UnknownBinError,
    UnknownLocationError,
)
from warehouse.domain.application import OpenEntry
from warehouse.domain.ledger_state import Demand, ReservationEntry
from warehouse.domain.locations import Location
from warehouse.domain.model import Item, ItemLedgerEntry
from warehouse.domain.periods import PostingDates
from warehouse.domain.physical_inventory import OrderStatus, RecordedLine, Unrecorded
from warehouse.domain.transfers import TransferOrder, TransferOrderLine
from warehouse.service_layer import availability, locations, periods, physical_inventory, reconciliation

D = Decimal
DAY = date(2026, 6, 30)
P = ItemLedgerEntryType.PURCHASE
S = ItemLedgerEntryType.SALE


def item(item_no: str = "1000") -> Item:
    return Item(item_no=item_no, revision=1, description="x", type=ItemType.INVENTORY, base_unit_of_measure="PCS",
                costing_method=CostingMethod.FIFO, inventory_posting_group="RESALE", gen_prod_posting_group="RETAIL",
                prevent_negative_inventory=PreventNegativeInventory.DEFAULT, blocked=False, sales_blocked=False,
                purchasing_blocked=False)


def entry(entry_no: int, quantity: str, *, item_no: str = "1000", location_code: str = "BLUE", bin_code: str = "",
          posting_date: date = DAY, lot_no: str = "") -> ItemLedgerEntry:
    return ItemLedgerEntry(entry_no, item_no, "", location_code, posting_date, P if D(quantity) > 0 else S, f"D{entry_no}",
                           10000, D(quantity), None, bin_code=bin_code, lot_no=lot_no)


def seed(uow: InMemoryWarehouseUnitOfWork, *entries: ItemLedgerEntry, open_: bool = False) -> None:
    """Entries as posted before the test; `open_` leaves their whole quantity remaining."""
    uow.tables.entries.update((e.entry_no, e) for e in entries)
    if open_:
        uow.tables.open.update((e.entry_no, ((e.item_no, e.variant_code, e.location_code),
                                             OpenEntry(e.entry_no, e.posting_date, e.quantity))) for e in entries)


@pytest.fixture
def uow() -> InMemoryWarehouseUnitOfWork:
    uow = InMemoryWarehouseUnitOfWork()
    uow.tables.items["1000"] = item("1000")
    return uow


# locations and bins -------------------------------------------------------------------------------------------------


async def test_a_location_is_created_once_and_listed_by_code(uow: InMemoryWarehouseUnitOfWork) -> None:
    for code in ("RED", "BLUE", "GREEN"):
        await locations.create_location(uow, Location(code, code.title()))
    with pytest.raises(AlreadyExistsError):
        await locations.create_location(uow, Location("RED", "again"))
    assert [l.code for l in await locations.list_locations(uow, None, 2)] == ["BLUE", "GREEN"]
    assert [l.code for l in await locations.list_locations(uow, "GREEN", 2)] == ["RED"]
    assert (await locations.get_location(uow, "RED")).name == "Red"
    with pytest.raises(NotFoundError):
        await locations.get_location(uow, "NONE")


async def test_a_location_without_code_or_in_transit_and_bin_mandatory_is_refused(uow: InMemoryWarehouseUnitOfWork) -> None:
    with pytest.raises(InvalidLocationError):
        await locations.create_location(uow, Location("", "blank"))
    with pytest.raises(InvalidLocationError):
        await locations.create_location(uow, Location("TRUCK", "Truck", use_as_in_transit=True, bin_mandatory=True))
    assert uow.tables.locations == {}


async def test_bins_belong_to_an_existing_location_that_is_not_in_transit(uow: InMemoryWarehouseUnitOfWork) -> None:
    await locations.create_location(uow, Location("WHITE", "White", bin_mandatory=True))
    await locations.create_location(uow, Location("TRUCK", "Truck", use_as_in_transit=True))
    await locations.create_bin(uow, "WHITE", "B2", "second")
    await locations.create_bin(uow, "WHITE", "B1", "first")
    with pytest.raises(AlreadyExistsError):
        await locations.create_bin(uow, "WHITE", "B1", "again")
    with pytest.raises(NotFoundError):
        await locations.create_bin(uow, "NONE", "B1", "")
    with pytest.raises(InvalidLocationError):
        await locations.create_bin(uow, "TRUCK", "B1", "")
    assert [b.code for b in await locations.list_bins(uow, "WHITE")] == ["B1", "B2"]
    assert await locations.list_bins(uow, "TRUCK") == []
    with pytest.raises(NotFoundError):
        await locations.list_bins(uow, "NONE")


async def test_bin_contents_sum_the_entries_posted_with_a_bin_and_omit_empty_bins(uow: InMemoryWarehouseUnitOfWork) -> None:
    seed(uow, entry(1, "5", bin_code="B1"), entry(2, "-5", bin_code="B1"), entry(3, "3", bin_code="B2"),
         entry(4, "2", bin_code="B2"), entry(5, "7"))
    found = await locations.bin_contents(uow, None, None, None)
    assert [(c.bin_code, c.quantity) for c in found] == [("B2", D(5))]
    assert await locations.bin_contents(uow, "2000", None, None) == []


# inventory setup and periods ----------------------------------------------------------------------------------------


async def test_a_setup_change_is_published_whole_at_the_next_revision(uow: InMemoryWarehouseUnitOfWork) -> None:
    dates = PostingDates(date(2026, 1, 1), date(2026, 12, 31))
    setup, revision, closed = await periods.change_inventory_setup(uow, True, dates, AverageCostPeriod.MONTH)
    assert (setup.prevent_negative_inventory, setup.dates, setup.average_cost_period, revision, closed) == (
        True, dates, AverageCostPeriod.MONTH, 1, None)
    [(topic, event)] = uow.events
    assert topic == INVENTORY_SETUP_CHANGED_V1.topic
    assert (event.payload.revision, event.payload.allow_posting_to) == (1, date(2026, 12, 31))
    assert await periods.get_inventory_setup(uow) == (setup, 1, None)
    assert await uow.inventory_setup.prevent_negative_inventory_default()


async def test_an_unchanged_setup_is_not_published_again(uow: InMemoryWarehouseUnitOfWork) -> None:
    await periods.change_inventory_setup(uow, False, PostingDates())
    _, revision, _ = await periods.change_inventory_setup(uow, False, PostingDates())
    assert (revision, len(uow.events)) == (1, 1)


async def test_the_average_cost_setup_is_fixed_once_entries_exist(uow: InMemoryWarehouseUnitOfWork) -> None:
    seed(uow, entry(1, "5"))
    with pytest.raises(AverageCostSetupFixedError):
        await periods.change_inventory_setup(uow, False, PostingDates(), None, AverageCostCalcType.ITEM_LOCATION_VARIANT)
    _, revision, _ = await periods.change_inventory_setup(uow, False, PostingDates(), None, None)
    assert (revision, uow.events[0][1].payload.average_cost_period) == (1, AverageCostPeriod.DAY)


async def test_periods_close_in_date_order_and_publish_the_closed_through_date(uow: InMemoryWarehouseUnitOfWork) -> None:
    await periods.close_inventory_period(uow, date(2026, 1, 31), "January")
    await periods.reopen_inventory_period(uow, date(2026, 1, 31))
    await periods.change_inventory_setup(uow, False, PostingDates())
    with pytest.raises(InventoryPeriodChangeError):
        await periods.close_inventory_period(uow, date(2026, 2, 28))
    closed = await periods.close_inventory_period(uow, date(2026, 1, 31))
    assert (closed.closed, closed.name) == (True, "")
    assert [p.name for p in await periods.list_inventory_periods(uow)] == ["January"]
    assert [e.payload.closed_through for _, e in uow.events] == [date(2026, 1, 31), None, None, date(2026, 1, 31)]
    assert [e.payload.revision for _, e in uow.events] == [1, 2, 3, 4]


async def test_a_period_does_not_close_while_an_outbound_entry_in_it_waits_for_stock(
    uow: InMemoryWarehouseUnitOfWork,
) -> None:
    seed(uow, entry(1, "-2", posting_date=date(2026, 1, 10)), open_=True)
    with pytest.raises(InventoryPeriodChangeError, match="not applied to stock"):
        await periods.close_inventory_period(uow, date(2026, 1, 31))
    await periods.close_inventory_period(uow, date(2026, 1, 9))
    assert uow.events[-1][1].payload.closed_through == date(2026, 1, 9)


async def test_periods_reopen_from_the_latest_back(uow: InMemoryWarehouseUnitOfWork) -> None:
    await periods.close_inventory_period(uow, date(2026, 1, 31))
    await periods.close_inventory_period(uow, date(2026, 2, 28))
    with pytest.raises(InventoryPeriodChangeError, match="reopen periods from the latest back"):
        await periods.reopen_inventory_period(uow, date(2026, 1, 31))
    reopened = await periods.reopen_inventory_period(uow, date(2026, 2, 28))
    assert not reopened.closed
    assert uow.events[-1][1].payload.closed_through == date(2026, 1, 31)


# physical inventory -------------------------------------------------------------------------------------------------


async def test_a_physical_inventory_order_goes_from_creation_to_posting(uow: InMemoryWarehouseUnitOfWork) -> None:
    uow.tables.locations["BLUE"] = Location("BLUE", "Blue")
    uow.tables.items["2000"] = item("2000")
    seed(uow, entry(1, "10"), entry(2, "4", item_no="2000"), entry(3, "6", posting_date=date(2026, 7, 1)), open_=True)

    order = await physical_inventory.create_phys_invt_order(uow, "PI1", "BLUE", DAY, [], "")
    assert (order.status, order.lines_calculated) == (OrderStatus.OPEN, False)
    order = await physical_inventory.calculate_lines(uow, "PI1")
    assert [(l.line_no, l.item_no, l.expected_quantity) for l in order.lines] == [(10000, "1000", D(10)),
                                                                                   (20000, "2000", D(4))]
    order = await physical_inventory.record_counts(uow, "PI1", "R1", [RecordedLine(D(7), 10000)])
    with pytest.raises(AlreadyExistsError):
        await physical_inventory.record_counts(uow, "PI1", "R1", [RecordedLine(D(4), 20000)])
    order = await physical_inventory.finish_order(uow, "PI1", Unrecorded.EXPECTED)
    assert [l.recorded_quantity for l in order.lines] == [D(7), D(4)]

    order, posted, ledger = await physical_inventory.post_order(uow, "PI1")

    assert order.status is OrderStatus.POSTED
    assert [(e.entry_no, e.entry_type, e.quantity) for e in posted] == [(4, ItemLedgerEntryType.NEGATIVE_ADJMT, D(-3))]
    assert [(p.order_line_no, p.difference, p.item_ledger_entry_no) for p in ledger] == [(10000, D(-3), 4),
                                                                                         (20000, D(0), None)]
    assert uow.tables.remaining(1) == D(7) and [topic for topic, _ in uow.events] == [ITEM_ENTRY_POSTED_V1.topic]
    assert await physical_inventory.get_phys_invt_order(uow, "PI1") == order
    assert await physical_inventory.list_phys_invt_ledger_entries(uow, "1000", None, None, 10) == ledger[:1]
    assert await physical_inventory.list_phys_invt_ledger_entries(uow, None, "PI1", ledger[0].entry_no, 10) == ledger[1:]
    with pytest.raises(DocumentStateError):
        await physical_inventory.post_order(uow, "PI1")


async def test_a_recording_may_add_a_line_for_what_nobody_expected(uow: InMemoryWarehouseUnitOfWork) -> None:
    uow.tables.locations["WHITE"] = Location("WHITE", "White", bin_mandatory=True)
    await locations.create_bin(uow, "WHITE", "B1", "")
    await physical_inventory.create_phys_invt_order(uow, "PI1", "WHITE", DAY, ["1000"], "")
    await physical_inventory.calculate_lines(uow, "PI1")
    with pytest.raises(UnknownBinError):
        await physical_inventory.record_counts(uow, "PI1", "R1", [RecordedLine(D(1), item_no="1000", bin_code="B9")])
    assert uow.tables.recordings == set()
    order = await physical_inventory.record_counts(uow, "PI1", "R1", [RecordedLine(D(2), item_no="1000", bin_code="B1")])
    assert [(l.line_no, l.expected_quantity, l.recorded_quantity, l.calculated) for l in order.lines] == [
        (10000, D(0), D(2), False)]


async def test_an_order_is_refused_for_an_unknown_or_in_transit_location_bin_or_item(
    uow: InMemoryWarehouseUnitOfWork,
) -> None:
    uow.tables.locations["TRUCK"] = Location("TRUCK", "Truck", use_as_in_transit=True)
    with pytest.raises(UnknownLocationError):
        await physical_inventory.create_phys_invt_order(uow, "PI1", "NONE", DAY, [], "")
    with pytest.raises(InTransitLocationError):
        await physical_inventory.create_phys_invt_order(uow, "PI1", "TRUCK", DAY, [], "")
    with pytest.raises(UnknownBinError):
        await physical_inventory.create_phys_invt_order(uow, "PI1", "", DAY, [], "B9")
    with pytest.raises(InvalidDocumentError, match="9999"):
        await physical_inventory.create_phys_invt_order(uow, "PI1", "", DAY, ["1000", "9999"], "")
    await physical_inventory.create_phys_invt_order(uow, "PI1", "", DAY, ["1000"], "")
    with pytest.raises(AlreadyExistsError):
        await physical_inventory.create_phys_invt_order(uow, "PI1", "", DAY, [], "")
    with pytest.raises(NotFoundError):
        await physical_inventory.get_phys_invt_order(uow, "PI2")
    with pytest.raises(NotFoundError):
        await physical_inventory.calculate_lines(uow, "PI2")


async def test_a_count_dated_in_a_closed_period_does_not_post(uow: InMemoryWarehouseUnitOfWork) -> None:
    await physical_inventory.create_phys_invt_order(uow, "PI1", "", DAY, [], "")
    await physical_inventory.calculate_lines(uow, "PI1")
    await physical_inventory.finish_order(uow, "PI1", Unrecorded.ZERO)
    await periods.close_inventory_period(uow, DAY)
    with pytest.raises(InventoryPeriodClosedError):
        await physical_inventory.post_order(uow, "PI1")
    assert uow.tables.orders["PI1"].status is OrderStatus.FINISHED


# availability and reconciliation ------------------------------------------------------------------------------------


def reserved(quantity: str, location_code: str = "BLUE") -> ReservationEntry:
    return ReservationEntry(1, Demand("Sales", "SO1", 10000), ("1000", "", location_code), 1, D(quantity), D(quantity))


async def test_availability_as_of_a_date_counts_in_transit_reservations_and_transfers(
    uow: InMemoryWarehouseUnitOfWork,
) -> None:
    uow.tables.locations["TRUCK"] = Location("TRUCK", "Truck", use_as_in_transit=True)
    seed(uow, entry(1, "10"), entry(2, "3", location_code="TRUCK"),
         entry(3, "5", posting_date=date(2026, 7, 5)))
    uow.tables.reservations[1] = reserved("2")
    uow.tables.transfer_orders["T1"] = TransferOrder("T1", "BLUE", "RED", "TRUCK", False,
                                                     (TransferOrderLine(10000, "1000", "", D(4), D(1)),))
    everywhere = await availability.item_availability(uow, "1000", None, DAY)
    assert everywhere == Figures(D(13), D(3), D(2), D(8), D(2), D(0), D(11))
    at_blue = await availability.item_availability(uow, "1000", "BLUE")
    assert isinstance(at_blue, Figures)
    assert (at_blue.inventory, at_blue.gross_requirement, at_blue.projected_available_balance) == (D(15), D(5), D(10))
    at_red = await availability.item_availability(uow, "1000", "RED")
    assert isinstance(at_red, Figures)
    assert (at_red.scheduled_receipts, at_red.projected_available_balance) == (D(4), D(4))


async def test_availability_per_period_gives_the_net_change_of_each(uow: InMemoryWarehouseUnitOfWork) -> None:
    seed(uow, entry(1, "10", posting_date=date(2026, 5, 20)), entry(2, "-4", posting_date=date(2026, 6, 3)),
         entry(3, "5", posting_date=date(2026, 7, 5)))
    found = await availability.item_availability(uow, "1000", None, None, PeriodType.MONTH, date(2026, 6, 15),
                                                  date(2026, 7, 1))
    assert isinstance(found, list)
    assert [(p.period.start, p.net_change, p.figures.inventory) for p in found] == [
        (date(2026, 6, 1), D(-4), D(6)), (date(2026, 7, 1), D(5), D(11))]


async def test_availability_refuses_a_query_it_cannot_answer_and_an_unknown_item(
    uow: InMemoryWarehouseUnitOfWork,
) -> None:
    with pytest.raises(InvalidAvailabilityQueryError):
        await availability.item_availability(uow, "1000", None, None, None, DAY, None)
    with pytest.raises(InvalidAvailabilityQueryError):
        await availability.item_availability(uow, "1000", None, DAY, PeriodType.DAY, DAY, DAY)
    with pytest.raises(InvalidAvailabilityQueryError):
        await availability.item_availability(uow, "1000", None, None, PeriodType.DAY, DAY, date(2026, 6, 1))
    with pytest.raises(NotFoundError):
        await availability.item_availability(uow, "9999", None)


async def test_settled_quantities_count_each_item_up_to_its_last_settled_entry(uow: InMemoryWarehouseUnitOfWork) -> None:
    uow.tables.clock = lambda: 100.0
    seed(uow, entry(1, "10"), entry(2, "3", location_code="RED"), entry(3, "-1"),
         entry(4, "7", item_no="2000"))
    uow.tables.recorded_at.update({1: 10.0, 2: 20.0, 3: 95.0, 4: 99.0})
    found = await reconciliation.settled_quantities(uow, 10)
    assert [(q.item_no, q.location_code, q.quantity, q.through_entry_no) for q in found] == [
        ("1000", "BLUE", D(10), 2), ("1000", "RED", D(3), 2)]
