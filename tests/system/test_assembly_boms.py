"""Assembly BOMs on the real stack: the BOM of an item card (validated, announced, replicated to the warehouse),
the assembly and reserve policies, the tree, where-used, Explode BOM and the standard cost roll-up with costing's
unit costs."""

import json
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import Any

import pytest

from support import System, assert_problem, unique, wait_until

pytestmark = pytest.mark.system

D = Decimal


def catalog(system: System, path: str) -> str:
    return system.url("catalog", path)


def put_bom(system: System, item_no: str, lines: list[dict[str, Any]], etag: str | None = None, **kwargs: Any) -> Any:
    if etag is None:
        etag = system.http.get(catalog(system, f"/items/{item_no}")).headers["ETag"]
    return system.http.put(catalog(system, f"/items/{item_no}/assembly-bom"), json={"lines": lines},
                           headers={"If-Match": etag}, **kwargs)


def item_line(line_no: int, no: str, quantity: str, unit: str = "") -> dict[str, Any]:
    return {"line_no": line_no, "type": "Item", "no": no, "quantity_per": quantity, "unit_of_measure_code": unit}


def events_of(system: System, item_no: str) -> list[dict[str, Any]]:
    return [json.loads(r.value)["payload"] for r in system.records("catalog.items.v1", key=item_no)]


def warehouse_card(system: System, item_no: str) -> Any:
    rows = system.sql("warehouse", "SELECT revision, assembly_policy, reserve, assembly_bom FROM items WHERE item_no = $1",
                      item_no)
    return rows[0] if rows else None


@pytest.fixture
def bike(system: System) -> dict[str, str]:
    """BIKE = 1 FRAME + 2 WHEEL; WHEEL = 1 RIM + 0.36 BOX of SPOKE (100 a box)."""
    nos = {name: unique(name[:2]) for name in ("BIKE", "FRAME", "WHEEL", "RIM", "SPOKE")}
    for name, no in nos.items():
        extra: dict[str, Any] = {}
        if name == "SPOKE":
            extra = {"units_of_measure": [{"code": "BOX", "qty_per_unit_of_measure": "100"}]}
        if name == "FRAME":
            extra = {"costing_method": "Standard", "standard_cost": "40"}
        system.create_item(no, description=name.title(), **extra)
    assert put_bom(system, nos["WHEEL"], [item_line(10, nos["RIM"], "1"),
                                          item_line(20, nos["SPOKE"], "0.36", "BOX")]).status_code == 200
    assert put_bom(system, nos["BIKE"], [item_line(10, nos["FRAME"], "1"), item_line(20, nos["WHEEL"], "2"),
                                         {"line_no": 30, "type": "Text", "description": "Check the brakes"}]).status_code == 200
    return nos


def test_a_bom_is_a_new_card_revision_announced_and_replicated_to_the_warehouse(system: System, bike: dict[str, str]) -> None:
    wheel = bike["WHEEL"]
    response = system.http.get(catalog(system, f"/items/{wheel}/assembly-bom"))
    assert response.status_code == 200, response.text
    assert response.headers["ETag"] == '"2"'
    assert [(b["no"], D(b["quantity_per"]), b["unit_of_measure_code"], b["description"]) for b in response.json()["lines"]] == [
        (bike["RIM"], D(1), "PCS", "Rim"), (bike["SPOKE"], D("0.36"), "BOX", "Spoke")]
    card = system.http.get(catalog(system, f"/items/{wheel}")).json()
    assert [b["no"] for b in card["assembly_bom"]] == [bike["RIM"], bike["SPOKE"]]
    system.wait_quiet()
    assert [(e["revision"], [b["no"] for b in e["assembly_bom"]]) for e in events_of(system, wheel)] == [
        (1, []), (2, [bike["RIM"], bike["SPOKE"]])]
    replica = wait_until(lambda: (row := warehouse_card(system, wheel)) and row["revision"] == 2 and row,
                         what="the BOM in the warehouse's replica")
    assert [(c["no"], D(c["quantity_per"]), c["unit_of_measure_code"]) for c in json.loads(replica["assembly_bom"])] == [
        (bike["RIM"], D(1), "PCS"), (bike["SPOKE"], D("0.36"), "BOX")]


