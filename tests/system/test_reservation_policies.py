"""Reservation policies, reservations against incoming supply and the allocation of short stock, on the real stack."""

from decimal import Decimal
from typing import Any

import pytest

from inventory_contracts import new_envelope
from inventory_contracts.catalog import ITEM_UPSERTED_V1, ItemUpserted, ReservePolicy
from support import System, unique, wait_until

pytestmark = pytest.mark.system

D = Decimal


def item_with_policy(system: System, reserve: str) -> str:
    """An item whose card says Reserve = `reserve`: the catalog publishes the card, then a later revision of it."""
    item_no = system.create_item(prevent_negative_inventory="Yes")["item_no"]
    published = system.http.get(system.url("catalog", f"/items/{item_no}/published-card"))
    assert published.status_code == 200, published.text
    card = ItemUpserted.model_validate(published.json())
    card = card.model_copy(update={"reserve": ReservePolicy(reserve), "revision": card.revision + 1})
    event = new_envelope(ITEM_UPSERTED_V1, card, producer="catalog", key=item_no)
    system.publish("catalog.items.v1", [(item_no.encode(), event.model_dump_json().encode())])
    wait_until(lambda: system.sql("warehouse", "SELECT 1 FROM items WHERE item_no = $1 AND reserve = $2", item_no, reserve),
               what=f"Reserve {reserve} on {item_no} in the warehouse")
    return item_no


def receive(system: System, item: str, quantity: str, location: str = "MAIN") -> list[dict[str, Any]]:
    response = system.post(unique("P"), [{"item_no": item, "entry_type": "Purchase", "quantity": quantity,
                                          "unit_cost": "3.00", "posting_date": "2026-06-01", "location_code": location}])
    assert response.status_code == 201, response.text
    return list(response.json()["entries"])


