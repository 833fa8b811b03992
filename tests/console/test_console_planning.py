"""The console's planning screens in Chromium, against the running system: the open orders, and the reservation
worksheet's allocation shown before it is made and then made. What each shows is what the warehouse says."""

from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from console_pages import screenshot
from support import System, created, unique

pytestmark = pytest.mark.system

DAY = "2026-09-07"
D = Decimal


def test_short_stock_is_shown_divided_by_a_policy_then_allocated_and_the_orders_show_it(page: Page, system: System) -> None:
    item = system.create_item(unique("CPL"), description="Scarce item")["item_no"]
    assert system.post(unique("CPL"), [{"item_no": item, "entry_type": "Purchase", "quantity": "5", "unit_cost": "3",
                                        "posting_date": DAY, "location_code": "MAIN"}]).status_code == 201
    first, second = unique("SO"), unique("SO")
    for no, quantity, day in ((first, "4", "2026-09-20"), (second, "4", "2026-09-25")):
        created(system.http.post(system.url("warehouse", "/sales-orders"), json={
            "no": no, "order_date": DAY, "sell_to_customer_no": "C1",
            "lines": [{"item_no": item, "location_code": "MAIN", "quantity": quantity, "shipment_date": day}]}))
    purchase = unique("PO")
    created(system.http.post(system.url("warehouse", "/purchase-orders"), json={
        "no": purchase, "order_date": DAY,
        "lines": [{"item_no": item, "location_code": "MAIN", "quantity": "6", "expected_receipt_date": "2026-10-01"}]}))
    proposal = system.http.get(system.url("warehouse", "/reservation-worksheet"),
                               params={"item_no": item, "location_code": "MAIN", "policy": "Equally"}).json()
    assert D(proposal["shortage"]) == D(3)

    page.goto(f"/reservation-worksheet?item_no={item}&location_code=MAIN&policy=Equally")
    assert D(page.locator("#available").inner_text()) == D(proposal["available"]) == D(5)
    assert D(page.locator("#shortage").inner_text()) == D(3)
    rows = page.locator("#worksheet-lines tbody tr")
    expect(rows).to_have_count(len(proposal["lines"]))
    shown = {row.get_attribute("data-source"): D(row.locator("td.allocated").inner_text())
             for row in rows.all()}
    assert shown == {line["source_id"]: D(line["allocated"]) for line in proposal["lines"]}
    assert sum(shown.values()) <= D(5)
    screenshot(page, "31-reservation-worksheet")

    page.click("#allocate button")
    expect(page.locator("#allocated")).to_be_visible()
    sales = {o["no"]: o for o in system.http.get(system.url("warehouse", "/sales-orders"),
                                                 params={"item_no": item}).json()["orders"]}
    reserved = {no: D(sales[no]["lines"][0]["reserved_qty_base"]) for no in (first, second)}
    assert reserved == {line["source_id"]: D(line["allocated"]) for line in proposal["lines"]}

    page.goto(f"/orders?item_no={item}")
    for no in (first, second):
        row = page.locator(f"#sales-orders tr[data-order='{no}']")
        assert D(row.locator("td.reserved").inner_text()) == reserved[no]
        assert D(row.locator("td.outstanding").inner_text()) == D(4)
    assert D(page.locator(f"#purchase-orders tr[data-order='{purchase}'] td.outstanding").inner_text()) == D(6)
    screenshot(page, "32-orders")
