"""Responsibility centers on the running system: two real tokens of the stack's issuer, one tied to a center by its
`responsibility_center` claim and one not. The tied caller is refused another center's locations and documents,
and sees its own center's entries, locations and availability only."""

import secrets
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import httpx
import pytest

from support import System, unique, wait_until

pytestmark = pytest.mark.system

DAY = "2026-05-04"


def assert_problem(response: httpx.Response, status: int, problem_type: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = dict(response.json())
    assert body["type"] == f"/problems/{problem_type}" and body["detail"]
    return body


def purchase(item_no: str, quantity: str, location_code: str) -> dict[str, Any]:
    return {"item_no": item_no, "entry_type": "Purchase", "quantity": quantity, "posting_date": DAY,
            "location_code": location_code, "unit_cost": "3.00"}


class Company:
    """Two centers, each with its own location, and a third location that moves from the second to the first."""

    def __init__(self, system: System) -> None:
        self.system = system
        # Center codes are at most 10 characters: random ones, as a truncated unique() can repeat.
        self.ours, self.theirs = (f"RC{secrets.token_hex(4).upper()}" for _ in range(2))
        for code, city in ((self.ours, "Birmingham"), (self.theirs, "London")):
            made = system.http.post(self.url("/responsibility-centers"), json={
                "code": code, "name": f"{city} Office", "address": "Main Street, 14", "city": city,
                "post_code": "B27 4KT", "country_region_code": "GB", "contact": "Ms. Ann Smith",
                "phone_no": "0121 555"})
            assert made.status_code == 201, made.text
        self.blue = self.location(self.ours)
        self.red = self.location(self.theirs)
        self.green = self.location(self.theirs)
        self.item = system.create_item()["item_no"]

    def url(self, path: str) -> str:
        return self.system.url("warehouse", path)

    def location(self, center: str) -> str:
        code = f"L{secrets.token_hex(4).upper()}"
        made = self.system.http.post(self.url("/locations"), json={
            "code": code, "name": "Warehouse", "responsibility_center": center})
        assert made.status_code == 201, made.text
        return code


@pytest.fixture(scope="module")
def company(system: System) -> Company:
    return Company(system)


@pytest.fixture(scope="module")
def clerk(system: System, company: Company) -> Iterator[httpx.Client]:
    """A caller of the first center: reads and posts, and reads values, but administers nothing."""
    token = system.stack.issuer.token(["inventory:read", "inventory:post", "costing:read"], subject="clerk",
                                      responsibility_center=company.ours)
    with httpx.Client(timeout=60, headers={"Authorization": f"Bearer {token}"}) as client:
        yield client


def test_a_center_card_is_made_read_and_changed_by_an_administrator(system: System, company: Company) -> None:
    card = system.http.get(company.url(f"/responsibility-centers/{company.ours}")).json()
    assert (card["name"], card["city"], card["post_code"], card["contact"]) == (
        "Birmingham Office", "Birmingham", "B27 4KT", "Ms. Ann Smith")
    changed = system.http.patch(company.url(f"/responsibility-centers/{company.ours}"), json={"phone_no": "0121 999"})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["phone_no"], changed.json()["name"]) == ("0121 999", "Birmingham Office")
    assert_problem(system.http.post(company.url("/responsibility-centers"), json={"code": company.ours, "name": "x"}),
                   409, "already-exists")
    assert_problem(system.http.patch(company.url("/responsibility-centers/NOPE"), json={"name": "x"}), 404, "not-found")
    assert_problem(system.http.patch(company.url(f"/responsibility-centers/{company.ours}"), json={"code": "X"}),
                   422, "invalid-request")
    assert_problem(system.http.post(company.url("/locations"), json={
        "code": f"L{secrets.token_hex(4).upper()}", "name": "x", "responsibility_center": "NOPE"}), 422, "unknown-responsibility-center")


def test_a_location_is_assigned_to_a_center_by_an_administrator_only(
    system: System, company: Company, clerk: httpx.Client
) -> None:
    path = company.url(f"/locations/{company.green}/responsibility-center")
    assert_problem(clerk.put(path, json={"responsibility_center": company.ours}), 403, "insufficient-scope")
    assert_problem(system.http.put(path, json={"responsibility_center": "NOPE"}), 422, "unknown-responsibility-center")
    moved = system.http.put(path, json={"responsibility_center": company.ours})
    assert moved.status_code == 200, moved.text
    assert system.http.get(company.url(f"/locations/{company.green}")).json()["responsibility_center"] == company.ours


