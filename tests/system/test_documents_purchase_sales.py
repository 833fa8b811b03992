"""Purchase receipts and invoices, sales shipments and invoices, returns and undos, through every service.

DOMAIN.md section 5: "Expected cost" and "Fixed application on a return", with their exact numbers.
"""

from decimal import Decimal
from typing import Any

import httpx
import pytest

from support import System, unique, wait_until

pytestmark = pytest.mark.system

D = Decimal
ACCOUNTS = ("MAIN", "RESALE", "", "RETAIL")


def create_item(system: System, **card: Any) -> str:
    item_no = system.create_item(**card)["item_no"]
    wait_until(lambda: system.http.get(system.url("costing", f"/items/{item_no}/cost")).status_code == 200,
               what=f"item {item_no} in the costing replica")
    return item_no


def line(item_no: str, entry_type: str, quantity: str, unit_cost: str | None = None, day: str = "2020-01-01") -> dict[str, Any]:
    body = {"item_no": item_no, "entry_type": entry_type, "quantity": quantity, "posting_date": day, "location_code": "MAIN"}
    return body | ({"unit_cost": unit_cost} if unit_cost is not None else {})


def post(system: System, path: str, body: dict[str, Any], key: str | None = None) -> httpx.Response:
    return system.http.post(system.url("warehouse", path), json=body, headers={"Idempotency-Key": key} if key else {})


def posted(system: System, path: str, body: dict[str, Any]) -> list[dict[str, Any]]:
    response = post(system, path, body)
    assert response.status_code == 201, response.text
    return list(response.json().get("entries", []))


def document(*lines: dict[str, Any]) -> dict[str, Any]:
    return {"document_no": unique("DOC"), "lines": list(lines)}


def invoice(entry_no: int, quantity: str, day: str = "2020-01-10", **amount: str) -> dict[str, Any]:
    return {"document_no": unique("INV"), "posting_date": day,
            "lines": [{"entry_no": entry_no, "quantity": quantity, **amount}]}


def amounts(system: System, item_no: str, entry_no: int) -> list[tuple[D, D]]:
    return [(D(v["cost_amount_actual"]), D(v["cost_amount_expected"]))
            for v in system.value_entries(item_no) if v["item_ledger_entry_no"] == entry_no]


def balances(system: System, item_no: str) -> dict[str, D]:
    ours = {v["entry_no"] for v in system.value_entries(item_no)}
    totals: dict[str, D] = {}
    for g in system.gl_entries():
        if g["value_entry_no"] in ours:
            totals[g["account_no"]] = totals.get(g["account_no"], D(0)) + D(g["amount"])
    return totals


def gl_of(system: System, item_no: str, value_entry_nos: set[int]) -> dict[str, D]:
    totals: dict[str, D] = {}
    for g in system.gl_entries():
        if g["value_entry_no"] in value_entry_nos:
            totals[g["account_no"]] = totals.get(g["account_no"], D(0)) + D(g["amount"])
    return {k: v for k, v in totals.items() if v}


def test_domain_example_expected_cost_receipt_then_invoice(system: System) -> None:
    item = create_item(system)
    accounts = system.accounts_for(*ACCOUNTS)
    [receipt] = posted(system, "/purchase-receipts", document(line(item, "Purchase", "1", "95.00")))
    assert receipt["invoiced_quantity"] == "0" or D(receipt["invoiced_quantity"]) == 0
    system.wait_quiet()
    assert amounts(system, item, receipt["entry_no"]) == [(D("0.00"), D("95.00"))]
    receipt_ves = {v["entry_no"] for v in system.value_entries(item)}
    assert gl_of(system, item, receipt_ves) == {accounts["inventory_interim"]: D(95), accounts["invt_accrual_interim"]: D(-95)}

    posted(system, "/purchase-invoices", invoice(receipt["entry_no"], "1", unit_cost="100.00"))
    system.wait_quiet()
    invoice_ves = [v for v in system.value_entries(item) if v["entry_no"] not in receipt_ves]
    assert [(D(v["cost_amount_actual"]), D(v["cost_amount_expected"]), D(v["invoiced_quantity"])) for v in invoice_ves] == [
        (D("100.00"), D("-95.00"), D(1))]
    assert gl_of(system, item, {v["entry_no"] for v in invoice_ves}) == {
        accounts["inventory_interim"]: D(-95), accounts["invt_accrual_interim"]: D(95),
        accounts["inventory"]: D(100), accounts["direct_cost_applied"]: D(-100)}
    valuation = system.valuation(item_no=item)
    assert D(valuation["cost_amount_actual"]) == D(100)


