"""Resources and their allocation through the catalog API, on the real stack with real tokens."""

from decimal import Decimal
from typing import Any

import httpx
import pytest

from support import System, unique

pytestmark = pytest.mark.system


def catalog(system: System, path: str) -> str:
    return system.url("catalog", path)


def created(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 201, response.text
    return dict(response.json())


def new_resource(system: System, **fields: Any) -> dict[str, Any]:
    body = {"no": unique("RES"), "name": "Technician", "type": "Person", "base_unit_of_measure": "HOUR", **fields}
    return created(system.http.post(catalog(system, "/resources"), json=body))


def test_the_resource_card_derives_its_unit_cost_and_can_be_changed(system: System) -> None:
    card = new_resource(system, direct_unit_cost="40.12345", indirect_cost_pct="12.5", unit_price="80",
                        capacity_per_day="8")
    read = system.http.get(catalog(system, f"/resources/{card['no']}"))
    assert read.status_code == 200, read.text
    body = read.json()
    assert {k: body[k] for k in ("no", "name", "type", "base_unit_of_measure", "service_zone_code", "blocked")} == {
        "no": card["no"], "name": "Technician", "type": "Person", "base_unit_of_measure": "HOUR",
        "service_zone_code": "", "blocked": False}
    assert Decimal(body["direct_unit_cost"]) == Decimal("40.12345")
    assert Decimal(body["unit_cost"]) == Decimal("45.13888")
    assert Decimal(body["unit_price"]) == Decimal("80") and Decimal(body["capacity_per_day"]) == Decimal("8")

    changed = system.http.patch(catalog(system, f"/resources/{card['no']}"), json={"indirect_cost_pct": "0", "blocked": True})
    assert changed.status_code == 200, changed.text
    assert Decimal(changed.json()["unit_cost"]) == Decimal("40.12345") and changed.json()["blocked"] is True
    listed = system.http.get(catalog(system, "/resources"), params={"limit": 1000})
    assert card["no"] in [r["no"] for r in listed.json()["resources"]]


def test_a_card_sent_back_as_read_is_accepted_but_a_different_unit_cost_is_refused(system: System) -> None:
    no = unique("RES")
    card = {"no": no, "name": "Lathe", "type": "Machine", "direct_unit_cost": "10", "indirect_cost_pct": "5"}
    refused = system.http.post(catalog(system, "/resources"), json={**card, "unit_cost": "11"})
    assert refused.status_code == 422, refused.text
    assert created(system.http.post(catalog(system, "/resources"), json={**card, "unit_cost": "10.5"}))["type"] == "Machine"


def test_bad_resource_input_gets_problem_details(system: System) -> None:
    card = new_resource(system)
    again = system.http.post(catalog(system, "/resources"), json={"no": card["no"], "name": "Twin"})
    assert again.status_code == 409 and again.json()["type"] == "/problems/resource-exists"
    for bad in ({"no": unique("R"), "name": "X", "type": "Robot"},
                {"no": unique("R"), "name": "X", "direct_unit_cost": "-1"},
                {"no": unique("R"), "name": "X", "capacity_per_day": "1.123456"},
                {"no": "", "name": "X"}):
        response = system.http.post(catalog(system, "/resources"), json=bad)
        assert response.status_code == 422, (bad, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
    missing = system.http.get(catalog(system, "/resources/NO-SUCH-RES"))
    assert missing.status_code == 404 and missing.json()["type"] == "/problems/resource-not-found"
    patched = system.http.patch(catalog(system, f"/resources/{card['no']}"), json={"unit_cost": "1"})
    assert patched.status_code == 422


def test_changing_resources_needs_catalog_write(system: System) -> None:
    reader = system.stack.issuer.token(["catalog:read"])
    headers = {"Authorization": f"Bearer {reader}"}
    card = new_resource(system)
    refused = httpx.post(catalog(system, "/resources"), json={"no": unique("R"), "name": "X"}, headers=headers)
    assert refused.status_code == 403, refused.text
    assert httpx.patch(catalog(system, f"/resources/{card['no']}"), json={"name": "Y"}, headers=headers).status_code == 403
    assert httpx.get(catalog(system, f"/resources/{card['no']}"), headers=headers).status_code == 200
