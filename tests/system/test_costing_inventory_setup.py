"""The inventory setup the warehouse owns, as costing values by it: average cost per month and per item,
location and variant; adjustments of entries in closed periods dated on the first open date.

The average settings are fixed once entries exist, so these tests run a company of their own."""

import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from costing_helpers import create_item, entry_costs, line, posted
from devstack.stack import Stack
from support import System, separate_system, unique, wait_until

D = Decimal


@pytest.fixture(scope="module")
def company(stack: Stack) -> Iterator[System]:
    with separate_system(stack, "avg") as system:
        put_setup(system, average_cost_period="Month", average_cost_calc_type="Item & Location & Variant")
        yield system


def put_setup(system: System, **changes: Any) -> dict[str, Any]:
    """Change the warehouse's inventory setup and wait until costing's replica has it."""
    current = system.http.get(system.url("warehouse", "/inventory-setup")).json()
    body = {key: current[key] for key in ("prevent_negative_inventory", "allow_posting_from", "allow_posting_to")} | changes
    response = system.http.put(system.url("warehouse", "/inventory-setup"), json=body)
    assert response.status_code == 200, response.text
    revision = system.http.get(system.url("warehouse", "/inventory-setup")).json()["revision"]
    return replica_at(system, revision)


def replica_at(system: System, revision: int) -> dict[str, Any]:
    def replica() -> dict[str, Any] | None:
        body: dict[str, Any] = system.http.get(system.url("costing", "/inventory-setup")).json()
        return body if body["revision"] >= revision else None

    return dict(wait_until(replica, what=f"costing's replica of the inventory setup at revision {revision}"))


def at(location: str, body: dict[str, Any], bin_code: str = "") -> dict[str, Any]:
    return body | {"location_code": location} | ({"bin_code": bin_code} if bin_code else {})


def reclassify(system: System, item_no: str, quantity: str, day: str, **place: str) -> list[dict[str, Any]]:
    response = system.http.post(system.url("warehouse", "/reclassification-journal"), json={
        "document_no": unique("RC"),
        "lines": [{"item_no": item_no, "quantity": quantity, "posting_date": day, **place}],
    })
    assert response.status_code == 201, response.text
    return list(response.json()["entries"])


def value_at(system: System, item_no: str, location: str) -> tuple[Decimal, Decimal]:
    lines = [l for l in system.valuation(item_no=item_no)["lines"] if l["location_code"] == location]
    return sum((D(l["quantity"]) for l in lines), D(0)), sum((D(l["value"]) for l in lines), D(0))


def test_average_is_kept_per_location_and_month_and_follows_a_back_dated_receipt(company: System) -> None:
    item = create_item(company, costing_method="Average")
    posted(company, at("MAIN", line(item, "Purchase", "10", "10.00", "2026-03-02")),
           at("EAST", line(item, "Purchase", "10", "20.00", "2026-03-05")))
    (main_sale,) = posted(company, at("MAIN", line(item, "Sale", "4", day="2026-03-10")))
    (east_sale,) = posted(company, at("EAST", line(item, "Sale", "5", day="2026-03-10")))
    posted(company, at("MAIN", line(item, "Purchase", "10", "13.00", "2026-03-20")))
    company.wait_quiet()
    costs = entry_costs(company, item)
    # March's average at MAIN is (100 + 130) / 20, at EAST 200 / 10; per item it would be 430 / 30.
    assert (costs[main_sale["entry_no"]], costs[east_sale["entry_no"]]) == (D("-46.00"), D("-100.00"))

    transfer_out, transfer_in = reclassify(company, item, "5", "2026-04-02", location_code="EAST", new_location_code="MAIN")
    (last_sale,) = posted(company, at("MAIN", line(item, "Sale", "21", day="2026-04-03")))
    company.wait_quiet()
    costs = entry_costs(company, item)
    assert (costs[transfer_out["entry_no"]], costs[transfer_in["entry_no"]]) == (D("-100.00"), D("100.00"))
    assert costs[last_sale["entry_no"]] == D("-284.00")  # everything at MAIN: (184 + 100) / 21 each
    assert value_at(company, item, "MAIN") == (D(0), D("0.00"))

    # A receipt back-dated into March raises EAST's March average to 330 / 15 = 22.00: the March sale, the
    # April transfer out of EAST, the transfer into MAIN and MAIN's April sale all follow.
    posted(company, at("EAST", line(item, "Purchase", "5", "26.00", "2026-03-25")))
    company.wait_quiet()
    costs = entry_costs(company, item)
    assert costs[east_sale["entry_no"]] == D("-110.00")
    assert (costs[transfer_out["entry_no"]], costs[transfer_in["entry_no"]]) == (D("-110.00"), D("110.00"))
    assert costs[last_sale["entry_no"]] == D("-294.00")
    assert value_at(company, item, "MAIN") == (D(0), D("0.00"))
    assert value_at(company, item, "EAST") == (D(5), D("110.00"))


