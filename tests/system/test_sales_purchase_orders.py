"""Open sales and purchase orders through the warehouse API: registered, changed while outstanding, fulfilled by the
shipments and receipts that name their lines, given back by an undo; bad input refused with problem details."""

from decimal import Decimal
from typing import Any

import httpx
import pytest

from support import System, unique

pytestmark = pytest.mark.system


def assert_problem(response: httpx.Response, status: int, problem_type: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = dict(response.json())
    assert body["type"] == f"/problems/{problem_type}" and body["detail"], body
    return body


def sales_order(item: str, *lines: dict[str, Any], no: str | None = None) -> dict[str, Any]:
    return {"no": no or unique("SO"), "sell_to_customer_no": "C10000", "order_date": "2026-09-01",
            "lines": list(lines) or [{"item_no": item, "location_code": "MAIN", "quantity": "10",
                                      "shipment_date": "2026-09-10"}]}


def purchase_order(item: str, **line: Any) -> dict[str, Any]:
    return {"no": unique("PO"), "buy_from_vendor_no": "V20000", "order_date": "2026-09-01",
            "lines": [{"item_no": item, "location_code": "MAIN", "quantity": "8", "expected_receipt_date": "2026-09-05",
                       **line}]}


def created(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_a_sales_order_line_is_shipped_in_parts_and_an_undo_gives_back(system: System) -> None:
    item = system.create_item(units_of_measure=[{"code": "BOX", "qty_per_unit_of_measure": "6"}])["item_no"]
    assert system.post(unique("P"), [{"item_no": item, "entry_type": "Purchase", "quantity": "30", "unit_cost": "2",
                                      "posting_date": "2026-09-01", "location_code": "MAIN"}]).status_code == 201
    order = created(system.http.post(system.url("warehouse", "/sales-orders"), json=sales_order(
        item, {"item_no": item, "location_code": "MAIN", "quantity": "2", "unit_of_measure_code": "BOX",
               "shipment_date": "2026-09-10"})))
    [line] = order["lines"]
    assert (line["line_no"], Decimal(line["quantity_base"]), Decimal(line["outstanding_qty_base"])) == (10000, 12, 12)

    def ship(quantity: str) -> httpx.Response:
        return system.http.post(system.url("warehouse", "/sales-shipments"), json={"document_no": unique("SS"), "lines": [{
            "item_no": item, "entry_type": "Sale", "quantity": quantity, "posting_date": "2026-09-10",
            "location_code": "MAIN", "source_type": "Sales Order", "source_id": order["no"], "source_line_no": 10000}]})

    [shipped] = created(ship("5"))["entries"]
    read = system.http.get(system.url("warehouse", f"/sales-orders/{order['no']}"))
    assert read.status_code == 200
    [line] = read.json()["lines"]
    assert (Decimal(line["qty_shipped_base"]), Decimal(line["outstanding_qty_base"]),
            Decimal(line["outstanding_quantity"])) == (5, 7, Decimal("1.16667"))

    # More than is outstanding is refused, and nothing of the shipment is written.
    before = len(system.item_ledger_entries(item))
    body = assert_problem(ship("8"), 422, "invalid-journal-line")
    assert body["outstanding_quantity"] == "7.00000"
    assert len(system.item_ledger_entries(item)) == before

    # The quantity may not fall below what is shipped; the item may not change once shipped.
    change = {"item_no": item, "location_code": "MAIN", "quantity": "0.5", "unit_of_measure_code": "BOX",
              "shipment_date": "2026-09-12"}
    path = system.url("warehouse", f"/sales-orders/{order['no']}/lines/10000")
    assert_problem(system.http.put(path, json=change), 409, "document-state")
    assert_problem(system.http.put(path, json=change | {"quantity": "9", "unit_of_measure_code": "PCS"}), 409,
                   "document-state")
    changed = system.http.put(path, json=change | {"quantity": "1.5"})
    assert changed.status_code == 200, changed.text
    [line] = changed.json()["lines"]
    assert (line["shipment_date"], Decimal(line["outstanding_qty_base"])) == ("2026-09-12", 4)
    assert_problem(system.http.delete(path), 409, "document-state")

    undo = system.http.post(system.url("warehouse", "/sales-shipments/undo"), json={"entry_nos": [shipped["entry_no"]]})
    assert undo.status_code == 201, undo.text
    [line] = system.http.get(system.url("warehouse", f"/sales-orders/{order['no']}")).json()["lines"]
    assert (Decimal(line["qty_shipped_base"]), Decimal(line["outstanding_qty_base"])) == (0, 9)
    deleted = system.http.delete(path)
    assert deleted.status_code == 200 and deleted.json()["lines"] == []


def test_a_purchase_receipt_names_its_order_line(system: System) -> None:
    item = system.create_item()["item_no"]
    order = created(system.http.post(system.url("warehouse", "/purchase-orders"), json=purchase_order(item)))
    receipt = system.http.post(system.url("warehouse", "/purchase-receipts"), json={"document_no": unique("PR"), "lines": [{
        "item_no": item, "entry_type": "Purchase", "quantity": "3", "unit_cost": "4.00", "posting_date": "2026-09-05",
        "location_code": "MAIN", "source_type": "Purchase Order", "source_id": order["no"], "source_line_no": 10000}]})
    assert receipt.status_code == 201, receipt.text
    [line] = system.http.get(system.url("warehouse", f"/purchase-orders/{order['no']}")).json()["lines"]
    assert (Decimal(line["qty_received_base"]), Decimal(line["outstanding_qty_base"])) == (3, 5)

    listed = system.http.get(system.url("warehouse", "/purchase-orders"), params={"item_no": item})
    assert listed.status_code == 200 and [o["no"] for o in listed.json()["orders"]] == [order["no"]]

    # A receipt naming a line of another item or an unknown line is refused whole.
    other = system.create_item()["item_no"]
    for source_line_no, line_item in [(10000, other), (20000, item)]:
        refused = system.http.post(system.url("warehouse", "/purchase-receipts"), json={
            "document_no": unique("PR"), "lines": [{
                "item_no": line_item, "entry_type": "Purchase", "quantity": "1", "unit_cost": "4.00",
                "posting_date": "2026-09-05", "location_code": "MAIN", "source_type": "Purchase Order",
                "source_id": order["no"], "source_line_no": source_line_no}]})
        assert_problem(refused, 422, "invalid-journal-line")
    assert system.item_ledger_entries(other) == []


@pytest.mark.parametrize(("card", "line", "status", "problem"), [
    ({}, {"item_no": "NO-SUCH-ITEM"}, 422, "unknown-item"),
    ({"blocked": True}, {}, 422, "item-blocked"),
    ({"sales_blocked": True}, {}, 422, "item-blocked"),
    ({}, {"unit_of_measure_code": "PALLET"}, 422, "unknown-unit-of-measure"),
    ({}, {"quantity": "0"}, 422, "invalid-request"),
    ({}, {"quantity": "-1"}, 422, "invalid-request"),
    ({}, {"shipment_date": "2026-08-31"}, 422, "invalid-document"),
    ({}, {"shipment_date": "not-a-date"}, 422, "invalid-request"),
    ({}, {"location_code": "NOWHERE"}, 422, "unknown-location"),
    ({}, {"variant_code": "BLUE"}, 422, "unknown-variant"),
])
def test_a_bad_sales_order_is_refused_with_a_problem(
    system: System, card: dict[str, Any], line: dict[str, Any], status: int, problem: str
) -> None:
    item = system.create_item(**card)["item_no"]
    body = sales_order(item, {"item_no": item, "location_code": "MAIN", "quantity": "1", "shipment_date": "2026-09-10",
                              **line})
    assert_problem(system.http.post(system.url("warehouse", "/sales-orders"), json=body), status, problem)
    assert system.http.get(system.url("warehouse", f"/sales-orders/{body['no']}")).status_code == 404


def test_orders_need_tokens_with_the_scopes_and_numbers_are_unique(system: System) -> None:
    item = system.create_item(purchasing_blocked=True)["item_no"]
    assert_problem(system.http.post(system.url("warehouse", "/purchase-orders"), json=purchase_order(item)), 422,
                   "item-blocked")
    body = sales_order(item)
    read_only = {"Authorization": f"Bearer {system.stack.issuer.token(scopes=['inventory:read'])}"}
    assert httpx.post(system.url("warehouse", "/sales-orders"), json=body, headers=read_only).status_code == 403
    assert httpx.get(system.url("warehouse", "/sales-orders")).status_code == 401
    created(system.http.post(system.url("warehouse", "/sales-orders"), json=body))
    assert_problem(system.http.post(system.url("warehouse", "/sales-orders"), json=body), 409, "already-exists")
    assert_problem(system.http.get(system.url("warehouse", "/sales-orders/NO-SUCH-SO")), 404, "not-found")
