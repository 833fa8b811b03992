"""The SQL of assembly BOMs beyond the card itself: where-used, the resources a BOM names, costing's unit costs."""

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

import asyncpg

from inventory_contracts.catalog import BomComponentType, ResourceUsageType

from catalog.domain.assembly import ResourceCost
from catalog.domain.model import AssemblyBomLine


class PostgresAssemblyRepository:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def lock_boms(self) -> None:
        await self._conn.execute("SELECT pg_advisory_xact_lock(hashtext('catalog.assembly_bom_lines'))")

    async def uses_of(self, item_nos: Iterable[str]) -> dict[str, list[tuple[str, AssemblyBomLine]]]:
        uses: dict[str, list[tuple[str, AssemblyBomLine]]] = defaultdict(list)
        for r in await self._conn.fetch(
            "SELECT b.parent_item_no, b.line_no, b.no, b.description, b.quantity_per, b.unit_of_measure_code "
            "FROM assembly_bom_lines b JOIN items i ON i.item_no = b.parent_item_no AND NOT i.deleted "
            "WHERE b.type = 'Item' AND b.no = ANY($1::text[]) ORDER BY b.no, b.parent_item_no, b.line_no",
            sorted(set(item_nos)),
        ):
            uses[r["no"]].append((r["parent_item_no"], AssemblyBomLine(
                line_no=r["line_no"], type=BomComponentType.ITEM, no=r["no"], description=r["description"],
                quantity_per=r["quantity_per"], unit_of_measure_code=r["unit_of_measure_code"],
                resource_usage_type=ResourceUsageType.DIRECT,
            )))
        return dict(uses)

    async def resources(self, nos: Iterable[str]) -> dict[str, ResourceCost]:
        rows = await self._conn.fetch(
            "SELECT no, name, base_unit_of_measure, direct_unit_cost, unit_cost, blocked FROM resources "
            "WHERE no = ANY($1::text[])",
            sorted(set(nos)),
        )
        return {r["no"]: ResourceCost(r["no"], r["name"], r["base_unit_of_measure"], r["direct_unit_cost"],
                                      r["unit_cost"], r["blocked"]) for r in rows}

    async def set_unit_cost(self, item_no: str, unit_cost: Decimal, sequence: int) -> None:
        await self._conn.execute(
            "UPDATE items SET unit_cost = $2, unit_cost_sequence = $3 WHERE item_no = $1 AND unit_cost_sequence < $3",
            item_no, unit_cost, sequence,
        )
