"""A lost ledger database is rebuilt from the log: the same G/L entries, trial balance and reconciliation as before,
and the ledger goes on posting after it."""

import json
from decimal import Decimal
from typing import Any

import pytest

from devstack.stack import Stack
from support import System, drop_database, run_rebuild, separate_system, unique

pytestmark = pytest.mark.system


def journal(system: System, document_no: str, *lines: dict[str, Any]) -> None:
    response = system.post(document_no, list(lines))
    assert response.status_code == 201, response.text


def line(item_no: str, entry_type: str, quantity: str, day: str, **extra: str) -> dict[str, Any]:
    return {"item_no": item_no, "entry_type": entry_type, "quantity": quantity, "posting_date": day,
            "location_code": "MAIN", **extra}


def books(system: System) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The G/L entries (but when they were written: a rebuilt entry has its register's publishing time) and the
    trial balance."""
    entries = [{k: v for k, v in e.items() if k != "created_at"} for e in system.gl_entries()]
    return sorted(entries, key=lambda e: e["entry_no"]), system.trial_balance()


def test_a_lost_ledger_database_is_rebuilt_from_the_log_and_goes_on_posting(stack: Stack) -> None:
    with separate_system(stack, "rebuild") as system:
        a, b = (system.create_item(unique("RB"))["item_no"] for _ in range(2))
        journal(system, "RB-1", line(a, "Purchase", "10", "2026-01-05", unit_cost="5.00"),
                line(b, "Purchase", "3", "2026-01-06", unit_cost="12.50"))
        journal(system, "RB-2", line(a, "Sale", "4", "2026-01-10"), line(b, "Negative Adjmt.", "1", "2026-01-11"))
        journal(system, "RB-3", line(a, "Purchase", "2", "2026-01-12", unit_cost="7.25"))
        system.wait_quiet()
        system.assert_books_balance_and_reconcile()
        entries_before, balance_before = books(system)
        assert len(entries_before) >= 10

        system.stack.stop_service("ledger")
        drop_database(system.stack, "ledger")
        done = run_rebuild(system.stack, "ledger", timeout=300)
        assert done.returncode == 0, done.stderr
        rebuilt = json.loads(done.stdout.strip().splitlines()[-1])
        assert rebuilt["gl_entries"] == len(entries_before)
        system.stack.start_service("ledger")
        system.wait_quiet()

        entries_after, balance_after = books(system)
        assert entries_after == entries_before
        assert balance_after == balance_before
        system.assert_books_balance_and_reconcile()

        journal(system, "RB-4", line(a, "Sale", "1", "2026-01-20"))
        system.wait_quiet()
        entries_later, _ = books(system)
        new = [e for e in entries_later if e not in entries_before]
        assert len(new) == 2 and min(e["entry_no"] for e in new) > max(e["entry_no"] for e in entries_before)
        assert sum(Decimal(e["amount"]) for e in new) == 0
        system.assert_books_balance_and_reconcile()

        system.stack.stop_service("ledger")
        again = run_rebuild(system.stack, "ledger", timeout=300)
        assert again.returncode == 2 and "already holds G/L entries" in again.stderr
        system.stack.start_service("ledger")
