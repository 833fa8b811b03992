"""Invoices of receipt and shipment entries, and transfer orders with their shipments."""

from collections.abc import Sequence
from datetime import date

import asyncpg

from warehouse.domain.documents import InvoiceLine
from warehouse.domain.errors import AlreadyExistsError
from warehouse.domain.transfers import ShipmentLine, TransferOrder, TransferOrderLine


class PostgresInvoices:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def add(self, document_no: str, posting_date: date, lines: Sequence[InvoiceLine]) -> list[int]:
        """Record the lines and raise the entries' invoiced_quantity; each line's invoice entry no., in order."""
        rows = await self._conn.fetch(
            """INSERT INTO item_entry_invoices (document_no, document_line_no, posting_date, item_ledger_entry_no, quantity,
                                                unit_cost, sales_amount)
               SELECT $1, l, $2, e, q, u, s FROM unnest($3::int[], $4::bigint[], $5::numeric[], $6::numeric[],
                                                       $7::numeric[]) WITH ORDINALITY AS line(l, e, q, u, s, n)
               ORDER BY n RETURNING id""",
            document_no, posting_date, [l.line_no for l in lines], [l.entry_no for l in lines],
            [l.quantity for l in lines], [l.unit_cost for l in lines], [l.sales_amount for l in lines],
        )
        await self._conn.executemany(
            "UPDATE item_ledger_entries SET invoiced_quantity = invoiced_quantity + $2 WHERE entry_no = $1",
            [(line.entry_no, line.quantity) for line in lines],
        )
        return sorted(row["id"] for row in rows)  # identities are drawn in the order the lines are inserted


class PostgresTransferOrders:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def add(self, order: TransferOrder) -> None:
        try:
            await self._conn.execute(
                """
                INSERT INTO transfer_orders (no, transfer_from_code, transfer_to_code, in_transit_code, direct_transfer,
                                             responsibility_center)
                VALUES ($1, $2, $3, $4, $5, $6)
                """,
                order.no, order.transfer_from_code, order.transfer_to_code, order.in_transit_code, order.direct_transfer,
                order.responsibility_center,
            )
        except asyncpg.UniqueViolationError as exc:
            raise AlreadyExistsError(f"transfer order {order.no} exists already", order_no=order.no) from exc
        await self._conn.executemany(
            "INSERT INTO transfer_order_lines (order_no, line_no, item_no, variant_code, quantity) VALUES ($1, $2, $3, $4, $5)",
            [(order.no, l.line_no, l.item_no, l.variant_code, l.quantity) for l in order.lines],
        )

    async def get(self, no: str, *, for_update: bool = False) -> TransferOrder | None:
        """The order and its lines; `for_update` locks the order so that its steps run one at a time."""
        row = await self._conn.fetchrow(
            "SELECT no, transfer_from_code, transfer_to_code, in_transit_code, direct_transfer, responsibility_center "
            "FROM transfer_orders "
            "WHERE no = $1" + (" FOR UPDATE" if for_update else ""), no,
        )
        if row is None:
            return None
        lines = await self._conn.fetch(
            "SELECT line_no, item_no, variant_code, quantity, quantity_shipped, quantity_received "
            "FROM transfer_order_lines WHERE order_no = $1 ORDER BY line_no", no,
        )
        return TransferOrder(**dict(row), lines=tuple(TransferOrderLine(**dict(l)) for l in lines))

    async def save_lines(self, order_no: str, lines: Sequence[TransferOrderLine]) -> None:
        await self._conn.executemany(
            "UPDATE transfer_order_lines SET quantity_shipped = $3, quantity_received = $4 "
            "WHERE order_no = $1 AND line_no = $2",
            [(order_no, l.line_no, l.quantity_shipped, l.quantity_received) for l in lines],
        )

    async def shipment_lines(self, order_no: str) -> list[ShipmentLine]:
        rows = await self._conn.fetch(
            "SELECT id, line_no, shipment_no, posting_date, origin_entry_no, in_transit_entry_no, quantity, "
            "received_quantity, undone, serial_no, lot_no, bin_code FROM transfer_shipment_lines WHERE order_no = $1 ORDER BY id",
            order_no,
        )
        return [ShipmentLine(**dict(r)) for r in rows]

    async def add_shipment_lines(self, order_no: str, lines: Sequence[ShipmentLine]) -> None:
        await self._conn.executemany(
            """
            INSERT INTO transfer_shipment_lines (order_no, line_no, shipment_no, posting_date, origin_entry_no,
                                                 in_transit_entry_no, quantity, serial_no, lot_no, bin_code)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            """,
            [(order_no, s.line_no, s.shipment_no, s.posting_date, s.origin_entry_no, s.in_transit_entry_no, s.quantity,
              s.serial_no, s.lot_no, s.bin_code) for s in lines],
        )

    async def save_shipment_progress(self, changed: Sequence[ShipmentLine]) -> None:
        await self._conn.executemany(
            "UPDATE transfer_shipment_lines SET received_quantity = $2, undone = $3 WHERE id = $1",
            [(s.id, s.received_quantity, s.undone) for s in changed],
        )