def test_the_tied_caller_posts_at_its_centers_locations_and_is_refused_the_others(
    system: System, company: Company, clerk: httpx.Client
) -> None:
    posted = clerk.post(company.url("/item-journal"), json={
        "document_no": unique("RC"), "lines": [purchase(company.item, "5", company.blue)]})
    assert posted.status_code == 201, posted.text
    assert [e["responsibility_center"] for e in posted.json()["entries"]] == [company.ours]

    before = system.quantity_on_hand(company.item)
    refused = assert_problem(clerk.post(company.url("/item-journal"), json={
        "document_no": unique("RC"),
        "lines": [purchase(company.item, "1", company.blue), purchase(company.item, "2", company.red)]}),
        403, "outside-responsibility-center")
    assert refused["responsibility_center"] == company.theirs and company.theirs in refused["detail"]
    assert_problem(clerk.post(company.url("/purchase-receipts"), json={
        "document_no": unique("RC"), "responsibility_center": company.theirs,
        "lines": [purchase(company.item, "1", company.blue)]}), 403, "outside-responsibility-center")
    assert_problem(clerk.post(company.url("/transfer-orders"), json={
        "no": unique("TO"), "transfer_from_code": company.blue, "transfer_to_code": company.red,
        "in_transit_code": "IN-TRANSIT", "lines": [{"item_no": company.item, "quantity": "1"}]}),
        403, "outside-responsibility-center")
    assert system.quantity_on_hand(company.item) == before

    theirs = system.post(unique("RC"), [purchase(company.item, "7", company.red)])
    assert theirs.status_code == 201, theirs.text
    assert [e["responsibility_center"] for e in theirs.json()["entries"]] == [company.theirs]
    receipt = system.http.post(company.url("/purchase-receipts"), json={
        "document_no": unique("RC"), "lines": [purchase(company.item, "2", company.red)]})
    assert receipt.status_code == 201, receipt.text
    [received] = receipt.json()["entries"]
    invoice = {"document_no": unique("PI"), "posting_date": DAY,
               "lines": [{"entry_no": received["entry_no"], "quantity": "2", "unit_cost": "3.10"}]}
    assert_problem(clerk.post(company.url("/purchase-invoices"), json=invoice), 403, "outside-responsibility-center")
    assert system.http.post(company.url("/purchase-invoices"), json=invoice).status_code == 201
    mismatch = system.http.post(company.url("/item-journal"), json={
        "document_no": unique("RC"), "responsibility_center": company.ours,
        "lines": [purchase(company.item, "1", company.red)]})
    assert_problem(mismatch, 422, "responsibility-center-mismatch")


def test_reads_are_filtered_to_the_tied_callers_center_and_by_the_filter_for_the_other(
    system: System, company: Company, clerk: httpx.Client
) -> None:
    for client, location in ((clerk, company.blue), (system.http, company.red)):
        assert client.post(company.url("/item-journal"), json={
            "document_no": unique("RC"), "lines": [purchase(company.item, "1", location)]}).status_code == 201

    def entries(client: httpx.Client, **params: Any) -> list[dict[str, Any]]:
        response = client.get(company.url("/item-ledger-entries"),
                              params={"item_no": company.item, "limit": 1000, **params})
        assert response.status_code == 200, response.text
        return list(response.json()["entries"])

    mine = entries(clerk)
    everything = entries(system.http)
    assert mine and {e["responsibility_center"] for e in mine} == {company.ours}
    assert {e["responsibility_center"] for e in everything} == {company.ours, company.theirs}
    assert entries(system.http, responsibility_center=company.theirs) == [
        e for e in everything if e["responsibility_center"] == company.theirs]
    assert_problem(clerk.get(company.url("/item-ledger-entries"), params={"responsibility_center": company.theirs}),
                   403, "outside-responsibility-center")

    listed = clerk.get(company.url("/locations"), params={"limit": 1000}).json()["locations"]
    codes = [location["code"] for location in listed]
    assert company.blue in codes and company.red not in codes and "MAIN" not in codes
    assert_problem(clerk.get(company.url(f"/locations/{company.red}")), 403, "outside-responsibility-center")
    assert [c["code"] for c in clerk.get(company.url("/responsibility-centers")).json()["responsibility_centers"]] == [
        company.ours]

    def inventory(client: httpx.Client, **params: Any) -> Decimal:
        response = client.get(company.url(f"/items/{company.item}/availability"), params=params)
        assert response.status_code == 200, response.text
        return Decimal(response.json()["inventory"])

    ours = sum((Decimal(e["quantity"]) for e in everything if e["responsibility_center"] == company.ours), Decimal(0))
    assert inventory(clerk) == ours == inventory(system.http, responsibility_center=company.ours)
    assert inventory(system.http) == sum((Decimal(e["quantity"]) for e in everything), Decimal(0))
    assert inventory(clerk) < inventory(system.http)
    assert_problem(clerk.get(company.url(f"/items/{company.item}/availability"),
                             params={"location_code": company.red}), 403, "outside-responsibility-center")
    on_hand = clerk.get(company.url(f"/items/{company.item}/quantity-on-hand")).json()
    assert {l["location_code"] for l in on_hand["locations"]} == {company.blue} and Decimal(on_hand["quantity"]) == ours

    def valued(client: httpx.Client, **params: Any) -> tuple[set[str], Decimal]:
        response = client.get(system.url("costing", "/inventory-valuation"), params={"item_no": company.item, **params})
        assert response.status_code == 200, response.text
        return {l["location_code"] for l in response.json()["lines"]}, Decimal(response.json()["quantity"])

    wait_until(lambda: valued(system.http)[1] == inventory(system.http), what="costing has valued every entry")
    assert valued(clerk) == ({company.blue}, ours) == valued(system.http, responsibility_center=company.ours)
    assert valued(system.http, responsibility_center=company.theirs)[0] == {company.red}
    assert_problem(clerk.get(system.url("costing", "/inventory-valuation"),
                             params={"responsibility_center": company.theirs}), 403, "outside-responsibility-center")
    system.assert_books_balance_and_reconcile()


