"""SQL of unit costs as published and of items' cost adjustment status."""

from collections.abc import Sequence


from costing.adapters.session import CostingStore, flushes_first
from costing.domain.ports import CostStatus, PublishedUnitCost, UnitCostBasis


@flushes_first()
class PostgresUnitCosts(CostingStore):
    """Items' unit costs as last published, and whether their costs are adjusted."""

    async def unit_cost_bases(self, item_nos: Sequence[str]) -> dict[str, UnitCostBasis]:
        """Per item costing knows: its costing method, standard cost and quantity and value on hand. An item whose
        card has not reached costing yet has the costing method of its last entry and no standard cost."""
        rows = await self._conn.fetch(
            """
            SELECT n.item_no, coalesce(i.standard_cost, 0) AS standard_cost,
                   coalesce(h.quantity, 0) AS quantity, coalesce(h.value, 0) AS value,
                   coalesce(i.costing_method, (SELECT e.costing_method FROM item_ledger_entries e WHERE e.item_no = n.item_no
                                               ORDER BY e.entry_no DESC LIMIT 1)) AS costing_method
            FROM unnest($1::text[]) AS n(item_no) LEFT JOIN items i USING (item_no) LEFT JOIN item_on_hand h USING (item_no)
            """,
            list(item_nos),
        )
        return {row["item_no"]: UnitCostBasis(**dict(row)) for row in rows if row["costing_method"] is not None}

    async def published_unit_costs(self, item_nos: Sequence[str]) -> dict[str, PublishedUnitCost]:
        rows = await self._conn.fetch(
            "SELECT item_no, unit_cost, sequence FROM item_unit_costs WHERE item_no = ANY($1::text[]) ORDER BY item_no FOR UPDATE",
            list(item_nos),
        )
        return {row["item_no"]: PublishedUnitCost(**dict(row)) for row in rows}

    async def save_published_unit_costs(self, rows: Sequence[PublishedUnitCost]) -> None:
        await self._conn.executemany(
            """INSERT INTO item_unit_costs (item_no, unit_cost, sequence) VALUES ($1, $2, $3)
            ON CONFLICT (item_no) DO UPDATE SET unit_cost = excluded.unit_cost, sequence = excluded.sequence""",
            [(row.item_no, row.unit_cost, row.sequence) for row in rows],
        )

    async def mark_adjusted(self, item_nos: Sequence[str]) -> None:
        await self._conn.execute(
            """INSERT INTO item_cost_status (item_no, cost_is_adjusted, last_adjusted_at)
            SELECT item_no, true, clock_timestamp() FROM unnest($1::text[]) AS n(item_no) ORDER BY item_no
            ON CONFLICT (item_no) DO UPDATE SET cost_is_adjusted = item_cost_status.last_error IS NULL,
                last_adjusted_at = excluded.last_adjusted_at""",
            sorted(set(item_nos)),
        )

    async def mark_error(self, item_no: str, error: str) -> None:
        await self._conn.execute(
            """INSERT INTO item_cost_status (item_no, cost_is_adjusted, last_error, last_error_at) VALUES ($1, false, $2, clock_timestamp())
            ON CONFLICT (item_no) DO UPDATE SET cost_is_adjusted = false, last_error = excluded.last_error,
                last_error_at = excluded.last_error_at""",
            item_no, error,
        )

    async def cost_status(self, item_no: str) -> CostStatus | None:
        row = await self._conn.fetchrow(
            "SELECT cost_is_adjusted, last_adjusted_at, last_error, last_error_at FROM item_cost_status WHERE item_no = $1", item_no
        )
        return CostStatus(**dict(row)) if row is not None else None

