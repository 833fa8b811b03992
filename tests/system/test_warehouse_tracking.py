"""Units of measure, variants, serial/lot tracking, expiration, item tracing and reclassification, through the
warehouse API (quantities, applications and tracing; costing's values are not checked here)."""

import json
from decimal import Decimal
from typing import Any

import pytest

from support import System, unique

pytestmark = pytest.mark.system


def line(item_no: str, entry_type: str, quantity: str, location_code: str = "MAIN", day: str = "2026-05-04",
         **extra: Any) -> dict[str, Any]:
    body = {"item_no": item_no, "entry_type": entry_type, "quantity": quantity, "posting_date": day,
            "location_code": location_code, **extra}
    if entry_type in ("Purchase", "Positive Adjmt.") and "unit_cost" not in body:
        body["unit_cost"] = "2.00"
    return body


def assert_problem(response: Any, status: int, problem_type: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = dict(response.json())
    assert body["type"] == f"/problems/{problem_type}" and body["detail"], body
    return body


def tracked_item(system: System, **rules: Any) -> str:
    code = unique("TC")[:20]
    response = system.http.put(system.url("catalog", f"/item-tracking-codes/{code}"), json=rules)
    assert response.status_code == 200, response.text
    return str(system.create_item(item_tracking_code=code)["item_no"])


def posted(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 201, response.text
    return list(response.json()["entries"])


def reclassify(system: System, lines: list[dict[str, Any]], key: str | None = None, document_no: str = "") -> Any:
    headers = {"Idempotency-Key": key} if key else {}
    return system.http.post(system.url("warehouse", "/reclassification-journal"),
                            json={"document_no": document_no or unique("RC"), "lines": lines}, headers=headers)


def trace(system: System, direction: str = "usage", **number: str) -> list[dict[str, Any]]:
    response = system.http.get(system.url("warehouse", "/item-tracing"), params={**number, "direction": direction})
    assert response.status_code == 200, response.text
    return list(response.json()["entries"])


SERIAL_SPECIFIC = {"serial_specific": True, "serial_required_for": ["Purchase", "Sale", "Positive Adjmt.",
                                                                    "Negative Adjmt.", "Transfer"]}
LOTS_EXPIRING = {"lot_specific": True, "lot_required_for": ["Purchase", "Sale", "Transfer"],
                 "use_expiration_dates": True, "strict_expiration": True}


class TestUnitsAndVariants:
    def test_a_line_in_another_unit_posts_in_the_base_unit(self, system: System) -> None:
        item = system.create_item(units_of_measure=[{"code": "BOX", "qty_per_unit_of_measure": "12"}])["item_no"]
        (entry,) = posted(system.post(unique("D"), [line(item, "Purchase", "2", unit_of_measure_code="BOX",
                                                         unit_cost="24.00")]))
        assert Decimal(entry["quantity"]) == 24 and Decimal(entry["unit_cost"]) == 2
        assert entry["unit_of_measure_code"] == "BOX" and Decimal(entry["qty_per_unit_of_measure"]) == 12
        (sale,) = posted(system.post(unique("D"), [line(item, "Sale", "5", unit_of_measure_code="PCS")]))
        assert Decimal(sale["quantity"]) == -5
        assert system.quantity_on_hand(item) == 19
        assert_problem(system.post(unique("D"), [line(item, "Sale", "1", unit_of_measure_code="PALLET")]),
                       422, "unknown-unit-of-measure")

    def test_variants_are_validated_and_kept_apart(self, system: System) -> None:
        item = system.create_item(variants=[{"code": "RED"}, {"code": "OLD", "blocked": True}])["item_no"]
        posted(system.post(unique("D"), [line(item, "Purchase", "3", variant_code="RED")]))
        assert_problem(system.post(unique("D"), [line(item, "Purchase", "1", variant_code="BLUE")]), 422, "unknown-variant")
        assert_problem(system.post(unique("D"), [line(item, "Purchase", "1", variant_code="OLD")]), 422, "item-blocked")
        # Application never crosses variants: the blank variant has nothing.
        assert_problem(system.post(unique("D"), [line(item, "Sale", "1")]), 409, "insufficient-inventory")
        posted(system.post(unique("D"), [line(item, "Sale", "1", variant_code="RED")]))
        assert system.quantity_on_hand(item) == 2


class TestSerialAndLotTracking:
    def test_one_entry_per_serial_and_each_serial_in_stock_once(self, system: System) -> None:
        item = tracked_item(system, **SERIAL_SPECIFIC)
        entries = posted(system.post(unique("D"), [line(item, "Purchase", "3", tracking=[
            {"serial_no": "SN1"}, {"serial_no": "SN2"}, {"serial_no": "SN3"}])]))
        assert [(e["serial_no"], Decimal(e["quantity"])) for e in entries] == [("SN1", 1), ("SN2", 1), ("SN3", 1)]
        assert len({e["document_line_no"] for e in entries}) == 1

        body = assert_problem(system.post(unique("D"), [line(item, "Purchase", "1", "EAST", tracking=[{"serial_no": "SN2"}])]),
                              422, "serial-no-in-stock")
        assert body["serial_no"] == "SN2"
        assert_problem(system.post(unique("D"), [line(item, "Purchase", "1")]), 422, "item-tracking")  # none given
        assert_problem(system.post(unique("D"), [line(item, "Purchase", "2", tracking=[{"serial_no": "SN9"}])]),
                       422, "item-tracking")  # does not add up
        assert_problem(system.post(unique("D"), [line(item, "Purchase", "2", tracking=[
            {"serial_no": "SN8"}, {"serial_no": "SN8"}])]), 422, "item-tracking")
        assert_problem(system.post(unique("D"), [line(item, "Purchase", "1", tracking=[{"lot_no": "L1", "quantity": "1"}])]),
                       422, "item-tracking")  # not lot tracked

        # Specific: the sale applies to the entry of the serial it names, not the oldest.
        (sale,) = posted(system.post(unique("D"), [line(item, "Sale", "1", day="2026-05-05", tracking=[{"serial_no": "SN2"}])]))
        assert sale["serial_no"] == "SN2"
        assert [a["inbound_entry_no"] for a in sale["applications"]] == [entries[1]["entry_no"]]
        assert_problem(system.post(unique("D"), [line(item, "Sale", "1", tracking=[{"serial_no": "SN2"}])]),
                       422, "tracking-not-in-stock")
        assert_problem(system.post(unique("D"), [line(item, "Sale", "1", tracking=[{"serial_no": "NOPE"}])]),
                       422, "tracking-not-in-stock")
        # Sold, SN2 may come in again (a return, a repurchase).
        posted(system.post(unique("D"), [line(item, "Purchase", "1", "EAST", tracking=[{"serial_no": "SN2"}])]))
        # Nothing of a refused document is written.
        assert len(system.item_ledger_entries(item)) == 5
        assert system.quantity_on_hand(item) == 3

    def test_lots_with_strict_expiration(self, system: System) -> None:
        item = tracked_item(system, **LOTS_EXPIRING)
        entries = posted(system.post(unique("D"), [line(item, "Purchase", "10", day="2026-05-01", tracking=[
            {"lot_no": "LOT-A", "quantity": "4", "expiration_date": "2026-05-10"},
            {"lot_no": "LOT-B", "quantity": "6", "expiration_date": "2026-06-30"}])]))
        assert [(e["lot_no"], e["expiration_date"]) for e in entries] == [("LOT-A", "2026-05-10"), ("LOT-B", "2026-06-30")]
        # A lot has one expiration date; a receipt without one takes the lot's.
        assert_problem(system.post(unique("D"), [line(item, "Purchase", "1", day="2026-05-02", tracking=[
            {"lot_no": "LOT-A", "quantity": "1", "expiration_date": "2026-12-31"}])]), 422, "item-tracking")
        (more,) = posted(system.post(unique("D"), [line(item, "Purchase", "1", day="2026-05-02", tracking=[
            {"lot_no": "LOT-A", "quantity": "1"}])]))
        assert more["expiration_date"] == "2026-05-10"
        # Before expiry LOT-A sells; after it, nothing of LOT-A leaves.
        (sale,) = posted(system.post(unique("D"), [line(item, "Sale", "2", day="2026-05-10",
                                                        tracking=[{"lot_no": "LOT-A", "quantity": "2"}])]))
        assert sale["expiration_date"] == "2026-05-10"
        assert [a["inbound_entry_no"] for a in sale["applications"]] == [entries[0]["entry_no"]]
        body = assert_problem(system.post(unique("D"), [line(item, "Sale", "1", day="2026-05-11",
                                                             tracking=[{"lot_no": "LOT-A", "quantity": "1"}])]),
                              422, "expired")
        assert body["expiration_date"] == "2026-05-10"
        # Lot-specific: more than the lot holds is refused, though other lots have stock.
        assert_problem(system.post(unique("D"), [line(item, "Sale", "7", day="2026-05-05",
                                                      tracking=[{"lot_no": "LOT-B", "quantity": "7"}])]),
                       409, "insufficient-inventory")
        assert_problem(system.post(unique("D"), [line(item, "Sale", "1", day="2026-05-05",
                                                      tracking=[{"lot_no": "LOT-A", "quantity": "1",
                                                                 "expiration_date": "2026-05-10"}])]),
                       422, "item-tracking")
        assert system.quantity_on_hand(item) == 9

    def test_tracking_travels_in_the_item_entry_event(self, system: System) -> None:
        item = tracked_item(system, **LOTS_EXPIRING)
        posted(system.post(unique("D"), [line(item, "Purchase", "5", tracking=[
            {"lot_no": "EV-1", "quantity": "5", "expiration_date": "2027-01-31"}])]))
        system.wait_quiet()
        (record,) = system.records("warehouse.item-entries.v1", key=item)
        payload = json.loads(record.value)["payload"]
        assert payload["lot_no"] == "EV-1" and payload["expiration_date"] == "2027-01-31" and payload["serial_no"] == ""

    def test_an_untracked_item_refuses_tracking_lines(self, system: System) -> None:
        item = system.create_item()["item_no"]
        assert_problem(system.post(unique("D"), [line(item, "Purchase", "1", tracking=[{"serial_no": "X"}])]),
                       422, "item-tracking")
        assert system.item_ledger_entries(item) == []


class TestReclassificationAndTracing:
    def test_reclassification_posts_transfer_pairs_with_applies_from(self, system: System) -> None:
        item = tracked_item(system, **LOTS_EXPIRING)
        (receipt,) = posted(system.post(unique("D"), [line(item, "Purchase", "10", day="2026-05-01", tracking=[
            {"lot_no": "RL-1", "quantity": "10", "expiration_date": "2026-05-03"}])]))
        # Expired stock can still be reclassified: that is how a date is corrected.
        key, document_no = unique("rc-"), unique("RC")
        lines = [{"item_no": item, "location_code": "MAIN", "new_location_code": "EAST", "quantity": "4",
                  "posting_date": "2026-05-04", "tracking": [{"lot_no": "RL-1", "quantity": "4", "new_lot_no": "RL-2",
                                                              "new_expiration_date": "2026-12-31"}]}]
        first = reclassify(system, lines, key, document_no)
        out, into = posted(first)
        again = reclassify(system, lines, key, document_no)
        assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
        assert len(system.item_ledger_entries(item)) == 3
        assert (out["entry_type"], out["location_code"], Decimal(out["quantity"]), out["lot_no"]) == (
            "Transfer", "MAIN", -4, "RL-1")
        assert (into["entry_type"], into["location_code"], Decimal(into["quantity"]), into["lot_no"]) == (
            "Transfer", "EAST", 4, "RL-2")
        assert into["applies_from_entry"] == out["entry_no"] and into["unit_cost"] is None
        assert into["expiration_date"] == "2026-12-31" and out["expiration_date"] == "2026-05-03"
        assert [a["inbound_entry_no"] for a in out["applications"]] == [receipt["entry_no"]]
        assert out["document_type"] == into["document_type"] == "Reclassification"

        # A bin move at the same location keeps lot and date.
        bins_loc = unique("L")[:10]
        assert system.http.post(system.url("warehouse", "/locations"),
                                json={"code": bins_loc, "name": "Bins", "bin_mandatory": True}).status_code == 201
        for code in ("A", "B"):
            system.http.post(system.url("warehouse", f"/locations/{bins_loc}/bins"), json={"code": code})
        posted(reclassify(system, [{"item_no": item, "location_code": "EAST", "new_location_code": bins_loc,
                                    "new_bin_code": "A", "quantity": "4", "posting_date": "2026-05-05",
                                    "tracking": [{"lot_no": "RL-2", "quantity": "4"}]}]))
        out2, into2 = posted(reclassify(system, [{"item_no": item, "location_code": bins_loc, "bin_code": "A",
                                                  "new_bin_code": "B", "quantity": "3", "posting_date": "2026-05-05",
                                                  "tracking": [{"lot_no": "RL-2", "quantity": "3"}]}]))
        assert (into2["location_code"], into2["bin_code"], into2["lot_no"], into2["expiration_date"]) == (
            bins_loc, "B", "RL-2", "2026-12-31")

        # Refusals write nothing: no change, more than there is (transfers never go negative), an unknown lot.
        before = len(system.item_ledger_entries(item))
        assert_problem(reclassify(system, [{"item_no": item, "location_code": "MAIN", "quantity": "1",
                                            "posting_date": "2026-05-05",
                                            "tracking": [{"lot_no": "RL-1", "quantity": "1"}]}]), 422, "invalid-document")
        assert_problem(reclassify(system, [{"item_no": item, "location_code": "MAIN", "new_location_code": "WEST",
                                            "quantity": "7", "posting_date": "2026-05-05",
                                            "tracking": [{"lot_no": "RL-1", "quantity": "7"}]}]),
                       409, "insufficient-inventory")
        assert_problem(reclassify(system, [{"item_no": item, "location_code": "MAIN", "new_location_code": "WEST",
                                            "quantity": "1", "posting_date": "2026-05-05",
                                            "tracking": [{"lot_no": "NOPE", "quantity": "1"}]}]),
                       422, "tracking-not-in-stock")
        assert_problem(reclassify(system, [{"item_no": item, "location_code": "MAIN", "new_location_code": "IN-TRANSIT",
                                            "quantity": "1", "posting_date": "2026-05-05",
                                            "tracking": [{"lot_no": "RL-1", "quantity": "1"}]}]),
                       422, "in-transit-location")
        assert len(system.item_ledger_entries(item)) == before
        assert system.quantity_on_hand(item) == 10

        # Tracing RL-2 back to its origin reaches the receipt of RL-1 through the reclassification.
        origin = trace(system, "origin", lot_no="RL-2")
        assert receipt["entry_no"] in [e["entry_no"] for e in origin]
        traced_receipt = next(e for e in origin if e["entry_no"] == receipt["entry_no"])
        assert traced_receipt["level"] >= 1 and traced_receipt["lot_no"] == "RL-1"

        # And from RL-1 towards usage, everything that became of it.
        usage = {e["entry_no"]: e for e in trace(system, "usage", lot_no="RL-1")}
        assert {out["entry_no"], into["entry_no"], out2["entry_no"], into2["entry_no"]} <= set(usage)
        assert usage[into["entry_no"]]["traced_from"] == out["entry_no"]
        system.wait_quiet()

    def test_tracing_a_serial_follows_sale_and_return_both_ways(self, system: System) -> None:
        item = tracked_item(system, **SERIAL_SPECIFIC)
        (receipt,) = posted(system.post(unique("D"), [line(item, "Purchase", "1", tracking=[{"serial_no": "TR-1"}])]))
        out, into = posted(reclassify(system, [{"item_no": item, "location_code": "MAIN", "new_location_code": "WEST",
                                                "quantity": "1", "posting_date": "2026-05-04",
                                                "tracking": [{"serial_no": "TR-1"}]}]))
        (sale,) = posted(system.post(unique("D"), [line(item, "Sale", "1", "WEST", day="2026-05-06",
                                                        tracking=[{"serial_no": "TR-1"}])]))
        usage = trace(system, "usage", serial_no="TR-1")
        assert [e["entry_no"] for e in usage] == [receipt["entry_no"], out["entry_no"], into["entry_no"], sale["entry_no"]]
        origin = trace(system, "origin", serial_no="TR-1")
        assert {e["entry_no"] for e in origin} == {receipt["entry_no"], out["entry_no"], into["entry_no"], sale["entry_no"]}
        problem = system.http.get(system.url("warehouse", "/item-tracing"))
        assert_problem(problem, 422, "invalid-document")
        assert system.quantity_on_hand(item) == 0
        system.wait_quiet()
