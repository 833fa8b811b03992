"""The assembly order's rules: lines from the BOM, each posting's share, the drafts of a posting and of its undo."""

from datetime import date
from decimal import Decimal

import pytest

from inventory_contracts.catalog import (
    AssemblyPolicy,
    BomComponentType,
    CostingMethod,
    ItemType,
    PreventNegativeInventory,
    ResourceUsageType,
)
from inventory_contracts.warehouse import ItemLedgerEntryType

from warehouse.domain.assembly import (
    POSTED,
    AssemblyOrder,
    AssemblyPosting,
    ResourceCost,
    after_posting,
    after_undo,
    availability,
    bom_lines,
    check_parent,
    consumption,
    exploded,
    posting_drafts,
    undo_drafts,
)
from warehouse.domain.documents import PostedEntry
from warehouse.domain.errors import (
    AssemblyPolicyError,
    DocumentStateError,
    InvalidDocumentError,
    UnknownItemError,
    UnknownResourceError,
)
from warehouse.domain.model import BomComponent, Item, ItemUnit
from warehouse.domain.tracking import TrackingLine, TrackingRules

D = Decimal
DAY = date(2026, 8, 3)
ITEM, RESOURCE, TEXT = BomComponentType.ITEM, BomComponentType.RESOURCE, BomComponentType.TEXT


def item(item_no: str, **extra: object) -> Item:
    values: dict[str, object] = dict(
        item_no=item_no, revision=1, description="x", type=ItemType.INVENTORY, base_unit_of_measure="PCS",
        costing_method=CostingMethod.FIFO, inventory_posting_group="RESALE", gen_prod_posting_group="RETAIL",
        prevent_negative_inventory=PreventNegativeInventory.YES, blocked=False, sales_blocked=False,
        purchasing_blocked=False,
    )
    return Item(**{**values, **extra})  # type: ignore[arg-type]


BOM = (
    BomComponent(10000, ITEM, "A", D(2)),
    BomComponent(20000, ITEM, "B", D(1), unit_of_measure_code="BOX"),
    BomComponent(30000, RESOURCE, "R", D("0.5")),
    BomComponent(40000, RESOURCE, "SETUP", D(1), resource_usage_type=ResourceUsageType.FIXED),
    BomComponent(50000, TEXT, "", D(0), description="note"),
)
PARENT = item("P", assembly_bom=BOM)
COMPONENTS = {"A": item("A"), "B": item("B", units_of_measure=(ItemUnit("BOX", D(6)),)), "P": PARENT}
RESOURCES = {"R": ResourceCost(D(20), D(22)), "SETUP": ResourceCost(D(30), D(33))}


def order_of(quantity: str = "4") -> AssemblyOrder:
    lines = bom_lines(PARENT, D(quantity), COMPONENTS, RESOURCES, "MAIN", DAY)
    return AssemblyOrder("A000001", "P", "", "MAIN", "", "PCS", D(1), D(quantity), D(quantity), DAY, DAY, lines=lines)


def test_lines_are_quantity_per_times_the_order_in_the_base_unit_and_a_fixed_resource_once() -> None:
    lines = bom_lines(PARENT, D(4), COMPONENTS, RESOURCES, "MAIN", DAY)
    assert [(l.no, l.quantity, l.remaining_quantity) for l in lines] == [
        ("A", 8, 8), ("B", 24, 24), ("R", 2, 2), ("SETUP", 1, 1), ("", 0, 0)]
    assert (lines[2].direct_unit_cost, lines[2].unit_cost) == (20, 22)
    assert lines[0].location_code == "MAIN" and lines[4].description == "note" and lines[4].type is TEXT


def test_unknown_components_and_resources_are_refused() -> None:
    with pytest.raises(UnknownItemError):
        bom_lines(PARENT, D(1), {"A": COMPONENTS["A"]}, RESOURCES, "", DAY)
    with pytest.raises(UnknownResourceError):
        bom_lines(PARENT, D(1), COMPONENTS, {"R": RESOURCES["R"]}, "", DAY)


def test_the_parent_needs_a_bom_and_an_assemble_to_order_item_a_sales_line() -> None:
    with pytest.raises(InvalidDocumentError):
        check_parent(item("X"), "X", to_order=False)
    with pytest.raises(UnknownItemError):
        check_parent(None, "X", to_order=False)
    to_order = item("P", assembly_bom=BOM, assembly_policy=AssemblyPolicy.ASSEMBLE_TO_ORDER)
    with pytest.raises(AssemblyPolicyError):
        check_parent(to_order, "P", to_order=False)
    assert check_parent(to_order, "P", to_order=True) is to_order


def test_a_partial_posting_consumes_each_line_s_share_and_the_last_what_is_left() -> None:
    order = order_of("3")
    first = consumption(order, D(1), {})
    assert [(c.line.no, c.quantity) for c in first] == [("A", 2), ("B", 6), ("R", D("0.5")), ("SETUP", 1)]
    order = after_posting(order, D(1), first)
    assert (order.remaining_quantity, [l.remaining_quantity for l in order.lines]) == (2, [4, 12, 1, 0, 0])
    rest = consumption(order, D(2), {})
    assert [(c.line.no, c.quantity) for c in rest] == [("A", 4), ("B", 12), ("R", 1)]
    done = after_posting(order, D(2), rest)
    assert done.status == POSTED and done.remaining_quantity == 0
    with pytest.raises(DocumentStateError):
        consumption(done, D(1), {})


