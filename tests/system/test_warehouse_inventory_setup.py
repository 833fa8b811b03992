"""The warehouse owns the inventory setup and publishes every change of it whole on warehouse.inventory-setup.v1.

Closing and reopening periods runs in a company of its own: a reopened period stays as an open row, and an open
period refuses the closing of any later one (periods close in date order), which would disturb the shared system's
other period tests (test_warehouse_locations closes 2019 periods).
"""

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from devstack.stack import Stack
from support import System, separate_system, unique, wait_until

TOPIC = "warehouse.inventory-setup.v1"
KEY = "inventory-setup"


@pytest.fixture(scope="module")
def company(stack: Stack) -> Iterator[System]:
    with separate_system(stack, "setup") as system:
        yield system


def setup_of(system: System) -> dict[str, Any]:
    response = system.http.get(system.url("warehouse", "/inventory-setup"))
    assert response.status_code == 200, response.text
    return dict(response.json())


def body_of(setup: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """A PUT body as an older client sends it (without the average-cost settings), with `changes`."""
    return {key: setup[key] for key in ("prevent_negative_inventory", "allow_posting_from", "allow_posting_to")} | changes


def put(system: System, setup: dict[str, Any], **changes: Any) -> httpx.Response:
    return system.http.put(system.url("warehouse", "/inventory-setup"), json=body_of(setup, **changes))


def published(system: System) -> list[dict[str, Any]]:
    """Every inventory setup event so far, each whole envelope."""
    return [json.loads(record.value) for record in system.records(TOPIC, key=KEY)]


def published_revision(system: System, revision: int) -> dict[str, Any]:
    """The envelope of `revision`, once the relay has published it."""
    def find() -> dict[str, Any] | None:
        return next((e for e in published(system) if e["payload"]["revision"] == revision), None)

    return dict(wait_until(find, what=f"inventory setup revision {revision} on {TOPIC}"))


def as_published(setup: dict[str, Any]) -> dict[str, Any]:
    """The event payload a GET body stands for."""
    keys = ("revision", "allow_posting_from", "allow_posting_to", "closed_through", "average_cost_period",
            "average_cost_calc_type")
    return {key: setup[key] for key in keys}


def test_a_changed_setup_is_published_whole_with_a_higher_revision(system: System) -> None:
    before = setup_of(system)
    try:
        response = put(system, before, allow_posting_from="2000-01-01", allow_posting_to="2099-12-31")
        assert response.status_code == 200, response.text
        after = response.json()
        assert after["revision"] > before["revision"] and after == setup_of(system)
        assert (after["allow_posting_from"], after["allow_posting_to"]) == ("2000-01-01", "2099-12-31")

        event = published_revision(system, after["revision"])
        assert (event["type"], event["version"], event["producer"], event["key"]) == (
            "warehouse.inventory-setup-changed", 1, "warehouse", KEY)
        assert event["payload"] == as_published(after)

        # The same values again change nothing: no new revision, nothing published.
        unchanged = put(system, after, allow_posting_from="2000-01-01", allow_posting_to="2099-12-31")
        assert unchanged.status_code == 200 and unchanged.json() == after
        # A GET body may be PUT back as it is (the read-only fields are ignored).
        assert system.http.put(system.url("warehouse", "/inventory-setup"), json=after).json() == after
    finally:
        restored = put(system, before)
        assert restored.status_code == 200, restored.text
    assert as_published(published_revision(system, restored.json()["revision"])["payload"]) == as_published(
        restored.json())
    assert restored.json() | {"revision": before["revision"]} == before


def test_closing_and_reopening_a_period_publishes_the_closed_date(company: System) -> None:
    periods = company.url("warehouse", "/inventory-periods")
    before = setup_of(company)
    assert before["closed_through"] is None
    closed = company.http.post(f"{periods}/2001-01-31/close", json={"name": unique("P")})
    assert closed.status_code == 200, closed.text
    try:
        setup = setup_of(company)
        assert setup["closed_through"] == "2001-01-31" and setup["revision"] > before["revision"]
        assert published_revision(company, setup["revision"])["payload"] == as_published(setup)
    finally:
        reopened = company.http.post(f"{periods}/2001-01-31/reopen")
        assert reopened.status_code == 200, reopened.text
    after = setup_of(company)
    assert after["closed_through"] is None and after["revision"] > setup["revision"]
    assert published_revision(company, after["revision"])["payload"] == as_published(after)

    # Reopening an open period changes nothing of the setup: nothing is published.
    assert company.http.post(f"{periods}/2001-01-31/reopen").status_code == 200
    assert setup_of(company) == after


def test_concurrent_changes_get_distinct_revisions(company: System) -> None:
    """PUTs and a period closing at the same time: each change a revision of its own, none refused or deadlocked."""
    periods = company.url("warehouse", "/inventory-periods")
    setup_url = company.url("warehouse", "/inventory-setup")
    before = setup_of(company)

    async def race() -> list[httpx.Response]:
        barrier = asyncio.Event()
        async with httpx.AsyncClient(timeout=60, headers=company.headers) as client:
            async def change(n: int) -> httpx.Response:
                await barrier.wait()
                if n == 0:
                    return await client.post(f"{periods}/2001-01-31/close", json={})
                return await client.put(setup_url, json=body_of(before, allow_posting_to=f"2099-12-{n:02d}"))

            tasks = [asyncio.create_task(change(n)) for n in range(11)]
            await asyncio.sleep(0.1)
            barrier.set()
            return list(await asyncio.gather(*tasks))

    try:
        responses = asyncio.run(race())
        assert [r.status_code for r in responses] == [200] * 11, [r.text for r in responses]
        revisions = sorted(r.json()["revision"] for r in responses[1:])
        assert len(set(revisions)) == 10
        after = setup_of(company)
        assert after["revision"] == before["revision"] + 11 and after["closed_through"] == "2001-01-31"
        events = {e["payload"]["revision"]: e["payload"] for e in
                  [published_revision(company, after["revision"])] + published(company)}
        assert set(range(before["revision"] + 1, after["revision"] + 1)) <= set(events)
        assert events[after["revision"]] == as_published(after)
        for response in responses[1:]:
            assert events[response.json()["revision"]]["allow_posting_to"] == response.json()["allow_posting_to"]
    finally:
        assert company.http.post(f"{periods}/2001-01-31/reopen").status_code == 200
        assert put(company, before).status_code == 200


def test_average_cost_settings_are_fixed_once_entries_exist(system: System) -> None:
    item = system.create_item()["item_no"]
    posted = system.post(unique("D"), [{"item_no": item, "entry_type": "Purchase", "quantity": "1", "unit_cost": "1.00",
                                        "posting_date": "2026-01-05", "location_code": "MAIN"}])
    assert posted.status_code == 201, posted.text
    before = setup_of(system)
    other = "Month" if before["average_cost_period"] != "Month" else "Week"
    refused = put(system, before, average_cost_period=other)
    assert refused.status_code == 409, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    problem = refused.json()
    assert problem["type"] == "/problems/average-cost-setup-fixed" and problem["status"] == 409
    assert "cannot change once item ledger entries exist" in problem["detail"]
    other_type = "Item" if before["average_cost_calc_type"] != "Item" else "Item & Location & Variant"
    assert put(system, before, average_cost_calc_type=other_type).status_code == 409
    # Refused together with a change that alone would pass: nothing of it is written, nothing published.
    assert put(system, before, allow_posting_to="2099-12-31", average_cost_period=other).status_code == 409
    assert setup_of(system) == before
    assert max((e["payload"]["revision"] for e in published(system)), default=0) <= before["revision"]

    same = put(system, before, average_cost_period=before["average_cost_period"],
               average_cost_calc_type=before["average_cost_calc_type"])
    assert same.status_code == 200, same.text
    assert same.json() == before
