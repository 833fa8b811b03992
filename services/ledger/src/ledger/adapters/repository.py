"""All SQL of the ledger: one PostgreSQL repository per port of `ledger.domain.ports`."""

from collections.abc import Iterable, Sequence
from dataclasses import astuple, fields
from datetime import date
from decimal import Decimal

import asyncpg

from ledger.adapters.events import received_value_entry
from ledger.domain.model import (
    GLAccount,
    IncomeBalance,
    PendingValueEntry,
    ReceivedValueEntry,
    RecordedGLEntry,
    TrialBalanceLine,
)
from ledger.domain.ports import ReconciliationSnapshot, Register
from ledger.domain.posting import GeneralKey, GeneralPostingSetup, InventoryKey, InventoryPostingSetup

_INVENTORY_ACCOUNTS = [f.name for f in fields(InventoryPostingSetup)]
_GENERAL_ACCOUNTS = [f.name for f in fields(GeneralPostingSetup)]
_POSTING_SETUP_LOCK = "hashtextextended('ledger-posting-setup', 0)"


def _account(row: asyncpg.Record) -> GLAccount:
    return GLAccount(row["account_no"], row["name"], IncomeBalance(row["income_balance"]), row["blocked"])


def _upsert(table: str, keys: Sequence[str], accounts: Sequence[str]) -> str:
    columns = [*keys, *accounts]
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(f'${i}' for i in range(1, len(columns) + 1))}) "
        f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {', '.join(f'{c} = EXCLUDED.{c}' for c in accounts)}"
    )


class PostgresAccounts:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def add(self, account: GLAccount) -> bool:
        inserted = await self._conn.fetchval(
            """
            INSERT INTO gl_accounts (account_no, name, income_balance, blocked) VALUES ($1, $2, $3, $4)
            ON CONFLICT (account_no) DO NOTHING RETURNING true
            """,
            account.account_no, account.name, str(account.income_balance), account.blocked,
        )
        return bool(inserted)

    async def update(self, account: GLAccount) -> bool:
        status = await self._conn.execute(
            "UPDATE gl_accounts SET name = $2, income_balance = $3, blocked = $4 WHERE account_no = $1",
            account.account_no, account.name, str(account.income_balance), account.blocked,
        )
        return bool(status != "UPDATE 0")

    async def get(self, account_no: str) -> GLAccount | None:
        row = await self._conn.fetchrow("SELECT * FROM gl_accounts WHERE account_no = $1", account_no)
        return _account(row) if row else None

    async def page(self, after: str | None, limit: int) -> list[GLAccount]:
        rows = await self._conn.fetch(
            "SELECT * FROM gl_accounts WHERE $1::text IS NULL OR account_no > $1 ORDER BY account_no LIMIT $2",
            after, limit,
        )
        return [_account(row) for row in rows]

    async def by_number(self, account_nos: Iterable[str]) -> dict[str, GLAccount]:
        rows = await self._conn.fetch("SELECT * FROM gl_accounts WHERE account_no = ANY($1::text[])", list(account_nos))
        return {row["account_no"]: _account(row) for row in rows}


