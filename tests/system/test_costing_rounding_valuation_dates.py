"""Business Central's rounding, revaluation and valuation-date rules for FIFO, LIFO, Specific and Standard items,
with the examples of its documentation (Design Details: Rounding; Design Details: Revaluation)."""

from decimal import Decimal
from typing import Any

import pytest

from costing_helpers import balances_of_item, create_item, entry_costs, line, posted
from support import System, unique

pytestmark = pytest.mark.system

D = Decimal
ACCOUNTS = ("MAIN", "RESALE", "", "RETAIL")


def revalue(system: System, item_no: str, day: str, **how: Any) -> Any:
    return system.http.post(system.url("costing", "/revaluations"), json={"item_no": item_no, "posting_date": day, **how})


def value_entries_of(system: System, item_no: str, entry_no: int) -> list[tuple[str, str, str, D, D]]:
    """(entry type, posting date, valuation date, valued quantity, cost amount actual) of one item ledger entry."""
    return [(v["entry_type"], v["posting_date"], v["valuation_date"], D(v["valued_quantity"]), D(v["cost_amount_actual"]))
            for v in system.value_entries(item_no) if v["item_ledger_entry_no"] == entry_no]


@pytest.mark.parametrize("method", ["FIFO", "LIFO"])
def test_domain_rounding_example_each_sale_is_rounded_on_its_own_and_the_purchase_takes_the_residue(system: System, method: str) -> None:
    """3 bought for 10.00 on 01-01-20, sold one by one on 02-01, 03-01 and 04-01: each sale -3.33, and once the purchase
    is completely applied a Rounding entry of -0.01 on it, dated like its last invoiced value entry (01-01-20)."""
    item = create_item(system, costing_method=method)
    purchase, = posted(system, line(item, "Purchase", "3", "3.33333", day="2020-01-01"))
    sales = [posted(system, line(item, "Sale", "1", day=f"2020-0{month}-01"))[0] for month in (2, 3)]
    system.wait_quiet()
    assert [e[0] for e in value_entries_of(system, item, purchase["entry_no"])] == ["Direct Cost"]  # 1 unit left

    sales += posted(system, line(item, "Sale", "1", day="2020-04-01"))
    system.wait_quiet()

    costs = entry_costs(system, item)
    assert [costs[s["entry_no"]] for s in sales] == [D("-3.33")] * 3
    assert value_entries_of(system, item, purchase["entry_no"]) == [
        ("Direct Cost", "2020-01-01", "2020-01-01", D(3), D("10.00")),
        ("Rounding", "2020-01-01", "2020-01-01", D(0), D("-0.01")),
    ]
    assert D(system.valuation(item_no=item)["cost_amount_actual"]) == 0
    accounts = system.accounts_for(*ACCOUNTS)
    assert balances_of_item(system, item)[accounts["inventory"]] == 0


def test_a_receipt_sold_in_parts_is_rounded_on_its_invoice_date(system: System) -> None:
    item = create_item(system, costing_method="FIFO")
    receipt = system.http.post(system.url("warehouse", "/purchase-receipts"), json={
        "document_no": unique("R"), "lines": [line(item, "Purchase", "3", "3.00", "2020-01-01")]})
    assert receipt.status_code == 201, receipt.text
    (received,) = receipt.json()["entries"]
    sales = [posted(system, line(item, "Sale", "1", day=f"2020-01-0{day}"))[0] for day in (2, 3, 4)]
    system.wait_quiet()
    assert not [e for e in value_entries_of(system, item, received["entry_no"]) if e[0] == "Rounding"]  # not invoiced

    invoice = system.http.post(system.url("warehouse", "/purchase-invoices"), json={
        "document_no": unique("PI"), "posting_date": "2020-01-31",
        "lines": [{"entry_no": received["entry_no"], "quantity": "3", "unit_cost": "3.33333"}]})
    assert invoice.status_code == 201, invoice.text
    system.wait_quiet()

    costs = entry_costs(system, item)
    assert [costs[s["entry_no"]] for s in sales] == [D("-3.33")] * 3
    rounding = [e for e in value_entries_of(system, item, received["entry_no"]) if e[0] == "Rounding"]
    assert rounding == [("Rounding", "2020-01-31", "2020-01-01", D(0), D("-0.01"))]
    assert D(system.valuation(item_no=item)["cost_amount_actual"]) == 0
    assert D(system.valuation(item_no=item)["cost_amount_expected"]) == 0


