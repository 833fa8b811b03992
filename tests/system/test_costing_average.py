"""Average cost exactly: each outbound entry's share of what the earlier ones of its period left.

Examples from Business Central's "Design Details: Rounding" and our own, worked from the rules in DOMAIN.md
section 3. Period Day, per item.
"""

from decimal import Decimal
from typing import Any

import pytest

from costing_helpers import create_item, entry_costs, line, posted
from support import System

pytestmark = pytest.mark.system

D = Decimal


def costs_of(system: System, item_no: str, *entries: dict[str, Any]) -> list[Decimal]:
    costs = entry_costs(system, item_no)
    return [costs[e["entry_no"]] for e in entries]


def on_hand(system: System, item_no: str) -> tuple[Decimal, Decimal]:
    """Quantity and value on hand, expected cost included."""
    valuation = system.valuation(item_no=item_no)
    return D(valuation["quantity"]), D(valuation["cost_amount_actual"]) + D(valuation["cost_amount_expected"])


def entry_types(system: System, item_no: str) -> set[str]:
    return {v["entry_type"] for v in system.value_entries(item_no)}


def test_each_sale_of_a_period_takes_its_share_of_what_the_earlier_ones_left(system: System) -> None:
    item = create_item(system, costing_method="Average")
    # 6 @ 1.66667 = 10.00002 -> 10.00, then six sales of 1 the same day, in entry order.
    _, *sales = posted(system, line(item, "Purchase", "6", "1.66667"), *(line(item, "Sale", "1") for _ in range(6)))
    system.wait_quiet()

    # 10/6 = 1.666 -> 1.67; 8.33/5 = 1.666 -> 1.67; 6.66/4 = 1.665 -> 1.67 (half up); 4.99/3 = 1.663 -> 1.66;
    # 3.33/2 = 1.665 -> 1.67; the last unit takes what is left, 1.66. (Not 1.67, 1.66, 1.67, 1.67, 1.66, 1.67.)
    assert costs_of(system, item, *sales) == [D("-1.67"), D("-1.67"), D("-1.67"), D("-1.66"), D("-1.67"), D("-1.66")]
    # Nothing on hand, no value, and no Rounding entry needed for it.
    assert on_hand(system, item) == (0, 0)
    assert entry_types(system, item) == {"Direct Cost"}


def test_rounding_design_example_carries_what_is_left_into_later_periods(system: System) -> None:
    item = create_item(system, costing_method="Average")
    posted(system, line(item, "Purchase", "3", "3.33333", day="2020-01-01"))  # 9.99999 -> 10.00
    sales = [posted(system, line(item, "Sale", "1", day=day))[0] for day in ("2020-02-01", "2020-03-01", "2020-04-01")]
    system.wait_quiet()

    # 10/3 = 3.333 -> 3.33 leaves 6.67 for 2; 6.67/2 = 3.335 -> 3.34 leaves 3.33 for the last unit.
    assert costs_of(system, item, *sales) == [D("-3.33"), D("-3.34"), D("-3.33")]
    assert on_hand(system, item) == (0, 0)


def test_a_back_dated_purchase_recosts_its_period_by_the_same_rule(system: System) -> None:
    item = create_item(system, costing_method="Average")
    _, *first_day = posted(system, line(item, "Purchase", "5", "1.00", day="2023-01-01"),
                           *(line(item, "Sale", "1", day="2023-01-01") for _ in range(4)))
    [second_day] = posted(system, line(item, "Sale", "1", day="2023-01-02"))
    system.wait_quiet()
    assert costs_of(system, item, *first_day, second_day) == [D("-1.00")] * 5
    before = {v["entry_no"]: v for v in system.value_entries(item)}

    # 1 @ 5.00 on 01-01: the day shares 10.00 for 6, as in the 6-unit example: 1.67, 1.67, 1.67, 1.66, leaving
    # 3.33 for 2, carried into 01-02: 3.33/2 = 1.665 -> 1.67 leaves 1.66 for the unit on hand.
    posted(system, line(item, "Purchase", "1", "5.00", day="2023-01-01"))
    system.wait_quiet()
    assert costs_of(system, item, *first_day, second_day) == [D("-1.67"), D("-1.67"), D("-1.67"), D("-1.66"), D("-1.67")]
    after = system.value_entries(item)
    assert all(before[v["entry_no"]] == v for v in after if v["entry_no"] in before), "no value entry is rewritten"
    assert [(v["posting_date"], D(v["cost_amount_actual"])) for v in after if v["adjustment"]] == [
        ("2023-01-01", D("-0.67")), ("2023-01-01", D("-0.67")), ("2023-01-01", D("-0.67")), ("2023-01-01", D("-0.66")),
        ("2023-01-02", D("-0.67"))]
    assert on_hand(system, item) == (1, D("1.66"))

    # The last unit out takes what is left: nothing on hand, no value.
    [last] = posted(system, line(item, "Sale", "1", day="2023-01-03"))
    system.wait_quiet()
    assert costs_of(system, item, last) == [D("-1.66")]
    assert on_hand(system, item) == (0, 0)
    assert "Rounding" not in entry_types(system, item)
