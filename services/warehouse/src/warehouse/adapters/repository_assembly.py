"""Assembly orders, their lines and their postings."""

from collections.abc import Sequence
from decimal import Decimal

import asyncpg

from inventory_contracts.catalog import BomComponentType, ResourceUsageType

from warehouse.domain.assembly import AssemblyOrder, AssemblyOrderLine, AssemblyPosting
from warehouse.domain.errors import AlreadyExistsError

_HEADER = ("no, item_no, variant_code, location_code, bin_code, unit_of_measure_code, qty_per_unit_of_measure, quantity, "
           "remaining_quantity, due_date, starting_date, assemble_to_order_sales_no, assemble_to_order_sales_line_no, "
           "status, responsibility_center")
_LINE = ("line_no, type, no, description, variant_code, location_code, bin_code, unit_of_measure_code, quantity_per, "
         "quantity, remaining_quantity, due_date, resource_usage_type, direct_unit_cost, unit_cost")
_POSTING = ("posting_no, order_no, document_no, posting_date, quantity, output_entry_nos, consumption_entry_nos, "
            "undone")


class PostgresAssemblyOrders:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def next_no(self) -> str:
        while True:
            no = f"A{await self._conn.fetchval('SELECT nextval($1::regclass)', 'assembly_order_no'):06d}"
            # A number a client chose for an earlier order is skipped.
            if not await self._conn.fetchval("SELECT true FROM assembly_orders WHERE no = $1", no):
                return no

    async def add(self, order: AssemblyOrder) -> None:
        try:
            await self._conn.execute(
                f"INSERT INTO assembly_orders ({_HEADER}) "
                "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
                *_header_values(order),
            )
        except asyncpg.UniqueViolationError as exc:
            if order.assemble_to_order_sales_no:
                raise AlreadyExistsError(
                    f"sales line {order.assemble_to_order_sales_no} {order.assemble_to_order_sales_line_no} has an "
                    f"assembly order already, or order {order.no} exists", order_no=order.no) from exc
            raise AlreadyExistsError(f"assembly order {order.no} exists already", order_no=order.no) from exc
        await self._save_lines(order)

    async def get(self, no: str, *, for_update: bool = False) -> AssemblyOrder | None:
        row = await self._conn.fetchrow(
            f"SELECT {_HEADER} FROM assembly_orders WHERE no = $1" + (" FOR UPDATE" if for_update else ""), no)
        return None if row is None else (await self._with_lines([row]))[0]

    async def page(
        self, after: str | None, limit: int, responsibility_center: str | None = None
    ) -> list[AssemblyOrder]:
        rows = await self._conn.fetch(
            f"SELECT {_HEADER} FROM assembly_orders WHERE ($1::text IS NULL OR no > $1) "
            "AND ($3::text IS NULL OR responsibility_center = $3) ORDER BY no LIMIT $2",
            after, limit, responsibility_center)
        return await self._with_lines(rows)

    async def by_sales_line(self, sales_no: str, sales_line_no: int, *, for_update: bool) -> AssemblyOrder | None:
        row = await self._conn.fetchrow(
            f"SELECT {_HEADER} FROM assembly_orders WHERE assemble_to_order_sales_no = $1 "
            "AND assemble_to_order_sales_line_no = $2" + (" FOR UPDATE" if for_update else ""), sales_no, sales_line_no)
        return None if row is None else (await self._with_lines([row]))[0]

    async def save(self, order: AssemblyOrder) -> None:
        await self._conn.execute(
            "UPDATE assembly_orders SET remaining_quantity = $2, status = $3, changed_at = now() WHERE no = $1",
            order.no, order.remaining_quantity, order.status)
        await self._conn.execute(
            "DELETE FROM assembly_order_lines WHERE order_no = $1 AND NOT line_no = ANY($2::int[])",
            order.no, [l.line_no for l in order.lines])
        await self._save_lines(order)

    async def next_posting_no(self) -> str:
        return f"PA{await self._conn.fetchval('SELECT nextval($1::regclass)', 'assembly_posting_no'):06d}"

    async def add_posting(self, posting: AssemblyPosting) -> None:
        await self._conn.execute(
            f"INSERT INTO assembly_postings ({_POSTING}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            posting.posting_no, posting.order_no, posting.document_no, posting.posting_date, posting.quantity,
            list(posting.output_entry_nos), list(posting.consumption_entry_nos), posting.undone)
        await self._conn.executemany(
            "INSERT INTO assembly_posting_lines (posting_no, line_no, quantity) VALUES ($1, $2, $3)",
            [(posting.posting_no, line_no, quantity) for line_no, quantity in posting.consumed])

    async def postings(self, order_no: str) -> list[AssemblyPosting]:
        rows = await self._conn.fetch(
            f"SELECT {_POSTING} FROM assembly_postings WHERE order_no = $1 ORDER BY posting_no", order_no)
        return await self._with_consumed(rows)

    async def posting(self, posting_no: str, *, for_update: bool) -> AssemblyPosting | None:
        rows = await self._conn.fetch(
            f"SELECT {_POSTING} FROM assembly_postings WHERE posting_no = $1" + (" FOR UPDATE" if for_update else ""),
            posting_no)
        found = await self._with_consumed(rows)
        return found[0] if found else None

    async def mark_undone(self, posting_no: str) -> None:
        await self._conn.execute("UPDATE assembly_postings SET undone = true WHERE posting_no = $1", posting_no)

    async def _save_lines(self, order: AssemblyOrder) -> None:
        await self._conn.executemany(
            f"""
            INSERT INTO assembly_order_lines (order_no, {_LINE})
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
            ON CONFLICT (order_no, line_no) DO UPDATE SET
                no = EXCLUDED.no, description = EXCLUDED.description, variant_code = EXCLUDED.variant_code,
                location_code = EXCLUDED.location_code, bin_code = EXCLUDED.bin_code,
                unit_of_measure_code = EXCLUDED.unit_of_measure_code, quantity_per = EXCLUDED.quantity_per,
                quantity = EXCLUDED.quantity, remaining_quantity = EXCLUDED.remaining_quantity,
                due_date = EXCLUDED.due_date, resource_usage_type = EXCLUDED.resource_usage_type,
                direct_unit_cost = EXCLUDED.direct_unit_cost, unit_cost = EXCLUDED.unit_cost
            """,
            [(order.no, l.line_no, str(l.type), l.no, l.description, l.variant_code, l.location_code, l.bin_code,
              l.unit_of_measure_code, l.quantity_per, l.quantity, l.remaining_quantity, l.due_date,
              None if l.resource_usage_type is None else str(l.resource_usage_type), l.direct_unit_cost, l.unit_cost)
             for l in order.lines],
        )

    async def _with_lines(self, rows: Sequence[asyncpg.Record]) -> list[AssemblyOrder]:
        lines = await self._conn.fetch(
            f"SELECT order_no, {_LINE} FROM assembly_order_lines WHERE order_no = ANY($1::text[]) ORDER BY order_no, line_no",
            [r["no"] for r in rows])
        by_order: dict[str, list[AssemblyOrderLine]] = {}
        for l in lines:
            values = {k: v for k, v in dict(l).items() if k != "order_no"}
            values["type"] = BomComponentType(values["type"])
            values["resource_usage_type"] = (None if values["resource_usage_type"] is None
                                             else ResourceUsageType(values["resource_usage_type"]))
            by_order.setdefault(l["order_no"], []).append(AssemblyOrderLine(**values))
        return [AssemblyOrder(**dict(r), lines=tuple(by_order.get(r["no"], []))) for r in rows]

    async def _with_consumed(self, rows: Sequence[asyncpg.Record]) -> list[AssemblyPosting]:
        lines = await self._conn.fetch(
            "SELECT posting_no, line_no, quantity FROM assembly_posting_lines WHERE posting_no = ANY($1::text[]) "
            "ORDER BY posting_no, line_no", [r["posting_no"] for r in rows])
        consumed: dict[str, list[tuple[int, Decimal]]] = {}
        for l in lines:
            consumed.setdefault(l["posting_no"], []).append((l["line_no"], l["quantity"]))
        return [AssemblyPosting(**{**dict(r), "output_entry_nos": tuple(r["output_entry_nos"]),
                                   "consumption_entry_nos": tuple(r["consumption_entry_nos"])},
                                consumed=tuple(consumed.get(r["posting_no"], [])))
                for r in rows]


def _header_values(order: AssemblyOrder) -> tuple[object, ...]:
    return (order.no, order.item_no, order.variant_code, order.location_code, order.bin_code,
            order.unit_of_measure_code, order.qty_per_unit_of_measure, order.quantity, order.remaining_quantity,
            order.due_date, order.starting_date, order.assemble_to_order_sales_no,
            order.assemble_to_order_sales_line_no, order.status, order.responsibility_center)
