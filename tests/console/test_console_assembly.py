"""The console's screens of assembly and resources in Chromium, against the running system: the item card's BOM,
tree, where-used and standard cost roll-up; assembly orders created, posted and undone in forms; a resource's
availability per day; responsibility centers with their locations. What each shows is what the APIs say."""

from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from console_pages import apart, screenshot, sign_in
from support import System, created, unique, wait_until

pytestmark = pytest.mark.system

DAY = "2026-09-07"
D = Decimal


def get(system: System, service: str, path: str, **params: Any) -> Any:
    response = system.http.get(system.url(service, path), params=params)
    assert response.status_code == 200, response.text
    return response.json()


def text_of(page: Page, selector: str) -> str:
    return page.locator(selector).inner_text().strip()


def figure(page: Page, selector: str) -> Decimal:
    return Decimal(text_of(page, selector))


@pytest.fixture(scope="module")
def kit(system: System) -> dict[str, str]:
    """LAMP = 2 x SHADE (standard cost 4) + 1 x BASE (standard cost 10) + 0.5 hour of a fitter (20 an hour direct,
    10 % indirect) + a text line; DESK = 2 x LAMP; 10 shades and 2 bases on hand at MAIN."""
    prefix = unique("CAS")
    shade = system.create_item(f"{prefix}S", description="Lamp shade", costing_method="Standard", standard_cost="4",
                               prevent_negative_inventory="Yes")["item_no"]
    base = system.create_item(f"{prefix}B", description="Lamp base", costing_method="Standard", standard_cost="10",
                              prevent_negative_inventory="Yes")["item_no"]
    lamp = system.create_item(f"{prefix}L", description="Desk lamp", prevent_negative_inventory="Yes")["item_no"]
    fitter = created(system.http.post(system.url("catalog", "/resources"), json={
        "no": f"{prefix}R", "name": "Lamp fitter", "direct_unit_cost": "20", "indirect_cost_pct": "10",
        "capacity_per_day": "8"}))["no"]
    etag = system.http.get(system.url("catalog", f"/items/{lamp}")).headers["ETag"]
    bom = created(system.http.put(system.url("catalog", f"/items/{lamp}/assembly-bom"), headers={"If-Match": etag}, json={
        "lines": [{"line_no": 10000, "type": "Item", "no": shade, "quantity_per": "2"},
                  {"line_no": 20000, "type": "Item", "no": base, "quantity_per": "1"},
                  {"line_no": 30000, "type": "Resource", "no": fitter, "quantity_per": "0.5"},
                  {"line_no": 40000, "type": "Text", "description": "Test the switch"}]}))
    desk = system.create_item(f"{prefix}D", description="Desk with two lamps")["item_no"]
    etag = system.http.get(system.url("catalog", f"/items/{desk}")).headers["ETag"]
    created(system.http.put(system.url("catalog", f"/items/{desk}/assembly-bom"), headers={"If-Match": etag}, json={
        "lines": [{"line_no": 10000, "type": "Item", "no": lamp, "quantity_per": "2"}]}))
    wait_until(lambda: apart(lambda: system.sql("warehouse", "SELECT 1 FROM items WHERE item_no = $1 AND revision >= $2",
                                                lamp, bom["revision"])), what="the lamp's BOM in the warehouse replica")
    response = system.post(f"{prefix}R", [
        {"item_no": shade, "entry_type": "Purchase", "quantity": "10", "unit_cost": "4", "posting_date": DAY,
         "location_code": "MAIN"},
        {"item_no": base, "entry_type": "Purchase", "quantity": "2", "unit_cost": "10", "posting_date": DAY,
         "location_code": "MAIN"}])
    assert response.status_code == 201, response.text
    return {"prefix": prefix, "shade": shade, "base": base, "lamp": lamp, "desk": desk, "fitter": fitter}


