"""Resources and their allocation through the catalog API, on the real stack with real tokens."""

import asyncio
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


def post(system: System, path: str, body: dict[str, Any]) -> dict[str, Any]:
    return created(system.http.post(catalog(system, path), json=body))


def test_a_service_order_line_is_allocated_only_to_qualified_resources_with_free_hours(system: System) -> None:
    zone, other_zone, elec, hvac, group = (unique(p) for p in ("NORTH", "SOUTH", "ELEC", "HVAC", "HEAT"))
    post(system, "/service-zones", {"code": zone, "description": "North"})
    post(system, "/service-zones", {"code": other_zone})
    post(system, "/skill-codes", {"code": elec, "description": "Electrician"})
    post(system, "/skill-codes", {"code": hvac})
    post(system, "/service-item-groups", {"code": group, "description": "Heating"})
    item = post(system, "/items", {"item_no": unique("BOILER"), "description": "Boiler", "base_unit_of_measure": "PCS",
                                   "inventory_posting_group": "RESALE", "gen_prod_posting_group": "RETAIL"})["item_no"]
    customer = post(system, "/customers", {"no": unique("CUST"), "name": "Heating Ltd", "service_zone_code": zone})["no"]
    skilled = new_resource(system, capacity_per_day="8", service_zone_code=zone, direct_unit_cost="30")["no"]
    half_skilled = new_resource(system, capacity_per_day="8", service_zone_code=zone)["no"]
    elsewhere = new_resource(system, capacity_per_day="8", service_zone_code=other_zone)["no"]
    for type_, no, skill in (("Item", item, elec), ("Service Item Group", group, hvac), ("Resource", skilled, elec),
                             ("Resource", skilled, hvac), ("Resource", half_skilled, elec), ("Resource", elsewhere, elec),
                             ("Resource", elsewhere, hvac)):
        post(system, "/resource-skills", {"type": type_, "no": no, "skill_code": skill})
    order = post(system, "/service-orders", {"no": unique("SO"), "customer_no": customer, "order_date": "2027-01-25",
                                             "lines": [{"line_no": 10000, "item_no": item, "service_item_group_code": group,
                                                        "needed_date": "2027-01-25", "hours_needed": "5"}]})["no"]
    line = f"/service-orders/{order}/lines/10000"

    proposal = system.http.get(catalog(system, f"{line}/qualified-resources"), params={"date": "2027-01-25"})
    assert proposal.status_code == 200, proposal.text
    assert sorted(proposal.json()["required_skills"]) == sorted([elec, hvac])
    assert [(r["resource_no"], Decimal(r["free_hours"])) for r in proposal.json()["resources"]
            if r["resource_no"] in (skilled, half_skilled, elsewhere)] == [(skilled, Decimal(8))]

    for refused_no in (half_skilled, elsewhere):
        refused = system.http.post(catalog(system, f"{line}/allocations"), json={"resource_no": refused_no})
        assert refused.status_code == 422 and refused.json()["type"] == "/problems/resource-not-qualified", refused.text
    allocation = post(system, f"{line}/allocations", {"resource_no": skilled})
    assert (allocation["status"], Decimal(allocation["hours"]), allocation["allocation_date"]) == (
        "Active", Decimal(5), "2027-01-25")
    after = system.http.get(catalog(system, f"{line}/qualified-resources"), params={"date": "2027-01-25"}).json()
    assert skilled not in [r["resource_no"] for r in after["resources"]]  # 3 hours left, the line needs 5
    short = system.http.post(catalog(system, f"{line}/allocations"), json={"resource_no": skilled, "hours": "3.5"})
    assert short.status_code == 409 and short.json()["type"] == "/problems/insufficient-capacity", short.text

    days = system.http.get(catalog(system, f"/resources/{skilled}/availability"),
                           params={"from": "2027-01-24", "to": "2027-01-26"}).json()
    assert [(d["date"], Decimal(d["capacity"]), Decimal(d["allocated_hours"]), Decimal(d["available_hours"]))
            for d in days] == [("2027-01-24", 8, 0, 8), ("2027-01-25", 8, 5, 3), ("2027-01-26", 8, 0, 8)]

    cancelled = system.http.post(catalog(system, f"/resource-allocations/{allocation['entry_no']}/cancel"))
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "Canceled", cancelled.text
    days = system.http.get(catalog(system, f"/resources/{skilled}/availability"),
                           params={"from": "2027-01-25", "to": "2027-01-25"}).json()
    assert Decimal(days[0]["available_hours"]) == 8
    listed = system.http.get(catalog(system, "/resource-allocations"), params={"source_no": order}).json()
    assert [(a["entry_no"], a["status"]) for a in listed] == [(allocation["entry_no"], "Canceled")]


