"""SQL of value entries: what the valuation path writes and sums, what the API reads, and item charges."""

from collections.abc import Sequence
from dataclasses import fields, replace
from datetime import date
from decimal import Decimal

import asyncpg

from inventory_contracts.costing import ValueEntryType, VarianceType
from inventory_contracts.warehouse import ItemLedgerEntryType

from costing.adapters.session import CostingStore, flushes_first
from costing.domain.model import ValueEntry
from costing.domain.ports import PostingGroupValuation, StoredValueEntry, ValuationRow


@flushes_first("next_value_entry_no", "add_value_entries", "first_value_entry", "last_invoiced_posting_date")
class ValueEntryStore(CostingStore):
    """The value entries the engine writes and the sums it reads of them."""

    async def next_value_entry_no(self) -> int:
        """A provisional number, negative: the stored one is drawn when the entry is written, in the same order."""
        self._session.last_provisional -= 1
        return self._session.last_provisional

    async def add_value_entries(self, entries: Sequence[ValueEntry]) -> None:
        session = self._session
        session.pending.value_entries += entries
        for entry in entries:
            # The first of an item ledger entry is the one that valued it: those written later get later numbers.
            number = entry.item_ledger_entry.entry_no
            session.first_written.setdefault(number, entry.entry_no)
            known = session.entries.get(number)
            if known is not None and known.first_value_entry_no is None:
                session.entries[number] = replace(known, first_value_entry_no=entry.entry_no)

    async def first_value_entry(self, item_ledger_entry_no: int) -> int | None:
        """Its first value entry: of one held in this transaction as known, else as stored, else the first written now."""
        known = self._session.entries.get(item_ledger_entry_no)
        if known is not None:
            return self._stored_number(known.first_value_entry_no)
        first = await self._conn.fetchval(
            "SELECT min(entry_no) FROM value_entries WHERE item_ledger_entry_no = $1", item_ledger_entry_no
        )
        return first if first is not None else self._session.first_value_entry(item_ledger_entry_no)

    def _stored_number(self, number: int | None) -> int | None:
        return None if number is None else self._session.stored_numbers.get(number, number)

    async def expected_cost(self, entry_no: int, entry_type: ValueEntryType | None = None) -> Decimal:
        """Expected cost still standing on an item ledger entry (of its value entries of `entry_type`, or all):
        what its invoices have not turned actual."""
        return Decimal(await self._conn.fetchval(
            """SELECT coalesce(sum(cost_amount_expected), 0) FROM value_entries
            WHERE item_ledger_entry_no = $1 AND ($2::text IS NULL OR entry_type = $2)""",
            entry_no, None if entry_type is None else str(entry_type),
        ))

    async def entry_cost(self, entry_no: int) -> Decimal:
        """Cost of an item ledger entry: the sum of its value entries."""
        return Decimal(await self._conn.fetchval(
            "SELECT coalesce(sum(cost_amount_actual + cost_amount_expected), 0) FROM value_entries WHERE item_ledger_entry_no = $1",
            entry_no,
        ))

    async def last_invoiced_posting_date(self, entry_no: int) -> date | None:
        """Posting date of the entry's last value entry that invoiced quantity: of those stored, and those kept."""
        stored = await self._conn.fetchval(
            "SELECT max(posting_date) FROM value_entries WHERE item_ledger_entry_no = $1 AND invoiced_quantity <> 0", entry_no
        )
        kept = [entry.posting_date for entry in self._session.pending.value_entries
                if entry.item_ledger_entry.entry_no == entry_no and entry.invoiced_quantity != 0]
        return max([*kept, stored] if stored is not None else kept, default=None)

    async def direct_cost_of(self, entry_nos: Sequence[int]) -> dict[int, Decimal]:
        """The amount each receipt was posted at (its own Direct Cost entries, not charges or adjustments)."""
        rows = await self._conn.fetch(
            """SELECT item_ledger_entry_no, sum(cost_amount_actual + cost_amount_expected) AS amount FROM value_entries
            WHERE item_ledger_entry_no = ANY($1::bigint[]) AND entry_type = 'Direct Cost' AND NOT adjustment
              AND item_charge_no IS NULL GROUP BY item_ledger_entry_no""",
            list(entry_nos),
        )
        return {row["item_ledger_entry_no"]: row["amount"] for row in rows}

    async def on_hand(self, item_no: str) -> tuple[Decimal, Decimal]:
        """Quantity and value on hand of the item: the sum of its value entries, kept as a running total."""
        row = await self._conn.fetchrow("SELECT quantity, value FROM item_on_hand WHERE item_no = $1", item_no)
        return (row["quantity"], row["value"]) if row else (Decimal(0), Decimal(0))

    async def add_charge_assignment(self, charge_no: str, document_no: str, posting_date: date, entry_no: int, amount: Decimal) -> None:
        await self._conn.execute(
            """INSERT INTO item_charge_assignments (item_charge_no, document_no, posting_date, item_ledger_entry_no, amount)
            VALUES ($1, $2, $3, $4, $5)""",
            charge_no, document_no, posting_date, entry_no, amount,
        )