def test_assembly_policy_and_reserve_are_set_on_the_card_and_replicated(system: System, bike: dict[str, str]) -> None:
    bike_no = bike["BIKE"]
    etag = system.http.get(catalog(system, f"/items/{bike_no}")).headers["ETag"]
    response = system.http.patch(catalog(system, f"/items/{bike_no}"), headers={"If-Match": etag},
                                 json={"assembly_policy": "Assemble-to-Order", "reserve": "Always"})
    assert response.status_code == 200, response.text
    assert (response.json()["assembly_policy"], response.json()["reserve"]) == ("Assemble-to-Order", "Always")
    assert len(response.json()["assembly_bom"]) == 3, "a change of the card keeps its BOM"
    replica = wait_until(lambda: (row := warehouse_card(system, bike_no)) and row["reserve"] == "Always" and row,
                         what="the policies in the warehouse's replica")
    assert replica["assembly_policy"] == "Assemble-to-Order"
    assert len(json.loads(replica["assembly_bom"])) == 3
    bad = system.http.patch(catalog(system, f"/items/{bike_no}"), headers={"If-Match": response.headers["ETag"]},
                            json={"reserve": "Sometimes"})
    assert bad.status_code == 422, bad.text


def test_bad_boms_get_problems_and_change_nothing(system: System, bike: dict[str, str]) -> None:
    wheel, rim = bike["WHEEL"], bike["RIM"]
    before = system.http.get(catalog(system, f"/items/{wheel}"))
    cases = [
        ([item_line(10, "NO-SUCH-ITEM", "1")], 422, "invalid-assembly-bom", "does not exist"),
        ([item_line(10, wheel, "1")], 422, "invalid-assembly-bom", "component of itself"),
        ([item_line(10, rim, "1", "BOX")], 422, "invalid-assembly-bom", "no unit of measure BOX"),
        ([{"line_no": 10, "type": "Text", "no": rim}], 422, "invalid-assembly-bom", "text line"),
        ([{"line_no": 10, "type": "Resource", "no": "NO-SUCH-RES", "quantity_per": "1"}], 422, "invalid-assembly-bom",
         "resource NO-SUCH-RES does not exist"),
        ([resource_line(10, resource(system, "Fitter", "10", "0"), "1", unit="DAY")], 422, "invalid-assembly-bom",
         "base unit HOUR"),
        # WHEEL is in BIKE's BOM: BIKE in WHEEL's closes a cycle.
        ([item_line(10, bike["BIKE"], "1")], 422, "assembly-bom-cycle", "would be its own component"),
    ]
    for lines, status, problem, reason in cases:
        body = assert_problem(put_bom(system, wheel, lines), status, problem)
        assert reason in body["detail"], body
    # Two levels down: RIM (under WHEEL under BIKE) cannot take BIKE.
    body = assert_problem(put_bom(system, rim, [item_line(10, bike["BIKE"], "1")]), 422, "assembly-bom-cycle")
    assert body["detail"].endswith(f"{rim} -> {bike['BIKE']} -> {wheel} -> {rim}"), body
    assert put_bom(system, wheel, [{"line_no": 10, "type": "Item", "no": rim, "quantity_per": "-1"}]).status_code == 422
    assert put_bom(system, wheel, [{"line_no": 0, "type": "Item", "no": rim, "quantity_per": "1"}]).status_code == 422
    assert_problem(put_bom(system, wheel, [item_line(10, rim, "1")], etag='"1"'), 412, "stale-revision")
    assert_problem(system.http.put(catalog(system, f"/items/{wheel}/assembly-bom"), json={"lines": []}), 428,
                   "if-match-required")
    assert_problem(put_bom(system, "NO-SUCH-ITEM", [], etag='"1"'), 404, "item-not-found")
    after = system.http.get(catalog(system, f"/items/{wheel}"))
    assert after.headers["ETag"] == before.headers["ETag"] and after.json() == before.json()
    # A component cannot be deleted while a BOM names it.
    rim_etag = system.http.get(catalog(system, f"/items/{rim}")).headers["ETag"]
    assert_problem(system.http.delete(catalog(system, f"/items/{rim}"), headers={"If-Match": rim_etag}),
                   409, "item-used-in-assembly-bom")
    assert system.http.get(catalog(system, f"/items/{rim}")).status_code == 200
    # Nor can a unit that a BOM names leave the component's card.
    spoke = system.http.get(catalog(system, f"/items/{bike['SPOKE']}"))
    body = assert_problem(system.http.patch(catalog(system, f"/items/{bike['SPOKE']}"), json={"units_of_measure": []},
                                            headers={"If-Match": spoke.headers["ETag"]}), 422, "invalid-item-card")
    assert "in unit BOX" in body["detail"], body