def test_an_assembly_line_is_allocated_by_the_skills_of_the_item_it_assembles(system: System) -> None:
    weld = unique("WELD")
    post(system, "/skill-codes", {"code": weld})
    parent = post(system, "/items", {"item_no": unique("FRAME"), "description": "Frame", "base_unit_of_measure": "PCS",
                                     "inventory_posting_group": "RESALE", "gen_prod_posting_group": "RETAIL"})["item_no"]
    post(system, "/resource-skills", {"type": "Item", "no": parent, "skill_code": weld})
    welder = new_resource(system, type="Machine", name="Welding robot", capacity_per_day="16")["no"]
    untrained = new_resource(system, capacity_per_day="16")["no"]
    post(system, "/resource-skills", {"type": "Resource", "no": welder, "skill_code": weld})
    assembly = unique("A")
    line = f"/assembly-orders/{assembly}/lines/10000"
    proposal = system.http.get(catalog(system, f"{line}/qualified-resources"),
                               params={"parent_item_no": parent, "date": "2027-02-01", "hours": "10"})
    assert proposal.status_code == 200, proposal.text
    proposed = [r["resource_no"] for r in proposal.json()["resources"]]
    assert welder in proposed and untrained not in proposed
    made = post(system, f"{line}/allocations", {"resource_no": welder, "parent_item_no": parent,
                                                "allocation_date": "2027-02-01", "hours": "10"})
    assert (made["source_type"], made["source_no"], made["source_line_no"], made["parent_item_no"]) == (
        "Assembly", assembly, 10000, parent)
    too_much = system.http.post(catalog(system, f"/assembly-orders/{unique('A')}/lines/10000/allocations"),
                                json={"resource_no": welder, "parent_item_no": parent, "allocation_date": "2027-02-01",
                                      "hours": "6.00001"})
    assert too_much.status_code == 409, too_much.text
    refused = system.http.post(catalog(system, f"{line}/allocations"), json={
        "resource_no": untrained, "parent_item_no": parent, "allocation_date": "2027-02-01", "hours": "1"})
    assert refused.status_code in (409, 422), refused.text