@flushes_first()
class PostgresValueEntryQueries(CostingStore):
    """Value entries as stored and the inventory value they sum to."""

    async def list_value_entries(
        self, item_no: str | None, item_ledger_entry_no: int | None, after: int | None, limit: int
    ) -> list[StoredValueEntry]:
        rows = await self._conn.fetch(
            f"""
            SELECT {_VALUE_ENTRY_COLUMNS} FROM value_entries
            WHERE ($1::text IS NULL OR item_no = $1) AND ($2::bigint IS NULL OR item_ledger_entry_no = $2)
              AND ($3::bigint IS NULL OR entry_no > $3)
            ORDER BY entry_no LIMIT $4
            """,
            item_no, item_ledger_entry_no, after, limit,
        )
        return [_stored(row) for row in rows]

    async def value_entries_by_no(self, entry_nos: Sequence[int]) -> list[StoredValueEntry]:
        rows = await self._conn.fetch(
            f"SELECT {_VALUE_ENTRY_COLUMNS} FROM value_entries WHERE entry_no = ANY($1::bigint[]) ORDER BY entry_no", list(entry_nos)
        )
        return [_stored(row) for row in rows]

    async def valuation(self, at: date | None, item_no: str | None, location_code: str | None = None) -> list[ValuationRow]:
        """Quantity and value per item, location and inventory posting group, from value entries up to `at`."""
        rows = await self._conn.fetch(
            """
            SELECT item_no, location_code, inventory_posting_group,
                   coalesce(sum(valued_quantity) FILTER (WHERE entry_type <> 'Revaluation'), 0) AS quantity,
                   sum(cost_amount_actual) AS cost_amount_actual,
                   sum(cost_amount_expected) AS cost_amount_expected
            FROM value_entries
            WHERE ($1::date IS NULL OR posting_date <= $1) AND ($2::text IS NULL OR item_no = $2)
              AND ($3::text IS NULL OR location_code = $3)
            GROUP BY item_no, location_code, inventory_posting_group
            ORDER BY item_no, location_code, inventory_posting_group
            """,
            at, item_no, location_code,
        )
        return [ValuationRow(**dict(row)) for row in rows]

    async def valuation_by_posting_group(self) -> list[PostingGroupValuation]:
        """Value per location and inventory posting group, with how many value entries it sums (one snapshot)."""
        rows = await self._conn.fetch(
            """
            SELECT location_code, inventory_posting_group,
                   sum(cost_amount_actual) AS cost_amount_actual,
                   sum(cost_amount_expected) AS cost_amount_expected,
                   count(*) AS value_entries
            FROM value_entries
            GROUP BY location_code, inventory_posting_group
            ORDER BY location_code, inventory_posting_group
            """
        )
        return [PostingGroupValuation(**dict(row)) for row in rows]


_VALUE_ENTRY_COLUMNS = ", ".join(field.name for field in fields(StoredValueEntry))
_VALUE_ENTRY_TYPES = {str(entry_type): entry_type for entry_type in ValueEntryType}
_ITEM_LEDGER_ENTRY_TYPES = {str(entry_type): entry_type for entry_type in ItemLedgerEntryType}


def _stored(row: asyncpg.Record) -> StoredValueEntry:
    return StoredValueEntry(**{
        **dict(row), "entry_type": _VALUE_ENTRY_TYPES[row["entry_type"]],
        "item_ledger_entry_type": _ITEM_LEDGER_ENTRY_TYPES[row["item_ledger_entry_type"]],
        "variance_type": None if row["variance_type"] is None else VarianceType(row["variance_type"]),
    })
