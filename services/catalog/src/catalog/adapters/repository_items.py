"""The SQL of item cards: the card, its units, variants and attribute values, and the search."""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import asyncpg

from inventory_contracts.catalog import (
    AssemblyPolicy,
    BomComponentType,
    CostingMethod,
    ItemType,
    PreventNegativeInventory,
    ReservePolicy,
    ResourceUsageType,
)

from catalog.domain.attributes import AttributeFilter, FilterOp
from catalog.domain.model import AssemblyBomLine, AttributeValue, Item, ItemUnitOfMeasure, ItemVariant
from catalog.domain.search import SORT_COLUMNS, ItemSearch

_ITEM_COLUMNS = [
    "item_no", "revision", "description", "type", "base_unit_of_measure", "costing_method", "standard_cost",
    "unit_price", "inventory_posting_group", "gen_prod_posting_group", "prevent_negative_inventory", "blocked",
    "sales_blocked", "purchasing_blocked", "blocked_reason", "sales_blocked_reason", "purchasing_blocked_reason",
    "indirect_cost_pct", "overhead_rate", "item_category_code", "item_tracking_code", "nonstock_entry_no",
    "standard_cost_implementation_no", "assembly_policy", "reserve", "lot_size", "single_level_material_cost",
    "single_level_capacity_cost", "single_level_cap_ovhd_cost", "single_level_mfg_ovhd_cost",
]
# Read with the card, never written with it: costing's unit cost (see PostgresAssemblyRepository.set_unit_cost).
_READ_ONLY_COLUMNS = "has_ledger_entries, deleted, unit_cost"
_SELECT_ITEM = f"SELECT {', '.join(_ITEM_COLUMNS)}, {_READ_ONLY_COLUMNS} FROM items"


def _item_values(item: Item) -> list[Any]:
    values: list[Any] = []
    for name in _ITEM_COLUMNS:
        value = getattr(item, name)
        if name in ("item_category_code", "item_tracking_code"):
            value = value or None
        elif name in ("type", "costing_method", "prevent_negative_inventory", "assembly_policy", "reserve"):
            value = str(value)
        values.append(value)
    return values


def _to_item(row: asyncpg.Record, units: Sequence[ItemUnitOfMeasure] = (), variants: Sequence[ItemVariant] = (),
             attributes: Mapping[str, str] | None = None, bom: Sequence[AssemblyBomLine] = ()) -> Item:
    return Item(
        item_no=row["item_no"], revision=row["revision"], description=row["description"], type=ItemType(row["type"]),
        base_unit_of_measure=row["base_unit_of_measure"], costing_method=CostingMethod(row["costing_method"]),
        standard_cost=row["standard_cost"], unit_price=row["unit_price"],
        inventory_posting_group=row["inventory_posting_group"], gen_prod_posting_group=row["gen_prod_posting_group"],
        prevent_negative_inventory=PreventNegativeInventory(row["prevent_negative_inventory"]),
        blocked=row["blocked"], sales_blocked=row["sales_blocked"], purchasing_blocked=row["purchasing_blocked"],
        blocked_reason=row["blocked_reason"], sales_blocked_reason=row["sales_blocked_reason"],
        purchasing_blocked_reason=row["purchasing_blocked_reason"], indirect_cost_pct=row["indirect_cost_pct"],
        overhead_rate=row["overhead_rate"], item_category_code=row["item_category_code"] or "",
        item_tracking_code=row["item_tracking_code"] or "", nonstock_entry_no=row["nonstock_entry_no"],
        standard_cost_implementation_no=row["standard_cost_implementation_no"],
        has_ledger_entries=row["has_ledger_entries"], deleted=row["deleted"],
        units_of_measure=tuple(units), variants=tuple(variants), attributes=dict(attributes or {}),
        assembly_policy=AssemblyPolicy(row["assembly_policy"]), reserve=ReservePolicy(row["reserve"]),
        lot_size=row["lot_size"], assembly_bom=tuple(bom), unit_cost=row["unit_cost"],
        single_level_material_cost=row["single_level_material_cost"],
        single_level_capacity_cost=row["single_level_capacity_cost"],
        single_level_cap_ovhd_cost=row["single_level_cap_ovhd_cost"],
        single_level_mfg_ovhd_cost=row["single_level_mfg_ovhd_cost"],
    )