def test_the_item_card_shows_the_bom_its_tree_where_used_and_calculates_the_standard_cost(
        page: Page, system: System, kit: dict[str, str]) -> None:
    lamp, shade, desk = kit["lamp"], kit["shade"], kit["desk"]
    page.goto(f"/items/{lamp}")
    card = get(system, "catalog", f"/items/{lamp}")
    assert text_of(page, "#assembly-policy") == card["assembly_policy"] == "Assemble-to-Stock"
    assert text_of(page, "#reserve") == card["reserve"]
    bom = get(system, "catalog", f"/items/{lamp}/assembly-bom")["lines"]
    assert len(bom) == 4
    expect(page.locator("#assembly-bom tbody tr[data-line-no]")).to_have_count(len(bom))
    for line in bom:
        row = page.locator(f"#assembly-bom tr[data-line-no='{line['line_no']}']")
        assert row.locator(".type").inner_text() == line["type"]
        assert D(row.locator(".quantity-per").inner_text()) == D(line["quantity_per"])
    screenshot(page, "20-item-assembly-bom")

    # The desk's tree: the lamp at level 1, its own lines at level 2, each per desk.
    page.goto(f"/items/{desk}")
    tree = get(system, "catalog", f"/items/{desk}/bom-tree")["lines"]
    assert [(t["level"], t["no"]) for t in tree][:3] == [(1, lamp), (2, shade), (2, kit["base"])]
    expect(page.locator("#bom-tree tbody tr")).to_have_count(len(tree))
    for line in tree:
        row = page.locator(f"#bom-tree tr[data-parent='{line['parent_item_no']}'][data-line-no='{line['line_no']}']")
        assert int(row.locator(".level").inner_text()) == line["level"]
        assert D(row.locator(".per-top-item").inner_text()) == D(line["quantity_per_top_item"])
    assert figure(page, f"#bom-tree tr[data-parent='{lamp}'][data-no='{shade}'] .per-top-item") == 4
    screenshot(page, "21-item-bom-tree")

    # A component's card: the lamp uses 2, the desk (through the lamps) 4.
    page.goto(f"/items/{shade}")
    used = get(system, "catalog", f"/items/{shade}/where-used")["entries"]
    assert sorted((u["level"], u["item_no"], D(u["quantity_needed"])) for u in used) == [(1, lamp, 2), (2, desk, 4)]
    for entry in used:
        row = f"#where-used tr[data-item-no='{entry['item_no']}']"
        assert (int(text_of(page, f"{row} .level")), figure(page, f"{row} .quantity-needed")) == (
            entry["level"], D(entry["quantity_needed"]))
    expect(page.locator("#assembly-bom td.empty")).to_have_count(1)
    expect(page.locator("#calculate-standard-cost")).to_have_count(0)

    # Calc. Standard Cost of the desk at all levels: the lamp first, then the desk from the lamp's new cost.
    page.goto(f"/items/{desk}")
    page.select_option("#levels", "all")
    page.click("#calculate-standard-cost button[type=submit]")
    expect(page.locator("#calculated")).to_contain_text(f"{lamp}, {desk}")
    screenshot(page, "22-standard-cost")
    shares = {"material": "single_level_material_cost", "capacity": "single_level_capacity_cost",
              "cap-overhead": "single_level_cap_ovhd_cost", "mfg-overhead": "single_level_mfg_ovhd_cost",
              "standard-cost": "standard_cost"}
    desk_card, lamp_card = get(system, "catalog", f"/items/{desk}"), get(system, "catalog", f"/items/{lamp}")
    for css, name in shares.items():
        assert figure(page, f"#cost-shares .{css}") == D(desk_card[name]), name
    assert D(lamp_card["single_level_material_cost"]) == 2 * 4 + 10
    assert D(lamp_card["single_level_capacity_cost"]) == D("0.5") * 20
    assert D(lamp_card["standard_cost"]) == sum(D(lamp_card[n]) for n in list(shares.values())[:4]) > 18
    assert D(desk_card["standard_cost"]) == D(desk_card["single_level_material_cost"]) == 2 * D(lamp_card["standard_cost"])
    page.goto(f"/items/{lamp}")
    for css, name in shares.items():
        assert figure(page, f"#cost-shares .{css}") == D(lamp_card[name]), name


