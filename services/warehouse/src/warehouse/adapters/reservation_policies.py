"""Open supply and demand documents, supply reservations and allocation runs on PostgreSQL."""

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import asyncpg

from warehouse.domain.allocation import Allocated, AllocationPolicy
from warehouse.domain.ledger_state import Demand, Key, ReservationEntry
from warehouse.domain.ports_reservation_policies import OpenDemandLine
from warehouse.domain.reservation_policy import OpenSupply, SupplyRef, SupplyReservation, SupplyType

# Each open supply as (supply_id, supply_line_no, item_no, variant_code, location_code, outstanding, due_date).
# `table` is what must exist for the query to run: documents that later migrations add are read once they exist.
_SUPPLIES: dict[SupplyType, tuple[str, str]] = {
    SupplyType.PURCHASE_ORDER: ("purchase_order_lines", """
        SELECT order_no AS supply_id, line_no AS supply_line_no, item_no, variant_code, location_code,
               quantity_base - quantity_received_base AS outstanding, expected_receipt_date AS due_date
        FROM purchase_order_lines WHERE quantity_base > quantity_received_base"""),
    SupplyType.TRANSFER_ORDER: ("transfer_order_lines", """
        SELECT l.order_no AS supply_id, l.line_no AS supply_line_no, l.item_no, l.variant_code,
               o.transfer_to_code AS location_code, l.quantity - l.quantity_received AS outstanding,
               NULL::date AS due_date
        FROM transfer_order_lines l JOIN transfer_orders o ON o.no = l.order_no
        WHERE l.quantity > l.quantity_received"""),
    SupplyType.ASSEMBLY_ORDER: ("assembly_orders", """
        SELECT no AS supply_id, 0 AS supply_line_no, item_no, variant_code, location_code,
               remaining_quantity AS outstanding, due_date
        FROM assembly_orders WHERE status = 'Open' AND remaining_quantity > 0"""),
}

# Each open demand as (source_type, source_id, source_line_no, item_no, variant_code, location_code, outstanding,
# due_date, priority).
_DEMANDS: dict[str, tuple[str, str]] = {
    "Sales Order": ("sales_order_lines", """
        SELECT 'Sales Order' AS source_type, order_no AS source_id, line_no AS source_line_no, item_no, variant_code,
               location_code, quantity_base - quantity_shipped_base AS outstanding, shipment_date AS due_date,
               0 AS priority
        FROM sales_order_lines WHERE quantity_base > quantity_shipped_base"""),
    "Assembly Order": ("assembly_order_lines", """
        SELECT 'Assembly Order' AS source_type, l.order_no AS source_id, l.line_no AS source_line_no, l.no AS item_no,
               l.variant_code, l.location_code, l.remaining_quantity AS outstanding, l.due_date, 0 AS priority
        FROM assembly_order_lines l JOIN assembly_orders o ON o.no = l.order_no
        WHERE o.status = 'Open' AND l.type = 'Item' AND l.remaining_quantity > 0"""),
}


