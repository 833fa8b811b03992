"""Transfer orders through an in-transit location and direct, through the warehouse API (quantities, applications,
applies-from links and availability; costing's values are not checked here)."""

from decimal import Decimal
from typing import Any

import pytest

from support import System, unique

pytestmark = pytest.mark.system


def assert_problem(response: Any, status: int, problem_type: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = dict(response.json())
    assert body["type"] == f"/problems/{problem_type}" and body["detail"], body
    return body


def receive_stock(system: System, item: str, quantity: str, location: str = "MAIN", **extra: Any) -> list[dict[str, Any]]:
    response = system.post(unique("P"), [{"item_no": item, "entry_type": "Purchase", "quantity": quantity,
                                          "unit_cost": "3.00", "posting_date": "2026-06-01", "location_code": location,
                                          **extra}])
    assert response.status_code == 201, response.text
    return list(response.json()["entries"])


def create_order(system: System, lines: list[dict[str, Any]], **header: Any) -> dict[str, Any]:
    body = {"no": unique("TO"), "transfer_from_code": "MAIN", "transfer_to_code": "EAST", "in_transit_code": "IN-TRANSIT",
            "lines": lines, **header}
    response = system.http.post(system.url("warehouse", "/transfer-orders"), json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def step(system: System, order_no: str, action: str, body: dict[str, Any] | None = None, key: str | None = None) -> Any:
    headers = {"Idempotency-Key": key} if key else {}
    return system.http.post(system.url("warehouse", f"/transfer-orders/{order_no}/{action}"), json=body or {},
                            headers=headers)


def at(system: System, item: str) -> dict[str, Decimal]:
    response = system.http.get(system.url("warehouse", f"/items/{item}/quantity-on-hand"))
    return {l["location_code"]: Decimal(l["quantity"]) for l in response.json()["locations"] if Decimal(l["quantity"])}


def availability(system: System, item: str, location: str | None = None) -> dict[str, Decimal]:
    params = {"location_code": location} if location else {}
    body = system.http.get(system.url("warehouse", f"/items/{item}/availability"), params=params).json()
    return {k: Decimal(v) for k, v in body.items() if k in ("inventory", "in_transit", "available_inventory",
                                                           "gross_requirement", "scheduled_receipts")}


def test_ship_and_receive_partially_through_in_transit(system: System) -> None:
    item = system.create_item()["item_no"]
    (receipt,) = receive_stock(system, item, "10")
    order = create_order(system, [{"item_no": item, "quantity": "8"}])
    line_no = order["lines"][0]["line_no"]
    assert availability(system, item, "MAIN")["gross_requirement"] == 8
    assert availability(system, item, "EAST")["scheduled_receipts"] == 8

    key = unique("ship-")
    body = {"shipment_no": unique("TS"), "posting_date": "2026-06-02", "lines": [{"line_no": line_no, "quantity": "5"}]}
    shipped = step(system, order["no"], "ship", body, key)
    assert shipped.status_code == 201, shipped.text
    replay = step(system, order["no"], "ship", body, key)
    assert replay.headers.get("Idempotent-Replayed") == "true"
    out, into = shipped.json()["entries"]
    assert (out["location_code"], Decimal(out["quantity"]), into["location_code"], Decimal(into["quantity"])) == (
        "MAIN", -5, "IN-TRANSIT", 5)
    assert out["entry_type"] == into["entry_type"] == "Transfer" and into["applies_from_entry"] == out["entry_no"]
    assert into["unit_cost"] is None and [a["inbound_entry_no"] for a in out["applications"]] == [receipt["entry_no"]]
    assert at(system, item) == {"MAIN": 5, "IN-TRANSIT": 5}
    # In transit: available at neither end.
    assert availability(system, item)["in_transit"] == 5 and availability(system, item)["available_inventory"] == 5
    assert availability(system, item, "EAST")["inventory"] == 0 and availability(system, item, "MAIN")["inventory"] == 5

    # More than is left to ship, or than the origin holds, is refused and writes nothing.
    assert_problem(step(system, order["no"], "ship", {"shipment_no": unique("TS"), "posting_date": "2026-06-02",
                                                      "lines": [{"line_no": line_no, "quantity": "4"}]}),
                   409, "document-state")
    assert_problem(step(system, order["no"], "receive", {"receipt_no": unique("TR"), "posting_date": "2026-06-03",
                                                         "lines": [{"line_no": line_no, "quantity": "6"}]}),
                   409, "document-state")

    received = step(system, order["no"], "receive", {"receipt_no": unique("TR"), "posting_date": "2026-06-03",
                                                     "lines": [{"line_no": line_no, "quantity": "2"}]})
    assert received.status_code == 201, received.text
    out2, into2 = received.json()["entries"]
    assert (out2["location_code"], Decimal(out2["quantity"]), into2["location_code"], Decimal(into2["quantity"])) == (
        "IN-TRANSIT", -2, "EAST", 2)
    assert [a["inbound_entry_no"] for a in out2["applications"]] == [into["entry_no"]]
    assert into2["applies_from_entry"] == out2["entry_no"]
    assert at(system, item) == {"MAIN": 5, "IN-TRANSIT": 3, "EAST": 2}
    line = received.json()["order"]["lines"][0]
    assert (Decimal(line["quantity_shipped"]), Decimal(line["quantity_received"])) == (5, 2)
    # A received shipment can no longer be undone.
    assert_problem(step(system, order["no"], f"shipments/{body['shipment_no']}/undo"), 409, "document-state")
    system.wait_quiet()


def test_transfers_never_go_negative_and_undo_returns_stock_to_the_origin(system: System) -> None:
    item = system.create_item(prevent_negative_inventory="No")["item_no"]
    receive_stock(system, item, "3")
    order = create_order(system, [{"item_no": item, "quantity": "5"}])
    line_no = order["lines"][0]["line_no"]
    # Negative inventory is allowed for the item, but not for a transfer.
    assert_problem(step(system, order["no"], "ship", {"shipment_no": unique("TS"), "posting_date": "2026-06-02",
                                                      "lines": [{"line_no": line_no, "quantity": "4"}]}),
                   409, "insufficient-inventory")
    assert at(system, item) == {"MAIN": 3}

    shipment_no = unique("TS")
    assert step(system, order["no"], "ship", {"shipment_no": shipment_no, "posting_date": "2026-06-02",
                                              "lines": [{"line_no": line_no, "quantity": "3"}]}).status_code == 201
    undone = step(system, order["no"], f"shipments/{shipment_no}/undo")
    assert undone.status_code == 201, undone.text
    out, into = undone.json()["entries"]
    assert (out["location_code"], into["location_code"], out["correction"], into["correction"]) == (
        "IN-TRANSIT", "MAIN", True, True)
    assert into["applies_from_entry"] == out["entry_no"]
    assert Decimal(undone.json()["order"]["lines"][0]["quantity_shipped"]) == 0
    assert at(system, item) == {"MAIN": 3}
    assert_problem(step(system, order["no"], f"shipments/{shipment_no}/undo"), 409, "document-state")
    system.wait_quiet()


def test_tracking_is_fixed_at_shipment_and_kept_on_receipt(system: System) -> None:
    code = unique("TC")[:20]
    system.http.put(system.url("catalog", f"/item-tracking-codes/{code}"),
                    json={"serial_specific": True, "serial_required_for": ["Purchase", "Sale", "Transfer"]})
    item = system.create_item(item_tracking_code=code)["item_no"]
    receive_stock(system, item, "3", tracking=[{"serial_no": "T1"}, {"serial_no": "T2"}, {"serial_no": "T3"}])
    order = create_order(system, [{"item_no": item, "quantity": "3"}])
    line_no = order["lines"][0]["line_no"]
    assert_problem(step(system, order["no"], "ship", {"shipment_no": unique("TS"), "posting_date": "2026-06-02",
                                                      "lines": [{"line_no": line_no, "quantity": "2"}]}),
                   422, "item-tracking")
    shipped = step(system, order["no"], "ship", {"shipment_no": unique("TS"), "posting_date": "2026-06-02",
                                                 "lines": [{"line_no": line_no, "quantity": "2",
                                                            "tracking": [{"serial_no": "T3"}, {"serial_no": "T1"}]}]})
    assert shipped.status_code == 201, shipped.text
    received = step(system, order["no"], "receive", {"receipt_no": unique("TR"), "posting_date": "2026-06-03",
                                                     "lines": [{"line_no": line_no, "quantity": "2"}]})
    assert received.status_code == 201, received.text
    assert sorted(e["serial_no"] for e in received.json()["entries"] if e["location_code"] == "EAST") == ["T1", "T3"]
    usage = system.http.get(system.url("warehouse", "/item-tracing"),
                            params={"serial_no": "T3", "direction": "usage"}).json()["entries"]
    assert [e["location_code"] for e in usage] == ["MAIN", "MAIN", "IN-TRANSIT", "IN-TRANSIT", "EAST"]
    system.wait_quiet()


def test_direct_transfer_posts_one_pair_and_refuses_bad_orders(system: System) -> None:
    item = system.create_item()["item_no"]
    receive_stock(system, item, "4")
    order = create_order(system, [{"item_no": item, "quantity": "4"}], in_transit_code=None, direct_transfer=True)
    shipped = step(system, order["no"], "ship", {"shipment_no": unique("TS"), "posting_date": "2026-06-02",
                                                 "lines": [{"line_no": order["lines"][0]["line_no"], "quantity": "4"}]})
    assert shipped.status_code == 201, shipped.text
    out, into = shipped.json()["entries"]
    assert (out["location_code"], into["location_code"], into["applies_from_entry"]) == ("MAIN", "EAST", out["entry_no"])
    line = shipped.json()["order"]["lines"][0]
    assert Decimal(line["quantity_shipped"]) == Decimal(line["quantity_received"]) == 4
    assert at(system, item) == {"EAST": 4}

    url = system.url("warehouse", "/transfer-orders")
    base = {"no": unique("TO"), "transfer_from_code": "MAIN", "transfer_to_code": "EAST",
            "lines": [{"item_no": item, "quantity": "1"}]}
    assert_problem(system.http.post(url, json=base), 422, "invalid-document")  # no in-transit location
    assert_problem(system.http.post(url, json={**base, "in_transit_code": "WEST"}), 422, "invalid-document")
    assert_problem(system.http.post(url, json={**base, "transfer_to_code": "MAIN", "in_transit_code": "IN-TRANSIT"}),
                   422, "invalid-document")
    assert_problem(system.http.post(url, json={**base, "in_transit_code": "IN-TRANSIT",
                                               "lines": [{"item_no": "NOPE", "quantity": "1"}]}), 422, "unknown-item")
    assert system.http.get(system.url("warehouse", f"/transfer-orders/{base['no']}")).status_code == 404
    system.wait_quiet()
