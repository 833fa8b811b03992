"""Bins on transfer orders: a from-bin on shipment lines, a to-bin on receipt lines (and on a direct transfer's
shipment), the undo back into the from-bin, through the warehouse API."""

from decimal import Decimal
from typing import Any

import pytest

from support import System, unique

pytestmark = pytest.mark.system


def problem(response: Any, status: int, problem_type: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = dict(response.json())
    assert body["type"] == f"/problems/{problem_type}", body
    return body


def bin_location(system: System, *bins: str) -> str:
    code = unique("B")[:10]
    response = system.http.post(system.url("warehouse", "/locations"),
                                json={"code": code, "name": "Bins", "bin_mandatory": True})
    assert response.status_code == 201, response.text
    for b in bins:
        assert system.http.post(system.url("warehouse", f"/locations/{code}/bins"), json={"code": b}).status_code == 201
    return code


def step(system: System, order_no: str, action: str, body: dict[str, Any]) -> Any:
    return system.http.post(system.url("warehouse", f"/transfer-orders/{order_no}/{action}"), json=body)


def posted(response: Any) -> list[tuple[str, str, Decimal]]:
    assert response.status_code == 201, response.text
    return [(e["location_code"], e["bin_code"], Decimal(e["quantity"])) for e in response.json()["entries"]]


def bin_contents(system: System, item: str) -> list[tuple[str, str, Decimal]]:
    contents = system.http.get(system.url("warehouse", "/bin-contents"), params={"item_no": item}).json()["bin_contents"]
    return sorted((c["location_code"], c["bin_code"], Decimal(c["quantity"])) for c in contents if Decimal(c["quantity"]))


def test_transfers_between_bin_mandatory_locations(system: System) -> None:
    origin, destination = bin_location(system, "A1", "A2"), bin_location(system, "B1")
    item = system.create_item()["item_no"]
    assert system.post(unique("P"), [{"item_no": item, "entry_type": "Purchase", "quantity": "10", "unit_cost": "3",
                                      "posting_date": "2026-06-01", "location_code": origin,
                                      "bin_code": "A1"}]).status_code == 201
    created = system.http.post(system.url("warehouse", "/transfer-orders"), json={
        "no": unique("TO"), "transfer_from_code": origin, "transfer_to_code": destination,
        "in_transit_code": "IN-TRANSIT", "lines": [{"item_no": item, "quantity": "8"}]})
    assert created.status_code == 201, created.text
    order, line_no = created.json()["no"], created.json()["lines"][0]["line_no"]

    def ship(**extra: str) -> Any:
        return step(system, order, "ship", {"shipment_no": unique("TS"), "posting_date": "2026-06-02",
                                            "lines": [{"line_no": line_no, "quantity": "5", **extra}]})

    problem(ship(), 422, "bin-required")
    problem(ship(bin_code="ZZ"), 422, "unknown-bin")
    problem(ship(bin_code="A2"), 409, "insufficient-bin-content")
    problem(ship(bin_code="A1", to_bin_code="B1"), 422, "invalid-document")
    shipment = ship(bin_code="A1")
    assert posted(shipment) == [(origin, "A1", -5), ("IN-TRANSIT", "", 5)]
    assert bin_contents(system, item) == [(origin, "A1", 5)]

    # The undo puts the stock back into the bin it left.
    shipment_no = shipment.json()["entries"][0]["document_no"]
    undo = system.http.post(system.url("warehouse", f"/transfer-orders/{order}/shipments/{shipment_no}/undo"), json={})
    assert posted(undo) == [("IN-TRANSIT", "", -5), (origin, "A1", 5)]
    assert bin_contents(system, item) == [(origin, "A1", 10)]

    assert posted(ship(bin_code="A1")) == [(origin, "A1", -5), ("IN-TRANSIT", "", 5)]

    def receive(**extra: str) -> Any:
        return step(system, order, "receive", {"receipt_no": unique("TR"), "posting_date": "2026-06-03",
                                               "lines": [{"line_no": line_no, "quantity": "3", **extra}]})

    problem(receive(), 422, "bin-required")
    problem(receive(bin_code="A1"), 422, "unknown-bin")
    assert posted(receive(bin_code="B1")) == [("IN-TRANSIT", "", -3), (destination, "B1", 3)]
    assert bin_contents(system, item) == sorted([(origin, "A1", 5), (destination, "B1", 3)])


def test_a_direct_transfer_names_both_bins_on_its_shipment(system: System) -> None:
    origin, destination = bin_location(system, "A1"), bin_location(system, "B1")
    item = system.create_item()["item_no"]
    assert system.post(unique("P"), [{"item_no": item, "entry_type": "Purchase", "quantity": "4", "unit_cost": "3",
                                      "posting_date": "2026-06-01", "location_code": origin,
                                      "bin_code": "A1"}]).status_code == 201
    created = system.http.post(system.url("warehouse", "/transfer-orders"), json={
        "no": unique("TO"), "transfer_from_code": origin, "transfer_to_code": destination, "direct_transfer": True,
        "lines": [{"item_no": item, "quantity": "4"}]})
    assert created.status_code == 201, created.text
    order, line_no = created.json()["no"], created.json()["lines"][0]["line_no"]
    body = {"shipment_no": unique("TS"), "posting_date": "2026-06-02", "lines": [{"line_no": line_no, "quantity": "4",
                                                                                   "bin_code": "A1"}]}
    problem(step(system, order, "ship", body), 422, "bin-required")
    body["lines"][0]["to_bin_code"] = "B1"
    assert posted(step(system, order, "ship", body)) == [(origin, "A1", -4), (destination, "B1", 4)]
    assert bin_contents(system, item) == [(destination, "B1", 4)]

    # To a location without bins, a to-bin is refused.
    plain = system.http.post(system.url("warehouse", "/transfer-orders"), json={
        "no": unique("TO"), "transfer_from_code": destination, "transfer_to_code": "EAST", "direct_transfer": True,
        "lines": [{"item_no": item, "quantity": "1"}]})
    assert plain.status_code == 201, plain.text
    problem(step(system, plain.json()["no"], "ship", {"shipment_no": unique("TS"), "posting_date": "2026-06-02", "lines": [
        {"line_no": plain.json()["lines"][0]["line_no"], "quantity": "1", "bin_code": "B1", "to_bin_code": "X"}]}),
        422, "unknown-bin")