def test_a_bin_move_within_a_location_gives_back_what_it_took_and_leaves_the_average_alone(company: System) -> None:
    location = f"B{unique('')[-6:]}"
    created = company.http.post(company.url("warehouse", "/locations"),
                                json={"code": location, "name": "Binned", "bin_mandatory": True})
    assert created.status_code == 201, created.text
    for bin_code in ("B1", "B2"):
        assert company.http.post(company.url("warehouse", f"/locations/{location}/bins"), json={"code": bin_code}).status_code == 201
    item = create_item(company, costing_method="Average")
    posted(company, at(location, line(item, "Purchase", "10", "10.00", "2026-05-04"), "B1"))
    moved_out, moved_in = reclassify(company, item, "4", "2026-05-04", location_code=location, bin_code="B1", new_bin_code="B2")
    posted(company, at(location, line(item, "Purchase", "10", "16.00", "2026-05-06"), "B1"))
    first, second = posted(company, at(location, line(item, "Sale", "16", day="2026-05-07"), "B1"),
                           at(location, line(item, "Sale", "4", day="2026-05-07"), "B2"))
    company.wait_quiet()
    costs = entry_costs(company, item)
    # May's average is (100 + 160) / 20 = 13.00 for every outbound entry, the moved quantity included.
    assert (costs[moved_out["entry_no"]], costs[moved_in["entry_no"]]) == (D("-52.00"), D("52.00"))
    assert (costs[first["entry_no"]], costs[second["entry_no"]]) == (D("-208.00"), D("-52.00"))
    assert value_at(company, item, location) == (D(0), D("0.00"))


def test_an_average_item_is_revalued_per_average_at_the_end_of_a_period(company: System) -> None:
    item = create_item(company, costing_method="Average")
    posted(company, at("MAIN", line(item, "Purchase", "10", "10.00", "2026-03-02")),
           at("EAST", line(item, "Purchase", "10", "20.00", "2026-03-05")))
    company.wait_quiet()
    revaluations = company.url("costing", "/revaluations")
    mid_month = company.http.post(revaluations, json={"item_no": item, "posting_date": "2026-03-15", "new_unit_cost": "15"})
    assert mid_month.status_code == 422, mid_month.text
    assert mid_month.json()["type"].endswith("/invalid-revaluation")
    assert "last day of its period" in mid_month.json()["detail"]

    revalued = company.http.post(revaluations, json={"item_no": item, "posting_date": "2026-03-31", "new_unit_cost": "15"})
    assert revalued.status_code == 201, revalued.text
    assert sorted((e["location_code"], D(e["cost_amount_actual"])) for e in revalued.json()["entries"]) == [
        ("EAST", D("-50.00")), ("MAIN", D("50.00"))
    ]
    main_sale, east_sale = posted(company, at("MAIN", line(item, "Sale", "10", day="2026-04-02")),
                                  at("EAST", line(item, "Sale", "10", day="2026-04-02")))
    company.wait_quiet()
    costs = entry_costs(company, item)
    assert (costs[main_sale["entry_no"]], costs[east_sale["entry_no"]]) == (D("-150.00"), D("-150.00"))