class PostgresPostingSetups:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def lock(self, *, exclusive: bool) -> None:
        await self._conn.execute(f"SELECT pg_advisory_xact_lock{'' if exclusive else '_shared'}({_POSTING_SETUP_LOCK})")

    async def lock_shared_and_read_closed_through(self) -> date | None:
        value: date | None = await self._conn.fetchval(
            f"SELECT closed_through FROM gl_setup, pg_advisory_xact_lock_shared({_POSTING_SETUP_LOCK})"
        )
        return value

    async def inventory_setups(self, keys: Iterable[InventoryKey]) -> dict[InventoryKey, InventoryPostingSetup]:
        pairs = sorted(set(keys))
        rows = await self._conn.fetch(
            """
            SELECT s.* FROM inventory_posting_setups s
            JOIN unnest($1::text[], $2::text[]) AS k (location_code, inventory_posting_group)
              USING (location_code, inventory_posting_group)
            """,
            [location for location, _ in pairs], [group for _, group in pairs],
        )
        return {
            (row["location_code"], row["inventory_posting_group"]): InventoryPostingSetup(*(row[c] for c in _INVENTORY_ACCOUNTS))
            for row in rows
        }

    async def put_inventory_setup(self, key: InventoryKey, setup: InventoryPostingSetup) -> None:
        await self._conn.execute(
            _upsert("inventory_posting_setups", ["location_code", "inventory_posting_group"], _INVENTORY_ACCOUNTS),
            *key, *astuple(setup),
        )

    async def general_setups(self, keys: Iterable[GeneralKey]) -> dict[GeneralKey, GeneralPostingSetup]:
        pairs = sorted(set(keys))
        rows = await self._conn.fetch(
            """
            SELECT s.* FROM general_posting_setups s
            JOIN unnest($1::text[], $2::text[]) AS k (gen_bus_posting_group, gen_prod_posting_group)
              USING (gen_bus_posting_group, gen_prod_posting_group)
            """,
            [business for business, _ in pairs], [product for _, product in pairs],
        )
        return {
            (row["gen_bus_posting_group"], row["gen_prod_posting_group"]): GeneralPostingSetup(*(row[c] for c in _GENERAL_ACCOUNTS))
            for row in rows
        }

    async def put_general_setup(self, key: GeneralKey, setup: GeneralPostingSetup) -> None:
        await self._conn.execute(
            _upsert("general_posting_setups", ["gen_bus_posting_group", "gen_prod_posting_group"], _GENERAL_ACCOUNTS),
            *key, *astuple(setup),
        )


class PostgresValueEntries:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def lock_items(self, item_nos: Iterable[str]) -> None:
        ordered = sorted(set(item_nos))
        if not ordered:
            return
        # unnest yields the array in its order, so the locks are taken in item no. order.
        await self._conn.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended('ledger-item:' || item_no, 0)) FROM unnest($1::text[]) AS i (item_no)",
            ordered,
        )

    async def already_received(self, value_entry_nos: Sequence[int]) -> set[int]:
        if not value_entry_nos:
            return set()
        rows = await self._conn.fetch(
            """
            SELECT value_entry_no FROM posted_value_entries WHERE value_entry_no = ANY($1::bigint[])
            UNION ALL
            SELECT value_entry_no FROM pending_value_entries WHERE value_entry_no = ANY($1::bigint[])
            """,
            list(value_entry_nos),
        )
        return {row["value_entry_no"] for row in rows}

    async def pending_of(self, item_nos: Iterable[str]) -> dict[str, list[ReceivedValueEntry]]:
        rows = await self._conn.fetch(
            """
            SELECT item_no, payload, event_id, correlation_id FROM pending_value_entries
            WHERE item_no = ANY($1::text[]) ORDER BY value_entry_no
            """,
            list(set(item_nos)),
        )
        found: dict[str, list[ReceivedValueEntry]] = {}
        for r in rows:
            found.setdefault(r["item_no"], []).append(
                received_value_entry(r["item_no"], r["payload"], r["event_id"], r["correlation_id"])
            )
        return found

    async def items_with_pending(self) -> list[str]:
        rows = await self._conn.fetch(
            "SELECT item_no FROM pending_value_entries GROUP BY item_no ORDER BY min(value_entry_no)"
        )
        return [row["item_no"] for row in rows]

    async def keep_pending(self, waiting: Sequence[tuple[ReceivedValueEntry, str]]) -> None:
        # One statement may not update a row twice: an entry given twice keeps its last reason.
        rows = list({r.entry_no: (r, reason) for r, reason in waiting}.values())
        if not rows:
            return
        await self._conn.execute(
            """
            INSERT INTO pending_value_entries (value_entry_no, item_no, payload, reason, event_id, correlation_id)
            SELECT * FROM unnest($1::bigint[], $2::text[], $3::jsonb[], $4::text[], $5::uuid[], $6::uuid[])
            ON CONFLICT (value_entry_no) DO UPDATE SET reason = EXCLUDED.reason
            """,
            [r.entry_no for r, _ in rows], [r.value_entry.item_no for r, _ in rows], [dict(r.payload) for r, _ in rows],
            [reason for _, reason in rows], [r.event_id for r, _ in rows], [r.correlation_id for r, _ in rows],
        )

    async def remove_pending(self, value_entry_nos: Sequence[int]) -> None:
        if not value_entry_nos:
            return
        await self._conn.execute(
            "DELETE FROM pending_value_entries WHERE value_entry_no = ANY($1::bigint[])", list(value_entry_nos)
        )

    async def count_pending(self) -> int:
        return int(await self._conn.fetchval("SELECT count(*) FROM pending_value_entries"))

    async def list_pending(self, after: int | None, limit: int) -> list[PendingValueEntry]:
        rows = await self._conn.fetch(
            """
            SELECT value_entry_no, item_no, reason, received_at, payload FROM pending_value_entries
            WHERE $1::bigint IS NULL OR value_entry_no > $1 ORDER BY value_entry_no LIMIT $2
            """,
            after, limit,
        )
        return [PendingValueEntry(**dict(row)) for row in rows]

    async def mark_posted(self, posted: Sequence[tuple[int, int | None]]) -> None:
        if not posted:
            return
        await self._conn.execute(
            """
            INSERT INTO posted_value_entries (value_entry_no, register_no)
            SELECT * FROM unnest($1::bigint[], $2::bigint[])
            """,
            [value_entry_no for value_entry_no, _ in posted], [register_no for _, register_no in posted],
        )