def test_tokens_need_catalog_write_to_change_and_catalog_read_to_read(system: System, bike: dict[str, str]) -> None:
    reader = {"Authorization": f"Bearer {system.stack.issuer.token(['catalog:read'])}"}
    writer = {"Authorization": f"Bearer {system.stack.issuer.token(['catalog:write'])}"}
    wheel = bike["WHEEL"]
    etag = system.http.get(catalog(system, f"/items/{wheel}")).headers["ETag"]
    refused = system.http.put(catalog(system, f"/items/{wheel}/assembly-bom"), json={"lines": []},
                              headers={**reader, "If-Match": etag})
    assert refused.status_code == 403, refused.text
    assert system.http.post(catalog(system, f"/items/{wheel}/calculate-standard-cost"), json={},
                            headers=reader).status_code == 403
    for path in ("assembly-bom", "bom-tree", "where-used", "assembly-bom/explode"):
        assert system.http.get(catalog(system, f"/items/{wheel}/{path}"), headers=writer).status_code == 403, path
        assert system.http.get(catalog(system, f"/items/{wheel}/{path}"), headers=reader).status_code == 200, path
    assert system.http.get(catalog(system, f"/items/{wheel}/bom-tree"),
                           headers={"Authorization": ""}).status_code == 401


def test_the_tree_where_used_and_explosion_cover_every_level(system: System, bike: dict[str, str]) -> None:
    tree = system.http.get(catalog(system, f"/items/{bike['BIKE']}/bom-tree"))
    assert tree.status_code == 200, tree.text
    assert tree.json()["low_level_code"] == 0
    assert [(t["level"], t["parent_item_no"], t["no"], D(t["quantity_per"]), D(t["quantity_per_top_item"]), t["low_level_code"])
            for t in tree.json()["lines"]] == [
        (1, bike["BIKE"], bike["FRAME"], D(1), D(1), 1),
        (1, bike["BIKE"], bike["WHEEL"], D(2), D(2), 1),
        (2, bike["WHEEL"], bike["RIM"], D(1), D(2), 2),
        (2, bike["WHEEL"], bike["SPOKE"], D("0.36"), D(72), 2),
        (1, bike["BIKE"], "", D(0), D(0), None),
    ]
    used = system.http.get(catalog(system, f"/items/{bike['SPOKE']}/where-used"))
    assert used.status_code == 200, used.text
    assert [(e["level"], e["item_no"], D(e["quantity_needed"])) for e in used.json()["entries"]] == [
        (1, bike["WHEEL"], D(36)), (2, bike["BIKE"], D(72))]
    exploded = system.http.get(catalog(system, f"/items/{bike['WHEEL']}/assembly-bom/explode"), params={"quantity": "5"})
    assert exploded.status_code == 200, exploded.text
    assert [(e["no"], D(e["quantity"]), e["unit_of_measure_code"], D(e["quantity_base"])) for e in exploded.json()["lines"]] == [
        (bike["RIM"], D(5), "PCS", D(5)), (bike["SPOKE"], D("1.8"), "BOX", D(180))]
    # The text line of BIKE is dropped.
    exploded = system.http.get(catalog(system, f"/items/{bike['BIKE']}/assembly-bom/explode"), params={"quantity": "2"})
    assert [(e["no"], D(e["quantity"])) for e in exploded.json()["lines"]] == [(bike["FRAME"], D(2)), (bike["WHEEL"], D(4))]
    assert_problem(system.http.get(catalog(system, f"/items/{bike['RIM']}/assembly-bom/explode")), 422, "invalid-assembly-bom")
    assert system.http.get(catalog(system, f"/items/{bike['BIKE']}/assembly-bom/explode"),
                           params={"quantity": "0"}).status_code == 422
    assert_problem(system.http.get(catalog(system, f"/items/{bike['BIKE']}/assembly-bom/explode"),
                                   params={"unit_of_measure_code": "CASE"}), 422, "invalid-assembly-bom")
    assert_problem(system.http.get(catalog(system, "/items/NO-SUCH-ITEM/where-used")), 404, "item-not-found")


