"""Physical inventory orders, recordings and the physical inventory ledger in PostgreSQL."""

from collections.abc import Sequence
from dataclasses import fields
from decimal import Decimal

import asyncpg

from inventory_contracts.warehouse import ItemLedgerEntryType

from warehouse.domain.errors import AlreadyExistsError
from warehouse.domain.physical_inventory import (
    CountKey,
    OrderStatus,
    PhysInvtLedgerEntry,
    PhysInvtOrder,
    PhysInvtOrderLine,
)

_LINE = ("line_no, item_no, variant_code, bin_code, lot_no, serial_no, expected_quantity, recorded_quantity, "
         "recording_no, expiration_date, calculated")
_LEDGER_COLUMNS = [f.name for f in fields(PhysInvtLedgerEntry)]
_LEDGER_TYPES = {"entry_no": "bigint", "order_line_no": "int", "posting_date": "date", "expected_quantity": "numeric",
                 "recorded_quantity": "numeric", "difference": "numeric", "item_ledger_entry_no": "bigint"}


def _text_or_value(value: object) -> object:
    """Enums go to text columns as their value."""
    return str(value) if isinstance(value, ItemLedgerEntryType) else value


class PostgresPhysicalInventoryRepository:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def add(self, order: PhysInvtOrder) -> None:
        try:
            await self._conn.execute(
                "INSERT INTO phys_invt_orders (no, location_code, posting_date, item_nos, bin_code, "
                "responsibility_center) VALUES ($1, $2, $3, $4, $5, $6)",
                order.no, order.location_code, order.posting_date, list(order.item_nos), order.bin_code,
                order.responsibility_center,
            )
        except asyncpg.UniqueViolationError as exc:
            raise AlreadyExistsError(f"physical inventory order {order.no} exists already", order_no=order.no) from exc

    async def get(self, no: str, *, for_update: bool = False) -> PhysInvtOrder | None:
        row = await self._conn.fetchrow(
            "SELECT no, location_code, posting_date, item_nos, bin_code, status, lines_calculated, "
            "responsibility_center "
            "FROM phys_invt_orders WHERE no = $1" + (" FOR UPDATE" if for_update else ""), no,
        )
        if row is None:
            return None
        lines = await self._conn.fetch(f"SELECT {_LINE} FROM phys_invt_order_lines WHERE order_no = $1 ORDER BY line_no", no)
        values = dict(row)
        return PhysInvtOrder(**{**values, "item_nos": tuple(values["item_nos"]), "status": OrderStatus(values["status"])},
                             lines=tuple(PhysInvtOrderLine(**dict(l)) for l in lines))

    async def count_balances(self, order: PhysInvtOrder) -> dict[CountKey, Decimal]:
        rows = await self._conn.fetch(
            """
            SELECT item_no, variant_code, bin_code, lot_no, serial_no, sum(quantity) AS quantity
            FROM item_ledger_entries
            WHERE location_code = $1 AND posting_date <= $2
              AND (cardinality($3::text[]) = 0 OR item_no = ANY($3::text[])) AND ($4 = '' OR bin_code = $4)
            GROUP BY item_no, variant_code, bin_code, lot_no, serial_no HAVING sum(quantity) <> 0
            """,
            order.location_code, order.posting_date, list(order.item_nos), order.bin_code,
        )
        return {(r["item_no"], r["variant_code"], r["bin_code"], r["lot_no"], r["serial_no"]): r["quantity"] for r in rows}

    async def save(self, order: PhysInvtOrder, *, replace_lines: bool = False) -> None:
        await self._conn.execute(
            "UPDATE phys_invt_orders SET status = $2, lines_calculated = $3, changed_at = now() WHERE no = $1",
            order.no, str(order.status), order.lines_calculated,
        )
        if replace_lines:
            await self._conn.execute("DELETE FROM phys_invt_order_lines WHERE order_no = $1", order.no)
        lines = order.lines
        await self._conn.execute(
            """
            INSERT INTO phys_invt_order_lines (order_no, line_no, item_no, variant_code, bin_code, lot_no, serial_no,
                                               expected_quantity, recorded_quantity, recording_no, expiration_date,
                                               calculated)
            SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                                     $8::numeric[], $9::numeric[], $10::text[], $11::date[], $12::boolean[])
            ON CONFLICT (order_no, line_no) DO UPDATE SET recorded_quantity = EXCLUDED.recorded_quantity,
                                                          recording_no = EXCLUDED.recording_no
            """,
            order.no, [l.line_no for l in lines], [l.item_no for l in lines], [l.variant_code for l in lines],
            [l.bin_code for l in lines], [l.lot_no for l in lines], [l.serial_no for l in lines],
            [l.expected_quantity for l in lines], [l.recorded_quantity for l in lines], [l.recording_no for l in lines],
            [l.expiration_date for l in lines], [l.calculated for l in lines],
        )

    async def add_recording(self, order_no: str, recording_no: str) -> None:
        try:
            await self._conn.execute(
                "INSERT INTO phys_invt_recordings (order_no, recording_no) VALUES ($1, $2)", order_no, recording_no
            )
        except asyncpg.UniqueViolationError as exc:
            raise AlreadyExistsError(f"recording {recording_no} of physical inventory order {order_no} exists already",
                                     order_no=order_no, recording_no=recording_no) from exc

    async def next_ledger_entry_nos(self, count: int) -> list[int]:
        rows = await self._conn.fetch(
            "SELECT nextval('phys_invt_ledger_entry_no') AS n FROM generate_series(1, $1)", count
        )
        return sorted(int(r["n"]) for r in rows)

    async def add_ledger_entries(self, entries: Sequence[PhysInvtLedgerEntry]) -> None:
        arrays = ", ".join(f"${i}::{_LEDGER_TYPES.get(c, 'text')}[]" for i, c in enumerate(_LEDGER_COLUMNS, 1))
        await self._conn.execute(
            f"INSERT INTO phys_invt_ledger_entries ({', '.join(_LEDGER_COLUMNS)}) SELECT * FROM unnest({arrays})",
            *[[_text_or_value(getattr(e, c)) for e in entries] for c in _LEDGER_COLUMNS],
        )

    async def ledger_entries(
        self, item_no: str | None, order_no: str | None, after: int | None, limit: int,
        responsibility_center: str | None = None,
    ) -> list[PhysInvtLedgerEntry]:
        rows = await self._conn.fetch(
            f"""
            SELECT {', '.join(_LEDGER_COLUMNS)} FROM phys_invt_ledger_entries
            WHERE ($1::text IS NULL OR item_no = $1) AND ($2::text IS NULL OR order_no = $2)
              AND ($3::bigint IS NULL OR entry_no > $3)
              AND ($5::text IS NULL OR order_no IN (SELECT no FROM phys_invt_orders WHERE responsibility_center = $5))
            ORDER BY entry_no LIMIT $4
            """,
            item_no, order_no, after, limit, responsibility_center,
        )
        return [PhysInvtLedgerEntry(**{**dict(r), "entry_type": None if r["entry_type"] is None
                                       else ItemLedgerEntryType(r["entry_type"])}) for r in rows]
