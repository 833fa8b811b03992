"""The inventory setup and the inventory periods in PostgreSQL."""

from datetime import date

import asyncpg

from inventory_contracts.warehouse import AverageCostCalcType, AverageCostPeriod

from warehouse.domain.periods import InventoryPeriod, InventorySetup, PostingDates

_SETUP = ("prevent_negative_inventory, allow_posting_from, allow_posting_to, average_cost_period, average_cost_calc_type, "
          "revision")


def _setup(row: asyncpg.Record) -> InventorySetup:
    return InventorySetup(
        row["prevent_negative_inventory"], PostingDates(row["allow_posting_from"], row["allow_posting_to"]),
        AverageCostPeriod(row["average_cost_period"]), AverageCostCalcType(row["average_cost_calc_type"]),
    )


class PostgresInventorySetupRepository:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def get(self, *, for_change: bool = False) -> tuple[InventorySetup, int]:
        row = await self._conn.fetchrow(f"SELECT {_SETUP} FROM inventory_setup" + (" FOR UPDATE" if for_change else ""))
        return _setup(row), row["revision"]

    async def as_published(self) -> tuple[InventorySetup, int, date | None]:
        row = await self._conn.fetchrow(
            f"""SELECT {_SETUP}, (SELECT max(ending_date) FROM inventory_periods WHERE closed) AS closed_through
                FROM inventory_setup"""
        )
        return _setup(row), row["revision"], row["closed_through"]

    async def save(self, setup: InventorySetup) -> None:
        await self._conn.execute(
            """UPDATE inventory_setup SET prevent_negative_inventory = $1, allow_posting_from = $2, allow_posting_to = $3,
                average_cost_period = $4, average_cost_calc_type = $5""",
            setup.prevent_negative_inventory, setup.dates.allow_posting_from, setup.dates.allow_posting_to,
            str(setup.average_cost_period), str(setup.average_cost_calc_type),
        )

    async def next_revision(self) -> int:
        return int(await self._conn.fetchval("UPDATE inventory_setup SET revision = revision + 1 RETURNING revision"))

    async def posting_dates(self) -> PostingDates:
        row = await self._conn.fetchrow("SELECT allow_posting_from, allow_posting_to FROM inventory_setup")
        return PostingDates(row["allow_posting_from"], row["allow_posting_to"])

    async def has_item_ledger_entries(self) -> bool:
        return bool(await self._conn.fetchval("SELECT EXISTS (SELECT FROM item_ledger_entries)"))

    async def prevent_negative_inventory_default(self) -> bool:
        return bool(await self._conn.fetchval("SELECT prevent_negative_inventory FROM inventory_setup"))


class PostgresInventoryPeriodRepository:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def inventory_periods(self, *, for_change: bool = False) -> list[InventoryPeriod]:
        """A posting reads the periods FOR SHARE (a ROW SHARE lock on the table), which the EXCLUSIVE lock of a
        period change waits for: otherwise a posting could commit into a period closed meanwhile."""
        if for_change:
            await self._conn.execute("LOCK TABLE inventory_periods IN EXCLUSIVE MODE")
        rows = await self._conn.fetch(
            "SELECT ending_date, closed, name FROM inventory_periods ORDER BY ending_date"
            + ("" if for_change else " FOR SHARE")
        )
        return [InventoryPeriod(r["ending_date"], r["closed"], r["name"]) for r in rows]

    async def save(self, period: InventoryPeriod) -> None:
        await self._conn.execute(
            """
            INSERT INTO inventory_periods (ending_date, name, closed) VALUES ($1, $2, $3)
            ON CONFLICT (ending_date) DO UPDATE SET closed = EXCLUDED.closed, changed_at = now(),
                name = CASE WHEN EXCLUDED.name = '' THEN inventory_periods.name ELSE EXCLUDED.name END
            """,
            period.ending_date, period.name, period.closed,
        )

    async def count_open_outbound_until(self, ending_date: date) -> int:
        return int(await self._conn.fetchval(
            "SELECT count(*) FROM open_item_ledger_entries WHERE remaining_quantity < 0 AND posting_date <= $1", ending_date
        ))