def test_partial_invoice_at_another_price_is_forwarded_to_what_took_from_the_receipt(system: System) -> None:
    item = create_item(system, costing_method="FIFO")
    [receipt] = posted(system, "/purchase-receipts", document(line(item, "Purchase", "10", "9.50")))
    [sale] = posted(system, "/item-journal", document(line(item, "Sale", "4", day="2020-01-05")))
    system.wait_quiet()
    assert sum(a + e for a, e in amounts(system, item, sale["entry_no"])) == D("-38.00")

    posted(system, "/purchase-invoices", invoice(receipt["entry_no"], "4", unit_cost="10.00"))
    system.wait_quiet()
    # 4 invoiced at 10.00 (actual 40.00), 38.00 of the 95.00 expected reversed; 6 stay expected at 57.00.
    receipt_amounts = amounts(system, item, receipt["entry_no"])
    assert sum(a for a, _ in receipt_amounts) == D("40.00")
    assert sum(e for _, e in receipt_amounts) == D("57.00")
    # The sale took 4 of the 10 at 9.70 average now: 97.00 * 4 / 10 = 38.80.
    assert sum(a + e for a, e in amounts(system, item, sale["entry_no"])) == D("-38.80")

    posted(system, "/purchase-invoices", invoice(receipt["entry_no"], "6", unit_cost="10.00"))
    system.wait_quiet()
    receipt_amounts = amounts(system, item, receipt["entry_no"])
    assert (sum(a for a, _ in receipt_amounts), sum(e for _, e in receipt_amounts)) == (D("100.00"), D(0))
    assert sum(a + e for a, e in amounts(system, item, sale["entry_no"])) == D("-40.00")
    # Everything invoiced: nothing is left on the interim accounts.
    accounts = system.accounts_for(*ACCOUNTS)
    totals = balances(system, item)
    assert totals.get(accounts["inventory_interim"], D(0)) == 0
    assert totals.get(accounts["invt_accrual_interim"], D(0)) == 0
    assert totals[accounts["inventory"]] == D(60)


def test_sales_shipment_at_expected_cost_then_partial_invoices(system: System) -> None:
    item = create_item(system)
    accounts = system.accounts_for(*ACCOUNTS)
    posted(system, "/item-journal", document(line(item, "Purchase", "10", "8.00")))
    [shipment] = posted(system, "/sales-shipments", document(line(item, "Sale", "5", day="2020-01-03")))
    system.wait_quiet()
    assert amounts(system, item, shipment["entry_no"]) == [(D("0.00"), D("-40.00"))]
    totals = balances(system, item)
    assert (totals[accounts["inventory_interim"]], totals[accounts["cogs_interim"]]) == (D(-40), D(40))

    posted(system, "/sales-invoices", invoice(shipment["entry_no"], "2", sales_amount="30.00"))
    posted(system, "/sales-invoices", invoice(shipment["entry_no"], "3", sales_amount="45.00"))
    system.wait_quiet()
    shipment_amounts = amounts(system, item, shipment["entry_no"])
    assert shipment_amounts[1:] == [(D("-16.00"), D("16.00")), (D("-24.00"), D("24.00"))]
    sales = [D(v["sales_amount_actual"]) for v in system.value_entries(item) if v["item_ledger_entry_no"] == shipment["entry_no"]]
    assert sales == [D(0), D(30), D(45)]
    totals = balances(system, item)
    assert totals.get(accounts["inventory_interim"], D(0)) == 0 and totals.get(accounts["cogs_interim"], D(0)) == 0
    assert (totals[accounts["inventory"]], totals[accounts["cogs"]]) == (D(40), D(40))

    over = post(system, "/sales-invoices", invoice(shipment["entry_no"], "1", sales_amount="1.00"))
    assert over.status_code == 409, over.text
    assert over.headers["content-type"].startswith("application/problem+json")


def test_domain_example_fixed_application_on_a_purchase_return(system: System) -> None:
    item = create_item(system, costing_method="FIFO")
    first, second = posted(system, "/item-journal", document(
        line(item, "Purchase", "10", "1.00"), line(item, "Purchase", "10", "2.00")))
    [ret] = posted(system, "/purchase-returns", {"document_no": unique("PRET"), "posting_date": "2020-01-05",
                                                   "lines": [{"entry_no": second["entry_no"], "quantity": "10"}]})
    assert ret["applies_to_entry"] == second["entry_no"]
    assert [(a["inbound_entry_no"], D(a["quantity"])) for a in ret["applications"]] == [(second["entry_no"], D(10))]
    system.wait_quiet()
    assert sum(a for a, _ in amounts(system, item, ret["entry_no"])) == D("-20.00")
    accounts = system.accounts_for(*ACCOUNTS)
    assert balances(system, item)[accounts["inventory"]] == D(10)


