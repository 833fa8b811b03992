"""Average cost exactly: each outbound entry's share of what the earlier ones of its period left, and outbound
entries fixed-applied to an inbound entry, which take that entry's cost and stay out of the average.

Examples from Business Central's "Design Details: Rounding" and "Design Details: Item Application" (fixed
application with average cost), and our own, worked from the rules in DOMAIN.md section 3. Period Day, per item.
"""

from decimal import Decimal
from typing import Any

import pytest

from costing_helpers import balances_of_item, create_item, entry_costs, line, posted
from support import System, unique

pytestmark = pytest.mark.system

D = Decimal
ACCOUNTS = ("MAIN", "RESALE", "", "RETAIL")


def document(system: System, path: str, body: dict[str, Any]) -> list[dict[str, Any]]:
    response = system.http.post(system.url("warehouse", path), json=body)
    assert response.status_code == 201, response.text
    return list(response.json().get("entries", []))


def purchase_return(system: System, receipt: dict[str, Any], quantity: str, day: str) -> dict[str, Any]:
    [entry] = document(system, "/purchase-returns", {"document_no": unique("PRET"), "posting_date": day,
                                                      "lines": [{"entry_no": receipt["entry_no"], "quantity": quantity}]})
    assert entry["applies_to_entry"] == receipt["entry_no"]
    return entry


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


def test_fixed_application_design_example_average_cost(system: System) -> None:
    item = create_item(system, costing_method="Average")
    _, wrong = posted(system, line(item, "Purchase", "1", "200.00"), line(item, "Purchase", "1", "1000.00"))
    credit_memo = purchase_return(system, wrong, "1", "2020-01-01")
    posted(system, line(item, "Purchase", "1", "100.00"))
    [sale] = posted(system, line(item, "Sale", "2"))
    system.wait_quiet()

    # The credit memo takes the wrong purchase's 1000.00; the sale of 2 shares what stayed, 200.00 + 100.00.
    # (Valued by average, the credit memo would have taken 1300/3 = 433.33 and the sale the rest of the error.)
    assert costs_of(system, item, credit_memo, sale) == [D("-1000.00"), D("-300.00")]
    assert on_hand(system, item) == (0, 0)


def test_a_purchase_return_takes_its_receipts_cost_and_an_invoice_at_another_price_follows_it(system: System) -> None:
    item = create_item(system, costing_method="Average")
    posted(system, line(item, "Purchase", "10", "10.00", day="2024-03-01"))
    [receipt] = document(system, "/purchase-receipts", {"document_no": unique("RCPT"), "lines": [
        line(item, "Purchase", "5", "16.00", day="2024-03-01")]})
    [sale] = posted(system, line(item, "Sale", "4", day="2024-03-01"))
    system.wait_quiet()
    # 15 units for 100.00 + 80.00 (expected): 180 x 4/15 = 48.00.
    assert costs_of(system, item, sale) == [D("-48.00")]

    # Back to the vendor: the return takes the receipt's 80.00, not the average's 5 x 12.00 = 60.00, and the sale
    # shares what stays, 100.00 for 10: 40.00, the average of the stock that stays as it was before the receipt.
    credit_memo = purchase_return(system, receipt, "5", "2024-03-01")
    system.wait_quiet()
    assert costs_of(system, item, credit_memo, sale) == [D("-80.00"), D("-40.00")]
    assert on_hand(system, item) == (6, D("60.00"))
    sale_entries = len([v for v in system.value_entries(item) if v["item_ledger_entry_no"] == sale["entry_no"]])

    # The receipt invoiced at 18.00: 90.00, 10.00 more, forwarded to the return as an adjustment; the average
    # stays 10.00, so the sale is not adjusted.
    invoiced = system.http.post(system.url("warehouse", "/purchase-invoices"), json={
        "document_no": unique("INV"), "posting_date": "2024-03-10",
        "lines": [{"entry_no": receipt["entry_no"], "quantity": "5", "unit_cost": "18.00"}]})
    assert invoiced.status_code == 201, invoiced.text
    system.wait_quiet()
    assert costs_of(system, item, receipt, credit_memo, sale) == [D("90.00"), D("-90.00"), D("-40.00")]
    adjustments = [v for v in system.value_entries(item) if v["adjustment"]]
    assert [(v["item_ledger_entry_no"], v["posting_date"], D(v["cost_amount_actual"])) for v in adjustments
            if v["item_ledger_entry_no"] != sale["entry_no"]] == [(credit_memo["entry_no"], "2024-03-01", D("-10.00"))]
    assert len([v for v in system.value_entries(item) if v["item_ledger_entry_no"] == sale["entry_no"]]) == sale_entries
    assert on_hand(system, item) == (6, D("60.00"))
    accounts = system.accounts_for(*ACCOUNTS)
    assert balances_of_item(system, item)[accounts["inventory"]] == D("60.00")


def test_a_negative_adjustment_with_applies_to_takes_that_entrys_cost(system: System) -> None:
    item = create_item(system, costing_method="Average")
    _, dearer = posted(system, line(item, "Positive Adjmt.", "10", "4.00"), line(item, "Positive Adjmt.", "10", "7.00"))
    [scrapped] = posted(system, line(item, "Negative Adjmt.", "5") | {"applies_to_entry": dearer["entry_no"]})
    assert scrapped["applies_to_entry"] == dearer["entry_no"]
    assert [(a["inbound_entry_no"], D(a["quantity"])) for a in scrapped["applications"]] == [(dearer["entry_no"], D(5))]
    [sale] = posted(system, line(item, "Sale", "15"))
    system.wait_quiet()

    # The adjustment takes 70 x 5/10 = 35.00 of the entry it names; the sale shares the rest, 40 + 70 - 35 = 75.00
    # for 15: its last unit takes what is left.
    assert costs_of(system, item, scrapped, sale) == [D("-35.00"), D("-75.00")]
    assert on_hand(system, item) == (0, 0)

    other = create_item(system, costing_method="Average")
    refused = system.post(unique("D"), [line(other, "Negative Adjmt.", "1") | {"applies_to_entry": dearer["entry_no"]}])
    assert refused.status_code == 422, refused.text
    assert "no inbound entry of item" in refused.json()["detail"]
    too_much = system.post(unique("D"), [line(item, "Negative Adjmt.", "6") | {"applies_to_entry": dearer["entry_no"]}])
    assert too_much.status_code == 409, too_much.text


def test_a_receipt_returned_in_parts_gives_back_exactly_its_cost(system: System) -> None:
    item = create_item(system, costing_method="Average")
    posted(system, line(item, "Purchase", "2", "2.50", day="2024-04-01"))
    [receipt] = posted(system, line(item, "Purchase", "3", "3.33333", day="2024-04-01"))  # 10.00
    returns = [purchase_return(system, receipt, "1", day) for day in ("2024-04-02", "2024-04-03", "2024-04-04")]
    [sale] = posted(system, line(item, "Sale", "2", day="2024-04-05"))
    system.wait_quiet()

    # Each return its share of what the earlier ones left of the receipt's 10.00: 3.33, 6.67/2 = 3.335 -> 3.34, and
    # the last unit what is left, 3.33. The purchase of 2 @ 2.50 stays alone in the average: the sale takes 5.00.
    assert costs_of(system, item, *returns, sale) == [D("-3.33"), D("-3.34"), D("-3.33"), D("-5.00")]
    assert on_hand(system, item) == (0, 0)
    assert "Rounding" not in entry_types(system, item)