class PostgresGeneralLedger:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def next_register_and_entry_nos(self, register_count: int, entry_count: int) -> tuple[list[int], list[int]]:
        row = await self._conn.fetchrow(
            """
            SELECT array(SELECT nextval('gl_register_no') FROM generate_series(1, $1)) AS register_nos,
                   array(SELECT nextval('gl_entry_no') FROM generate_series(1, $2)) AS entry_nos
            """,
            register_count,
            entry_count,
        )
        assert row is not None
        return sorted(row["register_nos"]), sorted(row["entry_nos"])

    async def add_registers(self, registers: Sequence[Register]) -> None:
        if not registers:
            return
        entries = [(register_no, e) for register_no, _, _, register_entries in registers for e in register_entries]
        # One statement: the entries' foreign key to their register is checked when it ends, registers written.
        await self._conn.execute(
            """
            WITH registers AS (
                INSERT INTO gl_registers (register_no, item_no, source_event_id, from_entry_no, to_entry_no)
                SELECT * FROM unnest($1::bigint[], $2::text[], $3::uuid[], $4::bigint[], $5::bigint[])
            )
            INSERT INTO gl_entries (entry_no, register_no, account_no, posting_date, document_no, description, amount,
                                    value_entry_no, item_no)
            SELECT * FROM unnest($6::bigint[], $7::bigint[], $8::text[], $9::date[], $10::text[], $11::text[],
                                 $12::numeric[], $13::bigint[], $14::text[])
            """,
            [no for no, _, _, _ in registers], [item_no for _, item_no, _, _ in registers],
            [event_id for _, _, event_id, _ in registers],
            [register_entries[0].entry_no for _, _, _, register_entries in registers],
            [register_entries[-1].entry_no for _, _, _, register_entries in registers],
            [e.entry_no for _, e in entries], [register_no for register_no, _ in entries],
            [e.account_no for _, e in entries], [e.posting_date for _, e in entries], [e.document_no for _, e in entries],
            [e.description for _, e in entries], [e.amount for _, e in entries], [e.value_entry_no for _, e in entries],
            [e.item_no for _, e in entries],
        )

    async def list_entries(
        self,
        *,
        account_no: str | None,
        from_date: date | None,
        to_date: date | None,
        value_entry_no: int | None,
        after: int | None,
        limit: int,
    ) -> list[RecordedGLEntry]:
        rows = await self._conn.fetch(
            """
            SELECT * FROM gl_entries
            WHERE ($1::text IS NULL OR account_no = $1)
              AND ($2::date IS NULL OR posting_date >= $2) AND ($3::date IS NULL OR posting_date <= $3)
              AND ($4::bigint IS NULL OR value_entry_no = $4) AND ($5::bigint IS NULL OR entry_no > $5)
            ORDER BY entry_no LIMIT $6
            """,
            account_no, from_date, to_date, value_entry_no, after, limit,
        )
        return [RecordedGLEntry(**dict(row)) for row in rows]

    async def trial_balance(self, at: date | None) -> list[TrialBalanceLine]:
        rows = await self._conn.fetch(
            """
            SELECT a.account_no, a.name, a.income_balance,
                   coalesce(sum(e.amount) FILTER (WHERE e.amount > 0), 0.00) AS debit,
                   coalesce(-sum(e.amount) FILTER (WHERE e.amount < 0), 0.00) AS credit,
                   sum(e.amount) AS balance
            FROM gl_entries e JOIN gl_accounts a USING (account_no)
            WHERE $1::date IS NULL OR e.posting_date <= $1
            GROUP BY a.account_no ORDER BY a.account_no
            """,
            at,
        )
        return [
            TrialBalanceLine(row["account_no"], row["name"], IncomeBalance(row["income_balance"]),
                             row["debit"], row["credit"], row["balance"])
            for row in rows
        ]

    async def closed_through(self) -> date | None:
        value: date | None = await self._conn.fetchval("SELECT closed_through FROM gl_setup")
        return value

    async def set_closed_through(self, closed_through: date | None) -> None:
        await self._conn.execute("UPDATE gl_setup SET closed_through = $1", closed_through)