def test_sales_return_applies_from_the_shipment_and_takes_its_cost(system: System) -> None:
    item = create_item(system, costing_method="FIFO")
    posted(system, "/item-journal", document(line(item, "Purchase", "1", "10.00"), line(item, "Purchase", "1", "30.00")))
    [sale] = posted(system, "/item-journal", document(line(item, "Sale", "1", day="2020-01-02")))
    posted(system, "/item-journal", document(line(item, "Purchase", "1", "50.00", day="2020-01-03")))
    [ret] = posted(system, "/sales-returns", {"document_no": unique("SRET"), "posting_date": "2020-01-04",
                                                "lines": [{"entry_no": sale["entry_no"], "quantity": "1"}]})
    assert ret["applies_from_entry"] == sale["entry_no"] and D(ret["quantity"]) == 1
    system.wait_quiet()
    assert sum(a for a, _ in amounts(system, item, ret["entry_no"])) == D("10.00")

    too_much = post(system, "/sales-returns", {"document_no": unique("SRET"), "posting_date": "2020-01-04",
                                               "lines": [{"entry_no": sale["entry_no"], "quantity": "1"}]})
    assert too_much.status_code == 409, too_much.text


def test_undo_of_a_receipt_and_of_a_shipment_nets_to_zero(system: System) -> None:
    item = create_item(system)
    accounts = system.accounts_for(*ACCOUNTS)
    [receipt] = posted(system, "/purchase-receipts", document(line(item, "Purchase", "3", "5.00")))
    [undo] = posted(system, "/purchase-receipts/undo", {"entry_nos": [receipt["entry_no"]]})
    assert (undo["correction"], D(undo["quantity"]), undo["applies_to_entry"]) == (True, D(-3), receipt["entry_no"])
    assert undo["posting_date"] == receipt["posting_date"]
    again = post(system, "/purchase-invoices", invoice(receipt["entry_no"], "1", unit_cost="5.00"))
    assert again.status_code == 409, again.text

    posted(system, "/item-journal", document(line(item, "Purchase", "2", "7.00")))
    [shipment] = posted(system, "/sales-shipments", document(line(item, "Sale", "2", day="2020-01-02")))
    [back] = posted(system, "/sales-shipments/undo", {"entry_nos": [shipment["entry_no"]]})
    assert (back["correction"], D(back["quantity"]), back["applies_from_entry"]) == (True, D(2), shipment["entry_no"])
    system.wait_quiet()

    assert amounts(system, item, receipt["entry_no"]) == [(D(0), D("15.00"))]
    assert amounts(system, item, undo["entry_no"]) == [(D(0), D("-15.00"))]
    assert amounts(system, item, shipment["entry_no"]) == [(D(0), D("-14.00"))]
    assert amounts(system, item, back["entry_no"]) == [(D(0), D("14.00"))]
    assert system.quantity_on_hand(item) == D(2)
    totals = balances(system, item)
    for role in ("inventory_interim", "invt_accrual_interim", "cogs_interim"):
        assert totals.get(accounts[role], D(0)) == 0, role
    assert totals[accounts["inventory"]] == D(14)


def test_bad_documents_write_nothing_and_a_retry_posts_once(system: System) -> None:
    item = create_item(system)
    [entry] = posted(system, "/item-journal", document(line(item, "Purchase", "1", "1.00")))
    before = len(system.item_ledger_entries(item))
    refused = [
        post(system, "/purchase-receipts", document(line(item, "Sale", "1"))),
        post(system, "/purchase-invoices", invoice(entry["entry_no"], "1", unit_cost="1.00")),  # journal: invoiced already
        post(system, "/purchase-returns", {"document_no": "X", "posting_date": "2020-01-02",
                                           "lines": [{"entry_no": 999999999, "quantity": "1"}]}),
        post(system, "/purchase-receipts/undo", {"entry_nos": [entry["entry_no"]]}),
    ]
    assert [r.status_code for r in refused] == [422, 422, 422, 422], [r.text for r in refused]
    assert all(r.headers["content-type"].startswith("application/problem+json") for r in refused)
    assert len(system.item_ledger_entries(item)) == before

    key = unique("KEY")
    body = document(line(item, "Purchase", "2", "3.00"))
    first, second = post(system, "/purchase-receipts", body, key), post(system, "/purchase-receipts", body, key)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert len(system.item_ledger_entries(item)) == before + 1
