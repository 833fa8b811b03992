"""Responsibility centers against the in-memory unit of work: which center an entry records, what a caller tied to a
center may post and see."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal

import pytest

from inventory_contracts.catalog import CostingMethod, ItemType, PreventNegativeInventory
from inventory_contracts.warehouse import ItemLedgerEntryType
from servicekit.auth import AccessToken, acting_with

from warehouse.adapters.memory import InMemoryWarehouseUnitOfWork
from warehouse.domain.documents import InvoiceLine
from warehouse.domain.errors import (
    OutsideResponsibilityCenterError,
    ResponsibilityCenterMismatchError,
    UnknownResponsibilityCenterError,
)
from warehouse.domain.ledger_state import Demand
from warehouse.domain.locations import Location
from warehouse.domain.model import Item, JournalLine
from warehouse.domain.physical_inventory import Unrecorded
from warehouse.domain.responsibility_centers import ResponsibilityCenter, visible_center
from warehouse.service_layer.documents import post_invoice, post_receipt_or_shipment
from warehouse.service_layer.locations import create_location
from warehouse.service_layer.physical_inventory import (
    calculate_lines,
    create_phys_invt_order,
    finish_order,
    list_phys_invt_ledger_entries,
    post_order,
)
from warehouse.service_layer.posting import post_item_journal
from warehouse.service_layer.reservations import cancel_reservation, list_reservations, reserve
from warehouse.service_layer.responsibility_centers import (
    assign_location,
    get_center,
    list_centers,
    visible_availability,
    visible_entries,
    visible_locations,
)
from warehouse.service_layer.transfers import NewTransferLine, create_transfer_order, get_transfer_order

D = Decimal
DAY = date(2026, 8, 3)
PURCHASE = ItemLedgerEntryType.PURCHASE


def item() -> Item:
    return Item(item_no="1000", revision=1, description="Bicycle", type=ItemType.INVENTORY, base_unit_of_measure="PCS",
                costing_method=CostingMethod.FIFO, inventory_posting_group="RESALE", gen_prod_posting_group="RETAIL",
                prevent_negative_inventory=PreventNegativeInventory.YES, blocked=False, sales_blocked=False,
                purchasing_blocked=False)


def line(entry_type: ItemLedgerEntryType, quantity: str, *, location_code: str, unit_cost: str | None = None,
         line_no: int = 10000) -> JournalLine:
    return JournalLine(item_no="1000", entry_type=entry_type, quantity=D(quantity), posting_date=DAY,
                       location_code=location_code, document_no="D1", line_no=line_no,
                       unit_cost=None if unit_cost is None else D(unit_cost))


# As in BC's demo company: a Birmingham and a London office, each with its own warehouse.
BIRMINGHAM = ResponsibilityCenter("BIRMINGHAM", "Birmingham Office", "Main Street, 14", "Birmingham", "B27 4KT", "GB")
LONDON = ResponsibilityCenter("LONDON", "London Office", "Oxford Street, 212", "London", "W1 3AS", "GB")


def uow() -> InMemoryWarehouseUnitOfWork:
    unit = InMemoryWarehouseUnitOfWork([item()])
    unit.tables.responsibility_centers.update({c.code: c for c in (BIRMINGHAM, LONDON)})
    unit.tables.locations.update({
        "BLUE": Location("BLUE", "Blue warehouse", responsibility_center="BIRMINGHAM"),
        "RED": Location("RED", "Red warehouse", responsibility_center="LONDON"),
        "GREEN": Location("GREEN", "Green warehouse"),
        "OWN LOG.": Location("OWN LOG.", "Own logistics", use_as_in_transit=True),
    })
    return unit


@contextmanager
def caller(center: str | None) -> Iterator[None]:
    claims = {} if center is None else {"responsibility_center": center}
    with acting_with(AccessToken("clerk", "tests", frozenset({"inventory:post"}), claims)):
        yield


async def test_an_entry_records_the_document_center_else_its_location_else_the_callers() -> None:
    unit = uow()
    given = await post_item_journal(unit, [line(PURCHASE, "1", unit_cost="1", location_code="GREEN")],
                                    responsibility_center="LONDON")
    at_location = await post_item_journal(unit, [line(PURCHASE, "1", unit_cost="1", location_code="BLUE")])
    nowhere = await post_item_journal(unit, [line(PURCHASE, "1", unit_cost="1", location_code="GREEN")])
    with caller("LONDON"):
        callers = await post_item_journal(unit, [line(PURCHASE, "1", unit_cost="1", location_code="GREEN")])
    recorded = ["LONDON", "BIRMINGHAM", "", "LONDON"]
    assert [e.responsibility_center for e in given + at_location + nowhere + callers] == recorded
    assert [e.responsibility_center for e in unit.tables.ledger()] == recorded


async def test_a_document_of_one_center_cannot_post_at_another_centers_location() -> None:
    unit = uow()
    with pytest.raises(ResponsibilityCenterMismatchError, match="location RED belongs to responsibility center LONDON"):
        await post_item_journal(unit, [line(PURCHASE, "1", unit_cost="1", location_code="RED")],
                                responsibility_center="BIRMINGHAM")
    with pytest.raises(UnknownResponsibilityCenterError):
        await post_item_journal(unit, [line(PURCHASE, "1", unit_cost="1", location_code="")],
                                responsibility_center="PARIS")
    assert unit.tables.entries == {}


async def test_a_caller_tied_to_a_center_is_refused_another_centers_location_and_nothing_is_written() -> None:
    unit = uow()
    with caller("BIRMINGHAM"), pytest.raises(OutsideResponsibilityCenterError) as refused:
        await post_item_journal(unit, [line(PURCHASE, "1", unit_cost="1", location_code="BLUE", line_no=1),
                                       line(PURCHASE, "1", unit_cost="1", location_code="RED", line_no=2)])
    assert refused.value.status == 403
    assert "location RED belongs to responsibility center LONDON" in refused.value.detail
    assert refused.value.extensions["responsibility_center"] == "LONDON"
    with caller("BIRMINGHAM"), pytest.raises(OutsideResponsibilityCenterError, match="the document belongs to"):
        await post_item_journal(unit, [line(PURCHASE, "1", unit_cost="1", location_code="GREEN")],
                                responsibility_center="LONDON")
    assert unit.tables.entries == {} and unit.events == []


async def test_a_transfer_between_two_centers_is_refused_to_a_caller_of_one_and_its_order_hidden_from_it() -> None:
    unit = uow()
    lines = [NewTransferLine(10000, "1000", "", D(1))]
    with caller("BIRMINGHAM"), pytest.raises(OutsideResponsibilityCenterError, match="location RED"):
        await create_transfer_order(unit, "T1", "BLUE", "RED", "OWN LOG.", False, lines)
    order = await create_transfer_order(unit, "T1", "RED", "BLUE", "OWN LOG.", False, lines)
    assert order.responsibility_center == "LONDON"
    with caller("BIRMINGHAM"), pytest.raises(OutsideResponsibilityCenterError, match="transfer order T1"):
        await get_transfer_order(unit, "T1")
    with caller("LONDON"):
        assert (await get_transfer_order(unit, "T1")).no == "T1"


async def test_a_count_takes_its_locations_center() -> None:
    order = await create_phys_invt_order(uow(), "PI1", "BLUE", DAY, [], "")
    assert order.responsibility_center == "BIRMINGHAM"


async def test_reads_are_filtered_to_the_callers_center_and_one_without_the_claim_sees_all() -> None:
    unit = uow()
    await post_item_journal(unit, [line(PURCHASE, "5", unit_cost="1", location_code="BLUE", line_no=1),
                                   line(PURCHASE, "7", unit_cost="1", location_code="RED", line_no=2)])
    with caller("LONDON"):
        assert [listed.entry.location_code for listed in await visible_entries(unit, None, None, None, 100)] == ["RED"]
        assert [location.code for location in await visible_locations(unit, None, None, 100)] == ["RED"]
        assert [center.code for center in await list_centers(unit, None, 100)] == ["LONDON"]
        with pytest.raises(OutsideResponsibilityCenterError):
            await visible_entries(unit, "BIRMINGHAM", None, None, 100)
        with pytest.raises(OutsideResponsibilityCenterError):
            await get_center(unit, "BIRMINGHAM")
        figures = await visible_availability(unit, None, "1000", None)
        assert not isinstance(figures, list) and figures.inventory == D(7)
    assert len(await visible_entries(unit, None, None, None, 100)) == 2
    assert [e.entry.location_code for e in await visible_entries(unit, "BIRMINGHAM", None, None, 100)] == ["BLUE"]
    figures = await visible_availability(unit, None, "1000", None)
    assert not isinstance(figures, list) and figures.inventory == D(12)


async def test_a_location_made_or_moved_by_a_tied_caller_stays_in_its_center() -> None:
    unit = uow()
    with caller("LONDON"):
        made = await create_location(unit, Location("WHITE", "White warehouse"))
        assert made.responsibility_center == "LONDON"
        with pytest.raises(OutsideResponsibilityCenterError):
            await create_location(unit, Location("YELLOW", "Yellow", responsibility_center="BIRMINGHAM"))
        with pytest.raises(OutsideResponsibilityCenterError):
            await assign_location(unit, "WHITE", "BIRMINGHAM")
    with pytest.raises(UnknownResponsibilityCenterError):
        await assign_location(unit, "GREEN", "PARIS")
    assert (await assign_location(unit, "GREEN", "BIRMINGHAM")).responsibility_center == "BIRMINGHAM"
    assert unit.tables.locations["GREEN"].responsibility_center == "BIRMINGHAM"


def test_a_caller_without_the_claim_reads_what_it_asks_for() -> None:
    assert visible_center(None, None) is None
    assert visible_center(None, "LONDON") == "LONDON"
    assert visible_center("LONDON", None) == "LONDON"


async def test_a_tied_caller_cannot_invoice_a_receipt_another_center_posted() -> None:
    unit = uow()
    [receipt] = await post_receipt_or_shipment(
        unit, [line(PURCHASE, "2", unit_cost="4", location_code="RED")], purchase=True)
    with caller("BIRMINGHAM"), pytest.raises(OutsideResponsibilityCenterError, match="LONDON"):
        await post_invoice(unit, "PI-1", DAY, [InvoiceLine(1, receipt.entry_no, D(2), D(4), None)],
                           purchase=True)
    with caller("LONDON"):
        await post_invoice(unit, "PI-1", DAY, [InvoiceLine(1, receipt.entry_no, D(2), D(4), None)],
                           purchase=True)
    assert len(unit.tables.invoice_lines) == 1


async def test_a_tied_caller_reserves_and_sees_reservations_at_its_centers_locations_only() -> None:
    unit = uow()
    await post_item_journal(unit, [line(PURCHASE, "5", unit_cost="1", location_code="BLUE", line_no=1),
                                   line(PURCHASE, "5", unit_cost="1", location_code="RED", line_no=2)])
    with caller("BIRMINGHAM"), pytest.raises(OutsideResponsibilityCenterError, match="location RED"):
        await reserve(unit, Demand("Sales Order", "SO1", 1), "1000", "", "RED", D(2))
    await reserve(unit, Demand("Sales Order", "SO1", 1), "1000", "", "RED", D(2))
    await reserve(unit, Demand("Sales Order", "SO2", 1), "1000", "", "BLUE", D(1))
    with caller("BIRMINGHAM"):
        assert [r.key[2] for r in await list_reservations(unit, "1000", None, None, False)] == ["BLUE"]
        with pytest.raises(OutsideResponsibilityCenterError):
            await cancel_reservation(unit, Demand("Sales Order", "SO1", 1))
    assert len(await list_reservations(unit, "1000", None, None, False)) == 2


async def test_a_count_posts_for_its_center_and_its_ledger_is_read_per_center() -> None:
    unit = uow()
    await post_item_journal(unit, [line(PURCHASE, "5", unit_cost="1", location_code="BLUE", line_no=1),
                                   line(PURCHASE, "5", unit_cost="1", location_code="RED", line_no=2)])
    for no, location in (("PI-B", "BLUE"), ("PI-R", "RED")):
        await create_phys_invt_order(unit, no, location, DAY, [], "")
        await calculate_lines(unit, no)
        await finish_order(unit, no, Unrecorded.ZERO)
        _, posted, _ = await post_order(unit, no)
        assert [e.responsibility_center for e in posted] == [unit.tables.orders[no].responsibility_center]
    with caller("LONDON"):
        assert [e.order_no for e in await list_phys_invt_ledger_entries(unit, None, None, None, 100)] == ["PI-R"]
        with pytest.raises(OutsideResponsibilityCenterError):
            await post_order(unit, "PI-B")
    assert len(await list_phys_invt_ledger_entries(unit, None, None, None, 100)) == 2
    assert [e.order_no for e in await list_phys_invt_ledger_entries(unit, None, None, None, 100, "BIRMINGHAM")] == [
        "PI-B"]