def problem(response: Any, status: int, slug: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = dict(response.json())
    assert body["type"].endswith(slug), body
    return body


def demand(order: str, line: int = 10000) -> dict[str, Any]:
    return {"source_type": "Sales Order", "source_id": order, "source_line_no": line}


def on_supply(system: System, item: str, order: str, quantity: str, transfer: str, line_no: int, **extra: Any) -> Any:
    return system.http.post(system.url("warehouse", "/reservations/supply"), json={
        **demand(order), "item_no": item, "location_code": "EAST", "quantity": quantity,
        "supply_type": "Transfer Order", "supply_id": transfer, "supply_line_no": line_no, **extra})


def transfer_order(system: System, item: str, quantity: str) -> tuple[str, int]:
    body = {"no": unique("TO"), "transfer_from_code": "MAIN", "transfer_to_code": "EAST", "in_transit_code": "IN-TRANSIT",
            "lines": [{"item_no": item, "quantity": quantity}]}
    response = system.http.post(system.url("warehouse", "/transfer-orders"), json=body)
    assert response.status_code == 201, response.text
    return body["no"], response.json()["lines"][0]["line_no"]


def transfer_step(system: System, order: str, action: str, line_no: int, quantity: str) -> Any:
    number = "shipment_no" if action == "ship" else "receipt_no"
    response = system.http.post(system.url("warehouse", f"/transfer-orders/{order}/{action}"), json={
        number: unique("T"), "posting_date": "2026-06-02", "lines": [{"line_no": line_no, "quantity": quantity}]})
    assert response.status_code == 201, response.text
    return response.json()


def reservations(system: System, order: str, path: str = "/reservations", **params: Any) -> list[dict[str, Any]]:
    response = system.http.get(system.url("warehouse", path), params={"source_id": order, **params})
    assert response.status_code == 200, response.text
    return list(response.json()["entries"])


def test_never_refuses_every_kind_of_reservation_and_writes_nothing(system: System) -> None:
    item = item_with_policy(system, "Never")
    receive(system, item, "5")
    order = unique("SO")
    problem(system.http.post(system.url("warehouse", "/reservations"), json={
        **demand(order), "item_no": item, "location_code": "MAIN", "quantity": "1"}), 422, "reservation-not-allowed")
    problem(system.http.post(system.url("warehouse", "/reservations/auto"), json={
        **demand(order), "item_no": item, "location_code": "MAIN", "quantity": "1"}), 422, "reservation-not-allowed")
    problem(system.http.post(system.url("warehouse", "/reservation-worksheet/allocate"), json={
        "item_no": item, "location_code": "MAIN", "policy": "Equally",
        "demands": [{**demand(order), "quantity": "2"}]}), 422, "reservation-not-allowed")
    assert reservations(system, order, include_closed="true") == []
    # Optional (the default) reserves on request.
    optional = system.create_item()["item_no"]
    receive(system, optional, "5")
    made = system.http.post(system.url("warehouse", "/reservations"), json={
        **demand(order), "item_no": optional, "location_code": "MAIN", "quantity": "1"})
    assert made.status_code == 201, made.text


def test_reserved_incoming_transfer_moves_onto_the_received_entries_and_can_be_cancelled_and_reserved_again(
    system: System,
) -> None:
    item = system.create_item(prevent_negative_inventory="Yes")["item_no"]
    receive(system, item, "8", "MAIN")
    transfer, line_no = transfer_order(system, item, "8")
    so_1, so_2 = unique("SO"), unique("SO")

    assert on_supply(system, item, so_1, "5", transfer, line_no).status_code == 201
    refused = problem(on_supply(system, item, so_2, "4", transfer, line_no), 409, "insufficient-supply")
    assert refused["available"] == "3.00000"
    second = on_supply(system, item, so_2, "3", transfer, line_no)
    assert second.status_code == 201, second.text
    assert (second.json()["status"], D(second.json()["remaining_quantity"])) == ("Reserved", 3)
    # Bad input: a supply that does not exist, at another place, a line that is not a number, a negative quantity.
    problem(on_supply(system, item, so_2, "1", unique("TO"), line_no), 422, "unknown-supply")
    problem(on_supply(system, item, so_2, "1", transfer, line_no, location_code="WEST"), 422, "supply-mismatch")
    problem(on_supply(system, item, so_2, "1", transfer, line_no, supply_type="Sales Order"), 422, "invalid-request")
    problem(on_supply(system, item, so_2, "-1", transfer, line_no), 422, "invalid-request")

    transfer_step(system, transfer, "ship", line_no, "8")
    received = transfer_step(system, transfer, "receive", line_no, "6")
    into = next(e for e in received["entries"] if e["location_code"] == "EAST")
    # The oldest reservation moves first: all of order 1's 5, then 1 of order 2's 3; 2 stay on the transfer.
    assert [(r["item_ledger_entry_no"], D(r["remaining_quantity"])) for r in reservations(system, so_1)] == [
        (into["entry_no"], 5)]
    assert [(r["item_ledger_entry_no"], D(r["remaining_quantity"])) for r in reservations(system, so_2)] == [
        (into["entry_no"], 1)]
    supply_1 = reservations(system, so_1, "/reservations/supply", include_closed="true")
    assert [(r["status"], D(r["remaining_quantity"])) for r in supply_1] == [("Received", 0)]
    assert [D(r["remaining_quantity"]) for r in reservations(system, so_2, "/reservations/supply")] == [2]
    # The received stock is held: a sale for nobody finds none free at EAST.
    sale = system.post(unique("S"), [{"item_no": item, "entry_type": "Sale", "quantity": "1",
                                      "posting_date": "2026-06-03", "location_code": "EAST"}])
    problem(sale, 409, "insufficient-inventory")
    # Order 1's sale takes its reserved entry.
    sold = system.post(unique("S"), [{"item_no": item, "entry_type": "Sale", "quantity": "5", "posting_date": "2026-06-03",
                                      "location_code": "EAST", **demand(so_1)}])
    assert sold.status_code == 201, sold.text

    # Cancel order 2 (on stock and on supply), then reserve again.
    cancelled = system.http.post(system.url("warehouse", "/reservations/cancel"), json=demand(so_2))
    assert cancelled.status_code == 200, cancelled.text
    assert D(cancelled.json()["quantity"]) == 3 and len(cancelled.json()["supply_entries"]) == 1
    assert reservations(system, so_2) == [] and reservations(system, so_2, "/reservations/supply") == []
    again = on_supply(system, item, so_2, "2", transfer, line_no)
    assert again.status_code == 201, again.text
    transfer_step(system, transfer, "receive", line_no, "2")
    assert sum(D(r["remaining_quantity"]) for r in reservations(system, so_2)) == 2
    system.assert_books_balance_and_reconcile()


def test_automatic_reservation_takes_stock_first_then_supply_and_follows_the_quantity(system: System) -> None:
    item = item_with_policy(system, "Always")
    receive(system, item, "5", "EAST")
    receive(system, item, "10", "MAIN")
    transfer, _ = transfer_order(system, item, "10")
    order = unique("SO")

    def auto(quantity: str) -> dict[str, Any]:
        response = system.http.post(system.url("warehouse", "/reservations/auto"), json={
            **demand(order), "item_no": item, "location_code": "EAST", "quantity": quantity, "demand_date": "2026-06-30"})
        assert response.status_code == 200, response.text
        return dict(response.json())

    held = auto("8")
    assert (D(held["from_inventory"]), D(held["from_supply"])) == (5, 3)
    assert [r["supply_id"] for r in held["supply_entries"]] == [transfer]
    held = auto("4")
    assert (D(held["reserved_quantity"]), D(held["from_inventory"]), held["supply_entries"]) == (4, 4, [])
    held = auto("20")
    assert (D(held["from_inventory"]), D(held["from_supply"])) == (5, 10)
    problem(system.http.post(system.url("warehouse", "/reservations/auto"), json={
        **demand(order), "item_no": item, "location_code": "NOWHERE", "quantity": "1"}), 422, "unknown-location")


def test_short_stock_is_shown_then_allocated_by_policy_with_real_tokens(system: System) -> None:
    item = system.create_item(prevent_negative_inventory="Yes")["item_no"]
    receive(system, item, "10")
    a, b, c = unique("SO"), unique("SO"), unique("SO")
    demands = [{**demand(a), "quantity": "6", "due_date": "2026-07-01", "priority": 2},
               {**demand(b), "quantity": "2", "due_date": "2026-07-02", "priority": 1},
               {**demand(c), "quantity": "5", "due_date": "2026-07-03"}]
    body = {"item_no": item, "location_code": "MAIN", "policy": "Equally", "demands": demands}
    url = system.url("warehouse", "/reservation-worksheet/allocate")

    preview = system.http.post(url, params={"preview": "true"}, json=body)
    assert preview.status_code == 200, preview.text
    shown = preview.json()
    assert (D(shown["available"]), D(shown["demand"]), D(shown["shortage"]), shown["run_id"]) == (10, 13, 3, None)
    assert [(l["source_id"], D(l["allocated"])) for l in shown["lines"]] == [(a, 4), (b, 2), (c, 4)]
    assert reservations(system, a) == []

    # By priority, with order c's priority given by the request (e.g. its customer's) above a's: c takes its 5, and a
    # cannot have its 6 of the 5 left, so the allocation stops there (b, of a lower priority, may not pass a).
    by_priority = {**body, "policy": "By Priority", "priorities": [{"source_id": c, "priority": 3}]}
    read_only = system.stack.issuer.token(["inventory:read"])
    denied = system.http.post(url, json=by_priority, headers={"Authorization": f"Bearer {read_only}"})
    problem(denied, 403, "insufficient-scope")
    made = system.http.post(url, json=by_priority, headers={"Idempotency-Key": unique("alloc-")})
    assert made.status_code == 200, made.text
    result = made.json()
    assert [(l["source_id"], D(l["allocated"])) for l in result["lines"]] == [(a, 0), (b, 0), (c, 5)]
    assert result["run_id"] is not None and D(result["allocated"]) == 5
    assert [sum(D(r["remaining_quantity"]) for r in reservations(system, o)) for o in (a, b, c)] == [0, 0, 5]
    # Basic now: 5 free for a's 6 and b's 2 is a conflict, so nothing; Equally then shares the 5: b 2, a 3.
    basic = system.http.post(url, json={**body, "policy": "Basic", "demands": demands[:2]})
    assert basic.status_code == 200 and [D(l["allocated"]) for l in basic.json()["lines"]] == [0, 0]
    equally = system.http.post(url, json={**body, "demands": demands[:2]})
    assert equally.status_code == 200, equally.text
    assert [(l["source_id"], D(l["allocated"])) for l in equally.json()["lines"]] == [(a, 3), (b, 2)]

    sheet = system.http.get(system.url("warehouse", "/reservation-worksheet"),
                            params={"item_no": item, "location_code": "MAIN", "policy": "Equally"},
                            headers={"Authorization": f"Bearer {read_only}"})
    assert sheet.status_code == 200, sheet.text
    assert (D(sheet.json()["available"]), sheet.json()["lines"]) == (0, [])  # named demand is not kept

    problem(system.http.post(url, json={**body, "policy": "Loudest"}), 422, "invalid-request")
    problem(system.http.post(url, json={**body, "item_no": unique("NO")}), 422, "unknown-item")
    problem(system.http.post(url, json={**body, "demands": [{**demands[0], "quantity": "0"}]}), 422, "invalid-request")
    problem(system.http.get(system.url("warehouse", "/reservation-worksheet"), params={"location_code": "MAIN"}),
            422, "invalid-request")
    problem(system.http.get(system.url("warehouse", "/reservation-worksheet"), params={
        "item_no": item, "location_code": "MAIN"}, headers={"Authorization": "Bearer nonsense"}), 401, "")


def test_a_sales_line_of_an_always_item_reserves_itself_and_follows_its_quantity_through_receipt_and_shipment(
    system: System,
) -> None:
    item = item_with_policy(system, "Always")
    receive(system, item, "4")
    po = {"no": unique("PO"), "buy_from_vendor_no": "V1", "order_date": "2026-09-01",
          "lines": [{"item_no": item, "location_code": "MAIN", "quantity": "10", "expected_receipt_date": "2026-09-05"}]}
    assert system.http.post(system.url("warehouse", "/purchase-orders"), json=po).status_code == 201

    # Due before the purchase arrives: only stock can be reserved for it, and it takes 1 of the 4.
    early = sales_order_for(system, item, "2026-09-03", "1")
    assert D(early["lines"][0]["reserved_qty_base"]) == 1
    # Stock first (the 3 left), then the purchase order line due by the shipment date.
    order = sales_order_for(system, item, "2026-09-10", "10")
    assert D(order["lines"][0]["reserved_qty_base"]) == 10
    assert [(r["supply_id"], D(r["remaining_quantity"])) for r in reservations(system, order["no"], "/reservations/supply")
            ] == [(po["no"], 7)]
    # A smaller quantity gives back supply first: 3 on stock and 2 on the purchase stay.
    path = system.url("warehouse", f"/sales-orders/{order['no']}/lines/10000")
    changed = system.http.put(path, json={"item_no": item, "location_code": "MAIN", "quantity": "5",
                                          "shipment_date": "2026-09-10"})
    assert changed.status_code == 200, changed.text
    assert D(changed.json()["lines"][0]["reserved_qty_base"]) == 5
    assert [D(r["remaining_quantity"]) for r in reservations(system, order["no"], "/reservations/supply")] == [2]

    # The purchase receipt that names the line carries the reservation onto its entry.
    receipt = system.http.post(system.url("warehouse", "/purchase-receipts"), json={"document_no": unique("PR"), "lines": [{
        "item_no": item, "entry_type": "Purchase", "quantity": "6", "unit_cost": "3", "posting_date": "2026-09-05",
        "location_code": "MAIN", "source_type": "Purchase Order", "source_id": po["no"], "source_line_no": 10000}]})
    assert receipt.status_code == 201, receipt.text
    [received] = receipt.json()["entries"]
    on_stock = reservations(system, order["no"])
    assert sorted(D(r["remaining_quantity"]) for r in on_stock if r["item_ledger_entry_no"] == received["entry_no"]) == [2]
    assert sum(D(r["remaining_quantity"]) for r in on_stock) == 5
    assert reservations(system, order["no"], "/reservations/supply") == []

    # The shipment that names the line consumes what it holds; nothing is held afterwards.
    shipped = system.http.post(system.url("warehouse", "/sales-shipments"), json={"document_no": unique("SS"), "lines": [{
        "item_no": item, "entry_type": "Sale", "quantity": "5", "posting_date": "2026-09-10", "location_code": "MAIN",
        "source_type": "Sales Order", "source_id": order["no"], "source_line_no": 10000}]})
    assert shipped.status_code == 201, shipped.text
    read = system.http.get(system.url("warehouse", f"/sales-orders/{order['no']}")).json()["lines"][0]
    assert (D(read["outstanding_qty_base"]), D(read["reserved_qty_base"])) == (0, 0)

    # Open sales lines are the worksheet's demand. Without priorities, By Priority serves the earliest in full and
    # stops at the next, which wants 2 of the 1 left.
    optional = system.create_item()["item_no"]
    receive(system, optional, "3")
    lines = [sales_order_for(system, optional, "2026-09-0" + str(day), "2") for day in (4, 2)]
    assert [D(o["lines"][0]["reserved_qty_base"]) for o in lines] == [0, 0]
    sheet = system.http.get(system.url("warehouse", "/reservation-worksheet"),
                            params={"item_no": optional, "location_code": "MAIN", "policy": "By Priority"}).json()
    assert [(l["source_id"], D(l["wanted"]), D(l["allocated"])) for l in sheet["lines"]] == [
        (lines[1]["no"], 2, 2), (lines[0]["no"], 2, 0)]


def sales_order_for(system: System, item: str, shipment_date: str, quantity: str) -> dict[str, Any]:
    body = {"no": unique("SO"), "sell_to_customer_no": "C1", "order_date": "2026-09-01", "lines": [
        {"item_no": item, "location_code": "MAIN", "quantity": quantity, "shipment_date": shipment_date}]}
    response = system.http.post(system.url("warehouse", "/sales-orders"), json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_an_assembly_orders_output_is_reserved_and_its_components_allocated_and_consumed(system: System) -> None:
    always = item_with_policy(system, "Always")
    component = system.create_item(prevent_negative_inventory="Yes")["item_no"]
    parent = system.create_item(prevent_negative_inventory="Yes")["item_no"]
    published = ItemUpserted.model_validate(
        system.http.get(system.url("catalog", f"/items/{parent}/published-card")).json())
    card = ItemUpserted.model_validate({**published.model_dump(mode="json"), "revision": published.revision + 1,
                                        "assembly_bom": [
                                            {"line_no": 10000, "type": "Item", "no": component, "quantity_per": "2"},
                                            {"line_no": 20000, "type": "Item", "no": always, "quantity_per": "1"}]})
    system.publish("catalog.items.v1", [(parent.encode(), new_envelope(
        ITEM_UPSERTED_V1, card, producer="catalog", key=parent).model_dump_json().encode())])
    wait_until(lambda: system.sql("warehouse", "SELECT 1 FROM items WHERE item_no = $1 AND revision = $2", parent,
                                  card.revision), what="the parent's BOM in the warehouse")
    receive(system, component, "10")
    receive(system, always, "8")
    made = system.http.post(system.url("warehouse", "/assembly-orders"), json={
        "item_no": parent, "quantity": "5", "location_code": "MAIN", "due_date": "2026-08-03"})
    assert made.status_code == 201, made.text
    assembly = made.json()["no"]
    # The Always component's line reserved its 5 as the order was made; a smaller line gives 2 back.
    held = reservations(system, assembly)
    assert [(r["source_line_no"], D(r["remaining_quantity"])) for r in held] == [(20000, 5)]
    changed = system.http.patch(system.url("warehouse", f"/assembly-orders/{assembly}/lines/20000"),
                                json={"quantity": "3"})
    assert changed.status_code == 200, changed.text
    assert [D(r["remaining_quantity"]) for r in reservations(system, assembly)] == [3]

    def on_output(order: str, quantity: str, demand_date: str, **extra: Any) -> Any:
        return system.http.post(system.url("warehouse", "/reservations/supply"), json={
            **demand(order), "item_no": parent, "location_code": "MAIN", "quantity": quantity,
            "supply_type": "Assembly Order", "supply_id": assembly, "demand_date": demand_date, **extra})

    so_1, so_2 = unique("SO"), unique("SO")
    first = on_output(so_1, "3", "2026-08-10")
    assert first.status_code == 201, first.text
    assert first.json()["expected_date"] == "2026-08-03"
    problem(on_output(so_2, "2", "2026-08-01"), 422, "supply-too-late")
    assert on_output(so_2, "2", "2026-08-01", allow_later_supply=True).status_code == 201
    problem(on_output(unique("SO"), "1", "2026-08-10"), 409, "insufficient-supply")

    # The component line is the worksheet's demand; allocating reserves the 10 for it.
    allocated = system.http.post(system.url("warehouse", "/reservation-worksheet/allocate"), json={
        "item_no": component, "location_code": "MAIN", "policy": "Basic"})
    assert allocated.status_code == 200, allocated.text
    assert [(l["source_type"], l["source_id"], l["source_line_no"], D(l["allocated"]))
            for l in allocated.json()["lines"]] == [("Assembly Order", assembly, 10000, 10)]
    taken = system.post(unique("S"), [{"item_no": component, "entry_type": "Sale", "quantity": "1",
                                       "posting_date": "2026-08-03", "location_code": "MAIN"}])
    problem(taken, 409, "insufficient-inventory")

    posted = system.http.post(system.url("warehouse", f"/assembly-orders/{assembly}/post"),
                              json={"quantity_to_assemble": "5", "posting_date": "2026-08-03"})
    assert posted.status_code == 201, posted.text
    component_held = reservations(system, assembly, include_closed="true")
    assert [(r["source_line_no"], r["status"], D(r["remaining_quantity"])) for r in component_held] == [
        (20000, "Consumed", 0), (10000, "Consumed", 0)]
    output = next(e for e in system.item_ledger_entries(parent) if e["entry_type"] == "Assembly Output")
    assert [(r["item_ledger_entry_no"], D(r["remaining_quantity"])) for r in reservations(system, so_1)] == [
        (output["entry_no"], 3)]
    assert [D(r["remaining_quantity"]) for r in reservations(system, so_2)] == [2]
