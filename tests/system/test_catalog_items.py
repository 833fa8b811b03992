"""The catalog as item master: the card, its ETag, what the item's history forbids, its events."""

import json
from typing import Any

import pytest

from support import System, assert_problem, unique, wait_until

pytestmark = pytest.mark.system

DAY = "2026-03-02"


def catalog(system: System, path: str) -> str:
    return system.url("catalog", path)


def card(item_no: str | None = None, **fields: Any) -> dict[str, Any]:
    return {"item_no": item_no or unique("CI"), "description": "Catalog test item", "base_unit_of_measure": "PCS",
            "inventory_posting_group": "RESALE", "gen_prod_posting_group": "RETAIL", **fields}


def events_of(system: System, item_no: str) -> list[dict[str, Any]]:
    return [json.loads(r.value)["payload"] for r in system.records("catalog.items.v1", key=item_no)]


def test_a_full_card_gets_its_base_unit_variants_and_an_etag(system: System) -> None:
    body = card(units_of_measure=[{"code": "BOX", "qty_per_unit_of_measure": "12"}],
                variants=[{"code": "RED", "description": "Red"}], indirect_cost_pct="2.5", overhead_rate="1.2",
                blocked_reason="", sales_blocked=True, sales_blocked_reason="recall")
    created = system.http.post(catalog(system, "/items"), json=body)
    assert created.status_code == 201, created.text
    assert created.headers["ETag"] == '"1"'
    item = system.http.get(catalog(system, f"/items/{body['item_no']}"))
    assert item.headers["ETag"] == '"1"'
    units = {u["code"]: float(u["qty_per_unit_of_measure"]) for u in item.json()["units_of_measure"]}
    assert units == {"BOX": 12, "PCS": 1}
    assert item.json()["variants"] == [{"code": "RED", "description": "Red", "blocked": False}]
    assert item.json()["sales_blocked_reason"] == "recall"
    system.wait_quiet()
    (event,) = events_of(system, body["item_no"])
    assert {u["code"] for u in event["item_units_of_measure"]} == {"BOX", "PCS"}
    assert event["variants"][0]["code"] == "RED" and event["sales_blocked"] is True
    assert event["indirect_cost_pct"] in ("2.5", "2.50000")


@pytest.mark.parametrize("units, reason", [
    ([{"code": "BOX", "qty_per_unit_of_measure": "0"}], "greater than 0"),
    ([{"code": "PCS", "qty_per_unit_of_measure": "2"}], "base unit"),
    ([{"code": "BOX", "qty_per_unit_of_measure": "2"}, {"code": "BOX", "qty_per_unit_of_measure": "3"}], "twice"),
])
def test_bad_units_are_refused_and_nothing_is_written(system: System, units: list[Any], reason: str) -> None:
    body = card(units_of_measure=units)
    response = system.http.post(catalog(system, "/items"), json=body)
    assert response.status_code == 422, response.text
    assert reason in response.text
    assert system.http.get(catalog(system, f"/items/{body['item_no']}")).status_code == 404


class TestOptimisticConcurrency:
    def test_a_stale_write_gets_412_and_changes_nothing(self, system: System) -> None:
        item_no = system.create_item(unique("ET"))["item_no"]
        first = system.http.patch(catalog(system, f"/items/{item_no}"), json={"description": "First"},
                                  headers={"If-Match": '"1"'})
        assert first.status_code == 200, first.text
        assert first.headers["ETag"] == '"2"' and first.json()["description"] == "First"
        stale = system.http.patch(catalog(system, f"/items/{item_no}"), json={"description": "Second"},
                                  headers={"If-Match": '"1"'})
        assert_problem(stale, 412, "stale-revision")
        assert system.http.get(catalog(system, f"/items/{item_no}")).json()["description"] == "First"

    def test_a_write_without_if_match_is_refused(self, system: System) -> None:
        item_no = system.create_item(unique("ET"))["item_no"]
        assert_problem(system.http.patch(catalog(system, f"/items/{item_no}"), json={"description": "x"}), 428,
                       "if-match-required")

    def test_the_change_reaches_the_warehouse_replica(self, system: System) -> None:
        item_no = system.create_item(unique("ET"))["item_no"]
        response = system.http.patch(catalog(system, f"/items/{item_no}"), json={"blocked": True, "blocked_reason": "audit"},
                                     headers={"If-Match": '"1"'})
        assert response.status_code == 200, response.text
        system.wait_quiet()
        line = {"item_no": item_no, "entry_type": "Purchase", "quantity": "1", "unit_cost": "1", "posting_date": DAY,
                "location_code": "MAIN"}
        assert_problem(system.post(unique("D"), [line]), 422, "item-blocked")


