"""The ledger reconciles its inventory accounts with costing's value, and respects closed periods."""

import asyncio
import json
from decimal import Decimal
from typing import Any

import asyncpg
import pytest

from support import System, unique, wait_until

pytestmark = pytest.mark.system


def receipt(item_no: str, quantity: str, unit_cost: str, day: str) -> dict[str, Any]:
    return {"item_no": item_no, "entry_type": "Purchase", "quantity": quantity, "unit_cost": unit_cost,
            "posting_date": day, "location_code": "MAIN"}


def reconciliation(system: System) -> dict[str, Any]:
    response = system.http.get(system.url("ledger", "/reconciliation"))
    assert response.status_code == 200, response.text
    return dict(response.json())


def post_manual_gl_pair(system: System, account_no: str, balancing_account_no: str, amount: str) -> None:
    """A G/L posting that did not come from a value entry, as a hand-made journal would."""

    async def insert() -> None:
        conn = await asyncpg.connect(system._database("ledger"))
        try:
            async with conn.transaction():
                register_no = await conn.fetchval("SELECT nextval('gl_register_no')")
                first = await conn.fetchval("SELECT nextval('gl_entry_no')")
                second = await conn.fetchval("SELECT nextval('gl_entry_no')")
                await conn.execute(
                    "INSERT INTO gl_registers (register_no, from_entry_no, to_entry_no) VALUES ($1, $2, $3)",
                    register_no, first, second,
                )
                await conn.executemany(
                    """
                    INSERT INTO gl_entries (entry_no, register_no, account_no, posting_date, document_no, description, amount)
                    VALUES ($1, $2, $3, '2026-05-01', 'MANUAL', 'manual journal', $4)
                    """,
                    [(first, register_no, account_no, Decimal(amount)), (second, register_no, balancing_account_no, -Decimal(amount))],
                )
        finally:
            await conn.close()

    asyncio.run(insert())


def reconciliation_events(system: System, account_no: str) -> list[dict[str, Any]]:
    return [json.loads(r.value)["payload"] for r in system.records("ledger.reconciliation.v1", key=account_no)]


def test_books_reconcile_once_processing_has_caught_up(system: System) -> None:
    item = system.create_item()["item_no"]
    assert system.post(unique("R"), [receipt(item, "3", "4.10", "2026-05-02")]).status_code == 201
    system.wait_quiet()
    found = wait_until(lambda: (r := reconciliation(system))["caught_up"] and r, what="reconciliation caught up")
    assert found["costing_value_entries"] == found["ledger_value_entries"]
    inventory = system.accounts_for("MAIN", "RESALE", "", "RETAIL")["inventory"]
    line = next(line for line in found["lines"] if line["account_no"] == inventory)
    assert Decimal(line["inventory_value"]) > 0
    assert all(Decimal(line["difference"]) == 0 for line in found["lines"])


def test_a_difference_raises_an_event_and_a_metric_and_its_resolution_too(system: System) -> None:
    accounts = system.accounts_for("MAIN", "RESALE", "", "RETAIL")
    inventory, adjustment = accounts["inventory"], accounts["inventory_adjmt"]
    before = len(reconciliation_events(system, inventory))

    post_manual_gl_pair(system, inventory, adjustment, "0.01")
    events = wait_until(lambda: (e := reconciliation_events(system, inventory))[before:] and e, what="difference event")
    assert Decimal(events[before]["difference"]) == Decimal("0.01")
    assert events[before]["interim"] is False
    metrics = system.http.get(system.url("ledger", "/metrics")).text
    assert f'inventory_reconciliation_difference{{account_no="{inventory}"}} 0.01' in metrics

    post_manual_gl_pair(system, inventory, adjustment, "-0.01")
    events = wait_until(lambda: len(e := reconciliation_events(system, inventory)) > before + 1 and e, what="resolution event")
    assert Decimal(events[before + 1]["difference"]) == 0
    assert all(Decimal(line["difference"]) == 0 for line in reconciliation(system)["lines"])


def test_postings_in_a_closed_period_take_the_first_open_date(system: System) -> None:
    response = system.http.put(system.url("ledger", "/gl-setup"), json={"closed_through": "2026-06-30"})
    assert response.status_code == 200, response.text
    try:
        item = system.create_item()["item_no"]
        assert system.post(unique("R"), [receipt(item, "1", "2.00", "2026-06-15")]).status_code == 201
        system.wait_quiet()
        (value_entry,) = system.value_entries(item)
        assert value_entry["posting_date"] == "2026-06-15"
        entries = system.gl_entries(value_entry_no=value_entry["entry_no"])
        assert {e["posting_date"] for e in entries} == {"2026-07-01"}
    finally:
        assert system.http.put(system.url("ledger", "/gl-setup"), json={"closed_through": None}).status_code == 200
    assert system.http.get(system.url("ledger", "/gl-setup")).json() == {"closed_through": None}
