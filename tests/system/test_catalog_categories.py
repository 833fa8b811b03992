"""Categories, attributes and item search through the catalog API."""

from typing import Any

import pytest

from support import System, unique

pytestmark = pytest.mark.system


def catalog(system: System, path: str) -> str:
    return system.url("catalog", path)


def post(system: System, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = system.http.post(catalog(system, path), json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def new_item(system: System, **fields: Any) -> dict[str, Any]:
    return post(system, "/items", {"item_no": unique("CA"), "description": "Category test item",
                                   "base_unit_of_measure": "PCS", "inventory_posting_group": "RESALE",
                                   "gen_prod_posting_group": "RETAIL", **fields})


def patch_item(system: System, item_no: str, changes: dict[str, Any]) -> Any:
    etag = system.http.get(catalog(system, f"/items/{item_no}")).headers["ETag"]
    return system.http.patch(catalog(system, f"/items/{item_no}"), json=changes, headers={"If-Match": etag})


@pytest.fixture(scope="module")
def attrs(system: System) -> dict[str, str]:
    names = {k: unique(k) for k in ("Color", "Width", "Material", "Released", "Pieces")}
    post(system, "/item-attributes", {"name": names["Color"], "type": "Option", "options": ["Red", "Blue", "Green"]})
    post(system, "/item-attributes", {"name": names["Width"], "type": "Decimal", "unit_of_measure": "CM"})
    post(system, "/item-attributes", {"name": names["Material"], "type": "Text"})
    post(system, "/item-attributes", {"name": names["Released"], "type": "Date"})
    post(system, "/item-attributes", {"name": names["Pieces"], "type": "Integer"})
    return names


def test_children_inherit_the_chain_and_changing_category_swaps_attributes(system: System, attrs: dict[str, str]) -> None:
    root, child, other = unique("ROOT"), unique("CHILD"), unique("OTHER")
    post(system, "/item-categories", {"code": root, "attributes": {attrs["Color"]: "Red"}})
    post(system, "/item-categories", {"code": child, "parent_code": root, "attributes": {attrs["Width"]: ""}})
    post(system, "/item-categories", {"code": other, "attributes": {attrs["Material"]: "steel", attrs["Width"]: "3"}})
    item = new_item(system, item_category_code=child, attributes={attrs["Width"]: "12.5"})
    assert item["attributes"] == {attrs["Color"]: "Red", attrs["Width"]: "12.5"}

    moved = patch_item(system, item["item_no"], {"item_category_code": other})
    assert moved.status_code == 200, moved.text
    # Color (old chain only) goes, Width keeps the item's value, Material comes with its default.
    assert moved.json()["attributes"] == {attrs["Width"]: "12.5", attrs["Material"]: "steel"}
    assert moved.json()["revision"] == 2


def test_moving_a_category_updates_every_item_below_it(system: System, attrs: dict[str, str]) -> None:
    a, b, leaf = unique("A"), unique("B"), unique("LEAF")
    post(system, "/item-categories", {"code": a, "attributes": {attrs["Color"]: "Blue"}})
    post(system, "/item-categories", {"code": b, "attributes": {attrs["Pieces"]: "4"}})
    post(system, "/item-categories", {"code": leaf, "parent_code": a})
    item = new_item(system, item_category_code=leaf)
    assert item["attributes"] == {attrs["Color"]: "Blue"}
    response = system.http.patch(catalog(system, f"/item-categories/{leaf}"), json={"parent_code": b})
    assert response.status_code == 200, response.text
    after = system.http.get(catalog(system, f"/items/{item['item_no']}"))
    assert after.json()["attributes"] == {attrs["Pieces"]: "4"}
    assert after.headers["ETag"] == '"2"'
    # A cycle is refused.
    cycle = system.http.patch(catalog(system, f"/item-categories/{b}"), json={"parent_code": leaf})
    assert cycle.status_code == 422 and cycle.json()["type"] == "/problems/category-cycle"


def test_a_category_in_use_cannot_be_deleted(system: System) -> None:
    code = unique("USED")
    post(system, "/item-categories", {"code": code})
    item = new_item(system, item_category_code=code)
    refused = system.http.delete(catalog(system, f"/item-categories/{code}"))
    assert refused.status_code == 409 and refused.json()["type"] == "/problems/category-in-use"
    assert patch_item(system, item["item_no"], {"item_category_code": ""}).status_code == 200
    assert system.http.delete(catalog(system, f"/item-categories/{code}")).status_code == 204


@pytest.mark.parametrize("attribute, value", [
    ("Color", "Purple"), ("Width", "wide"), ("Pieces", "1.5"), ("Released", "2026-13-01"),
])
def test_attribute_values_are_validated_by_type(system: System, attrs: dict[str, str], attribute: str, value: str) -> None:
    item_no = unique("BADATTR")
    response = system.http.post(catalog(system, "/items"), json={
        "item_no": item_no, "description": "x", "base_unit_of_measure": "PCS", "inventory_posting_group": "RESALE",
        "gen_prod_posting_group": "RETAIL", "attributes": {attrs[attribute]: value}})
    assert response.status_code == 422 and response.json()["type"] == "/problems/invalid-attribute-value", response.text
    assert system.http.get(catalog(system, f"/items/{item_no}")).status_code == 404


def test_a_blocked_attribute_takes_no_new_values(system: System) -> None:
    name = unique("Old")
    post(system, "/item-attributes", {"name": name, "type": "Text", "blocked": True})
    response = system.http.post(catalog(system, "/items"), json={
        "item_no": unique("BL"), "description": "x", "base_unit_of_measure": "PCS", "inventory_posting_group": "RESALE",
        "gen_prod_posting_group": "RETAIL", "attributes": {name: "v"}})
    assert response.status_code == 422 and response.json()["type"] == "/problems/attribute-blocked"


class TestSearch:
    @pytest.fixture(scope="class")
    @classmethod
    def world(cls, system: System, attrs: dict[str, str]) -> dict[str, Any]:
        tag = unique("zq")
        parent, child = unique("SP"), unique("SC")
        post(system, "/item-categories", {"code": parent})
        post(system, "/item-categories", {"code": child, "parent_code": parent})
        specs = [
            ("Red chair", parent, {"Color": "Red", "Width": "40", "Material": "Oak wood", "Released": "2025-01-10"}, "10"),
            ("Blue chair", child, {"Color": "Blue", "Width": "55.5", "Material": "Steel", "Released": "2025-06-01"}, "30"),
            ("Green table", child, {"Color": "Green", "Width": "120", "Material": "oak veneer", "Released": "2026-02-01"}, "20"),
            ("Red lamp", "", {"Color": "Red", "Material": "Glass"}, "5"),
        ]
        made = {}
        for i, (description, category, values, price) in enumerate(specs):
            item = new_item(system, item_no=f"{tag}{i}", description=f"{description} {tag}", item_category_code=category,
                            unit_price=price, attributes={attrs[k]: v for k, v in values.items()},
                            blocked=description == "Red lamp")
            made[description] = item["item_no"]
        new_item(system, item_no=f"{tag}S", description=f"Service {tag}", type="Service")
        return {"tag": tag, "parent": parent, "child": child, "items": made}

    def find(self, system: System, **params: Any) -> list[str]:
        response = system.http.get(catalog(system, "/items"), params=params)
        assert response.status_code == 200, response.text
        return [i["item_no"] for i in response.json()["items"]]

    def test_text_type_blocked_and_category_with_descendants(self, system: System, world: dict[str, Any]) -> None:
        tag, made = world["tag"], world["items"]
        assert len(self.find(system, q=tag)) == 5
        assert self.find(system, q=f"chair {tag}") == [made["Red chair"], made["Blue chair"]]
        assert self.find(system, q=tag, type="Service") == [f"{tag}S"]
        assert self.find(system, q=tag, blocked="true") == [made["Red lamp"]]
        assert self.find(system, q=tag, category=world["parent"]) == [made["Red chair"], made["Blue chair"], made["Green table"]]
        assert self.find(system, q=tag, category=world["child"]) == [made["Blue chair"], made["Green table"]]

    def test_attribute_filters(self, system: System, world: dict[str, Any], attrs: dict[str, str]) -> None:
        tag, made = world["tag"], world["items"]
        assert self.find(system, q=tag, attribute=f"{attrs['Color']}:eq:Red") == [made["Red chair"], made["Red lamp"]]
        assert self.find(system, q=tag, attribute=f"{attrs['Material']}:contains:OAK") == [made["Red chair"], made["Green table"]]
        assert self.find(system, q=tag, attribute=f"{attrs['Material']}:begins:ste") == [made["Blue chair"]]
        assert self.find(system, q=tag, attribute=f"{attrs['Width']}:range:50..120") == [made["Blue chair"], made["Green table"]]
        assert self.find(system, q=tag, attribute=f"{attrs['Width']}:range:..40") == [made["Red chair"]]
        assert self.find(system, q=tag, attribute=[f"{attrs['Released']}:range:2025-05-01..",
                                                    f"{attrs['Color']}:eq:Green"]) == [made["Green table"]]

    def test_bad_filters_are_problems(self, system: System, world: dict[str, Any], attrs: dict[str, str]) -> None:
        for attribute in [f"{attrs['Color']}:range:1..2", "Nope:eq:x", "no-op", f"{attrs['Width']}:range:a..b"]:
            response = system.http.get(catalog(system, "/items"), params={"attribute": attribute})
            assert response.status_code == 422 and response.json()["type"] == "/problems/invalid-search", attribute
        assert system.http.get(catalog(system, "/items"), params={"sort": "color"}).status_code == 422

    @pytest.mark.parametrize("sort", ["unit_price", "-unit_price", "description", "-description", "-item_no"])
    def test_sorted_cursor_pages_visit_every_item_once_in_order(self, system: System, world: dict[str, Any], sort: str) -> None:
        seen: list[dict[str, Any]] = []
        params: dict[str, Any] = {"q": world["tag"], "sort": sort, "limit": 2}
        while True:
            page = system.http.get(catalog(system, "/items"), params=params).json()
            seen += page["items"]
            if not page["next_cursor"]:
                break
            params["cursor"] = page["next_cursor"]
        key = sort.lstrip("-")

        def value(i: dict[str, Any]) -> Any:
            return float(i[key]) if key == "unit_price" else i[key]

        expected = sorted(seen, key=lambda i: (value(i), i["item_no"]), reverse=sort.startswith("-"))
        assert [i["item_no"] for i in seen] == [i["item_no"] for i in expected]
        assert len(seen) == 5

    def test_a_cursor_of_another_sort_is_refused(self, system: System, world: dict[str, Any]) -> None:
        page = system.http.get(catalog(system, "/items"), params={"q": world["tag"], "limit": 1}).json()
        response = system.http.get(catalog(system, "/items"), params={"q": world["tag"], "sort": "description",
                                                                      "cursor": page["next_cursor"]})
        assert response.status_code == 400 and response.json()["type"] == "/problems/invalid-cursor"
