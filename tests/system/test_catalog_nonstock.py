"""Catalog (nonstock) items converted into inventory items, and item references with their lookup."""

from typing import Any

import pytest

from support import System, unique

pytestmark = pytest.mark.system


def catalog(system: System, path: str) -> str:
    return system.url("catalog", path)


def created(response: Any) -> dict[str, Any]:
    assert response.status_code == 201, response.text
    return dict(response.json())


@pytest.fixture(scope="module")
def template(system: System) -> str:
    code = unique("TPL")
    response = system.http.put(catalog(system, f"/item-templates/{code}"), json={
        "inventory_posting_group": "RESALE", "gen_prod_posting_group": "RETAIL", "costing_method": "LIFO"})
    assert response.status_code == 200, response.text
    return code


def nonstock(system: System, template: str, **fields: Any) -> dict[str, Any]:
    return created(system.http.post(catalog(system, "/nonstock-items"), json={
        "vendor_no": "V100", "vendor_item_no": unique("VI"), "manufacturer_code": "ACME", "description": "Bolt",
        "unit_of_measure": "PCS", "unit_price": "2.50", "negotiated_cost": "1.10", "item_template_code": template,
        **fields}))


def set_format(system: System, **setup: Any) -> None:
    assert system.http.put(catalog(system, "/nonstock-setup"), json=setup).status_code == 200


def test_converting_twice_returns_the_same_item_with_a_vendor_reference(system: System, template: str) -> None:
    set_format(system, no_format="Mfr. + Vendor Item No.", no_format_separator="-")
    entry = nonstock(system, template)
    first = system.http.post(catalog(system, f"/nonstock-items/{entry['entry_no']}/convert"))
    again = system.http.post(catalog(system, f"/nonstock-items/{entry['entry_no']}/convert"))
    assert first.status_code == 201 and again.status_code == 200, (first.text, again.text)
    item = first.json()["item"]
    assert item["item_no"] == f"ACME-{entry['vendor_item_no']}" == again.json()["item"]["item_no"]
    assert item["costing_method"] == "LIFO" and item["nonstock_entry_no"] == entry["entry_no"]
    assert system.http.get(catalog(system, f"/nonstock-items/{entry['entry_no']}")).json()["item_no"] == item["item_no"]
    found = system.http.get(catalog(system, "/item-references/lookup"), params={
        "reference_no": entry["vendor_item_no"], "reference_type": "Vendor", "reference_type_no": "V100"})
    assert found.status_code == 200, found.text
    assert found.json() == [{"item_no": item["item_no"], "variant_code": "", "unit_of_measure": "PCS",
                             "description": "Bolt", "reference_type": "Vendor", "reference_type_no": "V100"}]
    system.wait_quiet()
    (event,) = [r for r in system.records("catalog.items.v1", key=item["item_no"])]
    assert b'"created_from_nonstock_item":true' in event.value


def test_number_series_format(system: System, template: str) -> None:
    prefix = unique("N")[:8]
    set_format(system, no_format="Item No. Series", no_series_prefix=prefix, no_series_width=4, no_series_next=7)
    numbers = [
        created(system.http.post(catalog(system, f"/nonstock-items/{nonstock(system, template)['entry_no']}/convert")))["item"]["item_no"]
        for _ in range(2)
    ]
    assert numbers == [f"{prefix}0007", f"{prefix}0008"]


def test_a_number_the_format_cannot_make_is_refused_and_nothing_is_written(system: System, template: str) -> None:
    set_format(system, no_format="Vendor Item No.")
    entry = nonstock(system, template, vendor_item_no="has space")
    response = system.http.post(catalog(system, f"/nonstock-items/{entry['entry_no']}/convert"))
    assert response.status_code == 422 and response.json()["type"] == "/problems/invalid-item-number"
    assert system.http.get(catalog(system, f"/nonstock-items/{entry['entry_no']}")).json()["item_no"] == ""


class TestReferences:
    def test_lookup_by_bar_code_with_validity_dates(self, system: System) -> None:
        item_no = system.create_item(units_of_measure=[{"code": "BOX", "qty_per_unit_of_measure": "6"}],
                                     variants=[{"code": "BLUE", "description": "Blue bolt"}])["item_no"]
        bar = unique("590")
        created(system.http.post(catalog(system, f"/items/{item_no}/references"), json={
            "reference_type": "Bar Code", "reference_no": bar, "variant_code": "BLUE", "unit_of_measure": "BOX",
            "starting_date": "2026-01-01", "ending_date": "2026-06-30"}))
        found = system.http.get(catalog(system, "/item-references/lookup"), params={"reference_no": bar, "on": "2026-03-01"})
        assert found.json() == [{"item_no": item_no, "variant_code": "BLUE", "unit_of_measure": "BOX",
                                 "description": "Blue bolt", "reference_type": "Bar Code", "reference_type_no": ""}]
        expired = system.http.get(catalog(system, "/item-references/lookup"), params={"reference_no": bar, "on": "2026-07-01"})
        assert expired.status_code == 404

    def test_a_reference_is_unique_per_type_type_no_and_reference_no(self, system: System) -> None:
        first, second = system.create_item()["item_no"], system.create_item()["item_no"]
        ref = unique("C")
        body = {"reference_type": "Customer", "reference_type_no": "C10", "reference_no": ref}
        created(system.http.post(catalog(system, f"/items/{first}/references"), json=body))
        clash = system.http.post(catalog(system, f"/items/{second}/references"), json=body)
        assert clash.status_code == 409 and clash.json()["type"] == "/problems/item-reference-exists"
        # Another customer may use the same number.
        created(system.http.post(catalog(system, f"/items/{second}/references"), json={**body, "reference_type_no": "C11"}))

    def test_a_reference_to_a_unit_the_item_lacks_is_refused(self, system: System) -> None:
        item_no = system.create_item()["item_no"]
        response = system.http.post(catalog(system, f"/items/{item_no}/references"), json={
            "reference_type": "Bar Code", "reference_no": unique("1"), "unit_of_measure": "PALLET"})
        assert response.status_code == 422
