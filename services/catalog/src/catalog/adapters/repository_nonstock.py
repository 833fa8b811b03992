"""The SQL of catalog (nonstock) items, their templates and numbering, and of item references."""

from datetime import date

import asyncpg

from inventory_contracts.catalog import CostingMethod, ItemType, PreventNegativeInventory

from catalog.domain.errors import UnknownReferenceError
from catalog.domain.model import ItemReference, ItemTemplate, NonstockItem, NonstockSetup


class PostgresNonstockRepository:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def template(self, code: str) -> ItemTemplate | None:
        row = await self._conn.fetchrow("SELECT * FROM item_templates WHERE code = $1", code)
        return _to_template(row) if row else None

    async def templates(self) -> list[ItemTemplate]:
        return [_to_template(r) for r in await self._conn.fetch("SELECT * FROM item_templates ORDER BY code")]

    async def upsert_template(self, t: ItemTemplate) -> None:
        # In a savepoint, so that a refused template leaves the caller's transaction usable.
        try:
            async with self._conn.transaction():
                await self._write_template(t)
        except asyncpg.ForeignKeyViolationError as exc:
            raise UnknownReferenceError(f"item template {t.code}: {exc.detail or exc}") from exc

    async def _write_template(self, t: ItemTemplate) -> None:
        await self._conn.execute(
            "INSERT INTO item_templates (code, description, type, costing_method, inventory_posting_group, "
            "gen_prod_posting_group, item_category_code, item_tracking_code, prevent_negative_inventory) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (code) DO UPDATE SET "
            "description = EXCLUDED.description, type = EXCLUDED.type, costing_method = EXCLUDED.costing_method, "
            "inventory_posting_group = EXCLUDED.inventory_posting_group, "
            "gen_prod_posting_group = EXCLUDED.gen_prod_posting_group, item_category_code = EXCLUDED.item_category_code, "
            "item_tracking_code = EXCLUDED.item_tracking_code, "
            "prevent_negative_inventory = EXCLUDED.prevent_negative_inventory",
            t.code, t.description, str(t.type), str(t.costing_method), t.inventory_posting_group,
            t.gen_prod_posting_group, t.item_category_code or None, t.item_tracking_code or None,
            str(t.prevent_negative_inventory),
        )

    async def setup(self, *, for_update: bool = False) -> NonstockSetup:
        row = await self._conn.fetchrow(
            "SELECT no_format, no_format_separator, no_series_prefix, no_series_width, no_series_next "
            f"FROM nonstock_setup{' FOR UPDATE' if for_update else ''}"
        )
        return NonstockSetup(**dict(row))

    async def save_setup(self, setup: NonstockSetup) -> None:
        await self._conn.execute(
            "UPDATE nonstock_setup SET no_format = $1, no_format_separator = $2, no_series_prefix = $3, "
            "no_series_width = $4, no_series_next = $5",
            setup.no_format, setup.no_format_separator, setup.no_series_prefix, setup.no_series_width,
            setup.no_series_next,
        )

    async def add(self, n: NonstockItem) -> int | None:
        return await self._conn.fetchval(
            "INSERT INTO nonstock_items (vendor_no, vendor_item_no, manufacturer_code, description, unit_of_measure, "
            "published_cost, negotiated_cost, unit_price, item_template_code) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
            "ON CONFLICT (vendor_no, vendor_item_no, manufacturer_code) DO NOTHING RETURNING entry_no",
            n.vendor_no, n.vendor_item_no, n.manufacturer_code, n.description, n.unit_of_measure, n.published_cost,
            n.negotiated_cost, n.unit_price, n.item_template_code,
        )

    async def get(self, entry_no: int, *, for_update: bool = False) -> NonstockItem | None:
        row = await self._conn.fetchrow(
            f"SELECT * FROM nonstock_items WHERE entry_no = $1{' FOR UPDATE' if for_update else ''}", entry_no
        )
        return _to_nonstock(row) if row else None

    async def list_after(self, after: int, limit: int) -> list[NonstockItem]:
        rows = await self._conn.fetch(
            "SELECT * FROM nonstock_items WHERE entry_no > $1 ORDER BY entry_no LIMIT $2", after, limit
        )
        return [_to_nonstock(r) for r in rows]

    async def set_item_no(self, entry_no: int, item_no: str) -> None:
        await self._conn.execute("UPDATE nonstock_items SET item_no = $2 WHERE entry_no = $1", entry_no, item_no)


def _to_template(row: asyncpg.Record) -> ItemTemplate:
    return ItemTemplate(
        code=row["code"], description=row["description"], type=ItemType(row["type"]),
        costing_method=CostingMethod(row["costing_method"]), inventory_posting_group=row["inventory_posting_group"],
        gen_prod_posting_group=row["gen_prod_posting_group"], item_category_code=row["item_category_code"] or "",
        item_tracking_code=row["item_tracking_code"] or "",
        prevent_negative_inventory=PreventNegativeInventory(row["prevent_negative_inventory"]),
    )


def _to_nonstock(row: asyncpg.Record) -> NonstockItem:
    values = dict(row)
    values["item_no"] = values["item_no"] or ""
    return NonstockItem(**values)


class PostgresReferenceRepository:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def add(self, r: ItemReference) -> int | None:
        return await self._conn.fetchval(
            "INSERT INTO item_references (item_no, variant_code, unit_of_measure, reference_type, reference_type_no, "
            "reference_no, description, starting_date, ending_date) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
            "ON CONFLICT (reference_type, reference_type_no, reference_no) DO NOTHING RETURNING id",
            r.item_no, r.variant_code, r.unit_of_measure, r.reference_type, r.reference_type_no, r.reference_no,
            r.description, r.starting_date, r.ending_date,
        )

    async def of_item(self, item_no: str) -> list[ItemReference]:
        rows = await self._conn.fetch("SELECT * FROM item_references WHERE item_no = $1 ORDER BY id", item_no)
        return [ItemReference(**dict(r)) for r in rows]

    async def delete(self, item_no: str, reference_id: int) -> bool:
        return bool(await self._conn.fetchval(
            "DELETE FROM item_references WHERE item_no = $1 AND id = $2 RETURNING true", item_no, reference_id
        ))

    async def lookup(self, reference_no: str, reference_type: str | None, reference_type_no: str | None,
                     on: date | None) -> list[ItemReference]:
        rows = await self._conn.fetch(
            "SELECT * FROM item_references WHERE reference_no = $1 "
            "AND ($2::text IS NULL OR reference_type = $2) AND ($3::text IS NULL OR reference_type_no = $3) "
            "AND ($4::date IS NULL OR ((starting_date IS NULL OR starting_date <= $4) "
            "AND (ending_date IS NULL OR ending_date >= $4))) ORDER BY reference_type, reference_type_no, id",
            reference_no, reference_type, reference_type_no, on,
        )
        return [ItemReference(**dict(r)) for r in rows]
