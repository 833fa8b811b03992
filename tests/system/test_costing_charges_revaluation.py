"""Item charges, revaluation, the published unit cost, valuation at a date and the adjustment status, through the services.

DOMAIN.md section 5 worked examples with their exact numbers.
"""

import json
from decimal import Decimal
from typing import Any

import pytest

from costing_helpers import balances_of_item, create_item, entry_costs, implement_standard_cost, line, posted
from support import System, unique

pytestmark = pytest.mark.system

D = Decimal
ACCOUNTS = ("MAIN", "RESALE", "", "RETAIL")


def charge(system: System, *entry_nos: int, amount: str, day: str, split: str = "Equally", key: str | None = None,
           **per_line: list[str]) -> Any:
    lines = [{"item_ledger_entry_no": n, **{k: v[i] for k, v in per_line.items()}} for i, n in enumerate(entry_nos)]
    body = {"item_charge_no": "FREIGHT", "document_no": unique("CH"), "posting_date": day, "amount": amount,
            "split": split, "lines": lines}
    return system.http.post(system.url("costing", "/item-charges"), json=body,
                            headers={"Idempotency-Key": key} if key else {})


def revalue(system: System, item_no: str, day: str, **how: Any) -> Any:
    return system.http.post(system.url("costing", "/revaluations"), json={"item_no": item_no, "posting_date": day, **how})


def gl_by_date(system: System, item_no: str, account: str) -> dict[str, Decimal]:
    value_entries = {v["entry_no"] for v in system.value_entries(item_no)}
    totals: dict[str, Decimal] = {}
    for entry in system.gl_entries():
        if entry["value_entry_no"] in value_entries and entry["account_no"] == account:
            totals[entry["posting_date"]] = totals.get(entry["posting_date"], D(0)) + D(entry["amount"])
    return totals


def test_domain_example_adjustment_by_item_charge(system: System) -> None:
    item = create_item(system)
    purchase, = posted(system, line(item, "Purchase", "1", "10.00", day="2020-01-01"))
    sale, = posted(system, line(item, "Sale", "1", day="2020-01-15"))
    system.wait_quiet()

    response = charge(system, purchase["entry_no"], amount="2.00", day="2020-02-10")
    assert response.status_code == 201, response.text
    system.wait_quiet()

    entries = system.value_entries(item)
    on_purchase = [v for v in entries if v["item_charge_no"] == "FREIGHT"]
    assert [(v["item_ledger_entry_no"], v["entry_type"], D(v["cost_amount_actual"]), v["posting_date"], v["valuation_date"])
            for v in on_purchase] == [(purchase["entry_no"], "Direct Cost", D("2.00"), "2020-02-10", "2020-01-01")]
    adjusted = [v for v in entries if v["adjustment"]]
    assert [(v["item_ledger_entry_no"], D(v["cost_amount_actual"]), v["posting_date"]) for v in adjusted] == [
        (sale["entry_no"], D("-2.00"), "2020-01-15")]
    costs = entry_costs(system, item)
    assert (costs[purchase["entry_no"]], costs[sale["entry_no"]]) == (D("12.00"), D("-12.00"))

    accounts = system.accounts_for(*ACCOUNTS)
    assert gl_by_date(system, item, accounts["inventory"]) == {"2020-01-01": D("10.00"), "2020-01-15": D("-12.00"),
                                                               "2020-02-10": D("2.00")}
    assert gl_by_date(system, item, accounts["direct_cost_applied"]) == {"2020-01-01": D("-10.00"), "2020-02-10": D("-2.00")}
    assert gl_by_date(system, item, accounts["cogs"]) == {"2020-01-15": D("12.00")}


def test_domain_example_item_charge_on_standard_item_is_a_variance(system: System) -> None:
    item = create_item(system, costing_method="Standard", standard_cost="100.00")
    purchase, = posted(system, line(item, "Purchase", "1", "90.00"))
    system.wait_quiet()
    assert charge(system, purchase["entry_no"], amount="20.00", day="2020-01-02").status_code == 201
    system.wait_quiet()

    accounts = system.accounts_for(*ACCOUNTS)
    balances = balances_of_item(system, item)
    assert balances[accounts["inventory"]] == D("100.00")
    assert balances[accounts["direct_cost_applied"]] == D("-110.00")
    assert balances[accounts["purchase_variance"]] == D("10.00")  # -10 at purchase, +20 from the charge


