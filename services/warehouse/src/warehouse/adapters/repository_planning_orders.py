"""Sales and purchase orders, and which receipt or shipment entries fulfilled their lines, in PostgreSQL."""

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

import asyncpg

from warehouse.domain.errors import AlreadyExistsError
from warehouse.domain.planning_orders import Order, OrderLine, OrderPosting, OrderType

# Table and column names per order type; never taken from a request.
_TABLES = {
    OrderType.SALES: ("sales_orders", "sales_order_lines", "sell_to_customer_no", "shipment_date",
                      "quantity_shipped_base"),
    OrderType.PURCHASE: ("purchase_orders", "purchase_order_lines", "buy_from_vendor_no", "expected_receipt_date",
                         "quantity_received_base"),
}


class PostgresPlanningOrders:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def add(self, order: Order) -> None:
        """Raises AlreadyExistsError if the number is taken."""
        orders, _, party, _, _ = _TABLES[order.type]
        try:
            await self._conn.execute(
                f"INSERT INTO {orders} (no, {party}, order_date, responsibility_center) VALUES ($1, $2, $3, $4)",
                order.no, order.party_no, order.order_date, order.responsibility_center)
        except asyncpg.UniqueViolationError as exc:
            raise AlreadyExistsError(f"{order.type.value.lower()} {order.no} exists already", order_no=order.no) from exc
        await self.save_lines(order.type, order.no, order.lines)

    async def get(self, order_type: OrderType, no: str, *, for_update: bool = False) -> Order | None:
        return (await self.get_many(order_type, [no], for_update=for_update)).get(no)

    async def get_many(self, order_type: OrderType, nos: Iterable[str], *, for_update: bool = False) -> dict[str, Order]:
        """`for_update` locks the orders (in number order) so that changes and postings to them run one at a time."""
        orders, lines, party, due, posted = _TABLES[order_type]
        rows = await self._conn.fetch(
            f"SELECT no, {party} AS party_no, order_date, responsibility_center FROM {orders} "
            "WHERE no = ANY($1::text[]) ORDER BY no"
            + (" FOR UPDATE" if for_update else ""), sorted(set(nos)))
        found = await self._conn.fetch(
            f"""SELECT order_no, line_no, item_no, variant_code, location_code, unit_of_measure_code,
                       qty_per_unit_of_measure, quantity, quantity_base, {due} AS due_date,
                       {posted} AS quantity_posted_base
                FROM {lines} WHERE order_no = ANY($1::text[]) ORDER BY order_no, line_no""", [r["no"] for r in rows])
        by_order: dict[str, list[OrderLine]] = {}
        for r in found:
            by_order.setdefault(r["order_no"], []).append(
                OrderLine(**{k: v for k, v in r.items() if k != "order_no"}))
        return {r["no"]: Order(order_type, r["no"], r["party_no"], r["order_date"], tuple(by_order.get(r["no"], [])),
                               r["responsibility_center"])
                for r in rows}

    async def page(self, order_type: OrderType, after: str | None, limit: int, item_no: str | None,
                   responsibility_center: str | None = None) -> list[Order]:
        orders, lines, _, _, _ = _TABLES[order_type]
        nos = await self._conn.fetch(
            f"""SELECT no FROM {orders} o WHERE ($1::text IS NULL OR no > $1)
                  AND ($2::text IS NULL OR EXISTS (SELECT FROM {lines} l WHERE l.order_no = o.no AND l.item_no = $2))
                  AND ($4::text IS NULL OR o.responsibility_center = $4)
                ORDER BY no LIMIT $3""", after, item_no, limit, responsibility_center)
        found = await self.get_many(order_type, [r["no"] for r in nos])
        return [found[r["no"]] for r in nos]

    async def save_lines(self, order_type: OrderType, order_no: str, changed: Sequence[OrderLine]) -> None:
        """Insert or replace the lines."""
        orders, lines, _, due, posted = _TABLES[order_type]
        await self._conn.executemany(
            f"""INSERT INTO {lines} (order_no, line_no, item_no, variant_code, location_code, unit_of_measure_code,
                                     qty_per_unit_of_measure, quantity, quantity_base, {due}, {posted})
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                ON CONFLICT (order_no, line_no) DO UPDATE SET
                  item_no = excluded.item_no, variant_code = excluded.variant_code,
                  location_code = excluded.location_code, unit_of_measure_code = excluded.unit_of_measure_code,
                  qty_per_unit_of_measure = excluded.qty_per_unit_of_measure, quantity = excluded.quantity,
                  quantity_base = excluded.quantity_base, {due} = excluded.{due}, {posted} = excluded.{posted}""",
            [(order_no, l.line_no, l.item_no, l.variant_code, l.location_code, l.unit_of_measure_code,
              l.qty_per_unit_of_measure, l.quantity, l.quantity_base, l.due_date, l.quantity_posted_base)
             for l in changed])
        await self._conn.execute(f"UPDATE {orders} SET changed_at = now() WHERE no = $1", order_no)

    async def delete_line(self, order_type: OrderType, order_no: str, line_no: int) -> None:
        orders, lines, _, _, _ = _TABLES[order_type]
        await self._conn.execute(f"DELETE FROM {lines} WHERE order_no = $1 AND line_no = $2", order_no, line_no)
        await self._conn.execute(f"UPDATE {orders} SET changed_at = now() WHERE no = $1", order_no)

    async def add_postings(self, postings: Sequence[OrderPosting]) -> None:
        await self._conn.executemany(
            "INSERT INTO order_line_postings (item_ledger_entry_no, order_type, order_no, order_line_no, quantity) "
            "VALUES ($1, $2, $3, $4, $5)",
            [(p.item_ledger_entry_no, p.order_type.value, p.order_no, p.order_line_no, p.quantity) for p in postings])

    async def postings_of(self, entry_nos: Sequence[int]) -> list[OrderPosting]:
        rows = await self._conn.fetch(
            "SELECT item_ledger_entry_no, order_type, order_no, order_line_no, quantity FROM order_line_postings "
            "WHERE item_ledger_entry_no = ANY($1::bigint[]) ORDER BY item_ledger_entry_no", list(entry_nos))
        return [OrderPosting(r["item_ledger_entry_no"], OrderType(r["order_type"]), r["order_no"], r["order_line_no"],
                             r["quantity"]) for r in rows]

    async def give_back(self, undone: Mapping[tuple[OrderType, str, int], Decimal]) -> None:
        """Lower the posted quantity of each (type, order, line) by what its undone entries had posted."""
        for order_type in OrderType:
            _, lines, _, _, posted = _TABLES[order_type]
            await self._conn.executemany(
                f"UPDATE {lines} SET {posted} = {posted} - $3 WHERE order_no = $1 AND line_no = $2",
                [(no, line_no, q) for (t, no, line_no), q in undone.items() if t is order_type])
