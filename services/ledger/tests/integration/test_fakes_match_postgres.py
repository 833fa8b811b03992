"""The in-memory fakes answer as the PostgreSQL repositories do: value entries that post, wait for a setup, are
posted when it comes and meet a closed period are played through the use cases on both units of work, and what
the use cases read back is compared. The unit tests of the use cases run on the fakes; this keeps them honest."""

from dataclasses import replace
from datetime import date
from typing import Any

import asyncpg

from inventory_contracts import VALUE_ENTRIES_POSTED_V1, EventRegistry, examples

from ledger.adapters.events import value_entries_from_event
from ledger.adapters.memory import InMemoryLedgerUnitOfWork
from ledger.adapters.unit_of_work import PostgresLedgerUnitOfWork
from ledger.domain.model import GLAccount, IncomeBalance
from ledger.domain.posting import GeneralPostingSetup, InventoryPostingSetup
from ledger.service_layer import general_ledger, posting, setup
from ledger.service_layer.unit_of_work import LedgerUnitOfWork

ACCOUNTS = {no: IncomeBalance.BALANCE_SHEET if no < "97" else IncomeBalance.INCOME_STATEMENT
            for no in ("92130", "92131", "92132", "95510", "97180", "97190", "97191", "97192", "97290", "97291")}
GENERAL = GeneralPostingSetup("97290", "97291", "97180", "95510", "97190", "97191", "97192")


def received(*entries: tuple[int, dict[str, Any]], item_no: str = "CT") -> list[tuple[str, Any]]:
    """Costing's golden value-entries event carrying these entries of `item_no`, as the consumer hands them over."""
    golden = EventRegistry([VALUE_ENTRIES_POSTED_V1]).parse(examples(VALUE_ENTRIES_POSTED_V1))
    [template] = golden.payload.value_entries
    at_ct = {"location_code": "CT1", "inventory_posting_group": "CTINV", "gen_prod_posting_group": "CTPROD",
             "gen_bus_posting_group": ""}
    value_entries = [type(template).model_validate({**template.model_dump(), **at_ct, "entry_no": no,
                                                    "item_ledger_entry_no": no, **changes}) for no, changes in entries]
    event = golden.model_copy(update={"payload": golden.payload.model_copy(update={"item_no": item_no,
                                                                                  "value_entries": value_entries})})
    return [(item_no, value_entries_from_event(event))]


async def play(uow: LedgerUnitOfWork) -> dict[str, Any]:
    for no, kind in ACCOUNTS.items():
        await setup.create_account(uow, GLAccount(no, f"Account {no}", kind))
    await setup.put_inventory_posting_setup(uow, ("CT1", "CTINV"), InventoryPostingSetup("92130", "92131"))
    await setup.put_general_posting_setup(uow, ("", "CTPROD"), GENERAL)
    summaries = [
        await posting.post_received_value_entries(uow, received((901, {}), (902, {"cost_amount_actual": "-20.00"}))),
        # no inventory setup for CT2 yet: it waits, and so does every later entry of the item
        await posting.post_received_value_entries(uow, received((903, {"location_code": "CT2"}), (904, {}))),
        # one batch over two items: CU posts, CT's new entry waits behind 903, CU's later one waits for CT2 too
        await posting.post_received_value_entries(uow, [
            *received((905, {}), item_no="CU"), *received((906, {})),
            *received((907, {"location_code": "CT2"}), item_no="CU"),
        ]),
    ]
    pending = await general_ledger.list_pending_value_entries(uow, None, 100)
    summaries.append(await setup.put_inventory_posting_setup(uow, ("CT2", "CTINV"), InventoryPostingSetup("92132", "92131")))
    await setup.close_period(uow, date(2025, 12, 31))
    await setup.update_account(uow, GLAccount("92132", "Inventory CT2", IncomeBalance.BALANCE_SHEET))
    accounts = [a for a in await setup.list_accounts(uow, None, 1000) if a.account_no in ACCOUNTS]
    entries = await general_ledger.list_gl_entries(uow, limit=1000)
    balance = await general_ledger.trial_balance(uow, None)
    return {
        "summaries": summaries,
        "pending_before_setup": [(p.value_entry_no, p.item_no, p.reason) for p in pending],
        "pending_after_setup": await general_ledger.count_pending_value_entries(uow),
        # created_at is when the row was written: it differs by nature
        "gl_entries": [replace(e, created_at=None) for e in entries if e.account_no in ACCOUNTS],
        "by_value_entry": [replace(e, created_at=None)
                           for e in await general_ledger.list_gl_entries(uow, value_entry_no=903, limit=100)],
        "trial_balance": [line for line in balance.lines if line.account_no in ACCOUNTS],
        "accounts": accounts,
        "account": await setup.get_account(uow, "92132"),
        "setups": (await setup.get_inventory_posting_setup(uow, ("CT2", "CTINV")),
                   await setup.get_general_posting_setup(uow, ("", "CTPROD"))),
        "closed_through": await setup.get_closed_through(uow),
    }


async def test_the_fakes_read_back_what_postgresql_reads_back(ledger_database: asyncpg.Connection) -> None:
    in_memory = await play(InMemoryLedgerUnitOfWork())
    async with ledger_database.transaction():
        stored = await play(PostgresLedgerUnitOfWork(ledger_database))
    for what in stored:
        assert in_memory[what] == stored[what], what
    assert len(stored["gl_entries"]) == 14 and stored["pending_before_setup"] and stored["pending_after_setup"] == 0
    assert [(summary.posted, summary.waiting) for summary in stored["summaries"][2:]] == [
        ([905], [907, 903, 904, 906]), ([903, 904, 906, 907], [])
    ]