def test_adjustments_of_entries_in_a_closed_period_are_posted_on_the_first_open_date(company: System) -> None:
    item = create_item(company, costing_method="FIFO")
    receipt, sale = posted(company, at("MAIN", line(item, "Purchase", "10", "10.00", "2026-01-10")),
                           at("MAIN", line(item, "Sale", "4", day="2026-01-15")))
    company.wait_quiet()
    closed = company.http.post(company.url("warehouse", "/inventory-periods/2026-01-31/close"), json={"name": "January"})
    assert closed.status_code == 200, closed.text
    try:
        revision = company.http.get(company.url("warehouse", "/inventory-setup")).json()["revision"]
        assert published(company, revision)["closed_through"] == "2026-01-31"
        replica = replica_at(company, revision)
        assert (replica["closed_through"], replica["first_open_date"]) == ("2026-01-31", "2026-02-01")

        for path, body in [
            ("/revaluations", {"item_no": item, "posting_date": "2026-01-20", "new_unit_cost": "12"}),
            ("/item-charges", charge(receipt, "2026-01-20", "5.00")),
        ]:
            refused = company.http.post(company.url("costing", path), json=body)
            assert refused.status_code == 422, refused.text
            assert refused.json()["type"].endswith("/posting-date-closed")

        # Freight on the January receipt: the sale took 4 of its 10 units, its cost follows on February 1st.
        assert company.http.post(company.url("costing", "/item-charges"), json=charge(receipt, "2026-02-03", "20.00")).status_code == 201
        company.wait_quiet()
        adjustment = only_adjustment(company, sale["entry_no"])
        assert (adjustment["posting_date"], adjustment["valuation_date"]) == ("2026-02-01", "2026-01-15")
        assert D(adjustment["cost_amount_actual"]) == D("-8.00")
        assert adjustment["applies_to_entry"] == min(
            e["entry_no"] for e in company.value_entries(item) if e["item_ledger_entry_no"] == sale["entry_no"]
        )
        assert {e["posting_date"] for e in company.gl_entries(value_entry_no=adjustment["entry_no"])} == {"2026-02-01"}

        # Posting allowed only from February 10th: that is the first open date now.
        put_setup(company, allow_posting_from="2026-02-10")
        assert company.http.post(company.url("costing", "/item-charges"), json=charge(receipt, "2026-02-12", "10.00")).status_code == 201
        company.wait_quiet()
        adjustments = [e for e in company.value_entries(item) if e["item_ledger_entry_no"] == sale["entry_no"] and e["adjustment"]]
        assert [(e["posting_date"], D(e["cost_amount_actual"])) for e in adjustments] == [
            ("2026-02-01", D("-8.00")), ("2026-02-10", D("-4.00"))
        ]
    finally:
        put_setup(company, allow_posting_from=None)
        reopened = company.http.post(company.url("warehouse", "/inventory-periods/2026-01-31/reopen"))
        assert reopened.status_code == 200, reopened.text
    setup = company.http.get(company.url("warehouse", "/inventory-setup")).json()
    assert setup["closed_through"] is None and published(company, setup["revision"])["closed_through"] is None


def published(system: System, revision: int) -> dict[str, Any]:
    """The inventory setup the warehouse published at `revision`."""

    def find() -> dict[str, Any] | None:
        records = system.records("warehouse.inventory-setup.v1", key="inventory-setup")
        return next((p for p in (json.loads(r.value)["payload"] for r in records) if p["revision"] == revision), None)

    return dict(wait_until(find, what=f"inventory setup revision {revision} published"))


def charge(receipt: dict[str, Any], day: str, amount: str) -> dict[str, Any]:
    return {"item_charge_no": "FREIGHT", "document_no": unique("CH"), "posting_date": day, "amount": amount,
            "lines": [{"item_ledger_entry_no": receipt["entry_no"]}]}


def only_adjustment(system: System, entry_no: int) -> dict[str, Any]:
    (adjustment,) = [e for e in system.value_entries() if e["item_ledger_entry_no"] == entry_no and e["adjustment"]]
    return adjustment
