"""Reservations of inbound item ledger entries for demand lines."""

from collections.abc import Iterable, Sequence

import asyncpg

from warehouse.domain.ledger_state import Demand, Key, ReservationEntry

_WITH_TRACKING = """SELECT r.*, e.serial_no, e.lot_no FROM reservation_entries r
                    JOIN item_ledger_entries e ON e.entry_no = r.item_ledger_entry_no"""


class PostgresReservations:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def open_of(self, keys: Iterable[Key]) -> list[ReservationEntry]:
        keys = sorted(set(keys))
        rows = await self._conn.fetch(
            f"""
            {_WITH_TRACKING}
            JOIN unnest($1::text[], $2::text[], $3::text[]) AS k (item_no, variant_code, location_code)
              ON r.item_no = k.item_no AND r.variant_code = k.variant_code AND r.location_code = k.location_code
            WHERE r.status = 'Reserved' ORDER BY r.id
            """,
            [k[0] for k in keys], [k[1] for k in keys], [k[2] for k in keys],
        )
        return [_reservation(r) for r in rows]

    async def open_of_demand(self, demand: Demand) -> list[ReservationEntry]:
        rows = await self._conn.fetch(
            f"""
            {_WITH_TRACKING}
            WHERE r.source_type = $1 AND r.source_id = $2 AND r.source_line_no = $3 AND r.status = 'Reserved'
            ORDER BY r.id
            """,
            demand.source_type, demand.source_id, demand.source_line_no,
        )
        return [_reservation(r) for r in rows]

    async def add(self, made: Sequence[ReservationEntry]) -> list[int]:
        rows = await self._conn.fetch(
            """
            INSERT INTO reservation_entries (source_type, source_id, source_line_no, item_no, variant_code, location_code,
                                             item_ledger_entry_no, quantity, remaining_quantity, status)
            SELECT *, 'Reserved' FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[],
                                              $7::bigint[], $8::numeric[], $9::numeric[])
            RETURNING id
            """,
            [r.demand.source_type for r in made], [r.demand.source_id for r in made],
            [r.demand.source_line_no for r in made], [r.key[0] for r in made], [r.key[1] for r in made],
            [r.key[2] for r in made], [r.item_ledger_entry_no for r in made], [r.quantity for r in made],
            [r.remaining_quantity for r in made],
        )
        return sorted(int(r["id"]) for r in rows)

    async def save_changes(self, changed: Sequence[ReservationEntry]) -> None:
        if changed:
            await self._conn.execute(
                """
                UPDATE reservation_entries r SET remaining_quantity = c.remaining_quantity, status = c.status,
                                                 changed_at = now()
                FROM unnest($1::bigint[], $2::numeric[], $3::text[]) AS c (id, remaining_quantity, status)
                WHERE r.id = c.id
                """,
                [r.id for r in changed], [r.remaining_quantity for r in changed], [r.status for r in changed],
            )

    async def find(
        self, item_no: str | None, source_type: str | None, source_id: str | None, include_closed: bool
    ) -> list[ReservationEntry]:
        rows = await self._conn.fetch(
            f"""
            {_WITH_TRACKING}
            WHERE ($1::text IS NULL OR r.item_no = $1) AND ($2::text IS NULL OR r.source_type = $2)
              AND ($3::text IS NULL OR r.source_id = $3) AND ($4 OR r.status = 'Reserved')
            ORDER BY r.id LIMIT 10000
            """,
            item_no, source_type, source_id, include_closed,
        )
        return [_reservation(r) for r in rows]


def _reservation(r: asyncpg.Record) -> ReservationEntry:
    return ReservationEntry(
        id=r["id"],
        demand=Demand(r["source_type"], r["source_id"], r["source_line_no"]),
        key=(r["item_no"], r["variant_code"], r["location_code"]),
        item_ledger_entry_no=r["item_ledger_entry_no"],
        quantity=r["quantity"],
        remaining_quantity=r["remaining_quantity"],
        status=r["status"],
        serial_no=r["serial_no"],
        lot_no=r["lot_no"],
    )
