"""All SQL of the warehouse."""

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, fields
from datetime import date
from decimal import Decimal
from typing import Any

import asyncpg

from inventory_contracts.catalog import CostingMethod, ItemType, PreventNegativeInventory
from inventory_contracts.warehouse import ItemLedgerEntryType

from warehouse.domain.application import Application, OpenEntry
from warehouse.domain.errors import AlreadyExistsError
from warehouse.domain.ledger_state import Demand, Key, ReservationEntry
from warehouse.domain.model import Item, ItemLedgerEntry, ItemUnit, Variant
from warehouse.domain.tracking import TrackingRules
from warehouse.domain.transfers import ShipmentLine, TransferOrder, TransferOrderLine

_JSON_COLUMNS = {"units_of_measure": "units_of_measure", "variants": "variants", "tracking": "item_tracking"}
_ITEM_COLUMNS = [_JSON_COLUMNS.get(f.name, f.name) for f in fields(Item)]


def _item(row: asyncpg.Record) -> Item:
    values = dict(row)
    values["type"] = ItemType(values["type"])
    values["costing_method"] = CostingMethod(values["costing_method"])
    values["prevent_negative_inventory"] = PreventNegativeInventory(values["prevent_negative_inventory"])
    values["units_of_measure"] = tuple(
        ItemUnit(u["code"], Decimal(u["qty_per_unit_of_measure"])) for u in _json(values["units_of_measure"])
    )
    values["variants"] = tuple(Variant(**v) for v in _json(values["variants"]))
    tracking = values.pop("item_tracking")
    if tracking is not None:
        t = _json(tracking)
        t["serial_required_for"] = frozenset(t["serial_required_for"])
        t["lot_required_for"] = frozenset(t["lot_required_for"])
        values["tracking"] = TrackingRules(**t)
    return Item(**values)


def _json(value: Any) -> Any:
    """jsonb arrives decoded where the pool registered a codec (servicekit.db), as text elsewhere."""
    return json.loads(value) if isinstance(value, str) else value


def _item_column_value(item: Item, column: str) -> object:
    if column in ("type", "costing_method", "prevent_negative_inventory"):
        return str(getattr(item, column))
    if column == "units_of_measure":
        return [{"code": u.code, "qty_per_unit_of_measure": str(u.qty_per_unit_of_measure)} for u in item.units_of_measure]
    if column == "variants":
        return [asdict(v) for v in item.variants]
    if column == "item_tracking":
        if item.tracking is None:
            return None
        t = asdict(item.tracking)
        t["serial_required_for"] = sorted(t["serial_required_for"])
        t["lot_required_for"] = sorted(t["lot_required_for"])
        return t
    return getattr(item, column)