def test_an_assembly_order_is_created_posted_refused_and_undone_in_its_forms(
        page: Page, system: System, kit: dict[str, str]) -> None:
    lamp, shade, base = kit["lamp"], kit["shade"], kit["base"]
    page.goto(f"/items/{lamp}")
    page.click("text=New assembly order for this item")
    expect(page.locator("#item_no")).to_have_value(lamp)

    # Refused at its field: no such location.
    page.fill("#quantity", "3")
    page.fill("#location_code", "NOWHERE")
    page.fill("#due_date", DAY)
    page.click("#assembly-order button[type=submit]")
    api = system.http.post(system.url("warehouse", "/assembly-orders"), json={
        "item_no": lamp, "quantity": "3", "location_code": "NOWHERE", "due_date": DAY})
    assert api.status_code == 422, api.text
    expect(page.locator("[data-field='location_code']")).to_have_text(api.json()["detail"])
    expect(page.locator("#quantity")).to_have_value("3")
    screenshot(page, "23-assembly-order-refused")

    page.fill("#location_code", "MAIN")
    page.click("#assembly-order button[type=submit]")
    expect(page.locator("#notice")).to_contain_text("created")
    no = page.url.rsplit("/", 1)[1].split("?")[0]
    order = get(system, "warehouse", f"/assembly-orders/{no}")["order"]
    assert order["item_no"] == lamp and D(order["quantity"]) == 3
    for line in order["lines"]:
        row = page.locator(f"#assembly-lines tr[data-line-no='{line['line_no']}']")
        assert D(row.locator(".quantity").inner_text()) == D(line["quantity"])
        assert D(row.locator(".remaining").inner_text()) == D(line["remaining_quantity"])
    assert [(l["no"], D(l["quantity"])) for l in order["lines"][:3]] == [(shade, 6), (base, 3), (kit["fitter"], D("1.5"))]

    # Availability: 10 shades cover 6, 2 bases do not cover 3: two lamps can be assembled.
    availability = get(system, "warehouse", f"/assembly-orders/{no}/availability")
    assert figure(page, "#able-to-assemble") == D(availability["able_to_assemble"]) == 2
    for line in availability["lines"]:
        row = page.locator(f"#component-availability tr[data-line-no='{line['line_no']}']")
        for css in ("needed", "available", "shortage"):
            assert D(row.locator(f".{css}").inner_text()) == D(line[css]), css
    expect(page.locator("#component-availability tr[data-line-no='20000']")).to_have_class("red")
    screenshot(page, "24-assembly-order")

    # Three cannot be assembled: the warehouse's message at the quantity, nothing posted.
    page.fill("#quantity_to_assemble", "3")
    page.fill("#posting_date", DAY)
    page.click("#post-assembly button[type=submit]")
    refused = system.http.post(system.url("warehouse", f"/assembly-orders/{no}/post"),
                               json={"quantity_to_assemble": "3", "posting_date": DAY})
    assert refused.status_code == 409, refused.text
    expect(page.locator("[data-field='quantity_to_assemble']")).to_have_text(refused.json()["detail"])
    expect(page.locator("#quantity_to_assemble")).to_have_value("3")
    assert get(system, "warehouse", f"/assembly-orders/{no}")["postings"] == []
    screenshot(page, "25-assembly-post-refused")

    page.fill("#quantity_to_assemble", "2")
    page.click("#post-assembly button[type=submit]")
    expect(page.locator("#notice")).to_contain_text("Posted as")
    found = get(system, "warehouse", f"/assembly-orders/{no}")
    (posting,) = found["postings"]
    assert figure(page, "#remaining-quantity") == D(found["order"]["remaining_quantity"]) == 1
    assert figure(page, f"#assembly-postings tr[data-posting-no='{posting['posting_no']}'] .quantity") == 2
    entries = page.locator(f"table.posting-entries[data-posting-no='{posting['posting_no']}'] tbody tr")
    expect(entries).to_have_count(len(posting["entries"]))
    for entry in posting["entries"]:
        assert figure(page, f"table.posting-entries tr[data-entry-no='{entry['entry_no']}'] .quantity") == D(entry["quantity"])
    assert sorted((e["entry_type"], D(e["quantity"])) for e in posting["entries"]) == [
        ("Assembly Consumption", -4), ("Assembly Consumption", -2), ("Assembly Output", 2)]
    assert figure(page, "#able-to-assemble") == D(get(system, "warehouse", f"/assembly-orders/{no}/availability")["able_to_assemble"]) == 0
    screenshot(page, "26-assembly-posted")

    page.click(f"#assembly-postings tr[data-posting-no='{posting['posting_no']}'] button:has-text('Undo')")
    expect(page.locator("#notice")).to_contain_text("undone")
    found = get(system, "warehouse", f"/assembly-orders/{no}")
    assert found["postings"][0]["undone"] and D(found["order"]["remaining_quantity"]) == 3
    assert figure(page, "#remaining-quantity") == 3
    expect(page.locator(f"#assembly-postings tr[data-posting-no='{posting['posting_no']}'] .badge")).to_have_text("undone")
    assert D(get(system, "warehouse", f"/items/{base}/quantity-on-hand")["quantity"]) == 2

    page.goto("/assembly-orders")
    row = page.locator(f"#assembly-orders tr[data-no='{no}']")
    assert (row.locator(".status").inner_text(), figure(page, f"#assembly-orders tr[data-no='{no}'] .remaining")) == ("Open", 3)
    screenshot(page, "27-assembly-orders")


