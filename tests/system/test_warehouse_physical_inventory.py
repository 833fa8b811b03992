"""Physical inventory orders through the warehouse API: calculate, record, finish, post; then what costing valued
and the ledger posted for the adjustments."""

from decimal import Decimal
from typing import Any

import pytest

from support import System, unique

pytestmark = pytest.mark.system

DAY = "2026-06-30"


def assert_problem(response: Any, status: int, problem_type: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = dict(response.json())
    assert body["type"] == f"/problems/{problem_type}" and body["detail"], body
    return body


def purchase(system: System, item: str, quantity: str, unit_cost: str, **extra: Any) -> None:
    response = system.post(unique("P"), [{"item_no": item, "entry_type": "Purchase", "quantity": quantity,
                                          "unit_cost": unit_cost, "posting_date": "2026-06-01", "location_code": "MAIN",
                                          **extra}])
    assert response.status_code == 201, response.text


def lot_item(system: System) -> str:
    code = unique("TC")[:20]
    response = system.http.put(system.url("catalog", f"/item-tracking-codes/{code}"), json={
        "lot_specific": True, "lot_required_for": ["Purchase", "Positive Adjmt.", "Negative Adjmt."]})
    assert response.status_code == 200, response.text
    return str(system.create_item(item_tracking_code=code)["item_no"])


def order_step(system: System, no: str, action: str, body: dict[str, Any] | None = None, key: str | None = None) -> Any:
    headers = {"Idempotency-Key": key} if key else {}
    return system.http.post(system.url("warehouse", f"/physical-inventory-orders/{no}/{action}"), json=body or {},
                            headers=headers)


def create_order(system: System, item_nos: list[str], day: str = DAY) -> str:
    no = unique("PI")
    response = system.http.post(system.url("warehouse", "/physical-inventory-orders"),
                                json={"no": no, "location_code": "MAIN", "posting_date": day, "item_nos": item_nos})
    assert response.status_code == 201, response.text
    return no


def phys_invt_ledger(system: System, order_no: str) -> list[dict[str, Any]]:
    response = system.http.get(system.url("warehouse", "/physical-inventory-ledger-entries"),
                               params={"order_no": order_no})
    assert response.status_code == 200, response.text
    return list(response.json()["entries"])


def balances_of_item(system: System, item_no: str) -> dict[str, Decimal]:
    value_entries = {v["entry_no"] for v in system.value_entries(item_no)}
    totals: dict[str, Decimal] = {}
    for entry in system.gl_entries():
        if entry["value_entry_no"] in value_entries:
            totals[entry["account_no"]] = totals.get(entry["account_no"], Decimal(0)) + Decimal(entry["amount"])
    return totals


def test_a_count_posts_a_surplus_and_a_lot_shortage_as_adjustments_valued_and_posted_to_the_ledger(
    system: System,
) -> None:
    plain = system.create_item()["item_no"]
    lots = lot_item(system)
    purchase(system, plain, "10", "4.00")
    purchase(system, lots, "8", "2.00", tracking=[{"lot_no": "L1", "quantity": "5"}, {"lot_no": "L2", "quantity": "3"}])

    no = create_order(system, [plain, lots])
    calculated = order_step(system, no, "calculate-lines")
    assert calculated.status_code == 200, calculated.text
    lines = {(l["item_no"], l["lot_no"]): l for l in calculated.json()["lines"]}
    assert {k: Decimal(l["expected_quantity"]) for k, l in lines.items()} == {
        (plain, ""): 10, (lots, "L1"): 5, (lots, "L2"): 3}

    # Two recordings; the second adds a lot nobody expected.
    first = order_step(system, no, "recordings", {"recording_no": "R1", "lines": [
        {"line_no": lines[(plain, "")]["line_no"], "quantity": "13"}]})
    assert first.status_code == 201, first.text
    second = order_step(system, no, "recordings", {"recording_no": "R2", "lines": [
        {"line_no": lines[(lots, "L1")]["line_no"], "quantity": "4"},
        {"item_no": lots, "lot_no": "L9", "quantity": "2"}]})
    assert second.status_code == 201, second.text
    # A line is recorded once; a recording that tries again writes nothing.
    assert_problem(order_step(system, no, "recordings", {"recording_no": "R3", "lines": [
        {"line_no": lines[(lots, "L2")]["line_no"], "quantity": "3"},
        {"line_no": lines[(plain, "")]["line_no"], "quantity": "12"}]}), 409, "document-state")
    assert_problem(order_step(system, no, "post"), 409, "document-state")  # not finished
    assert_problem(order_step(system, no, "finish"), 409, "document-state")  # L2 unrecorded
    finished = order_step(system, no, "finish", {"unrecorded": "expected"})
    assert finished.status_code == 200, finished.text
    assert finished.json()["status"] == "Finished"
    assert {(l["lot_no"], l["recording_no"]): Decimal(l["recorded_quantity"]) for l in finished.json()["lines"]} == {
        ("", "R1"): 13, ("L1", "R2"): 4, ("L2", None): 3, ("L9", "R2"): 2}

    key = unique("pi-post-")
    response = order_step(system, no, "post", key=key)
    assert response.status_code == 201, response.text
    replay = order_step(system, no, "post", key=key)
    assert replay.headers.get("Idempotent-Replayed") == "true" and replay.json() == response.json()
    posting = response.json()
    assert posting["order"]["status"] == "Posted"
    entries = {(e["item_no"], e["lot_no"]): e for e in posting["entries"]}
    assert {k: (e["entry_type"], Decimal(e["quantity"]), e["unit_cost"]) for k, e in entries.items()} == {
        (lots, "L1"): ("Negative Adjmt.", -1, None),
        (plain, ""): ("Positive Adjmt.", 3, None),
        (lots, "L9"): ("Positive Adjmt.", 2, None),
    }
    assert all(e["document_no"] == no and e["document_type"] == "Phys. Inventory" and e["posting_date"] == DAY
               for e in posting["entries"])
    assert system.quantity_on_hand(plain) == 13 and system.quantity_on_hand(lots) == 9

    ledger = {(p["item_no"], p["lot_no"]): p for p in phys_invt_ledger(system, no)}
    assert ledger == {(p["item_no"], p["lot_no"]): p for p in posting["physical_inventory_ledger_entries"]}
    assert {k: (Decimal(p["expected_quantity"]), Decimal(p["recorded_quantity"]), Decimal(p["difference"]),
                p["item_ledger_entry_no"]) for k, p in ledger.items()} == {
        (plain, ""): (10, 13, 3, entries[(plain, "")]["entry_no"]),
        (lots, "L1"): (5, 4, -1, entries[(lots, "L1")]["entry_no"]),
        (lots, "L2"): (3, 3, 0, None),
        (lots, "L9"): (0, 2, 2, entries[(lots, "L9")]["entry_no"]),
    }

    # A posted order cannot change, and does not post twice.
    assert_problem(order_step(system, no, "post"), 409, "document-state")
    assert_problem(order_step(system, no, "recordings", {"recording_no": "R4", "lines": [
        {"item_no": plain, "quantity": "1", "lot_no": ""}]}), 409, "document-state")
    assert_problem(order_step(system, no, "calculate-lines"), 409, "document-state")

    system.wait_quiet()
    costs = {(v["item_no"], v["item_ledger_entry_no"]): Decimal(v["cost_amount_actual"])
             for item in (plain, lots) for v in system.value_entries(item)}
    # The surplus is valued at the item's unit cost; the shortage takes its lot's cost.
    assert costs[(plain, entries[(plain, "")]["entry_no"])] == Decimal("12.00")
    assert costs[(lots, entries[(lots, "L1")]["entry_no"])] == Decimal("-2.00")
    assert costs[(lots, entries[(lots, "L9")]["entry_no"])] == Decimal("4.00")

    accounts = system.accounts_for("MAIN", "RESALE", "", "RETAIL")
    plain_balances = balances_of_item(system, plain)
    assert plain_balances[accounts["inventory"]] == Decimal("52.00")
    assert plain_balances[accounts["inventory_adjmt"]] == Decimal("-12.00")
    lot_balances = balances_of_item(system, lots)
    assert lot_balances[accounts["inventory"]] == Decimal("18.00")
    assert lot_balances[accounts["inventory_adjmt"]] == Decimal("-2.00")


def test_a_refused_posting_writes_nothing_and_bad_input_gets_a_problem(system: System) -> None:
    item = system.create_item()["item_no"]
    purchase(system, item, "6", "5.00")
    no = create_order(system, [item])
    assert order_step(system, no, "calculate-lines").status_code == 200
    # An unexpected line that the order expects already, a serial for an untracked item, a negative count.
    (line,) = system.http.get(system.url("warehouse", f"/physical-inventory-orders/{no}")).json()["lines"]
    assert_problem(order_step(system, no, "recordings", {"recording_no": "R1", "lines": [
        {"item_no": item, "quantity": "4"}]}), 422, "invalid-document")
    assert_problem(order_step(system, no, "recordings", {"recording_no": "R1", "lines": [
        {"item_no": item, "serial_no": "S1", "quantity": "1"}]}), 422, "invalid-document")
    assert order_step(system, no, "recordings", {"recording_no": "R1", "lines": [
        {"line_no": line["line_no"], "quantity": "-1"}]}).status_code == 422
    assert order_step(system, no, "recordings", {"recording_no": "R1", "lines": [
        {"line_no": line["line_no"], "quantity": "4"}]}).status_code == 201
    assert order_step(system, no, "finish").status_code == 200

    setup_url = system.url("warehouse", "/inventory-setup")
    before = system.http.get(setup_url).json()
    entries_before = len(system.item_ledger_entries(item))
    try:
        assert system.http.put(setup_url, json={**before, "allow_posting_from": "2026-07-01"}).status_code == 200
        assert_problem(order_step(system, no, "post"), 422, "posting-date-not-allowed")
    finally:
        assert system.http.put(setup_url, json=before).status_code == 200
    assert len(system.item_ledger_entries(item)) == entries_before and phys_invt_ledger(system, no) == []
    assert system.http.get(system.url("warehouse", f"/physical-inventory-orders/{no}")).json()["status"] == "Finished"

    posted = order_step(system, no, "post")
    assert posted.status_code == 201, posted.text
    (shortage,) = posted.json()["entries"]
    assert (shortage["entry_type"], Decimal(shortage["quantity"])) == ("Negative Adjmt.", -2)
    assert system.quantity_on_hand(item) == 4

    assert order_step(system, "NO-SUCH-ORDER", "calculate-lines").status_code == 404
    url = system.url("warehouse", "/physical-inventory-orders")
    assert_problem(system.http.post(url, json={"no": no, "location_code": "MAIN", "posting_date": DAY}),
                   409, "already-exists")
    assert_problem(system.http.post(url, json={"no": unique("PI"), "location_code": "IN-TRANSIT", "posting_date": DAY}),
                   422, "in-transit-location")
    assert_problem(system.http.post(url, json={"no": unique("PI"), "location_code": "NOWHERE", "posting_date": DAY}),
                   422, "unknown-location")
    system.wait_quiet()
