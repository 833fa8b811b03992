"""What availability and the quantity reconciliation read, in PostgreSQL."""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

import asyncpg

from warehouse.domain.availability import OpenTransfers, Stock
from warehouse.domain.reconciliation import SettledQuantity


class PostgresAvailabilityRepository:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def item_known(self, item_no: str) -> bool:
        return bool(await self._conn.fetchval("SELECT EXISTS (SELECT FROM items WHERE item_no = $1)", item_no))

    async def stock_and_reserved(
        self, item_no: str, location_code: str | None, on_date: date | None
    ) -> tuple[Stock, Decimal]:
        row = await self._conn.fetchrow(
            """
            SELECT
              (SELECT coalesce(sum(e.quantity), 0) FROM item_ledger_entries e
               WHERE e.item_no = $1 AND ($2::text IS NULL OR e.location_code = $2)
                 AND ($3::date IS NULL OR e.posting_date <= $3)) AS inventory,
              (SELECT coalesce(sum(e.quantity), 0) FROM item_ledger_entries e JOIN locations l ON l.code = e.location_code
               WHERE e.item_no = $1 AND l.use_as_in_transit AND ($2::text IS NULL OR e.location_code = $2)
                 AND ($3::date IS NULL OR e.posting_date <= $3)) AS in_transit,
              (SELECT coalesce(sum(r.remaining_quantity), 0) FROM reservation_entries r
               WHERE r.item_no = $1 AND r.status = 'Reserved' AND ($2::text IS NULL OR r.location_code = $2)) AS reserved
            """,
            item_no, location_code, on_date,
        )
        return Stock(row["inventory"], row["in_transit"]), row["reserved"]

    async def stock_as_of(self, item_no: str, location_code: str | None, dates: Sequence[date]) -> list[Stock]:
        rows = await self._conn.fetch(
            """
            WITH daily AS (
              SELECT e.posting_date, sum(e.quantity) AS quantity,
                     coalesce(sum(e.quantity) FILTER (WHERE l.use_as_in_transit), 0) AS in_transit
              FROM item_ledger_entries e LEFT JOIN locations l ON l.code = e.location_code
              WHERE e.item_no = $1 AND ($2::text IS NULL OR e.location_code = $2) AND e.posting_date <= $4
              GROUP BY e.posting_date
            )
            SELECT d.as_of,
                   (SELECT coalesce(sum(quantity), 0) FROM daily WHERE posting_date <= d.as_of) AS inventory,
                   (SELECT coalesce(sum(in_transit), 0) FROM daily WHERE posting_date <= d.as_of) AS in_transit
            FROM unnest($3::date[]) AS d (as_of) ORDER BY d.as_of
            """,
            item_no, location_code, list(dates), max(dates),
        )
        return [Stock(r["inventory"], r["in_transit"]) for r in rows]

    async def reserved(self, item_no: str, location_code: str | None) -> Decimal:
        return Decimal(await self._conn.fetchval(
            "SELECT coalesce(sum(remaining_quantity), 0) FROM reservation_entries "
            "WHERE item_no = $1 AND status = 'Reserved' AND ($2::text IS NULL OR location_code = $2)",
            item_no, location_code,
        ))

    async def open_transfers(self, item_no: str, location_code: str | None) -> OpenTransfers:
        row = await self._conn.fetchrow(
            """
            SELECT coalesce(sum(l.quantity - l.quantity_shipped) FILTER (WHERE o.transfer_from_code = $2), 0) AS outbound,
                   coalesce(sum(l.quantity - l.quantity_received) FILTER (WHERE o.transfer_to_code = $2), 0) AS inbound
            FROM transfer_order_lines l JOIN transfer_orders o ON o.no = l.order_no WHERE l.item_no = $1
            """,
            item_no, location_code,
        )
        return OpenTransfers(row["outbound"], row["inbound"])


class PostgresReconciliationRepository:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def settled_quantities(self, settle_seconds: float) -> list[SettledQuantity]:
        rows = await self._conn.fetch(
            """
            WITH settled AS (
                SELECT item_no, max(entry_no) AS through_entry_no FROM item_ledger_entries
                WHERE recorded_at <= clock_timestamp() - make_interval(secs => $1) GROUP BY item_no
            )
            SELECT e.item_no, e.location_code, sum(e.quantity) AS quantity, s.through_entry_no
            FROM item_ledger_entries e JOIN settled s ON s.item_no = e.item_no AND e.entry_no <= s.through_entry_no
            GROUP BY e.item_no, e.location_code, s.through_entry_no ORDER BY e.item_no, e.location_code
            """,
            settle_seconds,
        )
        return [SettledQuantity(**dict(r)) for r in rows]