def test_a_resource_shows_its_hours_per_day_and_its_allocations(page: Page, system: System, kit: dict[str, str]) -> None:
    fitter = kit["fitter"]
    order = unique("A")[:20]
    allocation = created(system.http.post(system.url("catalog", f"/assembly-orders/{order}/lines/30000/allocations"), json={
        "resource_no": fitter, "parent_item_no": kit["lamp"], "allocation_date": "2026-09-08", "hours": "5.5"}))
    page.goto("/resources")
    listed = {r["no"]: r for r in system.http.get(system.url("catalog", "/resources"), params={"limit": 1000}).json()["resources"]}
    assert figure(page, f"#resources tr[data-no='{fitter}'] .unit-cost") == D(listed[fitter]["unit_cost"]) == 22
    page.click(f"#resources a:has-text('{fitter}')")
    page.fill("input[name=from_date]", "2026-09-07")
    page.fill("input[name=to_date]", "2026-09-09")
    page.click("#resource-range button[type=submit]")
    days = get(system, "catalog", f"/resources/{fitter}/availability", **{"from": "2026-09-07", "to": "2026-09-09"})
    assert len(days) == 3
    expect(page.locator("#resource-availability tbody tr")).to_have_count(len(days))
    for day in days:
        row = page.locator(f"#resource-availability tr[data-date='{day['date']}']")
        for css, name in (("capacity", "capacity"), ("allocated", "allocated_hours"), ("available", "available_hours")):
            assert D(row.locator(f".{css}").inner_text()) == D(day[name]), name
    assert D(days[1]["available_hours"]) == D("2.5")
    row = page.locator(f"#resource-allocations tr[data-entry-no='{allocation['entry_no']}']")
    assert D(row.locator(".hours").inner_text()) == D("5.5") and row.locator(".status").inner_text() == "Active"
    screenshot(page, "28-resource")

    page.goto(f"/resources/{fitter}?from_date=2026-09-09&to_date=2026-09-01")
    refused = system.http.get(system.url("catalog", f"/resources/{fitter}/availability"),
                              params={"from": "2026-09-09", "to": "2026-09-01"})
    assert refused.status_code == 422, refused.text
    expect(page.locator("#days-error")).to_have_text(refused.json()["detail"])


