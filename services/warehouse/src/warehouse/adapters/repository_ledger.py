"""The item ledger: entries, their applications and what is left open of them."""

from collections.abc import Iterable, Sequence
from decimal import Decimal

import asyncpg

from inventory_contracts.warehouse import ItemLedgerEntryType

from warehouse.domain.application import Application, OpenEntry
from warehouse.domain.documents import PostedEntry
from warehouse.domain.ledger_state import Key
from warehouse.domain.model import ItemLedgerEntry, ListedEntry, StockAtLocation

_ENTRY = ("entry_no, item_no, variant_code, location_code, posting_date, entry_type, document_no, document_line_no, "
          "quantity, unit_cost, bin_code, serial_no, lot_no, expiration_date, applies_from_entry, unit_of_measure_code, "
          "qty_per_unit_of_measure, document_type, correction, invoiced_quantity, applies_to_entry, order_type, order_no, "
          "order_line_no")


class PostgresItemLedger:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def next_entry_nos(self, count: int) -> list[int]:
        rows = await self._conn.fetch("SELECT nextval('item_ledger_entry_no') AS n FROM generate_series(1, $1)", count)
        return sorted(int(r["n"]) for r in rows)

    async def add(self, entries: Sequence[ItemLedgerEntry]) -> None:
        """The entries, then their applications: a document in two statements."""
        await self._conn.execute(
            """
            INSERT INTO item_ledger_entries (entry_no, item_no, variant_code, location_code, bin_code, posting_date,
                                             entry_type, document_no, document_line_no, quantity, unit_cost,
                                             serial_no, lot_no, expiration_date, applies_from_entry,
                                             unit_of_measure_code, qty_per_unit_of_measure, document_type, correction,
                                             invoiced_quantity, applies_to_entry, order_type, order_no, order_line_no)
            SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::date[], $7::text[],
                                 $8::text[], $9::int[], $10::numeric[], $11::numeric[], $12::text[], $13::text[],
                                 $14::date[], $15::bigint[], $16::text[], $17::numeric[], $18::text[], $19::boolean[],
                                 $20::numeric[], $21::bigint[], $22::text[], $23::text[], $24::int[])
            """,
            [e.entry_no for e in entries], [e.item_no for e in entries], [e.variant_code for e in entries],
            [e.location_code for e in entries], [e.bin_code for e in entries], [e.posting_date for e in entries],
            [str(e.entry_type) for e in entries], [e.document_no for e in entries],
            [e.document_line_no for e in entries], [e.quantity for e in entries], [e.unit_cost for e in entries],
            [e.serial_no for e in entries], [e.lot_no for e in entries], [e.expiration_date for e in entries],
            [e.applies_from_entry for e in entries], [e.unit_of_measure_code for e in entries],
            [e.qty_per_unit_of_measure for e in entries], [e.document_type for e in entries],
            [e.correction for e in entries], [e.invoiced_quantity for e in entries],
            [e.applies_to_entry for e in entries], [e.order_type for e in entries], [e.order_no for e in entries],
            [e.order_line_no for e in entries],
        )
        rows = [(a, e.posting_date) for e in entries for a in e.applications]
        if rows:
            await self._conn.execute(
                """
                INSERT INTO item_applications (inbound_entry_no, outbound_entry_no, quantity, posting_date)
                SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::numeric[], $4::date[])
                """,
                [a.inbound_entry_no for a, _ in rows], [a.outbound_entry_no for a, _ in rows],
                [a.quantity for a, _ in rows], [d for _, d in rows],
            )

    async def posted(self, entry_nos: Iterable[int], *, lock: bool) -> dict[int, PostedEntry]:
        """The entries; with `lock` (taken after the items' locks, like every posting) an invoice or undo of the same
        entry waits. NO KEY UPDATE: applications and returns that reference the entry are not blocked."""
        rows = await self._conn.fetch(
            "SELECT entry_no, item_no, variant_code, location_code, bin_code, posting_date, entry_type, document_no, "
            "quantity, invoiced_quantity, correction, corrected, serial_no, lot_no, unit_of_measure_code, document_line_no "
            "FROM item_ledger_entries WHERE entry_no = ANY($1::bigint[]) ORDER BY entry_no"
            + (" FOR NO KEY UPDATE" if lock else ""),
            sorted(set(entry_nos)),
        )
        return {r["entry_no"]: PostedEntry(**{**dict(r), "entry_type": ItemLedgerEntryType(r["entry_type"])})
                for r in rows}

    async def returned_quantities(self, entry_nos: Iterable[int]) -> dict[int, Decimal]:
        rows = await self._conn.fetch(
            """SELECT applies_from_entry AS entry_no, sum(quantity) AS quantity FROM item_ledger_entries
               WHERE applies_from_entry = ANY($1::bigint[]) GROUP BY applies_from_entry""",
            sorted(set(entry_nos)),
        )
        return {row["entry_no"]: row["quantity"] for row in rows}

    async def mark_corrected(self, entry_nos: Sequence[int]) -> None:
        await self._conn.execute(
            "UPDATE item_ledger_entries SET corrected = true WHERE entry_no = ANY($1::bigint[])", list(entry_nos)
        )

    async def keys_with_open_entries(self, item_nos: Iterable[str]) -> set[Key]:
        rows = await self._conn.fetch(
            "SELECT DISTINCT item_no, variant_code, location_code FROM open_item_ledger_entries WHERE item_no = ANY($1::text[])",
            sorted(set(item_nos)),
        )
        return {(r["item_no"], r["variant_code"], r["location_code"]) for r in rows}

    async def open_entries_of(self, keys: Iterable[Key]) -> dict[Key, dict[int, OpenEntry]]:
        """Every open entry of the (item, variant, location) keys."""
        keys = sorted(set(keys))
        rows = await self._conn.fetch(
            """
            SELECT o.item_no, o.variant_code, o.location_code, o.entry_no, o.posting_date, o.remaining_quantity,
                   o.serial_no, o.lot_no, o.expiration_date
            FROM open_item_ledger_entries o
            JOIN unnest($1::text[], $2::text[], $3::text[]) AS k (item_no, variant_code, location_code)
              ON o.item_no = k.item_no AND o.variant_code = k.variant_code AND o.location_code = k.location_code
            """,
            [k[0] for k in keys], [k[1] for k in keys], [k[2] for k in keys],
        )
        found: dict[Key, dict[int, OpenEntry]] = {key: {} for key in keys}
        for r in rows:
            found[(r["item_no"], r["variant_code"], r["location_code"])][r["entry_no"]] = OpenEntry(
                r["entry_no"], r["posting_date"], r["remaining_quantity"], r["serial_no"], r["lot_no"], r["expiration_date"]
            )
        return found

    async def bin_contents_of(self, places: Iterable[tuple[Key, str]]) -> dict[tuple[Key, str], Decimal]:
        places = sorted(set(places))
        rows = await self._conn.fetch(
            """
            SELECT k.item_no, k.variant_code, k.location_code, k.bin_code, coalesce(sum(e.quantity), 0) AS quantity
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS k (item_no, variant_code, location_code, bin_code)
            LEFT JOIN item_ledger_entries e
              ON e.item_no = k.item_no AND e.variant_code = k.variant_code AND e.location_code = k.location_code
             AND e.bin_code = k.bin_code
            GROUP BY k.item_no, k.variant_code, k.location_code, k.bin_code
            """,
            [p[0][0] for p in places], [p[0][1] for p in places], [p[0][2] for p in places], [p[1] for p in places],
        )
        return {((r["item_no"], r["variant_code"], r["location_code"]), r["bin_code"]): r["quantity"] for r in rows}

    async def save_open_changes(
        self, closed: Sequence[int], changed: Sequence[tuple[int, Decimal]], opened: Sequence[tuple[Key, OpenEntry]]
    ) -> None:
        if closed:
            await self._conn.execute("DELETE FROM open_item_ledger_entries WHERE entry_no = ANY($1::bigint[])", list(closed))
        if changed:
            await self._conn.execute(
                """
                UPDATE open_item_ledger_entries o SET remaining_quantity = c.remaining_quantity
                FROM unnest($1::bigint[], $2::numeric[]) AS c (entry_no, remaining_quantity) WHERE o.entry_no = c.entry_no
                """,
                [c[0] for c in changed], [c[1] for c in changed],
            )
        if opened:
            await self._conn.execute(
                """
                INSERT INTO open_item_ledger_entries (item_no, variant_code, location_code, entry_no, posting_date,
                                                      remaining_quantity, serial_no, lot_no, expiration_date)
                SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::date[], $6::numeric[],
                                     $7::text[], $8::text[], $9::date[])
                """,
                [k[0] for k, _ in opened], [k[1] for k, _ in opened], [k[2] for k, _ in opened],
                [e.entry_no for _, e in opened], [e.posting_date for _, e in opened], [e.remaining_quantity for _, e in opened],
                [e.serial_no for _, e in opened], [e.lot_no for _, e in opened], [e.expiration_date for _, e in opened],
            )

    async def entries(self, item_no: str | None, after: int | None, limit: int) -> list[ListedEntry]:
        rows = await self._conn.fetch(
            f"""
            SELECT {', '.join('e.' + c for c in _ENTRY.split(', '))},
                   coalesce(o.remaining_quantity, 0) AS remaining_quantity, o.entry_no IS NOT NULL AS open
            FROM item_ledger_entries e LEFT JOIN open_item_ledger_entries o USING (entry_no)
            WHERE ($1::text IS NULL OR e.item_no = $1) AND ($2::bigint IS NULL OR e.entry_no > $2)
            ORDER BY e.entry_no LIMIT $3
            """,
            item_no, after, limit,
        )
        applications = await self._applications_of([r["entry_no"] for r in rows])
        return [ListedEntry(_entry(r, applications.get(r["entry_no"], ())), r["remaining_quantity"], r["open"])
                for r in rows]

    async def _applications_of(self, entry_nos: Sequence[int]) -> dict[int, tuple[Application, ...]]:
        """Per entry, the applications it is the inbound or the outbound side of, in the order they were made."""
        rows = await self._conn.fetch(
            """
            SELECT inbound_entry_no, outbound_entry_no, quantity FROM item_applications
            WHERE inbound_entry_no = ANY($1::bigint[]) OR outbound_entry_no = ANY($1::bigint[]) ORDER BY id
            """,
            list(entry_nos),
        )
        found: dict[int, tuple[Application, ...]] = {}
        for r in rows:
            application = Application(r["inbound_entry_no"], r["outbound_entry_no"], r["quantity"])
            found[application.inbound_entry_no] = found.get(application.inbound_entry_no, ()) + (application,)
            found[application.outbound_entry_no] = found.get(application.outbound_entry_no, ()) + (application,)
        return found

    async def on_hand(self, item_no: str) -> list[StockAtLocation]:
        rows = await self._conn.fetch(
            """
            SELECT location_code, variant_code, sum(quantity) AS quantity FROM item_ledger_entries
            WHERE item_no = $1 GROUP BY location_code, variant_code ORDER BY location_code, variant_code
            """,
            item_no,
        )
        return [StockAtLocation(r["location_code"], r["variant_code"], r["quantity"]) for r in rows]

    async def by_no(self, entry_nos: Iterable[int]) -> list[ItemLedgerEntry]:
        rows = await self._conn.fetch(
            f"SELECT {_ENTRY} FROM item_ledger_entries WHERE entry_no = ANY($1::bigint[]) ORDER BY entry_no",
            sorted(set(entry_nos)),
        )
        return [_entry(r) for r in rows]

    async def with_tracking(self, serial_no: str, lot_no: str, item_no: str | None) -> list[ItemLedgerEntry]:
        rows = await self._conn.fetch(
            f"""
            SELECT {_ENTRY} FROM item_ledger_entries
            WHERE ($1 = '' OR serial_no = $1) AND ($2 = '' OR lot_no = $2) AND ($3::text IS NULL OR item_no = $3)
              AND ($1 <> '' OR $2 <> '')
            ORDER BY entry_no LIMIT 10000
            """,
            serial_no, lot_no, item_no,
        )
        return [_entry(r) for r in rows]

    async def trace_links(self, entry_nos: Sequence[int]) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """(applications as (inbound, outbound), applies-from links as (inbound, source outbound)) touching the entries."""
        applications = await self._conn.fetch(
            """
            SELECT DISTINCT inbound_entry_no, outbound_entry_no FROM item_applications
            WHERE inbound_entry_no = ANY($1::bigint[]) OR outbound_entry_no = ANY($1::bigint[])
            """,
            list(entry_nos),
        )
        applies_from = await self._conn.fetch(
            """
            SELECT entry_no, applies_from_entry FROM item_ledger_entries
            WHERE applies_from_entry IS NOT NULL AND (applies_from_entry = ANY($1::bigint[]) OR entry_no = ANY($1::bigint[]))
            """,
            list(entry_nos),
        )
        return ([(r["inbound_entry_no"], r["outbound_entry_no"]) for r in applications],
                [(r["entry_no"], r["applies_from_entry"]) for r in applies_from])


def _entry(row: asyncpg.Record, applications: tuple[Application, ...] = ()) -> ItemLedgerEntry:
    values = {c: row[c] for c in _ENTRY.split(", ")}
    return ItemLedgerEntry(**{**values, "entry_type": ItemLedgerEntryType(values["entry_type"])},
                           applications=applications)
