"""SQL of item ledger entries: those costing valued, their valuation dates, invoice lines and cost sources."""

from collections.abc import Iterable
from dataclasses import fields, replace
from datetime import date
from decimal import Decimal

import asyncpg

from inventory_contracts.catalog import CostingMethod
from inventory_contracts.warehouse import ItemLedgerEntryType

from costing.adapters.session import ENTRY_COLUMNS, CostingStore, flushes_first, stored_amount, stored_quantity
from costing.domain.model import ItemLedgerEntry
from costing.domain.ports import CostSource, KnownEntry


@flushes_first(
    "add_item_ledger_entry", "item_ledger_entries", "set_valuation_date", "latest_valuation_dates", "cost_sources_of",
)
class ItemLedgerEntryStore(CostingStore):
    """The item ledger entries costing has valued, and the inbound entries that take their cost from an outbound one."""

    async def add_item_ledger_entry(self, entry: ItemLedgerEntry) -> None:
        self._session.pending.entries[entry.entry_no] = entry
        self._session.valued_at[entry.entry_no] = entry.valuation_date or entry.posting_date
        self._session.hold_entry(entry.entry_no, entry, None)

    async def known_item_ledger_entries(self, entry_nos: Iterable[int]) -> set[int]:
        """Those of `entry_nos` costing has valued already."""
        rows = await self._conn.fetch(
            "SELECT entry_no FROM item_ledger_entries WHERE entry_no = ANY($1::bigint[])", list(entry_nos)
        )
        return {row["entry_no"] for row in rows}

    async def item_ledger_entries(self, entry_nos: Iterable[int]) -> dict[int, KnownEntry]:
        """The entries, each with the value entry that valued it, which later ones apply to.

        As they stand in this transaction: those written or read in it are held, and kept up to date by what changes them
        (their valuation date, invoiced quantity and first value entry); the others are read, with a valuation date kept
        unwritten, and held from then on."""
        wanted = list(dict.fromkeys(entry_nos))
        session = self._session
        missing = [entry_no for entry_no in wanted if entry_no not in session.entries]
        if missing:
            rows = await self._conn.fetch(
                f"""SELECT {ENTRY_COLUMNS}, valuation_date,
                    (SELECT min(v.entry_no) FROM value_entries v WHERE v.item_ledger_entry_no = e.entry_no) AS first_value_entry_no
                FROM item_ledger_entries e WHERE entry_no = ANY($1::bigint[])""",
                missing,
            )
            for row in rows:
                entry = _entry(row)
                if entry.entry_no in session.pending.valuation_dates:
                    entry = replace(entry, valuation_date=session.pending.valuation_dates[entry.entry_no])
                first = row["first_value_entry_no"]
                session.hold_entry(entry.entry_no, entry, first if first is not None else session.first_value_entry(entry.entry_no))
        return {entry_no: session.stored_entry(entry_no) for entry_no in wanted if entry_no in session.entries}

    async def valuation_dates(self, entry_nos: Iterable[int]) -> list[date]:
        return [row[0] for row in await self._conn.fetch(
            "SELECT coalesce(valuation_date, posting_date) FROM item_ledger_entries WHERE entry_no = ANY($1::bigint[])",
            list(entry_nos),
        )]

    async def set_valuation_date(self, entry_no: int, valuation_date: date) -> None:
        if entry_no in self._session.entries:
            known = self._session.entries[entry_no]
            self._session.entries[entry_no] = replace(known, entry=replace(known.entry, valuation_date=valuation_date))
        if entry_no in self._session.pending.entries:
            self._session.pending.entries[entry_no] = replace(self._session.pending.entries[entry_no], valuation_date=valuation_date)
        else:
            self._session.pending.valuation_dates[entry_no] = valuation_date
        if entry_no in self._session.valued_at:
            self._session.valued_at[entry_no] = max(self._session.valued_at[entry_no], valuation_date)

    async def latest_valuation_dates(self, entry_nos: Iterable[int]) -> list[date]:
        """Per entry, the latest valuation date of its value entries: its own, or a later revaluation's."""
        wanted = set(entry_nos)
        missing = [entry_no for entry_no in wanted if entry_no not in self._session.valued_at]
        if missing:
            self._session.valued_at.update((row[0], row[1]) for row in await self._conn.fetch(
                """SELECT e.entry_no, greatest(coalesce(e.valuation_date, e.posting_date),
                                  (SELECT max(r.revaluation_date) FROM layer_revaluations r WHERE r.inbound_entry_no = e.entry_no))
                FROM item_ledger_entries e WHERE e.entry_no = ANY($1::bigint[])""",
                missing,
            ))
        return [self._session.valued_at[entry_no] for entry_no in wanted if entry_no in self._session.valued_at]

    async def add_invoiced_quantity(self, entry_no: int, quantity: Decimal, invoice_entry_no: int | None) -> None:
        await self._conn.execute(
            "UPDATE item_ledger_entries SET invoiced_quantity = invoiced_quantity + $2 WHERE entry_no = $1", entry_no, quantity
        )
        known = self._session.entries.get(entry_no)
        if known is not None and known.entry.invoiced_quantity is not None:
            self._session.hold_entry(entry_no, replace(known.entry, invoiced_quantity=known.entry.invoiced_quantity + quantity),
                                     known.first_value_entry_no)
        if invoice_entry_no is not None:
            await self._conn.execute(
                "INSERT INTO invoice_lines (invoice_entry_no, item_ledger_entry_no, quantity) VALUES ($1, $2, $3)",
                invoice_entry_no, entry_no, quantity,
            )

    async def known_invoice_lines(self, invoice_entry_nos: Iterable[int]) -> set[int]:
        """Those of the warehouse's `invoice_entry_nos` costing has valued already."""
        rows = await self._conn.fetch(
            "SELECT invoice_entry_no FROM invoice_lines WHERE invoice_entry_no = ANY($1::bigint[])", list(invoice_entry_nos)
        )
        return {row["invoice_entry_no"] for row in rows}

    async def add_cost_source(self, inbound_entry_no: int, outbound_entry_no: int, quantity: Decimal, cost: Decimal) -> None:
        seq = await self._conn.fetchval(
            """INSERT INTO cost_sources (inbound_entry_no, outbound_entry_no, quantity, cost_amount) VALUES ($1, $2, $3, $4)
            RETURNING seq""",
            inbound_entry_no, outbound_entry_no, quantity, cost,
        )
        if outbound_entry_no in self._session.cost_sources:
            self._session.cost_sources[outbound_entry_no].append(
                CostSource(seq, inbound_entry_no, stored_quantity(quantity), stored_amount(cost))
            )

    async def cost_sources_of(self, outbound_entry_nos: Iterable[int]) -> dict[int, list[CostSource]]:
        """Per outbound entry, the inbound entries that take their cost from it, in the order they did.

        Served without writing what the session keeps: cost sources are written at once, never kept. Those of an outbound
        entry read once are held, as they stand (copies: the caller may change its own)."""
        wanted = set(outbound_entry_nos)
        held = self._session.cost_sources
        missing = [entry_no for entry_no in wanted if entry_no not in held]
        if missing:
            rows = await self._conn.fetch(
                """SELECT seq, outbound_entry_no, inbound_entry_no, quantity, cost_amount FROM cost_sources
                WHERE outbound_entry_no = ANY($1::bigint[]) ORDER BY seq""",
                missing,
            )
            held.update((entry_no, []) for entry_no in missing)
            for row in rows:
                held[row["outbound_entry_no"]].append(CostSource(row["seq"], row["inbound_entry_no"], row["quantity"], row["cost_amount"]))
        return {entry_no: [replace(source) for source in held[entry_no]] for entry_no in wanted if held[entry_no]}

    async def set_cost_source_cost(self, seq: int, cost: Decimal) -> None:
        await self._conn.execute("UPDATE cost_sources SET cost_amount = $2 WHERE seq = $1", seq, cost)
        for sources in self._session.cost_sources.values():
            for source in sources:
                if source.seq == seq:
                    source.cost_amount = stored_amount(cost)


def _entry(row: asyncpg.Record) -> ItemLedgerEntry:
    return ItemLedgerEntry(
        **{key: row[key] for key in _ROW_FIELDS},
        entry_type=_ENTRY_TYPES[row["entry_type"]], costing_method=_COSTING_METHODS[row["costing_method"]],
    )


_ROW_FIELDS = tuple(f.name for f in fields(ItemLedgerEntry) if f.name not in {"entry_type", "costing_method"})
_ENTRY_TYPES = {str(entry_type): entry_type for entry_type in ItemLedgerEntryType}
_COSTING_METHODS = {str(method): method for method in CostingMethod}