def resource(system: System, name: str, direct_unit_cost: str, indirect_cost_pct: str) -> str:
    no = unique(name[:3].upper())
    response = system.http.post(catalog(system, "/resources"), json={
        "no": no, "name": name, "direct_unit_cost": direct_unit_cost, "indirect_cost_pct": indirect_cost_pct})
    assert response.status_code == 201, response.text
    return no


def resource_line(line_no: int, no: str, quantity: str, usage: str = "Direct", unit: str = "") -> dict[str, Any]:
    return {"line_no": line_no, "type": "Resource", "no": no, "quantity_per": quantity, "resource_usage_type": usage,
            "unit_of_measure_code": unit}


def purchase(system: System, item_no: str, quantity: str, unit_cost: str) -> None:
    response = system.post(unique("PR"), [{"item_no": item_no, "entry_type": "Purchase", "quantity": quantity,
                                           "unit_cost": unit_cost, "posting_date": "2026-05-04", "location_code": "MAIN"}])
    assert response.status_code in (200, 201), response.text


def shares(card: dict[str, Any]) -> tuple[Decimal, ...]:
    return tuple(D(card[field]) for field in ("single_level_material_cost", "single_level_capacity_cost",
                                              "single_level_cap_ovhd_cost", "single_level_mfg_ovhd_cost", "standard_cost"))