async def bom_lines_of(conn: asyncpg.Connection, parent_item_nos: Sequence[str]) -> dict[str, list[AssemblyBomLine]]:
    """The assembly BOM lines of each parent, in line order."""
    lines: dict[str, list[AssemblyBomLine]] = defaultdict(list)
    for r in await conn.fetch(
        "SELECT parent_item_no, line_no, type, no, description, quantity_per, unit_of_measure_code, resource_usage_type "
        "FROM assembly_bom_lines WHERE parent_item_no = ANY($1::text[]) ORDER BY parent_item_no, line_no",
        list(parent_item_nos),
    ):
        lines[r["parent_item_no"]].append(AssemblyBomLine(
            line_no=r["line_no"], type=BomComponentType(r["type"]), no=r["no"], description=r["description"],
            quantity_per=r["quantity_per"], unit_of_measure_code=r["unit_of_measure_code"],
            resource_usage_type=ResourceUsageType(r["resource_usage_type"]),
        ))
    return lines


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass
class _Sql:
    where: list[str] = field(default_factory=list)
    args: list[Any] = field(default_factory=list)

    def arg(self, value: Any) -> str:
        self.args.append(value)
        return f"${len(self.args)}"


class PostgresItemRepository:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def add(self, item: Item) -> Item | None:
        """Insert `item` (or revive a deleted card of that no.); as stored, or None when the number is taken.

        A revived card keeps its revision count and the last standard cost implementation it took: the replicas
        know them, and would take a lower one for an older card.
        """
        placeholders = ", ".join(f"${i}" for i in range(1, len(_ITEM_COLUMNS) + 1))
        kept = ("item_no", "revision", "standard_cost_implementation_no")
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in _ITEM_COLUMNS if c not in kept)
        row = await self._conn.fetchrow(
            f"INSERT INTO items ({', '.join(_ITEM_COLUMNS)}) VALUES ({placeholders}) "
            f"ON CONFLICT (item_no) DO UPDATE SET {updates}, revision = items.revision + 1, deleted = false, "
            "has_ledger_entries = false, updated_at = now() WHERE items.deleted "
            "RETURNING revision, standard_cost_implementation_no",
            *_item_values(item),
        )
        if row is None:
            return None
        await self._replace_children(item)
        return replace(item, revision=row["revision"], standard_cost_implementation_no=row["standard_cost_implementation_no"])

    async def update(self, item: Item) -> None:
        """Write the whole card; `item.revision` is the new revision (the caller checked the old one under lock)."""
        sets = ", ".join(f"{c} = ${i}" for i, c in enumerate(_ITEM_COLUMNS, start=1) if c != "item_no")
        await self._conn.execute(f"UPDATE items SET {sets}, updated_at = now() WHERE item_no = $1", *_item_values(item))
        await self._replace_children(item)

    async def mark_deleted(self, item_no: str, revision: int) -> None:
        await self._conn.execute(
            "UPDATE items SET deleted = true, blocked = true, revision = $2, item_category_code = NULL, "
            "updated_at = now() WHERE item_no = $1",
            item_no, revision,
        )
        for table in ("item_units_of_measure", "item_variants", "item_attribute_values", "item_references"):
            await self._conn.execute(f"DELETE FROM {table} WHERE item_no = $1", item_no)
        await self._conn.execute("DELETE FROM assembly_bom_lines WHERE parent_item_no = $1", item_no)

    async def _replace_children(self, item: Item) -> None:
        await self._conn.execute(
            "INSERT INTO units_of_measure (code) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING",
            [u.code for u in item.units_of_measure],
        )
        await self._conn.execute("DELETE FROM item_units_of_measure WHERE item_no = $1", item.item_no)
        await self._conn.executemany(
            "INSERT INTO item_units_of_measure (item_no, code, qty_per_unit_of_measure) VALUES ($1, $2, $3)",
            [(item.item_no, u.code, u.qty_per_unit_of_measure) for u in item.units_of_measure],
        )
        await self._conn.execute("DELETE FROM item_variants WHERE item_no = $1", item.item_no)
        await self._conn.executemany(
            "INSERT INTO item_variants (item_no, code, description, blocked) VALUES ($1, $2, $3, $4)",
            [(item.item_no, v.code, v.description, v.blocked) for v in item.variants],
        )
        await self._conn.execute("DELETE FROM assembly_bom_lines WHERE parent_item_no = $1", item.item_no)
        await self._conn.executemany(
            "INSERT INTO assembly_bom_lines (parent_item_no, line_no, type, no, description, quantity_per, "
            "unit_of_measure_code, resource_usage_type) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            [(item.item_no, b.line_no, str(b.type), b.no, b.description, b.quantity_per, b.unit_of_measure_code,
              str(b.resource_usage_type)) for b in item.assembly_bom],
        )

    async def replace_attribute_values(self, item_no: str, values: Mapping[str, AttributeValue]) -> None:
        await self._conn.execute("DELETE FROM item_attribute_values WHERE item_no = $1", item_no)
        await self._conn.executemany(
            "INSERT INTO item_attribute_values (item_no, attribute_name, value, number_value, date_value) "
            "VALUES ($1, $2, $3, $4, $5)",
            [(item_no, name, v.text, v.number, v.day) for name, v in values.items()],
        )

    async def get(self, item_no: str, *, for_update: bool = False, include_deleted: bool = False) -> Item | None:
        row = await self._conn.fetchrow(
            f"{_SELECT_ITEM} WHERE item_no = $1{' FOR UPDATE' if for_update else ''}", item_no
        )
        if row is None or (row["deleted"] and not include_deleted):
            return None
        return (await self._complete([row]))[0]

    async def _complete(self, rows: Sequence[asyncpg.Record]) -> list[Item]:
        numbers = [row["item_no"] for row in rows]
        units: dict[str, list[ItemUnitOfMeasure]] = defaultdict(list)
        for r in await self._conn.fetch(
            "SELECT item_no, code, qty_per_unit_of_measure FROM item_units_of_measure WHERE item_no = ANY($1) "
            "ORDER BY item_no, code", numbers,
        ):
            units[r["item_no"]].append(ItemUnitOfMeasure(r["code"], r["qty_per_unit_of_measure"]))
        variants: dict[str, list[ItemVariant]] = defaultdict(list)
        for r in await self._conn.fetch(
            "SELECT item_no, code, description, blocked FROM item_variants WHERE item_no = ANY($1) ORDER BY item_no, code",
            numbers,
        ):
            variants[r["item_no"]].append(ItemVariant(r["code"], r["description"], r["blocked"]))
        attributes: dict[str, dict[str, str]] = defaultdict(dict)
        for r in await self._conn.fetch(
            "SELECT item_no, attribute_name, value FROM item_attribute_values WHERE item_no = ANY($1) "
            "ORDER BY item_no, attribute_name", numbers,
        ):
            attributes[r["item_no"]][r["attribute_name"]] = r["value"]
        boms = await bom_lines_of(self._conn, numbers)
        return [_to_item(row, units[row["item_no"]], variants[row["item_no"]], attributes[row["item_no"]], boms[row["item_no"]])
                for row in rows]

    async def mark_has_ledger_entries(self, item_nos: Iterable[str]) -> None:
        await self._conn.execute(
            "UPDATE items SET has_ledger_entries = true WHERE item_no = ANY($1::text[]) AND NOT has_ledger_entries",
            sorted(set(item_nos)),
        )

    async def numbers_using_tracking_code(self, code: str) -> list[str]:
        rows = await self._conn.fetch(
            "SELECT item_no FROM items WHERE item_tracking_code = $1 AND NOT deleted ORDER BY item_no", code
        )
        return [r["item_no"] for r in rows]

    async def search(self, search: ItemSearch) -> list[Item]:
        sql = _Sql(["NOT i.deleted"])
        if search.text:
            pattern = sql.arg(f"%{_like(search.text)}%")
            sql.where.append(f"(i.description ILIKE {pattern} OR i.item_no ILIKE {pattern})")
        if search.type is not None:
            sql.where.append(f"i.type = {sql.arg(str(search.type))}")
        if search.blocked is not None:
            sql.where.append(f"i.blocked = {sql.arg(search.blocked)}")
        if search.category_code is not None:
            code = sql.arg(search.category_code)
            sql.where.append(
                "i.item_category_code IN (WITH RECURSIVE tree AS ("
                f"SELECT code FROM item_categories WHERE code = {code} "
                "UNION ALL SELECT c.code FROM item_categories c JOIN tree ON c.parent_code = tree.code"
                ") SELECT code FROM tree)"
            )
        for condition in search.attribute_filters:
            sql.where.append(_attribute_condition(sql, condition))
        column = search.sort
        cast = SORT_COLUMNS[column]
        direction = "DESC" if search.descending else "ASC"
        comparison = "<" if search.descending else ">"
        if search.after is not None:
            value, item_no = search.after
            if column == "item_no":
                sql.where.append(f"i.item_no {comparison} {sql.arg(item_no)}")
            else:
                sql.where.append(
                    f"(i.{column}, i.item_no) {comparison} ({sql.arg(value)}::{cast}, {sql.arg(item_no)})"
                )
        # With a text filter the trigram index finds the few matches fastest; ordering by an expression stops the
        # planner from walking the sort index instead and filtering 100,000 rows for a rare text (80 ms -> a few ms).
        noop = (" || ''" if cast == "text" else " + 0") if search.text else ""
        tie = " || ''" if search.text else ""
        order = (f"i.item_no{tie} {direction}" if column == "item_no"
                 else f"i.{column}{noop} {direction}, i.item_no{tie} {direction}")
        query = (
            f"SELECT {', '.join('i.' + c for c in _ITEM_COLUMNS)}, i.has_ledger_entries, i.deleted, i.unit_cost FROM items i "
            f"WHERE {' AND '.join(sql.where)} ORDER BY {order} LIMIT {sql.arg(search.limit)}"
        )
        rows = await self._conn.fetch(query, *sql.args)
        return await self._complete(rows)


def _attribute_condition(sql: _Sql, condition: AttributeFilter) -> str:
    name = sql.arg(condition.attribute)
    base = f"EXISTS (SELECT 1 FROM item_attribute_values v WHERE v.item_no = i.item_no AND v.attribute_name = {name}"
    match condition.op:
        case FilterOp.EQ:
            return f"{base} AND v.value = {sql.arg(condition.text)})"
        case FilterOp.CONTAINS:
            return f"{base} AND v.value ILIKE {sql.arg('%' + _like(condition.text) + '%')})"
        case FilterOp.BEGINS:
            return f"{base} AND v.value ILIKE {sql.arg(_like(condition.text) + '%')})"
        case FilterOp.RANGE:
            column = "date_value" if isinstance(condition.low or condition.high, date) else "number_value"
            parts = [base, f"v.{column} IS NOT NULL"]
            if condition.low is not None:
                parts.append(f"v.{column} >= {sql.arg(condition.low)}")
            if condition.high is not None:
                parts.append(f"v.{column} <= {sql.arg(condition.high)}")
            return " AND ".join(parts) + ")"
    raise AssertionError(condition.op)  # pragma: no cover
