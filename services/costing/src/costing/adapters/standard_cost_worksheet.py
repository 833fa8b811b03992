"""SQL of the standard cost worksheet: its lines and the Standard items they are suggested for."""

from collections.abc import Sequence
from datetime import date

import asyncpg

from inventory_contracts.catalog import CostingMethod

from costing.domain.inbound import CostSetup
from costing.domain.standard_cost import WorksheetLine

_LINE_COLUMNS = "worksheet_name, item_no, standard_cost, new_standard_cost, implementation_no, posting_date"


class StandardCostWorksheetRepository:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def lines(self, worksheet_name: str) -> list[WorksheetLine]:
        rows = await self._conn.fetch(
            f"SELECT {_LINE_COLUMNS} FROM standard_cost_worksheet_lines WHERE worksheet_name = $1 ORDER BY item_no",
            worksheet_name,
        )
        return [WorksheetLine(**dict(row)) for row in rows]

    async def lines_to_implement(self, worksheet_name: str) -> list[WorksheetLine]:
        """The lines not implemented yet, locked: an implementation running at the same time waits, then finds them
        implemented and leaves them alone."""
        rows = await self._conn.fetch(
            f"""SELECT {_LINE_COLUMNS} FROM standard_cost_worksheet_lines
            WHERE worksheet_name = $1 AND implementation_no IS NULL ORDER BY item_no FOR UPDATE""",
            worksheet_name,
        )
        return [WorksheetLine(**dict(row)) for row in rows]

    async def save_lines(self, lines: Sequence[WorksheetLine]) -> None:
        """Write the lines (a line written again is a new proposal: no longer implemented)."""
        await self._conn.executemany(
            """INSERT INTO standard_cost_worksheet_lines (worksheet_name, item_no, standard_cost, new_standard_cost)
            VALUES ($1, $2, $3, $4)
            ON CONFLICT (worksheet_name, item_no) DO UPDATE SET standard_cost = excluded.standard_cost,
                new_standard_cost = excluded.new_standard_cost, implementation_no = NULL, posting_date = NULL""",
            [(line.worksheet_name, line.item_no, line.standard_cost, line.new_standard_cost) for line in lines],
        )

    async def delete_line(self, worksheet_name: str, item_no: str) -> bool:
        deleted = await self._conn.fetchval(
            "DELETE FROM standard_cost_worksheet_lines WHERE worksheet_name = $1 AND item_no = $2 RETURNING item_no",
            worksheet_name, item_no,
        )
        return deleted is not None

    async def next_implementation_no(self) -> int:
        return int(await self._conn.fetchval("SELECT nextval('standard_cost_implementation_nos')"))

    async def mark_implemented(self, line: WorksheetLine, implementation_no: int, posting_date: date) -> None:
        await self._conn.execute(
            """UPDATE standard_cost_worksheet_lines SET implementation_no = $3, posting_date = $4
            WHERE worksheet_name = $1 AND item_no = $2""",
            line.worksheet_name, line.item_no, implementation_no, posting_date,
        )

    async def standard_items(self, item_nos: Sequence[str] | None) -> list[CostSetup]:
        """Standard items of costing's replica (those named, or all), by item no."""
        rows = await self._conn.fetch(
            """SELECT item_no, standard_cost FROM items
            WHERE costing_method = $1 AND ($2::text[] IS NULL OR item_no = ANY($2::text[])) ORDER BY item_no""",
            str(CostingMethod.STANDARD), None if item_nos is None else list(item_nos),
        )
        return [CostSetup(row["item_no"], CostingMethod.STANDARD, standard_cost=row["standard_cost"]) for row in rows]
