"""Exactly-once effect: 1,000 postings over 20 items while costing and then ledger are killed with SIGKILL."""

import random
import threading
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import Any

import pytest

from support import System, unique

pytestmark = [pytest.mark.system, pytest.mark.chaos]

POSTINGS = 1000
ITEMS = 20
LINES_PER_DOCUMENT = 5


def plan_documents(items: list[str], rng: random.Random) -> list[list[dict[str, Any]]]:
    """Purchases and sales that never exceed stock, so that every line must post."""
    on_hand: dict[str, int] = defaultdict(int)
    lines = []
    for index in range(POSTINGS):
        item = items[index % len(items)]
        if on_hand[item] >= 3 and rng.random() < 0.45:
            quantity = rng.randint(1, on_hand[item])
            on_hand[item] -= quantity
            lines.append({"item_no": item, "entry_type": "Sale", "quantity": str(quantity)})
        else:
            quantity = rng.randint(1, 20)
            on_hand[item] += quantity
            cost = Decimal(rng.randint(100, 99_999)) / 100
            lines.append({"item_no": item, "entry_type": "Purchase", "quantity": str(quantity), "unit_cost": str(cost)})
    for day, line in enumerate(lines):
        line.update(posting_date=f"2026-02-{day % 28 + 1:02d}", location_code="MAIN")
    # One document holds lines of distinct items only, so an item's postings keep their planned order.
    return [lines[i : i + LINES_PER_DOCUMENT] for i in range(0, len(lines), LINES_PER_DOCUMENT)]


def test_every_posting_is_valued_and_posted_exactly_once_through_kills(system: System) -> None:
    dead_letters_before = system.dead_letter_counts()
    items = [system.create_item(unique("EO"))["item_no"] for _ in range(ITEMS)]
    documents = plan_documents(items, random.Random(20260225))
    chaos = {
        len(documents) * 2 // 10: lambda: system.stack.kill_service("costing"),
        len(documents) * 4 // 10: lambda: system.stack.start_service("costing"),
        len(documents) * 5 // 10: lambda: system.stack.kill_service("ledger"),
        len(documents) * 7 // 10: lambda: system.stack.start_service("ledger"),
        len(documents) * 8 // 10: lambda: system.stack.kill_service("costing"),
        len(documents) * 9 // 10: lambda: system.stack.start_service("costing"),
    }
    failures: list[str] = []
    lock = threading.Lock()

    def post(index: int) -> None:
        response = system.post(f"EO-{index:04d}", documents[index], idempotency_key=f"{items[0]}-{index}")
        if response.status_code != 201:
            with lock:
                failures.append(f"document {index}: {response.status_code} {response.text}")

    # Documents go in waves of distinct items so that an item's lines post in plan order.
    wave = len(items) // LINES_PER_DOCUMENT
    with ThreadPoolExecutor(max_workers=wave) as pool:
        for start in range(0, len(documents), wave):
            for index in range(start, min(start + wave, len(documents))):
                if index in chaos:
                    chaos.pop(index)()
            list(pool.map(post, range(start, min(start + wave, len(documents)))))
    assert not failures, failures[:5]

    system.wait_quiet(timeout=180)

    entries = [e for item in items for e in system.item_ledger_entries(item)]
    assert len(entries) == POSTINGS
    value_entries = [v for item in items for v in system.value_entries(item)]
    per_item_entry = Counter(v["item_ledger_entry_no"] for v in value_entries)
    assert set(per_item_entry) == {e["entry_no"] for e in entries}
    assert set(per_item_entry.values()) == {1}, "every item ledger entry has exactly one value entry"

    gl_entries = system.gl_entries()
    ours = {v["entry_no"] for v in value_entries}
    per_value_entry = Counter(g["value_entry_no"] for g in gl_entries if g["value_entry_no"] in ours)
    assert set(per_value_entry) == {v["entry_no"] for v in value_entries if Decimal(v["cost_amount_actual"]) != 0}
    assert set(per_value_entry.values()) == {2}, "every value entry has exactly its pair of G/L entries"

    trial_balance = system.trial_balance()
    assert Decimal(trial_balance["total_debit"]) == Decimal(trial_balance["total_credit"])

    for item in items:
        ile_quantity = sum(Decimal(e["quantity"]) for e in system.item_ledger_entries(item))
        assert system.quantity_on_hand(item) == ile_quantity
        valuation = system.valuation(item_no=item)
        assert Decimal(valuation["quantity"]) == ile_quantity
    inventory_accounts = {system.accounts_for("MAIN", "RESALE", "", "RETAIL")["inventory"]}
    inventory_balance = sum(
        (Decimal(g["amount"]) for g in gl_entries if g["value_entry_no"] in ours and g["account_no"] in inventory_accounts),
        Decimal(0),
    )
    valuation_total = sum((Decimal(system.valuation(item_no=item)["cost_amount_actual"]) for item in items), Decimal(0))
    assert inventory_balance == valuation_total

    assert system.dead_letter_counts() == dead_letters_before