class PostgresReconciliation:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def snapshot(self) -> ReconciliationSnapshot:
        """Read in one REPEATABLE READ, read-only transaction, so that all four describe the same moment.

        Call it outside a transaction (on a reading unit of work): the isolation of a transaction is set when it begins.
        """
        async with self._conn.transaction(isolation="repeatable_read", readonly=True):
            received = await self._conn.fetchval(
                "SELECT (SELECT count(*) FROM posted_value_entries) + (SELECT count(*) FROM pending_value_entries)"
            )
            pending = await self._conn.fetchval("SELECT count(*) FROM pending_value_entries")
            balances = {
                row["account_no"]: row["balance"]
                for row in await self._conn.fetch("SELECT account_no, sum(amount) AS balance FROM gl_entries GROUP BY account_no")
            }
            setups = {
                (row["location_code"], row["inventory_posting_group"]): InventoryPostingSetup(
                    row["inventory_account"], row["inventory_account_interim"]
                )
                for row in await self._conn.fetch("SELECT * FROM inventory_posting_setups")
            }
        return ReconciliationSnapshot(int(received), int(pending), balances, setups)

    async def reported_differences(self) -> dict[str, Decimal]:
        rows = await self._conn.fetch("SELECT account_no, difference FROM reconciliation_reports")
        return {row["account_no"]: row["difference"] for row in rows}

    async def record_reported_difference(self, account_no: str, interim: bool, difference: Decimal) -> None:
        await self._conn.execute(
            """
            INSERT INTO reconciliation_reports (account_no, interim, difference) VALUES ($1, $2, $3)
            ON CONFLICT (account_no) DO UPDATE SET difference = EXCLUDED.difference, reported_at = now()
            """,
            account_no, interim, difference,
        )
