"""Assembly orders on the real stack: lines from the parent's BOM, component availability, (partial) posting of
consumption and output, undo, assemble-to-order and kits exploded on sale; the warehouse's side of each."""

import json
from decimal import Decimal
from typing import Any

import pytest

from support import System, unique, wait_until

pytestmark = pytest.mark.system

DAY = "2026-08-03"


def receive(system: System, item_no: str, quantity: str, unit_cost: str = "10", **extra: Any) -> list[dict[str, Any]]:
    response = system.post(unique("RC"), [{"item_no": item_no, "entry_type": "Purchase", "quantity": quantity,
                                           "unit_cost": unit_cost, "posting_date": DAY, "location_code": "MAIN",
                                           **extra}])
    assert response.status_code == 201, response.text
    return list(response.json()["entries"])


def kit(system: System, **card: Any) -> tuple[str, str, str]:
    """A parent of 2 x component A, 3 x component B and a text line."""
    a = system.create_item(prevent_negative_inventory="Yes")["item_no"]
    b = system.create_item(prevent_negative_inventory="Yes")["item_no"]
    parent = system.create_item(prevent_negative_inventory="Yes", **card)["item_no"]
    system.give_bom(parent, [
        {"line_no": 10000, "type": "Item", "no": a, "quantity_per": "2"},
        {"line_no": 20000, "type": "Item", "no": b, "quantity_per": "3"},
        {"line_no": 30000, "type": "Text", "description": "Assemble with care"},
    ])
    return parent, a, b


def create(system: System, parent: str, quantity: str = "5", **extra: Any) -> Any:
    return system.http.post(system.url("warehouse", "/assembly-orders"), json={
        "item_no": parent, "quantity": quantity, "location_code": "MAIN", "due_date": DAY, **extra})


def created(response: Any) -> dict[str, Any]:
    assert response.status_code == 201, response.text
    return dict(response.json())


