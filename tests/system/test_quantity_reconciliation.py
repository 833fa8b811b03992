"""Costing compares its quantity per item and location with the warehouse's, continuously, and publishes differences."""

import json
from decimal import Decimal
from typing import Any

import httpx
import pytest

from support import System, unique, wait_until

pytestmark = pytest.mark.system


def line(item_no: str, entry_type: str, quantity: str, location: str = "MAIN", **extra: str) -> dict[str, Any]:
    return {"item_no": item_no, "entry_type": entry_type, "quantity": quantity, "posting_date": "2026-06-02",
            "location_code": location, **extra}


def differences(system: System, item_no: str) -> list[dict[str, Any]]:
    response = system.http.get(system.url("costing", "/quantity-reconciliation"), params={"settle_seconds": 0})
    assert response.status_code == 200, response.text
    return [d for d in response.json()["differences"] if d["item_no"] == item_no]


def published(system: System, item_no: str) -> list[dict[str, Any]]:
    return [json.loads(r.value)["payload"] for r in system.records("costing.reconciliation.v1", key=item_no)]


def metric(system: System, name: str) -> float:
    text = httpx.get(system.url("costing", "/metrics")).text
    return float(next(line.split()[-1] for line in text.splitlines() if line.startswith(f"{name} ")))


def test_quantities_agree_after_postings_at_two_locations(system: System) -> None:
    item = system.create_item()["item_no"]
    assert system.post(unique("Q"), [line(item, "Purchase", "8", unit_cost="2.00"),
                                     line(item, "Purchase", "3", "EAST", unit_cost="2.00")]).status_code == 201
    assert system.post(unique("Q"), [line(item, "Sale", "5")]).status_code == 201
    system.wait_quiet()

    assert differences(system, item) == []
    assert published(system, item) == []


def test_an_item_entry_costing_never_received_is_reported_and_its_resolution_too(system: System) -> None:
    item = system.create_item()["item_no"]
    assert system.post(unique("Q"), [line(item, "Purchase", "4", unit_cost="1.50")]).status_code == 201
    system.wait_quiet()
    # An entry the warehouse recorded a minute ago whose event never reached costing.
    (lost,) = system.sql(
        "warehouse",
        """
        INSERT INTO item_ledger_entries (entry_no, item_no, location_code, posting_date, entry_type, document_no,
                                         document_line_no, quantity, recorded_at)
        SELECT max(entry_no) + 1000000, $1, 'MAIN', '2026-06-03', 'Positive Adjmt.', 'LOST-1', 1, 7, now() - interval '1 minute'
        FROM item_ledger_entries RETURNING entry_no
        """,
        item,
    )

    (difference,) = differences(system, item)
    assert (Decimal(difference["warehouse_quantity"]), Decimal(difference["costing_quantity"])) == (11, 4)
    assert Decimal(difference["difference"]) == -7 and difference["through_entry_no"] == lost["entry_no"]
    event = wait_until(lambda: published(system, item), 30, "a quantity difference published")[-1]
    assert (event["location_code"], Decimal(event["difference"])) == ("MAIN", -7)
    assert metric(system, "inventory_quantity_differences") >= 1

    system.sql("warehouse", "DELETE FROM item_ledger_entries WHERE entry_no = $1", lost["entry_no"])
    resolved = wait_until(lambda: [e for e in published(system, item) if Decimal(e["difference"]) == 0], 30,
                          "the resolution published")
    assert len(resolved) == 1
    assert differences(system, item) == []
