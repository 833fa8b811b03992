"""Availability by BOM level: able to make parent and top item, and the bottleneck, on a worked two-level BOM."""

from decimal import Decimal

from warehouse.domain.bom_levels import bom_levels

D = Decimal

# Top A needs 2 B and 1 C; sub-assembly C needs 3 D and 1 E.
BOMS = {"A": [("B", D(2)), ("C", D(1))], "C": [("D", D(3)), ("E", D(1))]}


def components(item_no: str) -> list[tuple[str, Decimal]]:
    return BOMS.get(item_no, [])


def test_each_line_says_what_it_allows_and_the_scarcest_leaf_is_the_bottleneck() -> None:
    available = {"A": D(5), "B": D(9), "C": D(1), "D": D(7), "E": D(10)}
    lines = bom_levels("A", components, available)
    assert [(l.level, l.item_no, l.parent_item_no, l.quantity_per, l.total_quantity_per) for l in lines] == [
        (0, "A", None, 1, 1), (1, "B", "A", 2, 2), (1, "C", "A", 1, 1), (2, "D", "C", 3, 3), (2, "E", "C", 1, 1)]
    # D: 7 // 3 = 2 C; E: 10 C; so C can be made twice, and with the 1 C in stock gives 3 A. B: 9 // 2 = 4 A.
    assert {l.item_no: (l.able_to_make_parent, l.able_to_make_top_item) for l in lines} == {
        "A": (3, 3), "B": (4, 4), "C": (3, 3), "D": (2, 3), "E": (10, 11)}
    # C limits A only because D limits C: D is the bottleneck. The top's own 5 are stock, not made.
    assert [l.item_no for l in lines if l.bottleneck] == ["D"]
    assert [l.is_assembly for l in lines] == [True, False, True, False, False]


def test_a_sub_assembly_in_stock_can_be_the_bottleneck_and_shortage_gives_none() -> None:
    lines = bom_levels("A", components, {"A": D(0), "B": D(20), "C": D(2), "D": D(0), "E": D(0)})
    assert {l.item_no: l.able_to_make_top_item for l in lines} == {"A": 2, "B": 10, "C": 2, "D": 2, "E": 2}
    # D and E each allow no C; C's stock of 2 is what limits: every line under C is as short as C.
    assert [l.item_no for l in lines if l.bottleneck] == ["D", "E"]
    negative = bom_levels("A", components, {"A": D(0), "B": D(-4), "C": D(9), "D": D(0), "E": D(0)})
    assert negative[0].able_to_make_parent == 0 and [l.item_no for l in negative if l.bottleneck] == ["B"]


def test_fractions_round_down_and_a_cycle_is_not_followed() -> None:
    lines = bom_levels("K", lambda no: {"K": [("L", D("0.4"))], "L": [("K", D(1))]}.get(no, []),
                       {"K": D(0), "L": D(1)})
    # 1 / 0.4 = 2.5 -> 2 whole K; L's own BOM names K, which is on the path and shown as a leaf.
    assert [(l.item_no, l.level, l.able_to_make_parent) for l in lines] == [("K", 0, 2), ("L", 1, 2), ("K", 2, 0)]
