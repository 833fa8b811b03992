"""SQL of the quantity reconciliation: costing's quantities by the warehouse's watermarks, and what was reported."""

from collections.abc import Mapping
from decimal import Decimal

import asyncpg

from costing.domain.quantity_reconciliation import Place, QuantityComparison


class QuantityReconciliationRepository:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def quantities_through(self, through: Mapping[str, int]) -> dict[Place, Decimal]:
        """Per item and location, the quantity of the item's entries up to its watermark."""
        rows = await self._conn.fetch(
            """
            SELECT e.item_no, e.location_code, sum(e.quantity) AS quantity
            FROM item_ledger_entries e
            JOIN unnest($1::text[], $2::bigint[]) AS w(item_no, through_entry_no)
              ON w.item_no = e.item_no AND e.entry_no <= w.through_entry_no
            GROUP BY e.item_no, e.location_code
            """,
            list(through), list(through.values()),
        )
        return {(row["item_no"], row["location_code"]): row["quantity"] for row in rows}

    async def reported(self) -> dict[Place, Decimal]:
        rows = await self._conn.fetch("SELECT item_no, location_code, difference FROM reported_quantity_differences")
        return {(row["item_no"], row["location_code"]): row["difference"] for row in rows}

    async def record_reported(self, comparison: QuantityComparison) -> None:
        if comparison.difference == 0:
            await self._conn.execute(
                "DELETE FROM reported_quantity_differences WHERE item_no = $1 AND location_code = $2",
                comparison.item_no, comparison.location_code,
            )
            return
        await self._conn.execute(
            """
            INSERT INTO reported_quantity_differences (item_no, location_code, difference) VALUES ($1, $2, $3)
            ON CONFLICT (item_no, location_code) DO UPDATE SET difference = excluded.difference, reported_at = now()
            """,
            comparison.item_no, comparison.location_code, comparison.difference,
        )
