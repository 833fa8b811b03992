"""The standard cost worksheet through the services: suggest (factor and rounding method), edit, implement at a date.

Implementing revalues what the item has on hand at the date to the new standard cost (received but uninvoiced
quantity as expected cost, through the interim accounts), makes it the standard cost in costing at once and on the
catalog's item card through costing.standard-cost-implemented; later purchases and invoices vary against it.
"""

import json
from decimal import Decimal
from typing import Any

import httpx
import pytest

from costing_helpers import balances_of_item, change_card_standard_cost, create_item, invoice, line, posted, received
from support import System, unique, wait_until

pytestmark = pytest.mark.system

D = Decimal
ACCOUNTS = ("MAIN", "RESALE", "", "RETAIL")
ROLES = ("inventory", "inventory_interim", "invt_accrual_interim", "direct_cost_applied", "purchase_variance",
         "inventory_adjmt", "cogs")
# Cents below 10.00, tenths from 10.00, whole units ending in .99 from 100.00.
BY_SIZE = [{"minimum_amount": "0", "precision": "0.01"}, {"minimum_amount": "10", "precision": "0.10"},
           {"minimum_amount": "100", "precision": "1", "amount_added_after": "-0.01"}]


def worksheet() -> str:
    return f"W{unique('')[-9:]}"


def worksheet_url(system: System, name: str, path: str) -> str:
    return system.url("costing", f"/standard-cost-worksheets/{name}{path}")


def suggest(system: System, name: str, **body: Any) -> httpx.Response:
    return system.http.post(worksheet_url(system, name, "/suggest"), json=body)


def put_line(system: System, name: str, item_no: str, new_standard_cost: str) -> httpx.Response:
    return system.http.put(worksheet_url(system, name, f"/lines/{item_no}"), json={"new_standard_cost": new_standard_cost})


def implement(system: System, name: str, day: str, key: str | None = None) -> httpx.Response:
    return system.http.post(worksheet_url(system, name, "/implement"), json={"posting_date": day},
                            headers={"Idempotency-Key": key} if key else {})


def lines_of(system: System, name: str) -> list[tuple[str, Decimal, Decimal, bool]]:
    response = system.http.get(worksheet_url(system, name, "/lines"))
    assert response.status_code == 200, response.text
    return [(l["item_no"], D(l["standard_cost"]), D(l["new_standard_cost"]), l["implemented"]) for l in response.json()["lines"]]


def card(system: System, item_no: str) -> dict[str, Any]:
    response = system.http.get(system.url("catalog", f"/items/{item_no}"))
    assert response.status_code == 200, response.text
    return dict(response.json())


def costing_card(system: System, item_no: str) -> dict[str, Any]:
    response = system.http.get(system.url("costing", f"/items/{item_no}/cost"))
    assert response.status_code == 200, response.text
    return dict(response.json())


