"""Bins on transfer orders: the from-bin on the shipment, the to-bin on the receipt (no I/O)."""

from datetime import date
from decimal import Decimal

from inventory_contracts.catalog import CostingMethod, ItemType, PreventNegativeInventory

from warehouse.domain.locations import Location
from warehouse.domain.model import Item
from warehouse.domain.tracking import TrackingLine
from warehouse.domain.transfers import (
    ShipmentLine,
    TransferOrder,
    TransferOrderLine,
    check_order,
    from_transit_drafts,
    shipment_drafts,
)

D = Decimal
ITEM = Item(item_no="1000", revision=1, description="x", type=ItemType.INVENTORY, base_unit_of_measure="PCS",
            costing_method=CostingMethod.FIFO, inventory_posting_group="RESALE", gen_prod_posting_group="RETAIL",
            prevent_negative_inventory=PreventNegativeInventory.DEFAULT, blocked=False, sales_blocked=False,
            purchasing_blocked=False)
LINE = TransferOrderLine(10000, "1000", "", D(8))
VIA_TRANSIT = TransferOrder("TO-1", "WH-A", "WH-B", "IN-TRANSIT", False, (LINE,))
DIRECT = TransferOrder("TO-2", "WH-A", "WH-B", None, True, (LINE,))
LOCATIONS = {"WH-A": Location("WH-A", "A", bin_mandatory=True), "WH-B": Location("WH-B", "B", bin_mandatory=True),
             "IN-TRANSIT": Location("IN-TRANSIT", "T", use_as_in_transit=True)}


def test_bin_mandatory_locations_take_transfer_orders() -> None:
    check_order(VIA_TRANSIT, LOCATIONS)
    check_order(DIRECT, LOCATIONS)


def test_a_shipment_takes_from_its_from_bin_into_transit_without_a_bin() -> None:
    out, into = shipment_drafts(VIA_TRANSIT, LINE, D(5), [TrackingLine(quantity=D(5))], ITEM, date(2026, 6, 2), "TS-1", 0,
                                from_bin="A1", to_bin="ignored")
    assert (out.location_code, out.bin_code, out.quantity) == ("WH-A", "A1", D(-5))
    assert (into.location_code, into.bin_code, into.quantity) == ("IN-TRANSIT", "", D(5))


def test_a_direct_shipment_puts_the_stock_into_the_to_bin() -> None:
    out, into = shipment_drafts(DIRECT, LINE, D(5), [TrackingLine(quantity=D(5))], ITEM, date(2026, 6, 2), "TS-2", 0,
                                from_bin="A1", to_bin="B1")
    assert (out.bin_code, into.location_code, into.bin_code) == ("A1", "WH-B", "B1")


def test_a_receipt_goes_into_its_to_bin_and_an_undo_back_into_the_from_bin() -> None:
    shipped = ShipmentLine(1, 10000, "TS-1", date(2026, 6, 2), 7, 8, D(5), D(0), False, bin_code="A1")
    out, into = from_transit_drafts(VIA_TRANSIT, LINE, shipped, D(3), ITEM, date(2026, 6, 3), "TR-1", 0, to_bin="B1")
    assert (out.location_code, out.bin_code, into.location_code, into.bin_code) == ("IN-TRANSIT", "", "WH-B", "B1")
    out, back = from_transit_drafts(VIA_TRANSIT, LINE, shipped, D(5), ITEM, date(2026, 6, 2), "TS-1", 0, undo=True)
    assert (out.bin_code, back.location_code, back.bin_code, back.correction) == ("", "WH-A", "A1", True)