@pytest.mark.parametrize("split, per_line, shares", [
    ("Equally", {}, ["3.33", "3.34", "3.33"]),
    ("By Amount", {}, ["1.00", "2.00", "7.00"]),
    ("By Weight", {"weight": ["1", "1", "2"]}, ["2.50", "2.50", "5.00"]),
    ("By Volume", {"volume": ["0", "3", "1"]}, ["0", "7.50", "2.50"]),
])
def test_item_charge_is_split_over_receipts(system: System, split: str, per_line: dict[str, list[str]], shares: list[str]) -> None:
    item = create_item(system)
    receipts = posted(system, line(item, "Purchase", "1", "10.00"), line(item, "Purchase", "2", "10.00"),
                      line(item, "Purchase", "7", "10.00"))
    system.wait_quiet()
    response = charge(system, *(r["entry_no"] for r in receipts), amount="10.00", day="2020-01-03", split=split, **per_line)
    assert response.status_code == 201, response.text
    by_entry = {v["item_ledger_entry_no"]: D(v["cost_amount_actual"]) for v in response.json()["entries"]}
    assert [by_entry.get(r["entry_no"], D(0)) for r in receipts] == [D(s) for s in shares]


def test_item_charge_is_idempotent_and_refuses_what_is_not_a_receipt(system: System) -> None:
    item = create_item(system)
    purchase, = posted(system, line(item, "Purchase", "2", "10.00"))
    sale, = posted(system, line(item, "Sale", "1", day="2020-01-02"))
    system.wait_quiet()
    key = unique("K")
    first = charge(system, purchase["entry_no"], amount="4.00", day="2020-01-03", key=key)
    again = charge(system, purchase["entry_no"], amount="4.00", day="2020-01-03", key=key)
    assert first.status_code == 201, first.text
    assert again.status_code == 422 and again.json()["type"] == "/problems/idempotency-key-reused"
    # The document no. differs between the two bodies, so repeat the first body exactly.
    body = json.loads(first.request.content)
    replay = system.http.post(system.url("costing", "/item-charges"), json=body, headers={"Idempotency-Key": key})
    assert replay.status_code == 201 and replay.headers.get("Idempotent-Replayed") == "true"
    assert replay.json() == first.json()

    not_receipt = charge(system, sale["entry_no"], amount="1.00", day="2020-01-03")
    assert not_receipt.status_code == 422 and not_receipt.headers["content-type"].startswith("application/problem+json")
    unknown = charge(system, 10**15, amount="1.00", day="2020-01-03")
    assert unknown.status_code == 404 and unknown.json()["type"] == "/problems/unknown-item-ledger-entry"


def test_revaluation_adjusts_outbound_entries_after_its_date(system: System) -> None:
    item = create_item(system)
    purchase, = posted(system, line(item, "Purchase", "10", "10.00", day="2020-01-01"))
    early, = posted(system, line(item, "Sale", "2", day="2020-01-05"))
    late, = posted(system, line(item, "Sale", "3", day="2020-01-20"))
    system.wait_quiet()

    # On 01-10 8 units (80.00) are on hand; revalued to 12.00 each: +16.00. The 3 sold on 01-20 cost 36.00.
    response = revalue(system, item, "2020-01-10", new_unit_cost="12.00")
    assert response.status_code == 201, response.text
    system.wait_quiet()
    revaluations = [(v["item_ledger_entry_no"], v["entry_type"], D(v["cost_amount_actual"]), v["posting_date"])
                    for v in response.json()["entries"] if v["entry_type"] == "Revaluation"]
    assert revaluations == [(purchase["entry_no"], "Revaluation", D("16.00"), "2020-01-10")]
    costs = entry_costs(system, item)
    assert (costs[early["entry_no"]], costs[late["entry_no"]]) == (D("-20.00"), D("-36.00"))
    assert D(system.valuation(item_no=item)["cost_amount_actual"]) == D("60.00")
    assert D(system.valuation(item_no=item, at="2020-01-09")["cost_amount_actual"]) == D("80.00")

    accounts = system.accounts_for(*ACCOUNTS)
    balances = balances_of_item(system, item)
    assert balances[accounts["inventory"]] == D("60.00")
    assert balances[accounts["inventory_adjmt"]] == D("-16.00")

    by_value = revalue(system, item, "2020-01-21", new_value="50.00")
    assert by_value.status_code == 201, by_value.text
    system.wait_quiet()
    assert D(system.valuation(item_no=item)["cost_amount_actual"]) == D("50.00")


