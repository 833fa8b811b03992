"""The SQL of the master data around the card: tracking codes, units of measure, attributes, categories."""

from collections import defaultdict
from collections.abc import Iterable, Sequence

import asyncpg

from inventory_contracts.catalog import TrackedMovement

from catalog.domain.model import AttributeType, ItemAttribute, ItemCategory, ItemTrackingCode, UnitOfMeasure


class PostgresTrackingCodeRepository:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def get(self, code: str) -> ItemTrackingCode | None:
        row = await self._conn.fetchrow("SELECT * FROM item_tracking_codes WHERE code = $1", code)
        return _to_tracking(row) if row else None

    async def all(self) -> list[ItemTrackingCode]:
        return [_to_tracking(r) for r in await self._conn.fetch("SELECT * FROM item_tracking_codes ORDER BY code")]

    async def upsert(self, code: ItemTrackingCode) -> None:
        await self._conn.execute(
            "INSERT INTO item_tracking_codes (code, description, serial_specific, lot_specific, serial_required_for, "
            "lot_required_for, use_expiration_dates, strict_expiration) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
            "ON CONFLICT (code) DO UPDATE SET description = EXCLUDED.description, "
            "serial_specific = EXCLUDED.serial_specific, lot_specific = EXCLUDED.lot_specific, "
            "serial_required_for = EXCLUDED.serial_required_for, lot_required_for = EXCLUDED.lot_required_for, "
            "use_expiration_dates = EXCLUDED.use_expiration_dates, strict_expiration = EXCLUDED.strict_expiration",
            code.code, code.description, code.serial_specific, code.lot_specific,
            [str(m) for m in code.serial_required_for], [str(m) for m in code.lot_required_for],
            code.use_expiration_dates, code.strict_expiration,
        )


def _to_tracking(row: asyncpg.Record) -> ItemTrackingCode:
    return ItemTrackingCode(
        code=row["code"], description=row["description"], serial_specific=row["serial_specific"],
        lot_specific=row["lot_specific"],
        serial_required_for=tuple(TrackedMovement(m) for m in row["serial_required_for"]),
        lot_required_for=tuple(TrackedMovement(m) for m in row["lot_required_for"]),
        use_expiration_dates=row["use_expiration_dates"], strict_expiration=row["strict_expiration"],
    )


class PostgresUnitOfMeasureRepository:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def all(self) -> list[UnitOfMeasure]:
        rows = await self._conn.fetch("SELECT code, description FROM units_of_measure ORDER BY code")
        return [UnitOfMeasure(r["code"], r["description"]) for r in rows]

    async def upsert(self, unit: UnitOfMeasure) -> None:
        await self._conn.execute(
            "INSERT INTO units_of_measure (code, description) VALUES ($1, $2) "
            "ON CONFLICT (code) DO UPDATE SET description = EXCLUDED.description", unit.code, unit.description,
        )


class PostgresAttributeRepository:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def get_many(self, names: Iterable[str]) -> dict[str, ItemAttribute]:
        rows = await self._conn.fetch(
            "SELECT a.name, a.type, a.unit_of_measure, a.blocked, "
            "coalesce(array_agg(o.value ORDER BY o.position) FILTER (WHERE o.value IS NOT NULL), '{}') AS options "
            "FROM item_attributes a LEFT JOIN item_attribute_options o ON o.attribute_name = a.name "
            "WHERE a.name = ANY($1) GROUP BY a.name", list(names),
        )
        return {r["name"]: _to_attribute(r) for r in rows}

    async def get(self, name: str) -> ItemAttribute | None:
        return (await self.get_many([name])).get(name)

    async def all(self) -> list[ItemAttribute]:
        rows = await self._conn.fetch(
            "SELECT a.name, a.type, a.unit_of_measure, a.blocked, "
            "coalesce(array_agg(o.value ORDER BY o.position) FILTER (WHERE o.value IS NOT NULL), '{}') AS options "
            "FROM item_attributes a LEFT JOIN item_attribute_options o ON o.attribute_name = a.name "
            "GROUP BY a.name ORDER BY a.name"
        )
        return [_to_attribute(r) for r in rows]

    async def add(self, attribute: ItemAttribute) -> bool:
        inserted = await self._conn.fetchval(
            "INSERT INTO item_attributes (name, type, unit_of_measure, blocked) VALUES ($1, $2, $3, $4) "
            "ON CONFLICT (name) DO NOTHING RETURNING true",
            attribute.name, str(attribute.type), attribute.unit_of_measure, attribute.blocked,
        )
        if inserted:
            await self._write_options(attribute)
        return bool(inserted)

    async def update(self, attribute: ItemAttribute) -> None:
        await self._conn.execute(
            "UPDATE item_attributes SET unit_of_measure = $2, blocked = $3 WHERE name = $1",
            attribute.name, attribute.unit_of_measure, attribute.blocked,
        )
        await self._conn.execute("DELETE FROM item_attribute_options WHERE attribute_name = $1", attribute.name)
        await self._write_options(attribute)

    async def _write_options(self, attribute: ItemAttribute) -> None:
        await self._conn.executemany(
            "INSERT INTO item_attribute_options (attribute_name, value, position) VALUES ($1, $2, $3)",
            [(attribute.name, value, i) for i, value in enumerate(attribute.options)],
        )

    async def option_in_use(self, name: str, removed: Sequence[str]) -> str | None:
        return await self._conn.fetchval(
            "SELECT value FROM item_attribute_values WHERE attribute_name = $1 AND value = ANY($2) "
            "UNION ALL SELECT default_value FROM item_category_attributes WHERE attribute_name = $1 "
            "AND default_value = ANY($2) LIMIT 1", name, list(removed),
        )