class WarehouseRepository:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def upsert_item(self, item: Item) -> None:
        """Replace the replica's card unless it already holds a newer revision."""
        columns = ", ".join(_ITEM_COLUMNS)
        placeholders = ", ".join(
            f"${i}::jsonb" if c in _JSON_COLUMNS.values() else f"${i}" for i, c in enumerate(_ITEM_COLUMNS, 1)
        )
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in _ITEM_COLUMNS if c != "item_no")
        await self._conn.execute(
            f"INSERT INTO items ({columns}) VALUES ({placeholders}) ON CONFLICT (item_no) DO UPDATE SET {updates} "
            "WHERE items.revision < EXCLUDED.revision",
            *[_item_column_value(item, c) for c in _ITEM_COLUMNS],
        )

    async def lock_items(self, item_nos: Iterable[str]) -> dict[str, Item]:
        """Lock the items' rows until the transaction ends, in item order so that documents never deadlock."""
        rows = await self._conn.fetch(
            f"SELECT {_ITEM_SELECT} FROM items WHERE item_no = ANY($1::text[]) ORDER BY item_no FOR UPDATE",
            sorted(set(item_nos)),
        )
        return {row["item_no"]: _item(row) for row in rows}

    async def get_item(self, item_no: str) -> Item | None:
        row = await self._conn.fetchrow(f"SELECT {_ITEM_SELECT} FROM items WHERE item_no = $1", item_no)
        return _item(row) if row else None

    async def prevent_negative_inventory_default(self) -> bool:
        return bool(await self._conn.fetchval("SELECT prevent_negative_inventory FROM inventory_setup"))

    async def next_entry_no(self) -> int:
        return int(await self._conn.fetchval("SELECT nextval('item_ledger_entry_no')"))

    async def add_entry(self, entry: ItemLedgerEntry) -> None:
        await self._conn.execute(
            """
            INSERT INTO item_ledger_entries (entry_no, item_no, variant_code, location_code, posting_date, entry_type,
                                             document_no, document_line_no, quantity, unit_cost)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            """,
            entry.entry_no, entry.item_no, entry.variant_code, entry.location_code, entry.posting_date,
            str(entry.entry_type), entry.document_no, entry.document_line_no, entry.quantity, entry.unit_cost,
        )

    async def open_entries(self, entry: ItemLedgerEntry, *, inbound: bool) -> list[OpenEntry]:
        """Open entries of the same item, variant and location: inbound ones (> 0) or waiting outbound ones (< 0)."""
        rows = await self._conn.fetch(
            f"""
            SELECT entry_no, posting_date, remaining_quantity FROM open_item_ledger_entries
            WHERE item_no = $1 AND location_code = $2 AND variant_code = $3
              AND remaining_quantity {'>' if inbound else '<'} 0
            """,
            entry.item_no, entry.location_code, entry.variant_code,
        )
        return [OpenEntry(r["entry_no"], r["posting_date"], r["remaining_quantity"]) for r in rows]

    async def open_entry(self, entry: ItemLedgerEntry, remaining_quantity: Decimal) -> None:
        await self._conn.execute(
            """
            INSERT INTO open_item_ledger_entries (entry_no, item_no, variant_code, location_code, posting_date,
                                                  remaining_quantity)
            VALUES ($1, $2, $3, $4, $5, $6)
            """,
            entry.entry_no, entry.item_no, entry.variant_code, entry.location_code, entry.posting_date,
            remaining_quantity,
        )

    async def reduce_open_entries(self, taken: Sequence[tuple[int, Decimal]]) -> None:
        """Move each (entry no., quantity taken) towards zero; entries that reach zero close."""
        await self._conn.executemany(
            """
            WITH changed AS (
                UPDATE open_item_ledger_entries
                SET remaining_quantity = remaining_quantity - sign(remaining_quantity) * $2
                WHERE entry_no = $1 AND abs(remaining_quantity) > $2
                RETURNING entry_no
            )
            DELETE FROM open_item_ledger_entries
            WHERE entry_no = $1 AND abs(remaining_quantity) = $2 AND NOT EXISTS (SELECT 1 FROM changed)
            """,
            taken,
        )

    async def add_applications(self, applications: Sequence[Application], posting_date: object) -> None:
        await self._conn.executemany(
            """
            INSERT INTO item_applications (inbound_entry_no, outbound_entry_no, quantity, posting_date)
            VALUES ($1, $2, $3, $4)
            """,
            [(a.inbound_entry_no, a.outbound_entry_no, a.quantity, posting_date) for a in applications],
        )

    async def list_entries(self, item_no: str | None, after: int | None, limit: int) -> list[asyncpg.Record]:
        return await self._conn.fetch(
            """
            SELECT e.*, coalesce(o.remaining_quantity, 0) AS remaining_quantity, o.entry_no IS NOT NULL AS open
            FROM item_ledger_entries e LEFT JOIN open_item_ledger_entries o USING (entry_no)
            WHERE ($1::text IS NULL OR e.item_no = $1) AND ($2::bigint IS NULL OR e.entry_no > $2)
            ORDER BY e.entry_no LIMIT $3
            """,
            item_no, after, limit,
        )

    async def quantity_on_hand(self, item_no: str) -> list[asyncpg.Record]:
        return await self._conn.fetch(
            """
            SELECT location_code, variant_code, sum(quantity) AS quantity FROM item_ledger_entries
            WHERE item_no = $1 GROUP BY location_code, variant_code ORDER BY location_code, variant_code
            """,
            item_no,
        )

    async def settled_quantities(self, settle_seconds: float) -> list[asyncpg.Record]:
        """Per item and location, the quantity of the item's entries up to the last one recorded at least
        `settle_seconds` ago (`through_entry_no`): what costing should have received by now."""
        return await self._conn.fetch(
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

    async def applications_of(self, entry_nos: Sequence[int]) -> list[asyncpg.Record]:
        return await self._conn.fetch(
            """
            SELECT inbound_entry_no, outbound_entry_no, quantity FROM item_applications
            WHERE inbound_entry_no = ANY($1::bigint[]) OR outbound_entry_no = ANY($1::bigint[]) ORDER BY id
            """,
            list(entry_nos),
        )


    # batched posting: a document's reads and writes in a few round trips ------------------------

    async def next_entry_nos(self, count: int) -> list[int]:
        rows = await self._conn.fetch("SELECT nextval('item_ledger_entry_no') AS n FROM generate_series(1, $1)", count)
        return sorted(int(r["n"]) for r in rows)

    async def add_entries(self, entries: Sequence[ItemLedgerEntry]) -> None:
        await self._conn.execute(
            """
            INSERT INTO item_ledger_entries (entry_no, item_no, variant_code, location_code, bin_code, posting_date,
                                             entry_type, document_no, document_line_no, quantity, unit_cost,
                                             serial_no, lot_no, expiration_date, applies_from_entry,
                                             unit_of_measure_code, qty_per_unit_of_measure, document_type, correction,
                                             invoiced_quantity, applies_to_entry)
            SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::date[], $7::text[],
                                 $8::text[], $9::int[], $10::numeric[], $11::numeric[], $12::text[], $13::text[],
                                 $14::date[], $15::bigint[], $16::text[], $17::numeric[], $18::text[], $19::boolean[],
                                 $20::numeric[], $21::bigint[])
            """,
            [e.entry_no for e in entries], [e.item_no for e in entries], [e.variant_code for e in entries],
            [e.location_code for e in entries], [e.bin_code for e in entries], [e.posting_date for e in entries],
            [str(e.entry_type) for e in entries], [e.document_no for e in entries],
            [e.document_line_no for e in entries], [e.quantity for e in entries], [e.unit_cost for e in entries],
            [e.serial_no for e in entries], [e.lot_no for e in entries], [e.expiration_date for e in entries],
            [e.applies_from_entry for e in entries], [e.unit_of_measure_code for e in entries],
            [e.qty_per_unit_of_measure for e in entries], [e.document_type for e in entries],
            [e.correction for e in entries], [e.invoiced_quantity for e in entries],
            [e.applies_to_entry for e in entries],
        )

    # receipts, shipments, invoices ---------------------------------------------------------------

    async def entries_for_update(self, entry_nos: Iterable[int], *, lock: bool) -> dict[int, asyncpg.Record]:
        """The entries; with `lock` (taken after the items' locks, like every posting) an invoice or undo of the same
        entry waits. NO KEY UPDATE: applications and returns that reference the entry are not blocked."""
        rows = await self._conn.fetch(
            "SELECT * FROM item_ledger_entries WHERE entry_no = ANY($1::bigint[]) ORDER BY entry_no"
            + (" FOR NO KEY UPDATE" if lock else ""),
            sorted(set(entry_nos)),
        )
        return {row["entry_no"]: row for row in rows}

    async def returned_quantities(self, entry_nos: Iterable[int]) -> dict[int, Decimal]:
        """Per outbound entry, the quantity inbound entries applying from it (returns, undos) gave back."""
        rows = await self._conn.fetch(
            """SELECT applies_from_entry AS entry_no, sum(quantity) AS quantity FROM item_ledger_entries
               WHERE applies_from_entry = ANY($1::bigint[]) GROUP BY applies_from_entry""",
            sorted(set(entry_nos)),
        )
        return {row["entry_no"]: row["quantity"] for row in rows}

    async def mark_corrected(self, entry_nos: Sequence[int]) -> None:
        await self._conn.execute(
            "UPDATE item_ledger_entries SET corrected = true WHERE entry_no = ANY($1::bigint[])", list(entry_nos)
        )

    async def add_invoice_lines(
        self, lines: Sequence[tuple[str, int, date, int, Decimal, Decimal | None, Decimal | None]]
    ) -> list[int]:
        """(document no., line no., posting date, entry no., quantity, unit cost, sales amount); raises invoiced_quantity.

        Returns each line's invoice entry no., in order.
        """
        columns = list(zip(*lines, strict=True))
        rows = await self._conn.fetch(
            """INSERT INTO item_entry_invoices (document_no, document_line_no, posting_date, item_ledger_entry_no, quantity,
                                                unit_cost, sales_amount)
               SELECT d, l, p, e, q, u, s FROM unnest($1::text[], $2::int[], $3::date[], $4::bigint[], $5::numeric[],
                                                     $6::numeric[], $7::numeric[]) WITH ORDINALITY AS line(d, l, p, e, q, u, s, n)
               ORDER BY n RETURNING id""",
            *[list(column) for column in columns],
        )
        await self._conn.executemany(
            "UPDATE item_ledger_entries SET invoiced_quantity = invoiced_quantity + $2 WHERE entry_no = $1",
            [(line[3], line[4]) for line in lines],
        )
        return sorted(row["id"] for row in rows)  # identities are drawn in the order the lines are inserted

    async def keys_with_open_entries(self, item_nos: Iterable[str]) -> set[Key]:
        rows = await self._conn.fetch(
            "SELECT DISTINCT item_no, variant_code, location_code FROM open_item_ledger_entries WHERE item_no = ANY($1::text[])",
            sorted(set(item_nos)),
        )
        return {(r["item_no"], r["variant_code"], r["location_code"]) for r in rows}

    async def open_entries_of(self, keys: Iterable[Key]) -> dict[Key, dict[int, OpenEntry]]:
        """Every open entry of the (item, variant, location) keys."""
        keys = sorted(set(keys))
        rows = await self._conn.fetch(
            """
            SELECT o.item_no, o.variant_code, o.location_code, o.entry_no, o.posting_date, o.remaining_quantity,
                   o.serial_no, o.lot_no, o.expiration_date
            FROM open_item_ledger_entries o
            JOIN unnest($1::text[], $2::text[], $3::text[]) AS k (item_no, variant_code, location_code)
              ON o.item_no = k.item_no AND o.variant_code = k.variant_code AND o.location_code = k.location_code
            """,
            [k[0] for k in keys], [k[1] for k in keys], [k[2] for k in keys],
        )
        found: dict[Key, dict[int, OpenEntry]] = {key: {} for key in keys}
        for r in rows:
            found[(r["item_no"], r["variant_code"], r["location_code"])][r["entry_no"]] = OpenEntry(
                r["entry_no"], r["posting_date"], r["remaining_quantity"], r["serial_no"], r["lot_no"], r["expiration_date"]
            )
        return found

    async def open_reservations_of(self, keys: Iterable[Key]) -> list[ReservationEntry]:
        keys = sorted(set(keys))
        rows = await self._conn.fetch(
            """
            SELECT r.*, e.serial_no, e.lot_no FROM reservation_entries r
            JOIN item_ledger_entries e ON e.entry_no = r.item_ledger_entry_no
            JOIN unnest($1::text[], $2::text[], $3::text[]) AS k (item_no, variant_code, location_code)
              ON r.item_no = k.item_no AND r.variant_code = k.variant_code AND r.location_code = k.location_code
            WHERE r.status = 'Reserved' ORDER BY r.id
            """,
            [k[0] for k in keys], [k[1] for k in keys], [k[2] for k in keys],
        )
        return [_reservation(r) for r in rows]

    async def bin_contents_of(self, places: Iterable[tuple[Key, str]]) -> dict[tuple[Key, str], Decimal]:
        places = sorted(set(places))
        rows = await self._conn.fetch(
            """
            SELECT k.item_no, k.variant_code, k.location_code, k.bin_code, coalesce(sum(e.quantity), 0) AS quantity
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS k (item_no, variant_code, location_code, bin_code)
            LEFT JOIN item_ledger_entries e
              ON e.item_no = k.item_no AND e.variant_code = k.variant_code AND e.location_code = k.location_code
             AND e.bin_code = k.bin_code
            GROUP BY k.item_no, k.variant_code, k.location_code, k.bin_code
            """,
            [p[0][0] for p in places], [p[0][1] for p in places], [p[0][2] for p in places], [p[1] for p in places],
        )
        return {((r["item_no"], r["variant_code"], r["location_code"]), r["bin_code"]): r["quantity"] for r in rows}

    async def save_open_changes(
        self, closed: Sequence[int], changed: Sequence[tuple[int, Decimal]], opened: Sequence[tuple[Key, OpenEntry]]
    ) -> None:
        if closed:
            await self._conn.execute("DELETE FROM open_item_ledger_entries WHERE entry_no = ANY($1::bigint[])", list(closed))
        if changed:
            await self._conn.execute(
                """
                UPDATE open_item_ledger_entries o SET remaining_quantity = c.remaining_quantity
                FROM unnest($1::bigint[], $2::numeric[]) AS c (entry_no, remaining_quantity) WHERE o.entry_no = c.entry_no
                """,
                [c[0] for c in changed], [c[1] for c in changed],
            )
        if opened:
            await self._conn.execute(
                """
                INSERT INTO open_item_ledger_entries (item_no, variant_code, location_code, entry_no, posting_date,
                                                      remaining_quantity, serial_no, lot_no, expiration_date)
                SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::date[], $6::numeric[],
                                     $7::text[], $8::text[], $9::date[])
                """,
                [k[0] for k, _ in opened], [k[1] for k, _ in opened], [k[2] for k, _ in opened],
                [e.entry_no for _, e in opened], [e.posting_date for _, e in opened], [e.remaining_quantity for _, e in opened],
                [e.serial_no for _, e in opened], [e.lot_no for _, e in opened], [e.expiration_date for _, e in opened],
            )

    async def add_applications_of(self, entries: Sequence[ItemLedgerEntry]) -> None:
        rows = [(a, e.posting_date) for e in entries for a in e.applications]
        if rows:
            await self._conn.execute(
                """
                INSERT INTO item_applications (inbound_entry_no, outbound_entry_no, quantity, posting_date)
                SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::numeric[], $4::date[])
                """,
                [a.inbound_entry_no for a, _ in rows], [a.outbound_entry_no for a, _ in rows],
                [a.quantity for a, _ in rows], [d for _, d in rows],
            )

    async def add_reservations(self, made: Sequence[ReservationEntry]) -> list[int]:
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

    async def save_reservation_changes(self, changed: Sequence[ReservationEntry]) -> None:
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

    async def open_reservations_of_demand(self, demand: Demand) -> list[ReservationEntry]:
        rows = await self._conn.fetch(
            """
            SELECT r.*, e.serial_no, e.lot_no FROM reservation_entries r
            JOIN item_ledger_entries e ON e.entry_no = r.item_ledger_entry_no
            WHERE r.source_type = $1 AND r.source_id = $2 AND r.source_line_no = $3 AND r.status = 'Reserved'
            ORDER BY r.id
            """,
            demand.source_type, demand.source_id, demand.source_line_no,
        )
        return [_reservation(r) for r in rows]

    async def list_reservations(
        self, item_no: str | None, source_type: str | None, source_id: str | None, include_closed: bool
    ) -> list[ReservationEntry]:
        rows = await self._conn.fetch(
            """
            SELECT r.*, e.serial_no, e.lot_no FROM reservation_entries r
            JOIN item_ledger_entries e ON e.entry_no = r.item_ledger_entry_no
            WHERE ($1::text IS NULL OR r.item_no = $1) AND ($2::text IS NULL OR r.source_type = $2)
              AND ($3::text IS NULL OR r.source_id = $3) AND ($4 OR r.status = 'Reserved')
            ORDER BY r.id LIMIT 10000
            """,
            item_no, source_type, source_id, include_closed,
        )
        return [_reservation(r) for r in rows]

    # transfer orders ---------------------------------------------------------------------------

    async def add_transfer_order(self, order: TransferOrder) -> None:
        try:
            await self._conn.execute(
                """
                INSERT INTO transfer_orders (no, transfer_from_code, transfer_to_code, in_transit_code, direct_transfer)
                VALUES ($1, $2, $3, $4, $5)
                """,
                order.no, order.transfer_from_code, order.transfer_to_code, order.in_transit_code, order.direct_transfer,
            )
        except asyncpg.UniqueViolationError as exc:
            raise AlreadyExistsError(f"transfer order {order.no} exists already", order_no=order.no) from exc
        await self._conn.executemany(
            "INSERT INTO transfer_order_lines (order_no, line_no, item_no, variant_code, quantity) VALUES ($1, $2, $3, $4, $5)",
            [(order.no, l.line_no, l.item_no, l.variant_code, l.quantity) for l in order.lines],
        )

    async def transfer_order(self, no: str, *, for_update: bool = False) -> TransferOrder | None:
        """The order and its lines; `for_update` locks the order so that its steps run one at a time."""
        row = await self._conn.fetchrow(
            "SELECT no, transfer_from_code, transfer_to_code, in_transit_code, direct_transfer FROM transfer_orders "
            "WHERE no = $1" + (" FOR UPDATE" if for_update else ""), no,
        )
        if row is None:
            return None
        lines = await self._conn.fetch(
            "SELECT line_no, item_no, variant_code, quantity, quantity_shipped, quantity_received "
            "FROM transfer_order_lines WHERE order_no = $1 ORDER BY line_no", no,
        )
        return TransferOrder(**dict(row), lines=tuple(TransferOrderLine(**dict(l)) for l in lines))

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

    async def save_transfer_lines(self, order_no: str, lines: Sequence[TransferOrderLine]) -> None:
        await self._conn.executemany(
            "UPDATE transfer_order_lines SET quantity_shipped = $3, quantity_received = $4 "
            "WHERE order_no = $1 AND line_no = $2",
            [(order_no, l.line_no, l.quantity_shipped, l.quantity_received) for l in lines],
        )

    async def outstanding_transfers(self, item_no: str, location_code: str | None) -> asyncpg.Record:
        """Open transfer quantities of the item: still to ship from, and still to arrive at, the location."""
        return await self._conn.fetchrow(
            """
            SELECT coalesce(sum(l.quantity - l.quantity_shipped) FILTER (WHERE o.transfer_from_code = $2), 0) AS outbound,
                   coalesce(sum(l.quantity - l.quantity_received) FILTER (WHERE o.transfer_to_code = $2), 0) AS inbound
            FROM transfer_order_lines l JOIN transfer_orders o ON o.no = l.order_no WHERE l.item_no = $1
            """,
            item_no, location_code,
        )

    # item tracing --------------------------------------------------------------------------------

    async def entries_with_tracking(self, serial_no: str, lot_no: str, item_no: str | None) -> list[asyncpg.Record]:
        return await self._conn.fetch(
            """
            SELECT * FROM item_ledger_entries
            WHERE ($1 = '' OR serial_no = $1) AND ($2 = '' OR lot_no = $2) AND ($3::text IS NULL OR item_no = $3)
              AND ($1 <> '' OR $2 <> '')
            ORDER BY entry_no LIMIT 10000
            """,
            serial_no, lot_no, item_no,
        )

    async def entries_by_no(self, entry_nos: Sequence[int]) -> list[asyncpg.Record]:
        return await self._conn.fetch(
            "SELECT * FROM item_ledger_entries WHERE entry_no = ANY($1::bigint[]) ORDER BY entry_no", list(entry_nos)
        )

    async def trace_links(self, entry_nos: Sequence[int]) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """(applications as (inbound, outbound), applies-from links as (inbound, source outbound)) touching the entries."""
        applications = await self._conn.fetch(
            """
            SELECT DISTINCT inbound_entry_no, outbound_entry_no FROM item_applications
            WHERE inbound_entry_no = ANY($1::bigint[]) OR outbound_entry_no = ANY($1::bigint[])
            """,
            list(entry_nos),
        )
        applies_from = await self._conn.fetch(
            """
            SELECT entry_no, applies_from_entry FROM item_ledger_entries
            WHERE applies_from_entry IS NOT NULL AND (applies_from_entry = ANY($1::bigint[]) OR entry_no = ANY($1::bigint[]))
            """,
            list(entry_nos),
        )
        return ([(r["inbound_entry_no"], r["outbound_entry_no"]) for r in applications],
                [(r["entry_no"], r["applies_from_entry"]) for r in applies_from])


_ITEM_SELECT = ", ".join(_ITEM_COLUMNS)


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


def entry_type(value: str) -> ItemLedgerEntryType:
    return ItemLedgerEntryType(value)