def test_revaluation_of_an_average_item_moves_later_periods(system: System) -> None:
    item = create_item(system, costing_method="Average")
    posted(system, line(item, "Purchase", "4", "10.00", day="2023-01-01"))
    posted(system, line(item, "Sale", "1", day="2023-01-01"))
    sold_later, = posted(system, line(item, "Sale", "1", day="2023-01-03"))
    system.wait_quiet()
    assert revalue(system, item, "2023-01-01", new_unit_cost="20.00").status_code == 201
    system.wait_quiet()
    assert entry_costs(system, item)[sold_later["entry_no"]] == D("-20.00")
    assert D(system.valuation(item_no=item)["cost_amount_actual"]) == D("40.00")
    assert revalue(system, item, "2023-01-03", new_unit_cost="1.00", item_ledger_entry_no=sold_later["entry_no"]).status_code == 422
    assert revalue(system, item, "2023-01-03").status_code == 422


def test_domain_example_standard_cost_change_revalues_inventory_through_the_worksheet(system: System) -> None:
    item = create_item(system, costing_method="Standard", standard_cost="100.00")
    posted(system, line(item, "Purchase", "1", "90.00"))
    system.wait_quiet()
    implemented = implement_standard_cost(system, item, "70.00", "2020-01-02")
    assert [(e["entry_type"], D(e["cost_amount_actual"])) for e in implemented["entries"]] == [("Revaluation", D("-30.00"))]
    system.wait_quiet()

    accounts = system.accounts_for(*ACCOUNTS)
    balances = balances_of_item(system, item)
    assert balances[accounts["inventory"]] == D("70.00")
    assert balances[accounts["inventory_adjmt"]] == D("30.00")
    cost = system.http.get(system.url("costing", f"/items/{item}/cost")).json()
    assert D(cost["unit_cost"]) == D("70.00") and D(cost["value_on_hand"]) == D("70.00")
    assert D(system.http.get(system.url("catalog", f"/items/{item}")).json()["standard_cost"]) == D("70.00")


def test_unit_cost_is_published_when_it_changes(system: System) -> None:
    item = create_item(system)
    # One posting at a time: entries valued in one batch publish only the unit cost they end with.
    for posting in (line(item, "Purchase", "1", "10.00"), line(item, "Purchase", "1", "20.00"), line(item, "Sale", "1", day="2020-01-02")):
        posted(system, posting)
        system.wait_quiet()
    events = [json.loads(r.value) for r in system.records("costing.item-costs.v1", key=item)]
    payloads = [e["payload"] for e in events]
    assert [e["type"] for e in events] == ["costing.item-unit-cost-changed"] * len(events)
    # 10.00, then (10 + 20) / 2, then the FIFO sale takes the 10.00 unit.
    assert [D(p["unit_cost"]) for p in payloads] == [D("10.00"), D("15.00"), D("20.00")]
    assert [p["sequence"] for p in payloads] == [1, 2, 3]


def test_valuation_with_and_without_expected_cost_per_location(system: System) -> None:
    item = create_item(system)
    posted(system, line(item, "Purchase", "2", "10.00", day="2020-01-01"))
    posted(system, line(item, "Purchase", "1", "30.00", day="2020-02-01"))
    system.wait_quiet()
    at_january = system.valuation(item_no=item, at="2020-01-31", include_expected="false")
    assert (D(at_january["quantity"]), D(at_january["value"]), at_january["include_expected"]) == (2, D("20.00"), False)
    now = system.valuation(item_no=item, location_code="MAIN")
    assert [(l["location_code"], D(l["quantity"]), D(l["value"])) for l in now["lines"]] == [("MAIN", 3, D("50.00"))]
    assert system.valuation(item_no=item, location_code="ELSEWHERE")["lines"] == []


def test_item_cost_shows_adjustment_status(system: System) -> None:
    item = create_item(system)
    posted(system, line(item, "Purchase", "1", "10.00"))
    system.wait_quiet()
    status = system.http.get(system.url("costing", f"/items/{item}/cost")).json()["adjustment"]
    assert status["cost_is_adjusted"] is True and status["last_adjusted_at"] and status["last_error"] is None
