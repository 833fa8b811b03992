"""All SQL of the catalog."""

from dataclasses import asdict, fields

import asyncpg

from catalog.domain.model import Item

_COLUMNS = [f.name for f in fields(Item)]


def _to_item(row: asyncpg.Record) -> Item:
    return Item(**{name: row[name] for name in _COLUMNS})


class ItemRepository:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def add(self, item: Item) -> bool:
        """Insert `item`; False when the number is taken."""
        values = asdict(item)
        placeholders = ", ".join(f"${i}" for i in range(1, len(_COLUMNS) + 1))
        inserted = await self._conn.fetchval(
            f"INSERT INTO items ({', '.join(_COLUMNS)}) VALUES ({placeholders}) "
            "ON CONFLICT (item_no) DO NOTHING RETURNING true",
            *[str(values[name]) if name in ("type", "costing_method", "prevent_negative_inventory") else values[name]
              for name in _COLUMNS],
        )
        return bool(inserted)

    async def get(self, item_no: str) -> Item | None:
        row = await self._conn.fetchrow(f"SELECT {', '.join(_COLUMNS)} FROM items WHERE item_no = $1", item_no)
        return _to_item(row) if row else None

    async def list_after(self, after: str | None, limit: int) -> list[Item]:
        rows = await self._conn.fetch(
            f"SELECT {', '.join(_COLUMNS)} FROM items WHERE $1::text IS NULL OR item_no > $1 ORDER BY item_no LIMIT $2",
            after,
            limit,
        )
        return [_to_item(row) for row in rows]
