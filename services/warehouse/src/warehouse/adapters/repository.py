"""All SQL of the warehouse."""

from collections.abc import Iterable, Sequence
from dataclasses import fields
from decimal import Decimal

import asyncpg

from inventory_contracts.catalog import CostingMethod, ItemType, PreventNegativeInventory
from inventory_contracts.warehouse import ItemLedgerEntryType

from warehouse.domain.application import Application, OpenEntry
from warehouse.domain.model import Item, ItemLedgerEntry

_ITEM_COLUMNS = [f.name for f in fields(Item)]


def _item(row: asyncpg.Record) -> Item:
    values = dict(row)
    values["type"] = ItemType(values["type"])
    values["costing_method"] = CostingMethod(values["costing_method"])
    values["prevent_negative_inventory"] = PreventNegativeInventory(values["prevent_negative_inventory"])
    return Item(**values)


class WarehouseRepository:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def upsert_item(self, item: Item) -> None:
        """Replace the replica's card unless it already holds a newer revision."""
        columns = ", ".join(_ITEM_COLUMNS)
        placeholders = ", ".join(f"${i}" for i in range(1, len(_ITEM_COLUMNS) + 1))
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in _ITEM_COLUMNS if c != "item_no")
        await self._conn.execute(
            f"INSERT INTO items ({columns}) VALUES ({placeholders}) ON CONFLICT (item_no) DO UPDATE SET {updates} "
            "WHERE items.revision < EXCLUDED.revision",
            *[str(getattr(item, c)) if c in ("type", "costing_method", "prevent_negative_inventory") else getattr(item, c)
              for c in _ITEM_COLUMNS],
        )

    async def lock_items(self, item_nos: Iterable[str]) -> dict[str, Item]:
        """Lock the items' rows until the transaction ends, in item order so that documents never deadlock."""
        rows = await self._conn.fetch(
            f"SELECT {', '.join(_ITEM_COLUMNS)} FROM items WHERE item_no = ANY($1::text[]) ORDER BY item_no FOR UPDATE",
            sorted(set(item_nos)),
        )
        return {row["item_no"]: _item(row) for row in rows}

    async def get_item(self, item_no: str) -> Item | None:
        row = await self._conn.fetchrow(f"SELECT {', '.join(_ITEM_COLUMNS)} FROM items WHERE item_no = $1", item_no)
        return _item(row) if row else None

    async def prevent_negative_inventory_default(self) -> bool:
        return bool(await self._conn.fetchval("SELECT prevent_negative_inventory FROM inventory_setup"))

    async def set_prevent_negative_inventory_default(self, prevent: bool) -> None:
        await self._conn.execute("UPDATE inventory_setup SET prevent_negative_inventory = $1", prevent)

    async def next_entry_no(self) -> int:
        return int(await self._conn.fetchval("SELECT nextval('item_ledger_entry_no')"))

    async def add_entry(self, entry: ItemLedgerEntry) -> None:
        await self._conn.execute(
            """
            INSERT INTO item_ledger_entries (entry_no, item_no, variant_code, location_code, posting_date, entry_type,
                                             document_no, document_line_no, quantity, unit_cost)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            """,
            entry.entry_no, entry.item_no, entry.variant_code, entry.location_code, entry.posting_date,
            str(entry.entry_type), entry.document_no, entry.document_line_no, entry.quantity, entry.unit_cost,
        )

    async def open_entries(self, entry: ItemLedgerEntry, *, inbound: bool) -> list[OpenEntry]:
        """Open entries of the same item, variant and location: inbound ones (> 0) or waiting outbound ones (< 0)."""
        rows = await self._conn.fetch(
            f"""
            SELECT entry_no, posting_date, remaining_quantity FROM open_item_ledger_entries
            WHERE item_no = $1 AND location_code = $2 AND variant_code = $3
              AND remaining_quantity {'>' if inbound else '<'} 0
            """,
            entry.item_no, entry.location_code, entry.variant_code,
        )
        return [OpenEntry(r["entry_no"], r["posting_date"], r["remaining_quantity"]) for r in rows]

    async def open_entry(self, entry: ItemLedgerEntry, remaining_quantity: Decimal) -> None:
        await self._conn.execute(
            """
            INSERT INTO open_item_ledger_entries (entry_no, item_no, variant_code, location_code, posting_date,
                                                  remaining_quantity)
            VALUES ($1, $2, $3, $4, $5, $6)
            """,
            entry.entry_no, entry.item_no, entry.variant_code, entry.location_code, entry.posting_date,
            remaining_quantity,
        )

    async def reduce_open_entries(self, taken: Sequence[tuple[int, Decimal]]) -> None:
        """Move each (entry no., quantity taken) towards zero; entries that reach zero close."""
        await self._conn.executemany(
            """
            WITH changed AS (
                UPDATE open_item_ledger_entries
                SET remaining_quantity = remaining_quantity - sign(remaining_quantity) * $2
                WHERE entry_no = $1 AND abs(remaining_quantity) > $2
                RETURNING entry_no
            )
            DELETE FROM open_item_ledger_entries
            WHERE entry_no = $1 AND abs(remaining_quantity) = $2 AND NOT EXISTS (SELECT 1 FROM changed)
            """,
            taken,
        )

    async def add_applications(self, applications: Sequence[Application], posting_date: object) -> None:
        await self._conn.executemany(
            """
            INSERT INTO item_applications (inbound_entry_no, outbound_entry_no, quantity, posting_date)
            VALUES ($1, $2, $3, $4)
            """,
            [(a.inbound_entry_no, a.outbound_entry_no, a.quantity, posting_date) for a in applications],
        )

    async def list_entries(self, item_no: str | None, after: int | None, limit: int) -> list[asyncpg.Record]:
        return await self._conn.fetch(
            """
            SELECT e.*, coalesce(o.remaining_quantity, 0) AS remaining_quantity, o.entry_no IS NOT NULL AS open
            FROM item_ledger_entries e LEFT JOIN open_item_ledger_entries o USING (entry_no)
            WHERE ($1::text IS NULL OR e.item_no = $1) AND ($2::bigint IS NULL OR e.entry_no > $2)
            ORDER BY e.entry_no LIMIT $3
            """,
            item_no, after, limit,
        )

    async def quantity_on_hand(self, item_no: str) -> list[asyncpg.Record]:
        return await self._conn.fetch(
            """
            SELECT location_code, variant_code, sum(quantity) AS quantity FROM item_ledger_entries
            WHERE item_no = $1 GROUP BY location_code, variant_code ORDER BY location_code, variant_code
            """,
            item_no,
        )

    async def applications_of(self, entry_nos: Sequence[int]) -> list[asyncpg.Record]:
        return await self._conn.fetch(
            """
            SELECT inbound_entry_no, outbound_entry_no, quantity FROM item_applications
            WHERE inbound_entry_no = ANY($1::bigint[]) OR outbound_entry_no = ANY($1::bigint[]) ORDER BY id
            """,
            list(entry_nos),
        )


def entry_type(value: str) -> ItemLedgerEntryType:
    return ItemLedgerEntryType(value)