def refused(response: Any, status: int, problem: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = dict(response.json())
    assert body["type"] == f"/problems/{problem}", body
    return body


def post(system: System, no: str, quantity: str, **extra: Any) -> Any:
    return system.http.post(system.url("warehouse", f"/assembly-orders/{no}/post"),
                            json={"quantity_to_assemble": quantity, "posting_date": DAY, **extra})


def order(system: System, no: str) -> dict[str, Any]:
    response = system.http.get(system.url("warehouse", f"/assembly-orders/{no}"))
    assert response.status_code == 200, response.text
    return dict(response.json())


def remaining(body: dict[str, Any]) -> dict[int, Decimal]:
    return {l["line_no"]: Decimal(l["remaining_quantity"]) for l in body["lines"]}


def test_an_order_copies_its_lines_from_the_bom_times_the_quantity(system: System) -> None:
    parent, a, b = kit(system)
    body = created(create(system, parent, "5"))
    assert body["no"].startswith("A") and len(body["no"]) == 7
    assert body["status"] == "Open" and Decimal(body["remaining_quantity"]) == 5
    assert [(l["line_no"], l["type"], l["no"], Decimal(l["quantity_per"]), Decimal(l["quantity"]), l["location_code"])
            for l in body["lines"]] == [
        (10000, "Item", a, 2, 10, "MAIN"), (20000, "Item", b, 3, 15, "MAIN"), (30000, "Text", "", 0, 0, "")]
    assert body["lines"][2]["description"] == "Assemble with care"
    assert order(system, body["no"])["order"]["lines"] == body["lines"]
    listed = system.http.get(system.url("warehouse", "/assembly-orders"), params={"limit": 1000}).json()
    assert body["no"] in [o["no"] for o in listed["orders"]]
    chosen = unique("AO")[:20]
    chosen_order = created(create(system, parent, "1", no=chosen, starting_date="2026-08-01"))
    assert chosen_order["no"] == chosen and chosen_order["due_date"] == DAY
    # Components are due when the assembly starts.
    assert [l["due_date"] for l in chosen_order["lines"][:2]] == ["2026-08-01", "2026-08-01"]
    refused(create(system, parent, "1", no=chosen), 409, "already-exists")


def test_bad_orders_are_refused_with_problems(system: System) -> None:
    parent, a, _ = kit(system)
    refused(create(system, a), 422, "invalid-document")  # no BOM
    refused(create(system, "NO-SUCH-ITEM"), 422, "unknown-item")
    refused(create(system, parent, location_code="NOWHERE"), 422, "unknown-location")
    refused(create(system, parent, "0"), 422, "invalid-request")
    ato, _, _ = kit(system, assembly_policy="Assemble-to-Order")
    refused(create(system, ato), 422, "assembly-policy")
    unknown = {"type": "Resource", "no": unique("NORES")[:20], "quantity_per": "1"}
    bom_url = system.url("catalog", f"/items/{a}/assembly-bom")
    refused(system.http.put(bom_url, json={"lines": [{"line_no": 10000, **unknown}]},
                            headers={"If-Match": system.http.get(bom_url).headers["ETag"]}), 422, "invalid-assembly-bom")
    order = created(create(system, parent))["no"]
    refused(system.http.post(system.url("warehouse", f"/assembly-orders/{order}/lines"), json=unknown), 422,
            "unknown-resource")
    assert system.http.get(system.url("warehouse", "/assembly-orders/NOPE")).status_code == 404


def test_lines_are_added_changed_and_deleted_while_open(system: System) -> None:
    parent, a, b = kit(system)
    no = created(create(system, parent, "4"))["no"]
    url = system.url("warehouse", f"/assembly-orders/{no}/lines")
    body = created(system.http.post(url, json={"type": "Resource", "no": "ASSEMBLER", "quantity_per": "0.5",
                                               "direct_unit_cost": "20", "unit_cost": "22"}))
    resource = body["lines"][-1]
    assert (resource["line_no"], Decimal(resource["quantity"]), Decimal(resource["unit_cost"])) == (40000, 2, 22)
    body = created(system.http.post(url, json={"type": "Resource", "no": "SETUP", "quantity_per": "1.5",
                                               "resource_usage_type": "Fixed", "direct_unit_cost": "30",
                                               "unit_cost": "33"}))
    assert Decimal(body["lines"][-1]["quantity"]) == Decimal("1.5")  # Fixed: once per order, not x 4
    body = created(system.http.post(url, json={"type": "Item", "no": b, "quantity_per": "1", "line_no": 25000}))
    assert [l["line_no"] for l in body["lines"]] == [10000, 20000, 25000, 30000, 40000, 50000]
    assert Decimal(body["lines"][2]["quantity"]) == 4
    body = system.http.patch(f"{url}/25000", json={"quantity": "7"}).json()
    assert Decimal(body["lines"][2]["quantity"]) == 7 and Decimal(body["lines"][2]["remaining_quantity"]) == 7
    refused(system.http.patch(f"{url}/25000", json={"location_code": "NOWHERE"}), 422, "unknown-location")
    body = system.http.delete(f"{url}/25000").json()
    assert 25000 not in [l["line_no"] for l in body["lines"]]
    refused(system.http.delete(f"{url}/25000"), 422, "invalid-document")
    refused(system.http.post(url, json={"type": "Item", "no": "NO-SUCH-ITEM", "quantity_per": "1"}), 422,
            "unknown-item")
    assert [l["line_no"] for l in order(system, no)["order"]["lines"]] == [10000, 20000, 30000, 40000, 50000]


def test_availability_names_each_shortage_and_what_can_be_assembled(system: System) -> None:
    parent, a, b = kit(system)
    receive(system, a, "10")
    receive(system, b, "6")
    no = created(create(system, parent, "5"))["no"]
    response = system.http.get(system.url("warehouse", f"/assembly-orders/{no}/availability"))
    assert response.status_code == 200, response.text
    body = response.json()
    assert [(l["item_no"], Decimal(l["needed"]), Decimal(l["available"]), Decimal(l["shortage"]))
            for l in body["lines"]] == [(a, 10, 10, 0), (b, 15, 6, 9)]
    assert Decimal(body["able_to_assemble"]) == 2  # 6 of B make 2 parents


def test_partial_posting_consumes_the_share_and_outputs_the_parent(system: System) -> None:
    parent, a, b = kit(system)
    receipts_a = receive(system, a, "10", "4")
    receive(system, b, "15", "1")
    no = created(create(system, parent, "5"))["no"]
    url = system.url("warehouse", f"/assembly-orders/{no}/lines")
    created(system.http.post(url, json={"type": "Resource", "no": "ASSEMBLER", "quantity_per": "0.5",
                                       "direct_unit_cost": "20", "unit_cost": "22"}))
    created(system.http.post(url, json={"type": "Resource", "no": "SETUP", "quantity_per": "1",
                                       "resource_usage_type": "Fixed", "direct_unit_cost": "30", "unit_cost": "33"}))
    refused(post(system, no, "6"), 422, "invalid-document")  # more than remains
    response = post(system, no, "2")
    assert response.status_code == 201, response.text
    body = response.json()
    posting = body["posting"]
    consumptions = [e for e in posting["entries"] if e["entry_type"] == "Assembly Consumption"]
    outputs = [e for e in posting["entries"] if e["entry_type"] == "Assembly Output"]
    assert [(e["item_no"], Decimal(e["quantity"]), e["order_type"], e["order_no"], e["order_line_no"])
            for e in consumptions] == [(a, -4, "Assembly", no, 10000), (b, -6, "Assembly", no, 20000)]
    assert consumptions[0]["applications"][0]["inbound_entry_no"] == receipts_a[0]["entry_no"]
    [output] = outputs
    assert (output["item_no"], Decimal(output["quantity"]), output["unit_cost"], output["order_no"]) == (
        parent, 2, None, no)
    assert output["consumption_entries"] == [e["entry_no"] for e in consumptions]
    assert [(r["resource_no"], Decimal(r["quantity"]), Decimal(r["direct_unit_cost"]), Decimal(r["unit_cost"]))
            for r in output["resources"]] == [("ASSEMBLER", 1, 20, 22), ("SETUP", 1, 30, 33)]
    assert posting["output_entry_nos"] == [output["entry_no"]]
    listed = {e["entry_no"]: e for e in system.item_ledger_entries(a)}[consumptions[0]["entry_no"]]
    assert (listed["order_type"], listed["order_no"], listed["order_line_no"]) == ("Assembly", no, 10000)
    assert Decimal(body["order"]["remaining_quantity"]) == 3 and body["order"]["status"] == "Open"
    assert remaining(body["order"]) == {10000: 6, 20000: 9, 30000: 0, 40000: Decimal("1.5"), 50000: 0}
    assert system.quantity_on_hand(parent) == 2 and system.quantity_on_hand(a) == 6 and system.quantity_on_hand(b) == 9

    # The event carries what costing values the output by.
    def output_event() -> Any:
        found = [json.loads(r.value)["payload"] for r in system.records("warehouse.item-entries.v1", key=parent)]
        return next((p for p in found if p["entry_no"] == output["entry_no"]), None)

    event = wait_until(output_event, what="the output's event")
    assert (event["entry_type"], event["order_type"], event["order_no"]) == ("Assembly Output", "Assembly", no)
    assert event["consumption_entries"] == output["consumption_entries"] and len(event["resources"]) == 2

    # Not enough of B for the rest: nothing is written.
    system.post(unique("SL"), [{"item_no": b, "entry_type": "Sale", "quantity": "1", "posting_date": DAY,
                                "location_code": "MAIN"}])
    refused(post(system, no, "3"), 409, "insufficient-inventory")
    assert Decimal(order(system, no)["order"]["remaining_quantity"]) == 3
    receive(system, b, "1", "1")
    response = post(system, no, "3", document_no="ASM-2")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["order"]["status"] == "Posted" and Decimal(body["order"]["remaining_quantity"]) == 0
    assert set(remaining(body["order"]).values()) == {0}
    assert {e["document_no"] for e in body["posting"]["entries"]} == {"ASM-2"}
    assert [Decimal(e["quantity"]) for e in body["posting"]["entries"]] == [-6, -9, 3]
    assert [(r["resource_no"], Decimal(r["quantity"])) for r in body["posting"]["entries"][-1]["resources"]] == [
        ("ASSEMBLER", Decimal("1.5"))]  # the Fixed resource was used in full by the first posting
    refused(post(system, no, "1"), 409, "document-state")
    posted = order(system, no)
    assert [Decimal(p["quantity"]) for p in posted["postings"]] == [2, 3]
    assert [len(p["entries"]) for p in posted["postings"]] == [3, 3]
    assert system.quantity_on_hand(parent) == 5


def test_undo_returns_the_components_and_takes_the_output_back(system: System) -> None:
    parent, a, b = kit(system)
    receive(system, a, "10")
    receive(system, b, "15")
    no = created(create(system, parent, "5"))["no"]
    first = post(system, no, "2").json()["posting"]
    second = post(system, no, "1").json()["posting"]
    # One of the second posting's output is sold: that posting can no longer be undone.
    sold = system.post(unique("SL"), [{"item_no": parent, "entry_type": "Sale", "quantity": "1", "posting_date": DAY,
                                       "location_code": "MAIN", "applies_to_entry": second["output_entry_nos"][0]}])
    assert sold.status_code == 201, sold.text
    undo = system.url("warehouse", f"/assembly-orders/{no}/postings/{second['posting_no']}/undo")
    refused(system.http.post(undo), 409, "document-state")
    response = system.http.post(system.url("warehouse", f"/assembly-orders/{no}/postings/{first['posting_no']}/undo"))
    assert response.status_code == 201, response.text
    body = response.json()
    [output, *returns] = body["entries"]
    assert (output["entry_type"], Decimal(output["quantity"]), output["correction"], output["applies_to_entry"]) == (
        "Assembly Output", -2, True, first["output_entry_nos"][0])
    assert [(e["entry_type"], Decimal(e["quantity"]), e["correction"], e["applies_from_entry"]) for e in returns] == [
        ("Assembly Consumption", 4, True, first["consumption_entry_nos"][0]),
        ("Assembly Consumption", 6, True, first["consumption_entry_nos"][1])]
    assert Decimal(body["order"]["remaining_quantity"]) == 4
    assert remaining(body["order"]) == {10000: 8, 20000: 12, 30000: 0}
    assert (system.quantity_on_hand(parent), system.quantity_on_hand(a), system.quantity_on_hand(b)) == (0, 8, 12)
    refused(system.http.post(system.url("warehouse", f"/assembly-orders/{no}/postings/{first['posting_no']}/undo")),
            409, "document-state")
    assert system.http.post(system.url("warehouse", f"/assembly-orders/{no}/postings/PA9999999/undo")).status_code == 404


def test_tracked_parent_and_components_carry_their_lots(system: System) -> None:
    code = unique("TC")[:20]
    rules = {"lot_required_for": ["Purchase", "Sale", "Assembly Consumption", "Assembly Output"]}
    assert system.http.put(system.url("catalog", f"/item-tracking-codes/{code}"), json=rules).status_code == 200
    a = system.create_item(item_tracking_code=code, prevent_negative_inventory="Yes")["item_no"]
    parent = system.create_item(item_tracking_code=code, prevent_negative_inventory="Yes")["item_no"]
    system.give_bom(parent, [{"line_no": 10000, "type": "Item", "no": a, "quantity_per": "2"}])
    receive(system, a, "4", tracking=[{"lot_no": "L1", "quantity": "4"}])
    no = created(create(system, parent, "2"))["no"]
    refused(post(system, no, "2"), 422, "item-tracking")
    response = post(system, no, "2", output_tracking=[{"lot_no": "P1", "quantity": "2"}],
                    consumption_tracking=[{"line_no": 10000, "tracking": [{"lot_no": "L1", "quantity": "4"}]}])
    assert response.status_code == 201, response.text
    assert [(e["item_no"], e["lot_no"], Decimal(e["quantity"])) for e in response.json()["posting"]["entries"]] == [
        (a, "L1", -4), (parent, "P1", 2)]
    undo = system.http.post(system.url(
        "warehouse", f"/assembly-orders/{no}/postings/{response.json()['posting']['posting_no']}/undo"))
    assert undo.status_code == 201, undo.text
    assert [(e["item_no"], e["lot_no"], Decimal(e["quantity"])) for e in undo.json()["entries"]] == [
        (parent, "P1", -2), (a, "L1", 4)]
    assert system.quantity_on_hand(a) == 4 and system.quantity_on_hand(parent) == 0


def ship(system: System, lines: list[dict[str, Any]]) -> Any:
    return system.http.post(system.url("warehouse", "/sales-shipments"),
                            json={"document_no": unique("SS"), "lines": lines})


def test_shipping_an_assemble_to_order_line_posts_its_assembly_and_applies_the_sale_to_the_output(
    system: System,
) -> None:
    parent, a, b = kit(system, assembly_policy="Assemble-to-Order")
    receive(system, a, "10")
    receive(system, b, "15")
    sales_no = unique("SO")[:20]
    link = {"sales_order_no": sales_no, "sales_line_no": 10000}
    no = created(create(system, parent, "3", assemble_to_order=link))["no"]
    assert order(system, no)["order"]["assemble_to_order_sales_no"] == sales_no
    refused(create(system, parent, "1", assemble_to_order=link), 409, "document-state")
    refused(post(system, no, "1"), 409, "document-state")  # only its shipment posts it
    line = {"item_no": parent, "entry_type": "Sale", "quantity": "2", "posting_date": DAY, "location_code": "MAIN",
            "source_type": "Sales Order", "source_id": sales_no, "source_line_no": 10000}
    response = ship(system, [line])
    assert response.status_code == 201, response.text
    entries = response.json()["entries"]
    assert [(e["entry_type"], e["item_no"], Decimal(e["quantity"])) for e in entries] == [
        ("Assembly Consumption", a, -4), ("Assembly Consumption", b, -6), ("Assembly Output", parent, 2),
        ("Sale", parent, -2)]
    output, sale = entries[2], entries[3]
    assert sale["applies_to_entry"] == output["entry_no"]
    assert [(x["inbound_entry_no"], Decimal(x["quantity"])) for x in sale["applications"]] == [(output["entry_no"], 2)]
    assert Decimal(order(system, no)["order"]["remaining_quantity"]) == 1
    refused(ship(system, [line]), 422, "invalid-journal-line")  # 2 more than the 1 left to assemble
    # A shipment refused after its assembly posted in memory writes neither: one transaction.
    empty = system.create_item(prevent_negative_inventory="Yes")["item_no"]
    refused(ship(system, [{**line, "quantity": "1"}, {**line, "item_no": empty, "quantity": "1", "source_id": "X",
                                                     "line_no": 20000}]), 409, "insufficient-inventory")
    assert Decimal(order(system, no)["order"]["remaining_quantity"]) == 1 and len(order(system, no)["postings"]) == 1
    assert system.quantity_on_hand(a) == 6
    assert system.quantity_on_hand(parent) == 0
    response = ship(system, [{**line, "quantity": "1"}])
    assert response.status_code == 201, response.text
    assert order(system, no)["order"]["status"] == "Posted"
    assert (system.quantity_on_hand(parent), system.quantity_on_hand(a), system.quantity_on_hand(b)) == (0, 4, 6)


def test_a_kit_sold_with_explode_bom_sells_its_components(system: System) -> None:
    parent, a, b = kit(system)
    receive(system, a, "10")
    receive(system, b, "10")
    line = {"item_no": parent, "entry_type": "Sale", "quantity": "2", "posting_date": DAY, "location_code": "MAIN",
            "explode_bom": True}
    response = system.post(unique("SL"), [line])
    assert response.status_code == 201, response.text
    assert [(e["entry_type"], e["item_no"], Decimal(e["quantity"])) for e in response.json()["entries"]] == [
        ("Sale", a, -4), ("Sale", b, -6)]
    response = ship(system, [{**line, "quantity": "1"}])
    assert response.status_code == 201, response.text
    assert [(e["document_type"], e["item_no"], Decimal(e["quantity"])) for e in response.json()["entries"]] == [
        ("Sales Shipment", a, -2), ("Sales Shipment", b, -3)]
    assert (system.quantity_on_hand(parent), system.quantity_on_hand(a), system.quantity_on_hand(b)) == (0, 4, 1)
    refused(system.post(unique("SL"), [{**line, "quantity": "1"}]), 409, "insufficient-inventory")  # 3 of B needed
    refused(system.post(unique("PU"), [{**line, "entry_type": "Purchase", "unit_cost": "1"}]), 422,
            "invalid-journal-line")
    refused(system.post(unique("SL"), [{**line, "item_no": a}]), 422, "invalid-document")  # no BOM
