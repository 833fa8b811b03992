"""What availability by event, by period and by BOM level read, in PostgreSQL: on-hand stock and the outstanding
document lines that will change it."""

from datetime import date

import asyncpg

from warehouse.domain.availability import Stock
from warehouse.domain.availability_events import EventType, SupplyDemand

# Each row: type, date, document, line, location, variant, signed base quantity still outstanding.
# Transfers only with a location: company-wide what leaves one location arrives at another.
_SUPPLY_AND_DEMAND = """
SELECT 'Sales Order' AS type, l.shipment_date AS date, l.order_no AS document_no, l.line_no, l.location_code,
       l.variant_code, -(l.quantity_base - l.quantity_shipped_base) AS quantity
FROM sales_order_lines l
WHERE l.item_no = $1 AND l.quantity_base > l.quantity_shipped_base
  AND ($2::text IS NULL OR l.location_code = $2) AND ($3::text IS NULL OR l.variant_code = $3)
UNION ALL
SELECT 'Purchase Order', l.expected_receipt_date, l.order_no, l.line_no, l.location_code, l.variant_code,
       l.quantity_base - l.quantity_received_base
FROM purchase_order_lines l
WHERE l.item_no = $1 AND l.quantity_base > l.quantity_received_base
  AND ($2::text IS NULL OR l.location_code = $2) AND ($3::text IS NULL OR l.variant_code = $3)
UNION ALL
SELECT 'Transfer Shipment', NULL, l.order_no, l.line_no, o.transfer_from_code, l.variant_code,
       -(l.quantity - l.quantity_shipped)
FROM transfer_order_lines l JOIN transfer_orders o ON o.no = l.order_no
WHERE l.item_no = $1 AND o.transfer_from_code = $2 AND l.quantity > l.quantity_shipped
  AND ($3::text IS NULL OR l.variant_code = $3)
UNION ALL
SELECT 'Transfer Receipt', NULL, l.order_no, l.line_no, o.transfer_to_code, l.variant_code,
       l.quantity - l.quantity_received
FROM transfer_order_lines l JOIN transfer_orders o ON o.no = l.order_no
WHERE l.item_no = $1 AND o.transfer_to_code = $2 AND l.quantity > l.quantity_received
  AND ($3::text IS NULL OR l.variant_code = $3)
UNION ALL
-- A reservation for a sales order line is part of that line's requirement; any other is a requirement of its own.
SELECT 'Reservation', NULL, r.source_id, r.source_line_no, r.location_code, r.variant_code,
       -sum(r.remaining_quantity)
FROM reservation_entries r
WHERE r.item_no = $1 AND r.status = 'Reserved' AND r.remaining_quantity > 0
  AND ($2::text IS NULL OR r.location_code = $2) AND ($3::text IS NULL OR r.variant_code = $3)
  AND NOT (r.source_type = 'Sales Order' AND EXISTS (
      SELECT FROM sales_order_lines s WHERE s.order_no = r.source_id AND s.line_no = r.source_line_no))
GROUP BY r.source_type, r.source_id, r.source_line_no, r.location_code, r.variant_code
"""


class PostgresAvailabilityEvents:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def supply_and_demand(
        self, item_no: str, location_code: str | None, variant_code: str | None
    ) -> list[SupplyDemand]:
        rows = await self._conn.fetch(_SUPPLY_AND_DEMAND, item_no, location_code, variant_code)
        return [SupplyDemand(EventType(r["type"]), r["date"], r["document_no"], r["line_no"], r["location_code"],
                             r["variant_code"], r["quantity"]) for r in rows]

    async def on_hand(self, item_no: str, location_code: str | None, variant_code: str | None,
                      on_date: date | None = None) -> Stock:
        row = await self._conn.fetchrow(
            """
            SELECT coalesce(sum(e.quantity), 0) AS inventory,
                   coalesce(sum(e.quantity) FILTER (WHERE l.use_as_in_transit), 0) AS in_transit
            FROM item_ledger_entries e LEFT JOIN locations l ON l.code = e.location_code
            WHERE e.item_no = $1 AND ($2::text IS NULL OR e.location_code = $2)
              AND ($3::text IS NULL OR e.variant_code = $3) AND ($4::date IS NULL OR e.posting_date <= $4)
            """,
            item_no, location_code, variant_code, on_date,
        )
        return Stock(row["inventory"], row["in_transit"])