def _to_attribute(row: asyncpg.Record) -> ItemAttribute:
    return ItemAttribute(row["name"], AttributeType(row["type"]), row["unit_of_measure"], row["blocked"], tuple(row["options"]))


class PostgresCategoryRepository:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def get(self, code: str, *, for_update: bool = False) -> ItemCategory | None:
        row = await self._conn.fetchrow(
            f"SELECT code, parent_code, description FROM item_categories WHERE code = $1{' FOR UPDATE' if for_update else ''}",
            code,
        )
        if row is None:
            return None
        return (await self._with_attributes([row]))[0]

    async def all(self) -> list[ItemCategory]:
        rows = await self._conn.fetch("SELECT code, parent_code, description FROM item_categories ORDER BY code")
        return await self._with_attributes(rows)

    async def _with_attributes(self, rows: Sequence[asyncpg.Record]) -> list[ItemCategory]:
        attributes: dict[str, dict[str, str]] = defaultdict(dict)
        for r in await self._conn.fetch(
            "SELECT category_code, attribute_name, default_value FROM item_category_attributes "
            "WHERE category_code = ANY($1) ORDER BY attribute_name", [row["code"] for row in rows],
        ):
            attributes[r["category_code"]][r["attribute_name"]] = r["default_value"]
        return [ItemCategory(r["code"], r["parent_code"] or "", r["description"], attributes[r["code"]]) for r in rows]

    async def chain(self, code: str) -> list[ItemCategory]:
        """The category and its ancestors, root first."""
        rows = await self._conn.fetch(
            "WITH RECURSIVE up AS (SELECT code, parent_code, description, 0 AS depth FROM item_categories WHERE code = $1 "
            "UNION ALL SELECT c.code, c.parent_code, c.description, up.depth + 1 FROM item_categories c "
            "JOIN up ON c.code = up.parent_code WHERE up.depth < 100) "
            "SELECT code, parent_code, description FROM up ORDER BY depth DESC", code,
        )
        return await self._with_attributes(rows)

    async def subtree(self, code: str) -> list[str]:
        rows = await self._conn.fetch(
            "WITH RECURSIVE tree AS (SELECT code FROM item_categories WHERE code = $1 "
            "UNION ALL SELECT c.code FROM item_categories c JOIN tree ON c.parent_code = tree.code) SELECT code FROM tree",
            code,
        )
        return [r["code"] for r in rows]

    async def add(self, category: ItemCategory) -> bool:
        inserted = await self._conn.fetchval(
            "INSERT INTO item_categories (code, parent_code, description) VALUES ($1, $2, $3) "
            "ON CONFLICT (code) DO NOTHING RETURNING true",
            category.code, category.parent_code or None, category.description,
        )
        if inserted:
            await self._write_attributes(category)
        return bool(inserted)

    async def update(self, category: ItemCategory) -> None:
        await self._conn.execute(
            "UPDATE item_categories SET parent_code = $2, description = $3 WHERE code = $1",
            category.code, category.parent_code or None, category.description,
        )
        await self._conn.execute("DELETE FROM item_category_attributes WHERE category_code = $1", category.code)
        await self._write_attributes(category)

    async def _write_attributes(self, category: ItemCategory) -> None:
        await self._conn.executemany(
            "INSERT INTO item_category_attributes (category_code, attribute_name, default_value) VALUES ($1, $2, $3)",
            [(category.code, name, default) for name, default in category.attributes.items()],
        )

    async def delete(self, code: str) -> None:
        await self._conn.execute("DELETE FROM item_categories WHERE code = $1", code)

    async def has_children(self, code: str) -> bool:
        return bool(await self._conn.fetchval("SELECT true FROM item_categories WHERE parent_code = $1 LIMIT 1", code))

    async def in_use(self, code: str) -> bool:
        return bool(await self._conn.fetchval(
            "SELECT true FROM items WHERE item_category_code = $1 AND NOT deleted "
            "UNION ALL SELECT true FROM item_templates WHERE item_category_code = $1 LIMIT 1", code,
        ))

    async def items_in(self, codes: Sequence[str]) -> list[tuple[str, str]]:
        """(item no., category code) of the live items in `codes`, locked for update in item order."""
        rows = await self._conn.fetch(
            "SELECT item_no, item_category_code FROM items WHERE item_category_code = ANY($1) AND NOT deleted "
            "ORDER BY item_no FOR UPDATE", list(codes),
        )
        return [(r["item_no"], r["item_category_code"]) for r in rows]