def test_responsibility_centers_are_listed_with_their_locations(page: Page, system: System) -> None:
    code = unique("RC")[-10:]
    location = unique("L")[-10:]
    created(system.http.post(system.url("warehouse", "/responsibility-centers"), json={
        "code": code, "name": "North office", "city": "Oslo"}))
    created(system.http.post(system.url("warehouse", "/locations"), json={
        "code": location, "name": "North store", "responsibility_center": code}))
    page.goto("/responsibility-centers")
    row = page.locator(f"#responsibility-centers tr[data-code='{code}']")
    expect(row).to_contain_text("North office")
    locations = system.http.get(system.url("warehouse", "/locations"), params={"limit": 1000}).json()["locations"]
    mine = sorted(l["code"] for l in locations if l["responsibility_center"] == code)
    assert row.locator(".location").evaluate_all("spans => spans.map(s => s.dataset.location)") == mine == [location]
    screenshot(page, "29-responsibility-centers")


def test_each_screen_names_the_scope_the_token_lacks(context: BrowserContext, system: System, kit: dict[str, str]) -> None:
    page = context.new_page()
    sign_in(page, system.stack.issuer.token(["catalog:read"], subject="planner"))
    for path, scope in (("/assembly-orders", "inventory:read"), ("/responsibility-centers", "inventory:read")):
        response = page.goto(path)
        assert response is not None and response.status == 403
        expect(page.locator("h1")).to_have_text(f"Your token lacks scope {scope}")
    sign_in(page, system.stack.issuer.token(["inventory:read"], subject="storekeeper"))
    for path in ("/resources", f"/resources/{kit['fitter']}"):
        response = page.goto(path)
        assert response is not None and response.status == 403
        expect(page.locator("h1")).to_have_text("Your token lacks scope catalog:read")
    sign_in(page, system.stack.issuer.token(["catalog:read", "inventory:read", "costing:read"], subject="clerk"))
    calculate = context.request.post(f"/items/{kit['lamp']}/calculate-standard-cost", form={"levels": "top"})
    assert calculate.status == 403 and "Your token lacks scope catalog:write" in calculate.text()
    posting = context.request.post("/assembly-orders", form={"item_no": kit["lamp"], "quantity": "1", "due_date": DAY})
    assert posting.status == 403 and "Your token lacks scope inventory:post" in posting.text()


def test_the_item_card_shows_availability_by_event_as_the_warehouse_does(page: Page, system: System) -> None:
    item = system.create_item(unique("CAE"), description="Timeline item")["item_no"]
    assert system.post(unique("CAE"), [{"item_no": item, "entry_type": "Purchase", "quantity": "5", "unit_cost": "3",
                                        "posting_date": DAY, "location_code": "MAIN"}]).status_code == 201
    sales, purchase = unique("SO"), unique("PO")
    created(system.http.post(system.url("warehouse", "/sales-orders"), json={
        "no": sales, "order_date": DAY, "lines": [
            {"item_no": item, "location_code": "MAIN", "quantity": "4", "shipment_date": "2026-09-20"},
            {"item_no": item, "location_code": "MAIN", "quantity": "3", "shipment_date": "2026-10-05"}]}))
    created(system.http.post(system.url("warehouse", "/purchase-orders"), json={
        "no": purchase, "order_date": DAY, "lines": [
            {"item_no": item, "location_code": "MAIN", "quantity": "6", "expected_receipt_date": "2026-09-30"}]}))
    timeline = get(system, "warehouse", f"/items/{item}/availability/events")
    assert [D(e["projected_available_balance"]) for e in timeline["events"]] == [D(1), D(7), D(4)]

    page.goto(f"/items/{item}")
    section = page.locator("#availability-by-event")
    assert D(section.locator("tr.inventory td.balance").inner_text()) == D(timeline["inventory"]) == D(5)
    rows = section.locator("tr.event")
    expect(rows).to_have_count(len(timeline["events"]))
    for i, event in enumerate(timeline["events"]):
        row = rows.nth(i)
        assert event["document_no"] in row.inner_text() and (event["date"] or "") in row.inner_text()
        assert D(row.locator("td.requirement").inner_text()) == D(event["gross_requirement"])
        assert D(row.locator("td.receipt").inner_text()) == D(event["scheduled_receipt"])
        assert D(row.locator("td.balance").inner_text()) == D(event["projected_available_balance"])
    screenshot(page, "30-availability-by-event")