def test_domain_revaluation_example_fifo(system: System) -> None:
    """Business Central's FIFO revaluation example: 6 bought at 10.00 on 01-01-20; sales of 1 on 02-01 (A), 03-01 (B)
    and 04-01 (C); a revaluation on 03-01 to 8.00; then sales of 1 on 02-01 (D), 03-01 (E) and 04-01 (F).
    The revaluation revalues the 4 on hand at 03-01: -8.00, valued quantity 4. A and B keep 10.00; C (dated after it)
    and D, E, F (posted after it) take 8.00; D is valued at the revaluation's date."""
    item = create_item(system, costing_method="FIFO")
    purchase, = posted(system, line(item, "Purchase", "6", "10.00", day="2020-01-01"))
    a, b, c = (posted(system, line(item, "Sale", "1", day=day))[0] for day in ("2020-02-01", "2020-03-01", "2020-04-01"))
    system.wait_quiet()

    response = revalue(system, item, "2020-03-01", new_unit_cost="8.00")
    assert response.status_code == 201, response.text
    d, e, f = (posted(system, line(item, "Sale", "1", day=day))[0] for day in ("2020-02-01", "2020-03-01", "2020-04-01"))
    system.wait_quiet()

    assert [v for v in value_entries_of(system, item, purchase["entry_no"]) if v[0] == "Revaluation"] == [
        ("Revaluation", "2020-03-01", "2020-03-01", D(4), D("-8.00"))]
    costs = entry_costs(system, item)
    assert [costs[s["entry_no"]] for s in (a, b, c, d, e, f)] == [D("-10.00")] * 2 + [D("-8.00")] * 4
    valuation_dates = {s["entry_no"]: {v[2] for v in value_entries_of(system, item, s["entry_no"])} for s in (a, b, c, d, e, f)}
    assert [valuation_dates[s["entry_no"]] for s in (a, b, c, d, e, f)] == [
        {"2020-02-01"}, {"2020-03-01"}, {"2020-04-01"}, {"2020-03-01"}, {"2020-03-01"}, {"2020-04-01"}]
    assert D(system.valuation(item_no=item)["cost_amount_actual"]) == 0
    assert D(system.valuation(item_no=item)["quantity"]) == 0
    accounts = system.accounts_for(*ACCOUNTS)
    balances = balances_of_item(system, item)
    assert balances[accounts["inventory"]] == 0
    assert balances[accounts["inventory_adjmt"]] == D("8.00")


def test_a_revaluation_of_part_of_a_layer_keeps_the_quantity_on_hand_and_what_was_sold_before(system: System) -> None:
    # 10 at 4.00 on 01-01; 4 sold on 01-10; revalued on 01-15 to 5.50: the 6 held (24.00) become 33.00 (+9.00).
    item = create_item(system, costing_method="LIFO")
    purchase, = posted(system, line(item, "Purchase", "10", "4.00", day="2024-01-01"))
    early, = posted(system, line(item, "Sale", "4", day="2024-01-10"))
    system.wait_quiet()
    assert revalue(system, item, "2024-01-15", new_unit_cost="5.50").status_code == 201
    late, = posted(system, line(item, "Sale", "5", day="2024-01-20"))
    system.wait_quiet()

    assert [v for v in value_entries_of(system, item, purchase["entry_no"]) if v[0] == "Revaluation"] == [
        ("Revaluation", "2024-01-15", "2024-01-15", D(6), D("9.00"))]
    costs = entry_costs(system, item)
    assert (costs[early["entry_no"]], costs[late["entry_no"]]) == (D("-16.00"), D("-27.50"))
    valuation = system.valuation(item_no=item)
    assert (D(valuation["quantity"]), D(valuation["cost_amount_actual"])) == (D(1), D("5.50"))