def problem(response: httpx.Response, status: int, slug: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = dict(response.json())
    assert body["type"].endswith(f"/{slug}"), body
    return body


def gl_of_item(system: System, item_no: str) -> dict[str, Decimal]:
    accounts = system.accounts_for(*ACCOUNTS)
    balances = balances_of_item(system, item_no)
    return {role: balances.get(accounts[role], D(0)) for role in ROLES}


def test_suggest_multiplies_by_the_factor_and_rounds_by_the_rounding_method(system: System) -> None:
    small = create_item(system, costing_method="Standard", standard_cost="9.99")
    large = create_item(system, costing_method="Standard", standard_cost="123.45")
    name = worksheet()

    suggested = suggest(system, name, adjustment_factor="1.05", rounding_method=BY_SIZE, item_nos=[small, large])
    assert suggested.status_code == 200, suggested.text
    # 9.99 x 1.05 = 10.4895: tenths from 10.00, 10.50; 123.45 x 1.05 = 129.6225: whole units less 0.01, 129.99.
    assert [(l["item_no"], D(l["standard_cost"]), D(l["new_standard_cost"]), l["implemented"], l["implementation_no"])
            for l in suggested.json()["lines"]] == sorted([
                (small, D("9.99"), D("10.50"), False, None), (large, D("123.45"), D("129.99"), False, None)])
    assert lines_of(system, name) == sorted([(small, D("9.99"), D("10.50"), False), (large, D("123.45"), D("129.99"), False)])

    # Without a rounding method the factor alone, to 5 decimals; suggesting again rewrites the lines.
    again = suggest(system, name, adjustment_factor="0.9", item_nos=[small])
    assert [D(l["new_standard_cost"]) for l in again.json()["lines"]] == [D("8.99100")]

    # Edit and delete lines; nothing is revalued and no card changes until the worksheet is implemented.
    assert D(put_line(system, name, small, "11").json()["new_standard_cost"]) == D("11.00")
    assert system.http.delete(worksheet_url(system, name, f"/lines/{large}")).status_code == 204
    assert lines_of(system, name) == [(small, D("9.99"), D("11.00"), False)]
    problem(system.http.delete(worksheet_url(system, name, f"/lines/{large}")), 404, "unknown-worksheet-line")
    system.wait_quiet()
    assert system.value_entries(small) == [] and D(card(system, small)["standard_cost"]) == D("9.99")


def test_suggest_without_item_nos_proposes_every_standard_item_and_no_other(system: System) -> None:
    standard = create_item(system, costing_method="Standard", standard_cost="4.00")
    fifo = create_item(system, costing_method="FIFO", standard_cost="4.00")
    name = worksheet()
    suggested = suggest(system, name, adjustment_factor="2")
    assert suggested.status_code == 200, suggested.text
    proposed = {l["item_no"]: D(l["new_standard_cost"]) for l in suggested.json()["lines"]}
    assert proposed[standard] == D("8.00") and fifo not in proposed


def test_implementing_revalues_on_hand_invoiced_and_received_quantity_and_changes_the_standard_everywhere(system: System) -> None:
    item = create_item(system, costing_method="Standard", standard_cost="100.00")
    purchase, = posted(system, line(item, "Purchase", "2", "90.00", day="2025-01-02"))
    receipt = received(system, item, "2", "95.00", "2025-01-03")
    posted(system, line(item, "Sale", "1", day="2025-01-04"))
    system.wait_quiet()
    revision = card(system, item)["revision"]

    name = worksheet()
    assert put_line(system, name, item, "70.00").status_code == 200
    implemented = implement(system, name, "2025-01-05")
    assert implemented.status_code == 201, implemented.text
    body = implemented.json()
    (done,) = body["lines"]
    assert (done["item_no"], D(done["standard_cost"]), D(done["new_standard_cost"]), done["implemented"], done["posting_date"]) == (
        item, D("100.00"), D("70.00"), True, "2025-01-05")
    # The purchase's 1 unit left is invoiced: -30.00 actual; the receipt's 2 units are not: -60.00 expected.
    assert sorted((e["item_ledger_entry_no"], e["entry_type"], e["posting_date"], D(e["cost_amount_actual"]),
                   D(e["cost_amount_expected"])) for e in body["entries"]) == [
        (purchase["entry_no"], "Revaluation", "2025-01-05", D("-30.00"), D("0.00")),
        (receipt["entry_no"], "Revaluation", "2025-01-05", D("0.00"), D("-60.00")),
    ]
    assert lines_of(system, name) == [(item, D("100.00"), D("70.00"), True)]

    # Costing values by the new standard at once; the catalog's card takes it as a new revision.
    cost = costing_card(system, item)
    assert (D(cost["standard_cost"]), D(cost["unit_cost"]), D(cost["value_on_hand"])) == (D("70.00"), D("70.00"), D("70.00"))
    changed = wait_until(lambda: (c := card(system, item))["revision"] > revision and c, what="the card's new revision")
    assert D(changed["standard_cost"]) == D("70.00")
    system.wait_quiet()
    (event,) = [json.loads(r.value) for r in system.records("costing.standard-costs.v1", key=item)]
    assert event["type"] == "costing.standard-cost-implemented" and event["payload"] | {"implementation_no": 0} == {
        "item_no": item, "standard_cost": "70.00000", "previous_standard_cost": "100.00000", "posting_date": "2025-01-05",
        "implementation_no": 0, "worksheet_name": name}
    assert event["payload"]["implementation_no"] == done["implementation_no"]
    assert costing_card(system, item)["revision"] == changed["revision"]
    valuation = system.valuation(item_no=item)
    assert (D(valuation["quantity"]), D(valuation["cost_amount_actual"]), D(valuation["cost_amount_expected"])) == (
        3, D("70.00"), D("140.00"))
    assert gl_of_item(system, item)["inventory_interim"] == D("140.00")

    # The receipt invoiced at 80.00: its expected cost (200.00 received, -60.00 revalued) is reversed and the
    # variance is against the new standard, 2 x 70.00 - 160.00 = -20.00.
    invoice(system, receipt["entry_no"], "2", "80.00", "2025-01-07")
    # A purchase after the implementation is received at the new standard: 65.00 + a variance of 5.00.
    later, = posted(system, line(item, "Purchase", "1", "65.00", day="2025-01-08"))
    system.wait_quiet()
    invoiced = [e for e in system.value_entries(item) if e["item_ledger_entry_no"] == receipt["entry_no"]][-3:]
    assert [(e["entry_type"], D(e["cost_amount_actual"]), D(e["cost_amount_expected"])) for e in invoiced] == [
        ("Direct Cost", D("160.00"), D("-200.00")), ("Revaluation", D("0.00"), D("60.00")), ("Variance", D("-20.00"), D("0.00"))]
    of_later = [(e["entry_type"], D(e["cost_amount_actual"])) for e in system.value_entries(item) if e["item_ledger_entry_no"] == later["entry_no"]]
    assert of_later == [("Direct Cost", D("65.00")), ("Variance", D("5.00"))]

    valuation = system.valuation(item_no=item)
    assert (D(valuation["quantity"]), D(valuation["cost_amount_actual"]), D(valuation["cost_amount_expected"])) == (
        4, D("280.00"), D("0.00"))
    assert gl_of_item(system, item) == {
        "inventory": D("280.00"), "inventory_interim": D("0.00"), "invt_accrual_interim": D("0.00"),
        "direct_cost_applied": D("-405.00"), "purchase_variance": D("-5.00"), "inventory_adjmt": D("30.00"), "cogs": D("100.00"),
    }
    assert_books_balance_and_reconcile(system)


def assert_books_balance_and_reconcile(system: System) -> None:
    system.wait_quiet()
    balance = system.trial_balance()
    assert D(balance["total_debit"]) == D(balance["total_credit"]), balance

    def reconciled() -> bool:
        response = system.http.get(system.url("ledger", "/reconciliation"))
        assert response.status_code == 200, response.text
        found = response.json()
        return bool(found["caught_up"]) and all(D(l["difference"]) == 0 for l in found["lines"])

    wait_until(reconciled, what="inventory value equal to the inventory accounts")


def test_a_standard_cost_changed_on_the_card_alone_revalues_nothing(system: System) -> None:
    item = create_item(system, costing_method="Standard", standard_cost="100.00")
    posted(system, line(item, "Purchase", "1", "90.00", day="2025-05-01"))
    system.wait_quiet()
    change_card_standard_cost(system, item, "70.00")
    system.wait_quiet()
    # What is on hand keeps its value; the unit cost costing publishes is the new standard.
    assert sorted((e["entry_type"], D(e["cost_amount_actual"])) for e in system.value_entries(item)) == [
        ("Direct Cost", D("90.00")), ("Variance", D("10.00"))]
    assert D(system.valuation(item_no=item)["value"]) == D("100.00")
    unit_costs = [json.loads(r.value)["payload"]["unit_cost"] for r in system.records("costing.item-costs.v1", key=item)]
    assert D(unit_costs[-1]) == D("70.00")
    # A purchase now is received at the new standard.
    later, = posted(system, line(item, "Purchase", "1", "65.00", day="2025-05-02"))
    system.wait_quiet()
    assert [(e["entry_type"], D(e["cost_amount_actual"])) for e in system.value_entries(item)
            if e["item_ledger_entry_no"] == later["entry_no"]] == [("Direct Cost", D("65.00")), ("Variance", D("5.00"))]
    gl = gl_of_item(system, item)
    assert (gl["inventory"], gl["inventory_adjmt"], gl["purchase_variance"]) == (D("170.00"), D(0), D("-15.00"))


def test_implementing_a_worksheet_twice_revalues_once(system: System) -> None:
    item = create_item(system, costing_method="Standard", standard_cost="10.00")
    posted(system, line(item, "Purchase", "3", "10.00", day="2025-02-01"))
    system.wait_quiet()
    name = worksheet()
    put_line(system, name, item, "12.50")
    first = implement(system, name, "2025-02-02", key=f"impl-{name}")
    assert first.status_code == 201, first.text
    assert [D(e["cost_amount_actual"]) for e in first.json()["entries"]] == [D("7.50")]

    replayed = implement(system, name, "2025-02-02", key=f"impl-{name}")
    assert (replayed.status_code, replayed.headers.get("Idempotent-Replayed"), replayed.json()) == (201, "true", first.json())
    again = implement(system, name, "2025-02-03")
    assert again.status_code == 200, again.text
    assert (again.json()["lines"], again.json()["entries"]) == ([], [])
    system.wait_quiet()
    revaluations = [e for e in system.value_entries(item) if e["entry_type"] == "Revaluation"]
    assert [D(e["cost_amount_actual"]) for e in revaluations] == [D("7.50")]
    assert len(system.records("costing.standard-costs.v1", key=item)) == 1
    assert D(system.valuation(item_no=item)["value"]) == D("37.50")

    # Written again, the line is a new proposal: implementing it revalues from the standard now in force.
    assert put_line(system, name, item, "12.00").json()["standard_cost"] == "12.50000"
    assert [D(e["cost_amount_actual"]) for e in implement(system, name, "2025-02-04").json()["entries"]] == [D("-1.50")]
    wait_until(lambda: D(card(system, item)["standard_cost"]) == D("12.00"), what="the card at 12.00")


def test_an_item_without_stock_takes_the_new_standard_without_a_revaluation(system: System) -> None:
    item = create_item(system, costing_method="Standard", standard_cost="5.00")
    name = worksheet()
    put_line(system, name, item, "6.00")
    implemented = implement(system, name, "2025-03-01")
    assert implemented.status_code == 201, implemented.text
    assert implemented.json()["entries"] == []
    assert D(costing_card(system, item)["standard_cost"]) == D("6.00")
    wait_until(lambda: D(card(system, item)["standard_cost"]) == D("6.00"), what="the card at 6.00")
    # A purchase now is received at 6.00.
    purchase, = posted(system, line(item, "Purchase", "1", "5.50", day="2025-03-02"))
    system.wait_quiet()
    assert sorted((e["entry_type"], D(e["cost_amount_actual"])) for e in system.value_entries(item)) == [
        ("Direct Cost", D("5.50")), ("Variance", D("0.50"))]


def test_bad_input_is_refused_with_problem_details(system: System) -> None:
    standard = create_item(system, costing_method="Standard", standard_cost="10.00")
    fifo = create_item(system, costing_method="FIFO")
    name = worksheet()

    problem(put_line(system, name, fifo, "5.00"), 422, "not-a-standard-item")
    problem(put_line(system, name, "NO-SUCH-ITEM", "5.00"), 404, "unknown-item")
    problem(put_line(system, name, standard, "-1"), 422, "invalid-request")
    problem(put_line(system, name, standard, "10000000"), 422, "invalid-request")
    problem(suggest(system, name, adjustment_factor="-1"), 422, "invalid-request")
    problem(suggest(system, name, item_nos=[fifo]), 422, "not-a-standard-item")
    problem(suggest(system, name, item_nos=["NO-SUCH-ITEM"]), 404, "unknown-item")
    huge = create_item(system, costing_method="Standard", standard_cost="9999999")
    problem(suggest(system, name, adjustment_factor="2", item_nos=[huge]), 422, "invalid-standard-cost")
    problem(system.http.get(worksheet_url(system, "NAME-TOO-LONG", "/lines")), 422, "invalid-request")
    problem(system.http.post(worksheet_url(system, name, "/implement"), json={"posting_date": "not a date"}), 422, "invalid-request")
    assert lines_of(system, name) == []

    # A line whose item is no longer a Standard item (the method may change before the first entry) stops the
    # implementation, and nothing of the worksheet is implemented.
    posted(system, line(standard, "Purchase", "1", "10.00", day="2025-04-01"))
    switched = create_item(system, costing_method="Standard", standard_cost="1.00")
    put_line(system, name, standard, "11.00")
    put_line(system, name, switched, "2.00")
    before = card(system, switched)
    changed = system.http.patch(system.url("catalog", f"/items/{switched}"), json={"costing_method": "FIFO"},
                                headers={"If-Match": f'"{before["revision"]}"'})
    assert changed.status_code == 200, changed.text
    wait_until(lambda: costing_card(system, switched)["costing_method"] == "FIFO", what="the replica as FIFO")
    problem(implement(system, name, "2025-04-02"), 422, "not-a-standard-item")
    system.wait_quiet()
    assert [e["entry_type"] for e in system.value_entries(standard)] == ["Direct Cost"]
    assert lines_of(system, name) == [(standard, D("10.00"), D("11.00"), False), (switched, D("1.00"), D("2.00"), False)]


def test_implementing_on_a_closed_date_is_refused(system: System) -> None:
    item = create_item(system, costing_method="Standard", standard_cost="10.00")
    name = worksheet()
    put_line(system, name, item, "11.00")
    setup_url = system.url("warehouse", "/inventory-setup")
    before = system.http.get(setup_url).json()

    def put_setup(body: dict[str, Any]) -> dict[str, Any]:
        """Change the warehouse's inventory setup; costing's replica once it has the change."""
        assert system.http.put(setup_url, json=body).status_code == 200
        revision = system.http.get(setup_url).json()["revision"]
        return dict(wait_until(lambda: (r := system.http.get(system.url("costing", "/inventory-setup")).json())["revision"]
                               >= revision and r, what=f"costing's inventory setup at revision {revision}"))

    # Posting allowed from a date before any other test's, so that the closed dates disturb nobody (a closed
    # inventory period would stay behind as a period to close first).
    try:
        assert put_setup({**before, "allow_posting_from": "2017-02-01"})["first_open_date"] == "2017-02-01"
        body = problem(implement(system, name, "2017-01-31"), 422, "posting-date-closed")
        assert "first open date is 2017-02-01" in body["detail"]
    finally:
        put_setup(before)
    assert lines_of(system, name) == [(item, D("10.00"), D("11.00"), False)]


def test_the_worksheet_needs_a_token_with_costing_write_to_change_and_costing_read_to_read(system: System) -> None:
    name = worksheet()
    read_only = {"Authorization": f"Bearer {system.stack.issuer.token(scopes=['costing:read'])}"}
    writes = [("POST", "/suggest", {}), ("PUT", "/lines/1000", {"new_standard_cost": "1"}), ("DELETE", "/lines/1000", None),
              ("POST", "/implement", {"posting_date": "2025-01-01"})]
    with httpx.Client(timeout=30) as anonymous:
        for method, path, body in [*writes, ("GET", "/lines", None)]:
            refused = anonymous.request(method, worksheet_url(system, name, path), json=body)
            assert refused.status_code == 401, (method, path, refused.text)
            assert refused.headers["www-authenticate"].startswith("Bearer realm=")
        for method, path, body in writes:
            refused = anonymous.request(method, worksheet_url(system, name, path), json=body, headers=read_only)
            assert refused.status_code == 403, (method, path, refused.text)
            assert 'scope="costing:write"' in refused.headers["www-authenticate"]
        assert anonymous.get(worksheet_url(system, name, "/lines"), headers=read_only).json() == {"worksheet_name": name, "lines": []}
