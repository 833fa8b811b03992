"""The warehouse owns the inventory setup and publishes every change of it whole on warehouse.inventory-setup.v1."""

import json
from typing import Any

from support import System, unique, wait_until

TOPIC = "warehouse.inventory-setup.v1"


def setup_of(system: System) -> dict[str, Any]:
    response = system.http.get(system.url("warehouse", "/inventory-setup"))
    assert response.status_code == 200, response.text
    return dict(response.json())


def put(system: System, setup: dict[str, Any], **changes: Any) -> Any:
    body = {key: setup[key] for key in ("prevent_negative_inventory", "allow_posting_from", "allow_posting_to")} | changes
    return system.http.put(system.url("warehouse", "/inventory-setup"), json=body)


def published(system: System) -> list[dict[str, Any]]:
    return [json.loads(record.value) for record in system.records(TOPIC, key="inventory-setup")]


def published_revision(system: System, revision: int) -> dict[str, Any]:
    def find() -> dict[str, Any] | None:
        return next((e["payload"] for e in published(system) if e["payload"]["revision"] == revision), None)

    return dict(wait_until(find, what=f"inventory setup revision {revision} on {TOPIC}"))


def test_a_changed_setup_is_published_whole_with_a_higher_revision(system: System) -> None:
    before = setup_of(system)
    try:
        response = put(system, before, allow_posting_from="2000-01-01", allow_posting_to="2099-12-31")
        assert response.status_code == 200, response.text
        after = response.json()
        assert after["revision"] > before["revision"] and after == setup_of(system)
        event = published_revision(system, after["revision"])
        assert (event["allow_posting_from"], event["allow_posting_to"]) == ("2000-01-01", "2099-12-31")
        assert (event["average_cost_period"], event["average_cost_calc_type"]) == (after["average_cost_period"], after["average_cost_calc_type"])

        unchanged = put(system, after, allow_posting_from="2000-01-01", allow_posting_to="2099-12-31")
        assert unchanged.status_code == 200 and unchanged.json()["revision"] == after["revision"]
    finally:
        assert put(system, before, allow_posting_from=before["allow_posting_from"],
                   allow_posting_to=before["allow_posting_to"]).status_code == 200


def test_closing_and_reopening_a_period_publishes_the_closed_date(system: System) -> None:
    periods = system.url("warehouse", "/inventory-periods")
    closed = system.http.post(f"{periods}/2001-01-31/close", json={"name": unique("P")})
    assert closed.status_code == 200, closed.text
    try:
        setup = setup_of(system)
        assert setup["closed_through"] == "2001-01-31"
        assert published_revision(system, setup["revision"])["closed_through"] == "2001-01-31"
    finally:
        assert system.http.post(f"{periods}/2001-01-31/reopen").status_code == 200
    setup = setup_of(system)
    assert setup["closed_through"] is None
    assert published_revision(system, setup["revision"])["closed_through"] is None


def test_average_cost_settings_are_fixed_once_entries_exist(system: System) -> None:
    item = system.create_item()["item_no"]
    assert system.post(unique("D"), [{"item_no": item, "entry_type": "Purchase", "quantity": "1", "unit_cost": "1.00",
                                      "posting_date": "2026-01-05", "location_code": "MAIN"}]).status_code == 201
    before = setup_of(system)
    other = "Month" if before["average_cost_period"] != "Month" else "Week"
    refused = put(system, before, average_cost_period=other)
    assert refused.status_code == 409, refused.text
    problem = refused.json()
    assert problem["type"].endswith("/average-cost-setup-fixed")
    assert "cannot change once item ledger entries exist" in problem["detail"]
    assert setup_of(system) == before
    assert max(e["payload"]["revision"] for e in published(system)) <= before["revision"]

    same = put(system, before, average_cost_period=before["average_cost_period"],
               average_cost_calc_type=before["average_cost_calc_type"])
    assert same.status_code == 200 and same.json() == before
