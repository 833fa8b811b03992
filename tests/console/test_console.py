"""Every screen of the console in Chromium, against the running system: what it shows is what the APIs say."""

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from console_pages import apart, screenshot, sign_in
from inventory_contracts import ALL_EVENTS
from inventory_contracts.topics import CONSUMES, STREAMS
from support import System, unique, wait_until

pytestmark = pytest.mark.system


def post_ok(system: System, service: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = system.http.post(system.url(service, path), json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def get(system: System, service: str, path: str, **params: Any) -> Any:
    response = system.http.get(system.url(service, path), params=params)
    assert response.status_code == 200, response.text
    return response.json()


def line(item_no: str, kind: str, quantity: str, day: str, location: str = "MAIN", unit_cost: str | None = None) -> dict[str, Any]:
    found = {"item_no": item_no, "entry_type": kind, "quantity": quantity, "posting_date": day, "location_code": location}
    return found | ({"unit_cost": unit_cost} if unit_cost else {})


def text_of(page: Page, selector: str) -> str:
    return page.locator(selector).inner_text().strip()


@pytest.fixture(scope="module")
def items(system: System) -> dict[str, str]:
    """Two items of one prefix: A in a category with a colour, stocked at MAIN and EAST in January and February;
    B blocked."""
    prefix = unique("CON")
    colour = f"Colour{prefix}"
    category = f"C{prefix}"[:20]
    post_ok(system, "catalog", "/item-attributes", {"name": colour, "type": "Option", "options": ["Red", "Blue"]})
    post_ok(system, "catalog", "/item-categories", {"code": category, "attributes": {colour: ""}})
    a = system.create_item(f"{prefix}A", description="Console saddle", item_category_code=category,
                           attributes={colour: "Red"}, prevent_negative_inventory="Yes")["item_no"]
    b = system.create_item(f"{prefix}B", description="Console bridle", blocked=True, blocked_reason="discontinued")["item_no"]
    for document, lines in (
        ("R1", [line(a, "Purchase", "10", "2026-01-05", "MAIN", "5.00"), line(a, "Purchase", "4", "2026-02-10", "EAST", "6.00")]),
        ("S1", [line(a, "Sale", "3", "2026-02-20", "MAIN")]),
    ):
        response = system.post(f"{prefix}{document}", lines)
        assert response.status_code == 201, response.text
    apart(system.wait_quiet)
    return {"prefix": prefix, "a": a, "b": b, "category": category, "colour": colour}


def test_signing_in_keeps_the_token_in_a_strict_http_only_cookie_and_signing_out_clears_it(
        context: BrowserContext, system: System) -> None:
    page = context.new_page()
    page.goto("/items")
    expect(page).to_have_url("/sign-in?next=%2Fitems")
    screenshot(page, "01-sign-in")
    page.fill("#token", "not a token")
    page.click("button:has-text('Sign in')")
    expect(page.locator("#token-error")).to_contain_text("not an access token")

    sign_in(page, system.token)
    expect(page.locator("h1")).to_have_text("Items")
    (cookie,) = context.cookies()
    assert cookie["value"] == system.token
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert page.evaluate("document.cookie") == ""  # no script can read it

    page.click("button:has-text('Sign out')")
    expect(page.locator("h1")).to_have_text("Sign in")
    assert context.cookies() == []
    page.goto("/valuation?at=2026-01-31")
    expect(page.locator("h1")).to_have_text("Sign in")
    sign_in_here = page.url
    page.fill("#token", system.token)
    page.click("button:has-text('Sign in')")
    expect(page).to_have_url("/valuation?at=2026-01-31")
    assert "next=%2Fvaluation%3Fat%3D2026-01-31" in sign_in_here


def test_a_token_without_the_scope_a_screen_needs_is_named_not_an_error_page(context: BrowserContext, system: System) -> None:
    page = context.new_page()
    sign_in(page, system.stack.issuer.token(["catalog:read", "inventory:read"], subject="clerk"))
    response = page.goto("/valuation")
    assert response is not None and response.status == 403
    expect(page.locator("h1")).to_have_text("Your token lacks scope costing:read")
    screenshot(page, "02-token-lacks-scope")
    # Replaying is an operator's act: the console's Kafka principal acts only for a token that may change the setup.
    replay = context.request.post("/dead-letters/replay", form={"topic": "catalog.items.v1.dlq"})
    assert replay.status == 403 and "Your token lacks scope inventory:admin" in replay.text()
    page.goto("/books")
    expect(page.locator("h1")).to_have_text("Your token lacks scopes ledger:read, costing:read")


def test_the_item_list_searches_filters_and_pages_as_the_catalog_does(page: Page, items: dict[str, str]) -> None:
    def listed() -> list[str]:
        return page.locator("table.items tbody tr[data-item-no]").evaluate_all("rows => rows.map(r => r.dataset.itemNo)")

    page.goto("/items")
    page.fill("input[name=q]", items["prefix"])
    page.click("#item-search button[type=submit]")
    assert listed() == [items["a"], items["b"]]
    screenshot(page, "03-items")

    page.select_option("select[name=blocked]", "true")
    page.click("#item-search button[type=submit]")
    assert listed() == [items["b"]]
    expect(page.locator(f"tr[data-item-no='{items['b']}'] .badge")).to_have_text("blocked")

    page.select_option("select[name=blocked]", "")
    page.select_option("select[name=category]", items["category"])
    page.click("#item-search button[type=submit]")
    assert listed() == [items["a"]]

    page.select_option("select[name=category]", "")
    page.select_option("select[name=attr_name]", items["colour"])
    page.select_option("select[name=attr_op]", "eq")
    page.fill("input[name=attr_value]", "Blue")
    page.click("#item-search button[type=submit]")
    assert listed() == []
    page.locator("input[name=attr_value]").first.fill("Red")
    page.click("#item-search button[type=submit]")
    assert listed() == [items["a"]]

    # One per page: the catalog's cursor leads from A to B, and no further.
    page.goto(f"/items?q={items['prefix']}&limit=1")
    assert listed() == [items["a"]]
    page.click("a[rel=next]")
    assert listed() == [items["b"]]
    expect(page.locator("a[rel=next]")).to_have_count(0)


def test_the_item_card_shows_the_apis_figures(page: Page, system: System, items: dict[str, str]) -> None:
    a = items["a"]
    page.goto(f"/items/{a}?period=month&from_date=2026-01-01&to_date=2026-03-31")
    expect(page.locator("h1")).to_contain_text("Console saddle")
    screenshot(page, "04-item-card")

    on_hand = get(system, "warehouse", f"/items/{a}/quantity-on-hand")
    assert Decimal(text_of(page, "#quantity-on-hand")) == Decimal(on_hand["quantity"]) == 11
    for location, expected in (("MAIN", 7), ("EAST", 4)):
        api = get(system, "warehouse", f"/items/{a}/availability", location_code=location)
        shown = Decimal(text_of(page, f"#availability-by-location tr[data-location='{location}'] td.inventory"))
        assert shown == Decimal(api["inventory"]) == expected

    # The chart: one figure per month, its bar and its number the API's inventory at the month's end.
    periods = get(system, "warehouse", f"/items/{a}/availability", period="month", **{"from": "2026-01-01", "to": "2026-03-31"})
    figures = page.locator("#availability-chart figure.period")
    expect(figures).to_have_count(len(periods["periods"]))
    heights = []
    for n, period in enumerate(periods["periods"]):
        figure = figures.nth(n)
        assert figure.get_attribute("data-period-start") == period["period_start"]
        assert Decimal(figure.locator(".figure").inner_text()) == Decimal(period["inventory"])
        heights.append(float(figure.locator("rect.bar").get_attribute("height") or "0"))
    assert [Decimal(p["inventory"]) for p in periods["periods"]] == [10, 11, 11]
    assert heights[0] < heights[1] == heights[2] > 0

    # A range the warehouse will not chart: its message where the chart would be, the rest of the card as before.
    backwards = {"period": "month", "from": "2026-03-01", "to": "2026-01-01"}
    refused = system.http.get(system.url("warehouse", f"/items/{a}/availability"), params=backwards)
    assert refused.status_code == 422, refused.text
    page.goto(f"/items/{a}?period=month&from_date=2026-03-01&to_date=2026-01-01")
    expect(page.locator("#chart-error")).to_have_text(refused.json()["detail"])
    assert Decimal(text_of(page, "#quantity-on-hand")) == 11

    entries = system.item_ledger_entries(a)
    rows = page.locator("#item-ledger-entries tbody tr[data-entry-no]")
    expect(rows).to_have_count(len(entries))
    for entry in entries:
        shown = Decimal(text_of(page, f"#item-ledger-entries tr[data-entry-no='{entry['entry_no']}'] td.quantity"))
        assert shown == Decimal(entry["quantity"])

    values = system.value_entries(a)
    expect(page.locator("#value-entries tbody tr[data-entry-no]")).to_have_count(len(values))
    for value in values:
        assert text_of(page, f"#value-entries tr[data-entry-no='{value['entry_no']}'] td.cost-actual") == value["cost_amount_actual"]
    assert sorted(Decimal(v["cost_amount_actual"]) for v in values) == [Decimal("-15.00"), Decimal("24.00"), Decimal("50.00")]

    cost = get(system, "costing", f"/items/{a}/cost")
    assert text_of(page, "#cost-value") == cost["value_on_hand"] and Decimal(cost["value_on_hand"]) == Decimal("59.00")
    assert text_of(page, "#cost-unit-cost") == cost["unit_cost"]
    assert text_of(page, "#cost-adjusted").startswith("adjusted" if cost["adjustment"]["cost_is_adjusted"] else "not adjusted")


def test_a_journal_posted_in_the_form_shows_its_new_entries(page: Page, system: System, items: dict[str, str]) -> None:
    a = items["a"]
    document = f"{items['prefix']}J"[:20]
    page.goto(f"/journal?item_no={a}")
    page.select_option("#kind", "receipt")
    page.fill("#document_no", document)
    page.fill("#posting_date", "2026-03-02")
    page.fill("#lines-0-location_code", "MAIN")
    page.fill("#lines-0-quantity", "2")
    page.fill("#lines-0-unit_cost", "7.00")
    page.fill("#lines-1-item_no", a)
    page.fill("#lines-1-location_code", "WEST")
    page.fill("#lines-1-quantity", "1.5")
    page.fill("#lines-1-unit_cost", "8.00")
    screenshot(page, "05-journal")
    page.click("#journal button[type=submit]")
    expect(page.locator("h1")).to_have_text(f"Posted receipt (purchase) {document}")
    screenshot(page, "06-journal-posted")

    posted = [e for e in system.item_ledger_entries(a) if e["document_no"] == document]
    assert [(e["location_code"], Decimal(e["quantity"])) for e in posted] == [("MAIN", 2), ("WEST", Decimal("1.5"))]
    for entry in posted:
        assert Decimal(text_of(page, f"#posted-entries tr[data-entry-no='{entry['entry_no']}'] td.quantity")) == Decimal(entry["quantity"])

    # A transfer is a reclassification: out of MAIN, into EAST.
    page.goto(f"/journal?item_no={a}&kind=transfer")
    page.fill("#document_no", f"{document}T"[:20])
    page.fill("#posting_date", "2026-03-03")
    page.fill("#lines-0-location_code", "MAIN")
    page.fill("#lines-0-new_location_code", "EAST")
    page.fill("#lines-0-quantity", "1")
    page.click("#journal button[type=submit]")
    rows = page.locator("#posted-entries tbody tr")
    expect(rows).to_have_count(2)
    assert sorted(rows.locator("td.quantity").all_inner_texts()) == ["-1", "1"]

    page.click(f"#posted-entries a:has-text('{a}')")
    for entry in posted:
        expect(page.locator(f"#item-ledger-entries tr[data-entry-no='{entry['entry_no']}']")).to_have_count(1)
    assert Decimal(text_of(page, "#quantity-on-hand")) == Decimal("14.5")

    # The form's Idempotency-Key: the same form sent twice (a double click, a resend) posts once.
    sale = {"kind": "sale", "document_no": f"{document}S"[:20], "posting_date": "2026-03-04", "idempotency_key": unique("key"),
            "lines-0-item_no": a, "lines-0-location_code": "EAST", "lines-0-quantity": "1"}
    first, again = (page.context.request.post("/journal", form=sale) for _ in range(2))
    assert first.status == again.status == 201
    assert first.text() == again.text()
    assert len([e for e in system.item_ledger_entries(a) if e["document_no"] == sale["document_no"]]) == 1


def test_a_refused_journal_shows_the_apis_message_at_its_field_and_keeps_what_was_typed(
        page: Page, system: System, items: dict[str, str]) -> None:
    a = items["a"]

    def submit(kind: str, item_no: str, quantity: str) -> None:
        page.goto("/journal")
        page.select_option("#kind", kind)
        page.fill("#document_no", "BAD-1")
        page.fill("#posting_date", "2026-03-05")
        page.fill("#lines-0-item_no", item_no)
        page.fill("#lines-0-location_code", "MAIN")
        page.fill("#lines-0-quantity", quantity)
        page.click("#journal button[type=submit]")

    submit("sale", a, "abc")
    api = system.post("BAD-1", [line(a, "Sale", "abc", "2026-03-05")])
    assert api.status_code == 422
    (message,) = [e["message"] for e in api.json()["errors"] if e["location"][-1] == "quantity"]
    expect(page.locator("[data-field='lines-0-quantity']")).to_have_text(message)
    expect(page.locator("#lines-0-quantity")).to_have_value("abc")
    expect(page.locator("#lines-0-item_no")).to_have_value(a)
    expect(page.locator("#document_no")).to_have_value("BAD-1")
    expect(page.locator("#kind")).to_have_value("sale")
    screenshot(page, "07-journal-refused")

    unknown = f"{items['prefix']}X"
    submit("sale", unknown, "1")
    detail = system.post("BAD-1", [line(unknown, "Sale", "1", "2026-03-05")]).json()["detail"]
    expect(page.locator("[data-field='lines-0-item_no']")).to_have_text(detail)

    submit("sale", a, "1000")
    refused = system.post("BAD-1", [line(a, "Sale", "1000", "2026-03-05")])
    assert refused.status_code == 409
    expect(page.locator("[data-field='lines-0-quantity']")).to_have_text(refused.json()["detail"])
    assert not [e for e in system.item_ledger_entries(a) if e["document_no"] == "BAD-1"]


def test_the_valuation_at_a_date_downloads_as_csv(page: Page, system: System, items: dict[str, str]) -> None:
    page.goto("/valuation?at=2026-02-28")
    screenshot(page, "08-valuation")
    api = system.valuation(at="2026-02-28")
    assert text_of(page, "#total-value") == api["value"]
    with page.expect_download() as download:
        page.click("#export-csv")
    assert download.value.suggested_filename == "inventory-valuation-2026-02-28.csv"
    rows = list(csv.DictReader(io.StringIO(open(download.value.path()).read())))
    columns = ["item_no", "location_code", "inventory_posting_group", "quantity", "cost_amount_actual",
               "cost_amount_expected", "value"]
    assert rows == [{column: str(line[column]) for column in columns} for line in api["lines"]]
    mine = {(r["location_code"], Decimal(r["quantity"]), Decimal(r["value"])) for r in rows if r["item_no"] == items["a"]}
    assert mine == {("MAIN", 7, Decimal("35.00")), ("EAST", 4, Decimal("24.00"))}


def test_the_trial_balance_balances_and_every_account_reconciles_green(page: Page, system: System, items: dict[str, str]) -> None:
    apart(system.wait_quiet)
    apart(system.assert_books_balance_and_reconcile)
    page.goto("/books")
    screenshot(page, "09-books")
    trial_balance = system.trial_balance()
    assert text_of(page, "#total-debit") == trial_balance["total_debit"] == trial_balance["total_credit"]
    assert text_of(page, "#total-credit") == trial_balance["total_credit"]
    reconciliation = get(system, "ledger", "/reconciliation")
    rows = page.locator("#reconciliation tbody tr[data-account]")
    expect(rows).to_have_count(len(reconciliation["lines"]))
    assert reconciliation["lines"]
    for account in reconciliation["lines"]:
        row = page.locator(f"#reconciliation tr[data-account='{account['account_no']}']")
        expect(row).to_have_class("green")
        assert Decimal(row.locator("td.difference").inner_text()) == Decimal(account["difference"]) == 0
        expect(row.locator(".badge")).to_have_text("reconciled")
    expect(page.locator("#reconciliation tr.red")).to_have_count(0)
    expect(page.locator("#quantity-reconciliation .badge")).to_have_text("reconciled")


def test_a_poisoned_events_dead_letter_is_shown_and_replayed_once_per_origin(page: Page, system: System) -> None:
    topic = "catalog.items.v1"
    key = unique("POISONCON")
    groups = [system.topic(s) for s in CONSUMES if topic in CONSUMES[s]]
    apart(lambda: system.publish(topic, [(key.encode(), b"{not json")]))

    def letters() -> list[Any]:
        return [r for r in apart(lambda: system.dead_letters(f"{topic}.dlq")) if r.key == key.encode()]

    wait_until(lambda: len(letters()) == len(groups), what="the poison dead-lettered by every consumer group")
    page.goto("/dead-letters")
    section = page.locator(f"section[data-topic='{topic}.dlq']")
    rows = section.locator(f"tr.dead-letter[data-key='{key}']")
    expect(rows).to_have_count(len(groups))
    expect(rows.first.locator("td.reason")).not_to_be_empty()
    screenshot(page, "10-dead-letters")

    section.locator("button:has-text('Replay')").click()
    expect(page.locator("#replayed")).to_contain_text(f"of {topic}.dlq")
    # Re-published once, not once per group that dead-lettered it: each group dead-letters it once more.
    wait_until(lambda: len(letters()) >= 2 * len(groups), what="the replayed poison dead-lettered again")
    apart(system.wait_quiet)
    assert len(letters()) == 2 * len(groups)
    page.goto("/dead-letters")
    states = [r.get_attribute("data-replayed") for r in section.locator(f"tr.dead-letter[data-key='{key}']").all()]
    assert sorted(states) == ["false"] * len(groups) + ["true"] * len(groups)
    screenshot(page, "11-dead-letters-replayed")


def test_consumer_lag_is_shown_per_service(page: Page, system: System, items: dict[str, str]) -> None:
    # The ledger stopped, a posting's value entries wait for it: its lag shows, and goes when it is back.
    system.stack.stop_service("ledger")
    try:
        response = system.post(unique("LAG"), [line(items["a"], "Purchase", "1", "2026-03-06", "MAIN", "5.00")])
        assert response.status_code == 201, response.text
        page.goto("/lag")

        def ledger_lag() -> int:
            page.reload()
            return int(text_of(page, "#lag-summary tr[data-service='ledger'] td.lag"))

        wait_until(lambda: ledger_lag() > 0, what="the ledger's lag shown")
        screenshot(page, "12-lag")
    finally:
        system.stack.start_service("ledger")
    apart(system.wait_quiet)
    page.reload()
    for service in CONSUMES:
        expect(page.locator(f"#lag-summary tr[data-service='{service}'] td.lag")).to_have_text("0")
    expect(page.locator("#lag-summary tbody tr")).to_have_count(len(CONSUMES))


def test_the_console_serves_every_asset_itself(page: Page, console: str) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto("/items")
    page.reload()
    assert requested and all(url.startswith(console) for url in requested), requested
    assert page.evaluate("[...document.styleSheets].map(s => s.href)") == [f"{console}/static/console.css"]
    assert page.evaluate("document.scripts.length") == 0


def test_the_event_catalogue_lists_every_topic_and_event_with_its_schema(page: Page) -> None:
    page.goto("/events")
    expect(page.locator("h1")).to_have_text("Event catalogue")
    shown_topics = page.locator("#topics tbody tr").evaluate_all("rows => rows.map(r => r.dataset.topic)")
    assert sorted(shown_topics) == sorted(STREAMS)
    for spec in ALL_EVENTS:
        section = page.locator(f"section.event[data-event='{spec.type}'][data-version='{spec.version}']")
        expect(section).to_have_count(1)
        schema = section.locator("pre.schema").text_content() or ""
        assert all(f'"{name}"' in schema for name in spec.payload.model_fields), spec.type
    screenshot(page, "12-events")