class PostgresOpenDocuments:
    """Reads the open supply and demand documents (other parts of the warehouse own their tables)."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def _existing(self, queries: dict[Any, tuple[str, str]]) -> list[str]:
        tables = [table for table, _ in queries.values()]
        present = await self._conn.fetchval("SELECT array_agg(t) FROM unnest($1::text[]) t WHERE to_regclass(t) IS NOT NULL",
                                            tables)
        present = set(present or [])
        return [str(kind) for kind, (table, _) in queries.items() if table in present]

    async def supply(self, ref: SupplyRef) -> OpenSupply | None:
        if str(ref.supply_type) not in await self._existing({ref.supply_type: _SUPPLIES[ref.supply_type]}):
            return None
        row = await self._conn.fetchrow(
            f"SELECT * FROM ({_SUPPLIES[ref.supply_type][1]}) s WHERE supply_id = $1 AND supply_line_no = $2",
            ref.supply_id, ref.supply_line_no)
        return None if row is None else _supply(ref.supply_type, row)

    async def supplies_of(self, key: Key) -> list[OpenSupply]:
        found: list[OpenSupply] = []
        for kind in await self._existing(_SUPPLIES):
            supply_type = SupplyType(kind)
            rows = await self._conn.fetch(
                f"""SELECT * FROM ({_SUPPLIES[supply_type][1]}) s
                    WHERE item_no = $1 AND variant_code = $2 AND location_code = $3
                    ORDER BY due_date NULLS LAST, supply_id, supply_line_no""", *key)
            found += [_supply(supply_type, r) for r in rows]
        return found

    async def demands_of(self, key: Key) -> list[OpenDemandLine]:
        found: list[OpenDemandLine] = []
        for kind in await self._existing(_DEMANDS):
            rows = await self._conn.fetch(
                f"""SELECT * FROM ({_DEMANDS[kind][1]}) d
                    WHERE item_no = $1 AND variant_code = $2 AND location_code = $3""", *key)
            found += [OpenDemandLine(Demand(r["source_type"], r["source_id"], r["source_line_no"]), key, r["outstanding"],
                                     r["due_date"], r["priority"]) for r in rows]
        return found


class PostgresSupplyReservations:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def open_of_supplies(self, refs: Sequence[SupplyRef]) -> list[SupplyReservation]:
        rows = await self._conn.fetch(
            """SELECT r.* FROM supply_reservations r
               JOIN unnest($1::text[], $2::text[], $3::int[]) AS k (supply_type, supply_id, supply_line_no)
                 USING (supply_type, supply_id, supply_line_no)
               WHERE r.status = 'Reserved' ORDER BY r.id""",
            [str(r.supply_type) for r in refs], [r.supply_id for r in refs], [r.supply_line_no for r in refs])
        return [_reservation(r) for r in rows]

    async def open_of_demand(self, demand: Demand) -> list[SupplyReservation]:
        rows = await self._conn.fetch(
            """SELECT * FROM supply_reservations WHERE source_type = $1 AND source_id = $2 AND source_line_no = $3
               AND status = 'Reserved' ORDER BY id""", demand.source_type, demand.source_id, demand.source_line_no)
        return [_reservation(r) for r in rows]

    async def open_of_key(self, key: Key) -> list[SupplyReservation]:
        rows = await self._conn.fetch(
            """SELECT * FROM supply_reservations WHERE item_no = $1 AND variant_code = $2 AND location_code = $3
               AND status = 'Reserved' ORDER BY id""", *key)
        return [_reservation(r) for r in rows]

    async def add(self, made: Sequence[SupplyReservation]) -> list[int]:
        rows = await self._conn.fetch(
            """
            INSERT INTO supply_reservations (source_type, source_id, source_line_no, item_no, variant_code,
                                             location_code, supply_type, supply_id, supply_line_no, expected_date,
                                             quantity, remaining_quantity, status)
            SELECT *, 'Reserved' FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[],
                                              $7::text[], $8::text[], $9::int[], $10::date[], $11::numeric[],
                                              $12::numeric[])
            RETURNING id
            """,
            [r.demand.source_type for r in made], [r.demand.source_id for r in made],
            [r.demand.source_line_no for r in made], [r.key[0] for r in made], [r.key[1] for r in made],
            [r.key[2] for r in made], [str(r.supply.supply_type) for r in made], [r.supply.supply_id for r in made],
            [r.supply.supply_line_no for r in made], [r.expected_date for r in made], [r.quantity for r in made],
            [r.remaining_quantity for r in made],
        )
        return sorted(int(r["id"]) for r in rows)

    async def save_changes(self, changed: Sequence[SupplyReservation]) -> None:
        if changed:
            await self._conn.execute(
                """
                UPDATE supply_reservations r SET remaining_quantity = c.remaining_quantity, status = c.status,
                                                 changed_at = now()
                FROM unnest($1::bigint[], $2::numeric[], $3::text[]) AS c (id, remaining_quantity, status)
                WHERE r.id = c.id
                """,
                [r.id for r in changed], [r.remaining_quantity for r in changed], [r.status for r in changed],
            )

    async def add_moved(self, moved: Sequence[tuple[ReservationEntry, int]]) -> list[int]:
        rows = await self._conn.fetch(
            """
            INSERT INTO reservation_entries (source_type, source_id, source_line_no, item_no, variant_code, location_code,
                                             item_ledger_entry_no, quantity, remaining_quantity, status,
                                             supply_reservation_id)
            SELECT s, i, l, it, v, lc, e, q, q, 'Reserved', sr
            FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::bigint[],
                        $8::numeric[], $9::bigint[]) AS m (s, i, l, it, v, lc, e, q, sr)
            RETURNING id
            """,
            [r.demand.source_type for r, _ in moved], [r.demand.source_id for r, _ in moved],
            [r.demand.source_line_no for r, _ in moved], [r.key[0] for r, _ in moved], [r.key[1] for r, _ in moved],
            [r.key[2] for r, _ in moved], [r.item_ledger_entry_no for r, _ in moved], [r.quantity for r, _ in moved],
            [s for _, s in moved],
        )
        return sorted(int(r["id"]) for r in rows)

    async def find(
        self, item_no: str | None, source_type: str | None, source_id: str | None, supply_id: str | None,
        include_closed: bool,
    ) -> list[SupplyReservation]:
        rows = await self._conn.fetch(
            """
            SELECT * FROM supply_reservations
            WHERE ($1::text IS NULL OR item_no = $1) AND ($2::text IS NULL OR source_type = $2)
              AND ($3::text IS NULL OR source_id = $3) AND ($4::text IS NULL OR supply_id = $4)
              AND ($5 OR status = 'Reserved')
            ORDER BY id LIMIT 10000
            """,
            item_no, source_type, source_id, supply_id, include_closed,
        )
        return [_reservation(r) for r in rows]


class PostgresAllocations:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def add_run(self, key: Key, policy: AllocationPolicy, available: Decimal, lines: Sequence[Allocated]) -> int:
        run_id: int = await self._conn.fetchval(
            """INSERT INTO allocation_runs (item_no, variant_code, location_code, policy, available)
               VALUES ($1, $2, $3, $4, $5) RETURNING id""", *key, str(policy), available)
        await self._conn.execute(
            """
            INSERT INTO allocation_run_lines (run_id, line_no, source_type, source_id, source_line_no, due_date,
                                              priority, wanted, allocated)
            SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[], $5::int[], $6::date[], $7::int[],
                                     $8::numeric[], $9::numeric[])
            """,
            run_id, list(range(1, len(lines) + 1)), [a.line.demand.source_type for a in lines],
            [a.line.demand.source_id for a in lines], [a.line.demand.source_line_no for a in lines],
            [a.line.due_date for a in lines], [a.line.priority for a in lines], [a.line.wanted for a in lines],
            [a.quantity for a in lines],
        )
        return run_id


def _supply(supply_type: SupplyType, r: asyncpg.Record) -> OpenSupply:
    return OpenSupply(SupplyRef(supply_type, r["supply_id"], r["supply_line_no"]),
                      (r["item_no"], r["variant_code"], r["location_code"]), r["outstanding"], r["due_date"])


def _reservation(r: asyncpg.Record) -> SupplyReservation:
    return SupplyReservation(
        id=r["id"], demand=Demand(r["source_type"], r["source_id"], r["source_line_no"]),
        key=(r["item_no"], r["variant_code"], r["location_code"]),
        supply=SupplyRef(SupplyType(r["supply_type"]), r["supply_id"], r["supply_line_no"]),
        expected_date=r["expected_date"], quantity=r["quantity"], remaining_quantity=r["remaining_quantity"],
        status=r["status"],
    )