def test_bad_allocation_input_gets_problem_details(system: System) -> None:
    card = new_resource(system, capacity_per_day="8")
    cases = [
        ("GET", f"/resources/{card['no']}/availability", {"from": "2027-02-01", "to": "2027-01-01"}, None, 422),
        ("GET", f"/resources/{card['no']}/availability", {"from": "2027-01-01", "to": "2029-01-01"}, None, 422),
        ("GET", f"/resources/{card['no']}/availability", {"from": "not-a-date", "to": "2027-01-01"}, None, 422),
        ("GET", "/resources/NO-SUCH/availability", {"from": "2027-01-01", "to": "2027-01-01"}, None, 404),
        ("GET", "/service-orders/NO-SUCH/lines/10000/qualified-resources", {}, None, 404),
        ("POST", "/service-orders/NO-SUCH/lines/10000/allocations", {}, {"resource_no": card["no"]}, 404),
        ("POST", "/service-orders/X/lines/0/allocations", {}, {"resource_no": card["no"]}, 422),
        ("POST", "/resource-allocations/999999999/cancel", {}, None, 404),
        ("POST", "/customers", {}, {"no": unique("C"), "name": "X", "service_zone_code": "NO-SUCH-ZONE"}, 422),
        ("POST", "/resource-skills", {}, {"type": "Resource", "no": card["no"], "skill_code": "NO-SUCH-SKILL"}, 422),
        ("POST", "/resource-skills", {}, {"type": "Vendor", "no": card["no"], "skill_code": "X"}, 422),
        ("POST", "/service-orders", {}, {"no": unique("SO"), "customer_no": "NO-SUCH", "order_date": "2027-01-01",
                                         "lines": [{"line_no": 1, "needed_date": "2027-01-01", "hours_needed": "1"}]}, 404),
        ("POST", "/assembly-orders/A/lines/1/allocations", {}, {"resource_no": card["no"], "parent_item_no": "NO-SUCH",
                                                                 "allocation_date": "2027-01-01", "hours": "0"}, 422),
    ]
    for method, path, params, body, status in cases:
        response = system.http.request(method, catalog(system, path), params=params, json=body)
        assert response.status_code == status, (method, path, response.text)
        assert response.headers["content-type"].startswith("application/problem+json"), response.text
    assert system.http.get(catalog(system, "/resource-allocations"), params={"resource_no": card["no"]}).json() == []


def test_allocating_needs_catalog_write(system: System) -> None:
    reader = {"Authorization": f"Bearer {system.stack.issuer.token(['catalog:read'])}"}
    card = new_resource(system, capacity_per_day="8")
    for path, body in (("/skill-codes", {"code": unique("S")}), ("/customers", {"no": unique("C"), "name": "X"}),
                       ("/assembly-orders/A/lines/1/allocations", {"resource_no": card["no"], "parent_item_no": "X",
                                                                    "allocation_date": "2027-01-01", "hours": "1"})):
        refused = httpx.post(catalog(system, path), json=body, headers=reader)
        assert refused.status_code == 403, (path, refused.text)
    assert httpx.post(catalog(system, "/resource-allocations/1/cancel"), headers=reader).status_code == 403
    readable = httpx.get(catalog(system, f"/resources/{card['no']}/availability"),
                         params={"from": "2027-01-01", "to": "2027-01-02"}, headers=reader)
    assert readable.status_code == 200, readable.text


def test_concurrent_allocations_never_take_more_than_the_capacity_nor_two_resources_for_one_line(system: System) -> None:
    parent = post(system, "/items", {"item_no": unique("KIT"), "description": "Kit", "base_unit_of_measure": "PCS",
                                     "inventory_posting_group": "RESALE", "gen_prod_posting_group": "RETAIL"})["item_no"]
    fitter = new_resource(system, capacity_per_day="8")["no"]
    others = [new_resource(system, capacity_per_day="8")["no"] for _ in range(4)]

    async def allocate_all(bodies: list[tuple[str, dict[str, Any]]]) -> list[int]:
        async with httpx.AsyncClient(headers=system.headers, timeout=60) as client:
            responses = await asyncio.gather(*(client.post(catalog(system, path), json=body) for path, body in bodies))
        return sorted(r.status_code for r in responses)

    # Five lines ask 5 of the fitter's 8 hours on one day at once: one gets them.
    day = {"parent_item_no": parent, "allocation_date": "2027-03-01", "hours": "5"}
    statuses = asyncio.run(allocate_all([(f"/assembly-orders/{unique('A')}/lines/1/allocations",
                                          {"resource_no": fitter, **day}) for _ in range(5)]))
    assert statuses == [201, 409, 409, 409, 409]
    days = system.http.get(catalog(system, f"/resources/{fitter}/availability"),
                           params={"from": "2027-03-01", "to": "2027-03-01"}).json()
    assert Decimal(days[0]["allocated_hours"]) == 5

    # Four resources for one line at once: one gets it.
    line = f"/assembly-orders/{unique('A')}/lines/1/allocations"
    statuses = asyncio.run(allocate_all([(line, {"resource_no": no, **day}) for no in others]))
    assert statuses == [201, 409, 409, 409]
