"""Rebuild a lost ledger database from the log: `inventory-ledger-rebuild` (with the ledger stopped).

The general ledger is on ledger.gl-entries.v1, kept forever: every register and G/L entry is written back as it
was published, with its number. The ledger's consumer group then reads costing.value-entries.v1 again from its
beginning: the value entries those registers posted are known by their numbers and skipped, and any the lost
database had not posted yet (or had kept waiting for posting setup) are posted as they would have been. The chart of
accounts, the posting setup and the closed periods are configuration, not facts of the log: a new database has the
migrations' defaults, and value entries that need more wait for it as always.
"""

import json
import logging
from dataclasses import dataclass
from typing import Any

import asyncpg
from inventory_contracts import GL_ENTRIES_POSTED_V1, EventRegistry
from inventory_contracts.topics import COSTING_VALUE_ENTRIES, LEDGER_GL_ENTRIES
from servicekit.admin import initialise_databases
from servicekit.db import connect
from servicekit.rebuild import RebuildError, records, rewind, run_command

from ledger.config import LedgerSettings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rebuilt:
    registers: int
    gl_entries: int
    value_entries: int


async def rebuild(settings: LedgerSettings, admin_database_url: str | None = None) -> Rebuilt:
    """Write the ledger's registers back from its topic into an empty database (created and migrated when missing,
    given the server's admin URL) and send its consumer group back to the start of the value entries."""
    await initialise_databases(admin_database_url or settings.database_url, {"ledger": settings.database_url})
    conn = await connect(settings.database_url)
    try:
        if await conn.fetchval("SELECT EXISTS (SELECT 1 FROM gl_entries)"):
            raise RebuildError("the ledger database already holds G/L entries: rebuild only into a new, empty one")
        registers = await _published_registers(settings)
        async with conn.transaction():
            rebuilt = await _write(conn, registers)
    finally:
        await conn.close()
    await rewind(settings, settings.topic(COSTING_VALUE_ENTRIES))
    log.info("ledger rebuilt: %d registers, %d G/L entries, %d value entries", rebuilt.registers, rebuilt.gl_entries,
             rebuilt.value_entries)
    return rebuilt


async def _published_registers(settings: LedgerSettings) -> list[tuple[str | None, Any]]:
    """(causing event id, the event) of every register on the topic as it is now."""
    registry = EventRegistry([GL_ENTRIES_POSTED_V1])
    found = []
    for record in await records(settings, settings.topic(LEDGER_GL_ENTRIES)):
        event = registry.parse(record.value)
        found.append((str(event.causation_id) if event.causation_id else None, event))
    return found


async def _write(conn: asyncpg.Connection, events: list[tuple[str | None, Any]]) -> Rebuilt:
    """Registers and entries as published; each written at the time its event says it was (`created_at`)."""
    at = {event.payload.register_no: event.occurred_at for _, event in events}
    registers = sorted({event.payload.register_no: (cause, event.payload) for cause, event in events}.values(),
                       key=lambda found: found[1].register_no)
    accounts = {row["account_no"] for row in await conn.fetch("SELECT account_no FROM gl_accounts")}
    missing = sorted({e.account_no for _, p in registers for e in p.gl_entries} - accounts)
    if missing:
        # The entries name accounts the new chart lacks: they come back as they were, named only by number.
        await conn.executemany(
            "INSERT INTO gl_accounts (account_no, name, income_balance) VALUES ($1, $2, 'balance_sheet')",
            [(no, f"Account {no} (restored from the log)") for no in missing],
        )
    await conn.executemany(
        "INSERT INTO gl_registers (register_no, item_no, source_event_id, from_entry_no, to_entry_no, created_at) "
        "VALUES ($1, $2, $3::uuid, $4, $5, $6)",
        [(p.register_no, p.item_no, cause, min(e.entry_no for e in p.gl_entries), max(e.entry_no for e in p.gl_entries),
          at[p.register_no]) for cause, p in registers],
    )
    await conn.executemany(
        "INSERT INTO gl_entries (entry_no, register_no, account_no, posting_date, document_no, description, amount, "
        "value_entry_no, item_no, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        [(e.entry_no, p.register_no, e.account_no, e.posting_date, e.document_no, e.description, e.amount,
          e.value_entry_no, p.item_no, at[p.register_no]) for _, p in registers for e in p.gl_entries],
    )
    posted = {e.value_entry_no: p.register_no for _, p in registers for e in p.gl_entries if e.value_entry_no is not None}
    await conn.executemany("INSERT INTO posted_value_entries (value_entry_no, register_no) VALUES ($1, $2)",
                           sorted(posted.items()))
    for sequence, column, table in (("gl_entry_no", "entry_no", "gl_entries"),
                                    ("gl_register_no", "register_no", "gl_registers")):
        await conn.execute(f"SELECT setval('{sequence}', GREATEST((SELECT max({column}) FROM {table}), 1), "
                           f"(SELECT max({column}) FROM {table}) IS NOT NULL)")
    return Rebuilt(len(registers), sum(len(p.gl_entries) for _, p in registers), len(posted))


def main() -> None:
    settings = LedgerSettings.from_environment()
    rebuilt = run_command(lambda admin_database_url: rebuild(settings, admin_database_url))
    print(json.dumps(rebuilt.__dict__))


if __name__ == "__main__":
    main()