def test_the_roll_up_costs_components_at_costings_unit_cost_and_sub_assemblies_at_their_new_cost(
    system: System, bike: dict[str, str]
) -> None:
    # RIM and SPOKE are FIFO: the roll-up takes costing's unit cost, learned from costing.item-costs.v1.
    purchase(system, bike["RIM"], "2", "6.00")
    purchase(system, bike["SPOKE"], "1000", "0.05")
    for no, cost in ((bike["RIM"], D(6)), (bike["SPOKE"], D("0.05"))):
        wait_until(lambda: D(system.http.get(catalog(system, f"/items/{no}")).json()["unit_cost"]) == cost,
                   what=f"costing's unit cost of {no} on the card")
    # Half an hour of an assembler per wheel (20.00 + 10%); two hours of a painter per lot of 4 bikes (30.00 + 10%).
    assembler, painter = resource(system, "Assembler", "20", "10"), resource(system, "Painter", "30", "10")
    assert put_bom(system, bike["WHEEL"], [item_line(10, bike["RIM"], "1"), item_line(20, bike["SPOKE"], "0.36", "BOX"),
                                           resource_line(30, assembler, "0.5")]).status_code == 200
    bike_no = bike["BIKE"]
    assert put_bom(system, bike_no, [item_line(10, bike["FRAME"], "1"), item_line(20, bike["WHEEL"], "2"),
                                     resource_line(30, painter, "2", "Fixed", "HOUR")]).status_code == 200
    etag = system.http.get(catalog(system, f"/items/{bike_no}")).headers["ETag"]
    assert system.http.patch(catalog(system, f"/items/{bike_no}"), headers={"If-Match": etag},
                             json={"indirect_cost_pct": "10", "overhead_rate": "0.50", "lot_size": "4"}).status_code == 200
    top = system.http.post(catalog(system, f"/items/{bike_no}/calculate-standard-cost"), json={"levels": "top"})
    assert top.status_code == 200, top.text
    # Top level: WHEEL has no cost yet (FIFO, no entries): material 40.00 + 2 x 0 = 40.00; capacity 2 / 4 x 30.00 =
    # 15.00; capacity overhead 0.5 x 3.00 = 1.50; manufacturing overhead 56.50 x 10% + 0.50 = 6.15; 62.65.
    assert shares(top.json()) == (D(40), D(15), D("1.5"), D("6.15"), D("62.65"))
    rolled = system.http.post(catalog(system, f"/items/{bike_no}/calculate-standard-cost"), json={"levels": "all"})
    assert rolled.status_code == 200, rolled.text
    # WHEEL: material 1 x 6.00 + 36 x 0.05 = 7.80, capacity 0.5 x 20.00 = 10.00, overhead 0.5 x 2.00 = 1.00: 18.80.
    # BIKE: material 40.00 + 2 x 18.80 = 77.60; manufacturing overhead 94.10 x 10% + 0.50 = 9.91; 104.01.
    assert rolled.json()["updated_items"] == [bike["WHEEL"], bike_no]
    assert shares(rolled.json()) == (D("77.6"), D(15), D("1.5"), D("9.91"), D("104.01"))
    wheel = system.http.get(catalog(system, f"/items/{bike['WHEEL']}")).json()
    assert shares(wheel) == (D("7.8"), D(10), D(1), D(0), D("18.8"))
    system.wait_quiet()
    assert shares(events_of(system, bike_no)[-1]) == (D("77.6"), D(15), D("1.5"), D("9.91"), D("104.01"))
    # Nothing changed since: the calculation writes no new revision.
    again = system.http.post(catalog(system, f"/items/{bike_no}/calculate-standard-cost"), json={"levels": "all"})
    assert again.json()["updated_items"] == [] and again.json()["revision"] == rolled.json()["revision"]
    assert_problem(system.http.post(catalog(system, f"/items/{bike['RIM']}/calculate-standard-cost"), json={}),
                   422, "invalid-assembly-bom")
    assert system.http.post(catalog(system, f"/items/{bike_no}/calculate-standard-cost"),
                            json={"levels": "some"}).status_code == 422


def test_the_readme_example_gives_its_numbers(system: System) -> None:
    frame, wheel, bike = unique("FR"), unique("WH"), unique("BK")
    system.create_item(frame, costing_method="Standard", standard_cost="40")
    system.create_item(wheel, costing_method="Standard", standard_cost="15")
    system.create_item(bike)
    fitter = resource(system, "Fitter", "20", "10")
    assert put_bom(system, bike, [item_line(10, frame, "1"), item_line(20, wheel, "2"), resource_line(30, fitter, "0.5")],
                   etag='"1"').status_code == 200
    rolled = system.http.post(catalog(system, f"/items/{bike}/calculate-standard-cost"), json={"levels": "top"})
    assert shares(rolled.json()) == (D(70), D(10), D(1), D(0), D(81))
    used = system.http.get(catalog(system, f"/items/{wheel}/where-used")).json()["entries"]
    assert [(e["item_no"], e["level"], D(e["quantity_needed"])) for e in used] == [(bike, 1, D(2))]
    exploded = system.http.get(catalog(system, f"/items/{bike}/assembly-bom/explode"), params={"quantity": "3"}).json()
    assert [(e["no"], D(e["quantity"])) for e in exploded["lines"]] == [(frame, D(3)), (wheel, D(6))]


def test_two_boms_written_at_once_cannot_close_a_cycle_together(system: System) -> None:
    # Each BOM alone is fine; together A -> B -> A. BOM changes are serialised, so the second sees the first.
    for _ in range(5):
        a, b = unique("CA"), unique("CB")
        system.create_item(a)
        system.create_item(b)
        with ThreadPoolExecutor(2) as pool:
            answers = list(pool.map(lambda pair: put_bom(system, pair[0], [item_line(10, pair[1], "1")], etag='"1"'),
                                    [(a, b), (b, a)]))
        assert sorted(r.status_code for r in answers) == [200, 422], [r.text for r in answers]
        assert "assembly-bom-cycle" in next(r.text for r in answers if r.status_code == 422)
