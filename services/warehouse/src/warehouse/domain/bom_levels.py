"""Availability by BOM level: how many of a parent, and of the top item, the availability of each line allows.

A component line's quantity makes `(available + able to make from its own components) / quantity per` parents:
a sub-assembly can be taken from stock or assembled. A parent can make as many as its scarcest component allows;
the top item's own stock is shown but not made. Quantities are whole units (rounded down): a part of a unit
cannot be assembled. The bottleneck is the line that limits the top item and has no component that limits it."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

ZERO = Decimal(0)
MAX_LEVELS = 50


@dataclass(frozen=True)
class BomLine:
    """One item of the BOM tree: the top (level 0) or a component, its quantity per one parent in base units."""

    level: int
    item_no: str
    parent_item_no: str | None
    quantity_per: Decimal
    total_quantity_per: Decimal
    """Per one top item: the quantities per multiplied down the tree."""
    available: Decimal
    able_to_make_parent: Decimal
    able_to_make_top_item: Decimal
    bottleneck: bool
    is_assembly: bool


@dataclass(frozen=True)
class _Node:
    item_no: str
    quantity_per: Decimal
    total_quantity_per: Decimal
    available: Decimal
    children: tuple["_Node", ...]


def _whole(quantity: Decimal) -> Decimal:
    return max(quantity, ZERO).to_integral_value(rounding=ROUND_FLOOR)


def _tree(item_no: str, quantity_per: Decimal, total: Decimal, path: tuple[str, ...],
          components: Callable[[str], list[tuple[str, Decimal]]], available: Mapping[str, Decimal]) -> _Node:
    # A component on its own path (a cycle) or beyond MAX_LEVELS is shown as a leaf rather than followed forever.
    below = [] if item_no in path or len(path) >= MAX_LEVELS else components(item_no)
    return _Node(item_no, quantity_per, total, available[item_no], tuple(
        _tree(c, q, total * q, path + (item_no,), components, available) for c, q in below))


def _makeable(node: _Node) -> Decimal:
    """Units of `node` its components allow (0 without components)."""
    if not node.children:
        return ZERO
    return min(_for_parent(c) for c in node.children)


def _for_parent(node: _Node) -> Decimal:
    """Parent units this line's stock and what its components make allow."""
    return _whole((max(node.available, ZERO) + _makeable(node)) / node.quantity_per)


def bom_levels(
    top_item_no: str, components: Callable[[str], list[tuple[str, Decimal]]], available: Mapping[str, Decimal]
) -> list[BomLine]:
    """Every line of the top item's BOM tree, depth first in BOM order. `components(item)` gives an item's component
    items with their quantity per (base units, positive); `available` the available quantity of every item in the
    tree."""
    top = _tree(top_item_no, Decimal(1), Decimal(1), (), components, available)
    top_able = _makeable(top)
    lines: list[BomLine] = []

    def visit(node: _Node, level: int, ancestors: tuple[_Node, ...]) -> bool:
        """Adds the node's line and its components'; True when the node or a line below it is a bottleneck."""
        if not ancestors:
            able_parent = able_top = top_able
        else:
            able_parent = able_top = _for_parent(node)
            for parent in reversed(ancestors[1:]):
                able_top = _whole((max(parent.available, ZERO) + able_top) / parent.quantity_per)
        index = len(lines)
        lines.append(BomLine(level, node.item_no, ancestors[-1].item_no if ancestors else None, node.quantity_per,
                             node.total_quantity_per, node.available, able_parent, able_top, False,
                             bool(node.children)))
        below = [visit(c, level + 1, ancestors + (node,)) for c in node.children]
        limiting = bool(ancestors) and able_top == top_able
        if limiting and not any(below):
            lines[index] = BomLine(**{**lines[index].__dict__, "bottleneck": True})
        return limiting or any(below)

    visit(top, 0, ())
    return lines