class TestLedgerEntriesLockTheCard:
    def _posted_item(self, system: System) -> str:
        item_no = system.create_item(unique("LK"))["item_no"]
        line = {"item_no": item_no, "entry_type": "Purchase", "quantity": "2", "unit_cost": "3", "posting_date": DAY,
                "location_code": "MAIN"}
        assert system.post(unique("D"), [line]).status_code == 201
        wait_until(lambda: system.http.get(catalog(system, f"/items/{item_no}")).json()["has_ledger_entries"],
                   what="catalog learns of the ledger entry")
        return item_no

    def test_costing_method_cannot_change_once_posted(self, system: System) -> None:
        item_no = self._posted_item(system)
        etag = system.http.get(catalog(system, f"/items/{item_no}")).headers["ETag"]
        response = system.http.patch(catalog(system, f"/items/{item_no}"), json={"costing_method": "LIFO"},
                                     headers={"If-Match": etag})
        assert_problem(response, 409, "costing-method-locked")
        # Other fields still change.
        ok = system.http.patch(catalog(system, f"/items/{item_no}"), json={"unit_price": "9.5"}, headers={"If-Match": etag})
        assert ok.status_code == 200, ok.text

    def test_costing_method_changes_before_any_posting(self, system: System) -> None:
        item_no = system.create_item(unique("LK"))["item_no"]
        response = system.http.patch(catalog(system, f"/items/{item_no}"), json={"costing_method": "LIFO"},
                                     headers={"If-Match": '"1"'})
        assert response.status_code == 200 and response.json()["costing_method"] == "LIFO"

    def test_a_posted_item_cannot_be_deleted(self, system: System) -> None:
        item_no = self._posted_item(system)
        etag = system.http.get(catalog(system, f"/items/{item_no}")).headers["ETag"]
        assert_problem(system.http.delete(catalog(system, f"/items/{item_no}"), headers={"If-Match": etag}), 409,
                       "item-has-ledger-entries")

    def test_an_unposted_item_is_deleted_and_replicas_see_it_blocked(self, system: System) -> None:
        item_no = system.create_item(unique("DL"))["item_no"]
        assert system.http.delete(catalog(system, f"/items/{item_no}"), headers={"If-Match": '"1"'}).status_code == 204
        assert_problem(system.http.get(catalog(system, f"/items/{item_no}")), 404, "item-not-found")
        system.wait_quiet()
        last = events_of(system, item_no)[-1]
        assert last["deleted"] is True and last["blocked"] is True and last["revision"] == 2
        # The number can be used again, with a newer revision than the tombstone's.
        again = system.http.post(catalog(system, "/items"), json=card(item_no))
        assert again.status_code == 201 and again.json()["revision"] == 3


class TestCardRules:
    def test_specific_costing_needs_a_serial_specific_tracking_code(self, system: System) -> None:
        lot = unique("LOT")
        assert system.http.put(catalog(system, f"/item-tracking-codes/{lot}"),
                               json={"lot_specific": True, "lot_required_for": ["Purchase", "Sale"]}).status_code == 200
        response = system.http.post(catalog(system, "/items"), json=card(costing_method="Specific", item_tracking_code=lot))
        assert_problem(response, 422, "specific-costing-needs-serial-tracking")

    def test_only_inventory_items_carry_tracking(self, system: System) -> None:
        sn = unique("SN")
        system.http.put(catalog(system, f"/item-tracking-codes/{sn}"), json={"serial_specific": True})
        response = system.http.post(catalog(system, "/items"), json=card(type="Service", item_tracking_code=sn))
        assert_problem(response, 422, "invalid-item-card")

    def test_unknown_tracking_code_is_refused(self, system: System) -> None:
        assert_problem(system.http.post(catalog(system, "/items"), json=card(item_tracking_code="NOPE")), 422,
                       "unknown-master-data")

    def test_the_event_carries_the_tracking_rules_and_follows_their_change(self, system: System) -> None:
        sn = unique("SN")
        system.http.put(catalog(system, f"/item-tracking-codes/{sn}"), json={"serial_specific": True,
                                                                             "serial_required_for": ["Sale"]})
        item_no = system.http.post(catalog(system, "/items"), json=card(item_tracking_code=sn)).json()["item_no"]
        system.http.put(catalog(system, f"/item-tracking-codes/{sn}"), json={"serial_specific": True,
                                                                             "serial_required_for": ["Sale", "Purchase"]})
        system.wait_quiet()
        events = events_of(system, item_no)
        assert [e["revision"] for e in events] == [1, 2]
        assert events[0]["item_tracking"]["serial_required_for"] == ["Sale"]
        assert events[1]["item_tracking"]["serial_required_for"] == ["Sale", "Purchase"]
