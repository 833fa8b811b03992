"""The replica of the catalog's item cards."""

import json
from collections.abc import Iterable
from dataclasses import asdict, fields
from decimal import Decimal
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

from warehouse.domain.model import BomComponent, Item, ItemUnit, Variant
from warehouse.domain.tracking import TrackingRules

_JSON_COLUMNS = {
    "units_of_measure": "units_of_measure", "variants": "variants", "tracking": "item_tracking", "assembly_bom": "assembly_bom",
}
_ITEM_COLUMNS = [_JSON_COLUMNS.get(f.name, f.name) for f in fields(Item)]
_ITEM_SELECT = ", ".join(_ITEM_COLUMNS)


class PostgresItems:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def upsert(self, item: Item) -> None:
        """Replace the replica's card unless it already holds a newer revision."""
        columns = ", ".join(_ITEM_COLUMNS)
        placeholders = ", ".join(
            f"${i}::jsonb" if c in _JSON_COLUMNS.values() else f"${i}" for i, c in enumerate(_ITEM_COLUMNS, 1)
        )
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in _ITEM_COLUMNS if c != "item_no")
        await self._conn.execute(
            f"INSERT INTO items ({columns}) VALUES ({placeholders}) ON CONFLICT (item_no) DO UPDATE SET {updates} "
            "WHERE items.revision < EXCLUDED.revision",
            *[_item_column_value(item, c) for c in _ITEM_COLUMNS],
        )

    async def lock(self, item_nos: Iterable[str]) -> dict[str, Item]:
        """Lock the items' rows until the transaction ends, in item order so that documents never deadlock."""
        rows = await self._conn.fetch(
            f"SELECT {_ITEM_SELECT} FROM items WHERE item_no = ANY($1::text[]) ORDER BY item_no FOR UPDATE",
            sorted(set(item_nos)),
        )
        return {row["item_no"]: _item(row) for row in rows}

    async def get(self, item_no: str) -> Item | None:
        row = await self._conn.fetchrow(f"SELECT {_ITEM_SELECT} FROM items WHERE item_no = $1", item_no)
        return _item(row) if row else None


def _item(row: asyncpg.Record) -> Item:
    values = dict(row)
    values["type"] = ItemType(values["type"])
    values["costing_method"] = CostingMethod(values["costing_method"])
    values["prevent_negative_inventory"] = PreventNegativeInventory(values["prevent_negative_inventory"])
    values["units_of_measure"] = tuple(
        ItemUnit(u["code"], Decimal(u["qty_per_unit_of_measure"])) for u in _json(values["units_of_measure"])
    )
    values["variants"] = tuple(Variant(**v) for v in _json(values["variants"]))
    values["assembly_policy"] = AssemblyPolicy(values["assembly_policy"])
    values["reserve"] = ReservePolicy(values["reserve"])
    values["assembly_bom"] = tuple(
        BomComponent(**{**c, "type": BomComponentType(c["type"]), "quantity_per": Decimal(c["quantity_per"]),
                        "resource_usage_type": ResourceUsageType(c["resource_usage_type"])})
        for c in _json(values["assembly_bom"])
    )
    tracking = values.pop("item_tracking")
    if tracking is not None:
        t = _json(tracking)
        t["serial_required_for"] = frozenset(t["serial_required_for"])
        t["lot_required_for"] = frozenset(t["lot_required_for"])
        values["tracking"] = TrackingRules(**t)
    return Item(**values)


def _json(value: Any) -> Any:
    """jsonb arrives decoded where the pool registered a codec (servicekit.db), as text elsewhere."""
    return json.loads(value) if isinstance(value, str) else value


def _item_column_value(item: Item, column: str) -> object:
    if column in ("type", "costing_method", "prevent_negative_inventory", "assembly_policy", "reserve"):
        return str(getattr(item, column))
    if column == "assembly_bom":
        return [{**asdict(c), "type": str(c.type), "quantity_per": str(c.quantity_per),
                 "resource_usage_type": str(c.resource_usage_type)} for c in item.assembly_bom]
    if column == "units_of_measure":
        return [{"code": u.code, "qty_per_unit_of_measure": str(u.qty_per_unit_of_measure)} for u in item.units_of_measure]
    if column == "variants":
        return [asdict(v) for v in item.variants]
    if column == "item_tracking":
        if item.tracking is None:
            return None
        t = asdict(item.tracking)
        t["serial_required_for"] = sorted(t["serial_required_for"])
        t["lot_required_for"] = sorted(t["lot_required_for"])
        return t
    return getattr(item, column)