def test_an_assembly_order_belongs_to_its_locations_center_and_only_that_centers_caller_sees_and_posts_it(
    system: System, company: Company, clerk: httpx.Client
) -> None:
    a = system.create_item()["item_no"]
    parent = system.create_item()["item_no"]
    etag = system.http.get(system.url("catalog", f"/items/{parent}")).headers["ETag"]
    bom = system.http.put(system.url("catalog", f"/items/{parent}/assembly-bom"), headers={"If-Match": etag},
                          json={"lines": [{"line_no": 10000, "type": "Item", "no": a, "quantity_per": "2"}]})
    assert bom.status_code == 200, bom.text
    wait_until(lambda: system.sql("warehouse", "SELECT 1 FROM items WHERE item_no = $1 AND revision >= $2",
                                  parent, bom.json()["revision"]), what="the BOM in the warehouse's replica")
    for location in (company.blue, company.red):
        assert system.post(unique("RC"), [purchase(a, "10", location)]).status_code == 201

    def new_order(client: httpx.Client, location: str) -> httpx.Response:
        return client.post(company.url("/assembly-orders"), json={
            "item_no": parent, "quantity": "2", "location_code": location, "due_date": DAY})

    refused = new_order(clerk, company.red)
    assert refused.status_code == 403 and refused.json()["type"] == "/problems/outside-responsibility-center"
    ours = new_order(clerk, company.blue).json()
    theirs = new_order(system.http, company.red).json()
    assert (ours["responsibility_center"], theirs["responsibility_center"]) == (company.ours, company.theirs)

    listed = clerk.get(company.url("/assembly-orders"), params={"limit": 1000}).json()["orders"]
    assert ours["no"] in {o["no"] for o in listed} and theirs["no"] not in {o["no"] for o in listed}
    assert {o["responsibility_center"] for o in listed} == {company.ours}
    assert clerk.get(company.url(f"/assembly-orders/{theirs['no']}")).status_code == 403
    assert clerk.post(company.url(f"/assembly-orders/{theirs['no']}/post"),
                      json={"quantity_to_assemble": "1", "posting_date": DAY}).status_code == 403

    posted = clerk.post(company.url(f"/assembly-orders/{ours['no']}/post"),
                        json={"quantity_to_assemble": "2", "posting_date": DAY})
    assert posted.status_code == 201, posted.text
    entries = [e for e in system.item_ledger_entries(parent) if e["order_no"] == ours["no"]]
    assert entries and {e["responsibility_center"] for e in entries} == {company.ours}


def test_sales_and_purchase_orders_belong_to_a_center_and_a_tied_caller_sees_only_its_own(
    system: System, company: Company, clerk: httpx.Client
) -> None:
    def order(client: httpx.Client, kind: str, location: str, **extra: Any) -> httpx.Response:
        due = "shipment_date" if kind == "sales" else "expected_receipt_date"
        return client.post(company.url(f"/{kind}-orders"), json={
            "no": unique("O"), "order_date": DAY, **extra,
            "lines": [{"item_no": company.item, "location_code": location, "quantity": "1", due: DAY}]})

    for kind in ("sales", "purchase"):
        refused = order(clerk, kind, company.red)
        assert refused.status_code == 403 and refused.json()["type"] == "/problems/outside-responsibility-center"
        ours, theirs = order(clerk, kind, company.blue), order(system.http, kind, company.red)
        assert ours.status_code == theirs.status_code == 201, (ours.text, theirs.text)
        assert (ours.json()["responsibility_center"], theirs.json()["responsibility_center"]) == (company.ours,
                                                                                                   company.theirs)
        listed = {o["no"] for o in clerk.get(company.url(f"/{kind}-orders"), params={"limit": 1000}).json()["orders"]}
        assert ours.json()["no"] in listed and theirs.json()["no"] not in listed
        assert clerk.get(company.url(f"/{kind}-orders/{theirs.json()['no']}")).status_code == 403
        filtered = system.http.get(company.url(f"/{kind}-orders"),
                                   params={"limit": 1000, "responsibility_center": company.theirs}).json()["orders"]
        assert theirs.json()["no"] in {o["no"] for o in filtered}
        assert {o["responsibility_center"] for o in filtered} == {company.theirs}
