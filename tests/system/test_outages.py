"""Transient faults: the database or the broker goes away mid-stream; nothing is lost or applied twice."""

import time
from collections import Counter
from decimal import Decimal

import pytest

from support import System, unique

pytestmark = [pytest.mark.system, pytest.mark.chaos]


def post_receipts_and_sales(system: System, items: list[str], rounds: int) -> None:
    for n in range(rounds):
        lines = []
        for item in items:
            lines.append({"item_no": item, "entry_type": "Purchase", "quantity": "3", "unit_cost": f"{n + 1}.25",
                          "posting_date": "2026-04-01", "location_code": "MAIN"})
            lines.append({"item_no": item, "entry_type": "Sale", "quantity": "2", "posting_date": "2026-04-02",
                          "location_code": "MAIN"})
        response = system.post(unique("OUT"), lines)
        assert response.status_code == 201, response.text


def assert_books_complete(system: System, items: list[str], entries_per_item: int) -> None:
    value_entries = [v for item in items for v in system.value_entries(item)]
    assert len(value_entries) == len(items) * entries_per_item
    assert set(Counter(v["item_ledger_entry_no"] for v in value_entries).values()) == {1}
    ours = {v["entry_no"] for v in value_entries}
    per_value_entry = Counter(g["value_entry_no"] for g in system.gl_entries() if g["value_entry_no"] in ours)
    assert set(per_value_entry.values()) == {2} and len(per_value_entry) == len(ours)
    inventory = system.accounts_for("MAIN", "RESALE", "", "RETAIL")["inventory"]
    for item in items:
        item_values = {v["entry_no"] for v in system.value_entries(item)}
        balance = sum((Decimal(g["amount"]) for g in system.gl_entries(account_no=inventory) if g["value_entry_no"] in item_values),
                      Decimal(0))
        assert balance == Decimal(system.valuation(item_no=item)["cost_amount_actual"])


def test_database_restart_mid_stream(system: System) -> None:
    dead_letters_before = system.dead_letter_counts()
    items = [system.create_item()["item_no"] for _ in range(3)]
    post_receipts_and_sales(system, items, rounds=10)
    assert system.stack.postgres is not None
    system.stack.postgres.stop()
    time.sleep(3)
    system.stack.postgres.start()
    system.wait_quiet(timeout=120)
    assert_books_complete(system, items, entries_per_item=20)
    post_receipts_and_sales(system, items, rounds=1)
    system.wait_quiet()
    assert_books_complete(system, items, entries_per_item=22)
    assert system.dead_letter_counts() == dead_letters_before


def test_broker_restart_mid_stream(system: System) -> None:
    dead_letters_before = system.dead_letter_counts()
    items = [system.create_item()["item_no"] for _ in range(3)]
    post_receipts_and_sales(system, items, rounds=10)
    assert system.stack.kafka is not None
    system.stack.kafka.stop()
    # Postings go on while the broker is away: they wait in the warehouse's outbox.
    post_receipts_and_sales(system, items, rounds=2)
    system.stack.kafka.start()
    system.wait_quiet(timeout=180)
    assert_books_complete(system, items, entries_per_item=24)
    assert system.dead_letter_counts() == dead_letters_before