def test_more_than_remains_or_nothing_cannot_be_assembled() -> None:
    order = order_of("3")
    for quantity in ("0", "4"):
        with pytest.raises(InvalidDocumentError):
            consumption(order, D(quantity), {})


def test_the_output_names_its_consumptions_and_the_resources_used() -> None:
    order = order_of("2")
    consumed = consumption(order, D(2), {})
    drafts = posting_drafts(order, PARENT, COMPONENTS, D(2), consumed, (), DAY, "PA1")
    assert [(d.item_no, d.entry_type, d.quantity, d.order_line_no) for d in drafts] == [
        ("A", ItemLedgerEntryType.ASSEMBLY_CONSUMPTION, -4, 10000),
        ("B", ItemLedgerEntryType.ASSEMBLY_CONSUMPTION, -12, 20000),
        ("P", ItemLedgerEntryType.ASSEMBLY_OUTPUT, 2, 0)]
    output = drafts[-1]
    assert output.unit_cost is None and output.consumption_drafts == (0, 1)
    assert [(r.resource_no, r.quantity, r.unit_cost) for r in output.resources] == [("R", 1, 22), ("SETUP", 1, 33)]
    assert {d.order_no for d in drafts} == {"A000001"} and {d.order_type for d in drafts} == {"Assembly"}


def test_every_output_entry_of_a_lot_tracked_parent_names_the_consumptions_resources_and_all_output_quantities() -> None:
    parent = item("P", assembly_bom=BOM, tracking=TrackingRules("LOTALL", lot_specific=True))
    order = order_of("3")
    consumed = consumption(order, D(3), {})
    lots = (TrackingLine(lot_no="L1", quantity=D(2)), TrackingLine(lot_no="L2", quantity=D(1)))
    drafts = posting_drafts(order, parent, {**COMPONENTS, "P": parent}, D(3), consumed, lots, DAY, "PA1")
    outputs = [d for d in drafts if d.entry_type == ItemLedgerEntryType.ASSEMBLY_OUTPUT]
    assert [(d.lot_no, d.quantity, d.output_quantities, d.output_index) for d in outputs] == [
        ("L1", 2, (2, 1), 0), ("L2", 1, (2, 1), 1)]
    assert all(d.consumption_drafts == (0, 1) for d in outputs)
    assert all([r.resource_no for r in d.resources] == ["R", "SETUP"] for d in outputs)


def _entry(no: int, item_no: str, quantity: str, entry_type: ItemLedgerEntryType, line_no: int = 0) -> PostedEntry:
    return PostedEntry(no, item_no, "", "MAIN", "", DAY, entry_type, "PA1", D(quantity), None, False, False,
                       document_line_no=line_no)


def test_an_undo_reverses_the_output_and_returns_each_consumption_while_all_output_is_on_hand() -> None:
    order = order_of("2")
    posting = AssemblyPosting("PA1", order.no, "PA1", DAY, D(2), (3,), (1, 2),
                              ((10000, D(4)), (20000, D(12)), (30000, D(1))))
    entries = {1: _entry(1, "A", "-4", ItemLedgerEntryType.ASSEMBLY_CONSUMPTION, 10000),
               2: _entry(2, "B", "-12", ItemLedgerEntryType.ASSEMBLY_CONSUMPTION, 20000),
               3: _entry(3, "P", "2", ItemLedgerEntryType.ASSEMBLY_OUTPUT)}
    drafts = undo_drafts(order, posting, entries, {3: D(2)})
    assert [(d.item_no, d.quantity, d.correction, d.applies_to_entry, d.applies_from_entry) for d in drafts] == [
        ("P", -2, True, 3, None), ("A", 4, True, None, 1), ("B", 12, True, None, 2)]
    assert drafts[0].never_negative and drafts[0].applies_to_entries == frozenset({3})
    with pytest.raises(DocumentStateError):
        undo_drafts(order, posting, entries, {3: D(1)})
    posted = after_posting(order, D(2), consumption(order, D(2), {}))
    undone = after_undo(posted, posting)
    assert undone.status == "Open" and undone.remaining_quantity == 2
    assert [l.remaining_quantity for l in undone.lines] == [4, 12, 1, 0, 0]  # SETUP was not in this posting


def test_availability_gives_shortages_and_the_parents_the_components_make() -> None:
    order = order_of("4")
    lines, able = availability(order, {10000: D(5), 20000: D(30)})
    assert [(l.item_no, l.needed, l.available, l.shortage) for l in lines] == [("A", 8, 5, 3), ("B", 24, 30, 0)]
    assert able == D("2.5")


def test_a_kit_explodes_into_its_component_items() -> None:
    assert [(i.item_no, q) for i, q in exploded(PARENT, D(3), COMPONENTS, line_no=10000)] == [("A", 6), ("B", 18)]
    with pytest.raises(InvalidDocumentError):
        exploded(item("X"), D(1), COMPONENTS, line_no=10000)
