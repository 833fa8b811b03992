"""SQL of the warehouse's setup half (the posting half's is in the other repository_* modules)."""

from collections.abc import Iterable, Sequence
from dataclasses import fields
from datetime import date
from decimal import Decimal

import asyncpg

from inventory_contracts.warehouse import AverageCostCalcType, AverageCostPeriod, ItemLedgerEntryType

from warehouse.adapters.repository_items import PostgresItems
from warehouse.domain.errors import AlreadyExistsError
from warehouse.domain.locations import Bin, Location
from warehouse.domain.model import Item
from warehouse.domain.periods import InventoryPeriod, InventorySetup, PostingDates
from warehouse.domain.physical_inventory import (
    CountKey,
    OrderStatus,
    PhysInvtLedgerEntry,
    PhysInvtOrder,
    PhysInvtOrderLine,
)


class WarehouseRepository:
    """The setup half's SQL: locations, bins, setup, periods, physical inventory, availability.

    The posting half's aggregates live in repository_items, repository_ledger, repository_reservations and
    repository_documents."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    # read by the setup half's code, kept here until it takes them ------------------------------

    async def lock_items(self, item_nos: Iterable[str]) -> dict[str, Item]:
        return await PostgresItems(self._conn).lock(item_nos)

    async def get_item(self, item_no: str) -> Item | None:
        return await PostgresItems(self._conn).get(item_no)

    async def prevent_negative_inventory_default(self) -> bool:
        return bool(await self._conn.fetchval("SELECT prevent_negative_inventory FROM inventory_setup"))

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

    # physical inventory ----------------------------------------------------------------------------

    async def add_phys_invt_order(self, order: PhysInvtOrder) -> None:
        try:
            await self._conn.execute(
                "INSERT INTO phys_invt_orders (no, location_code, posting_date, item_nos, bin_code) "
                "VALUES ($1, $2, $3, $4, $5)",
                order.no, order.location_code, order.posting_date, list(order.item_nos), order.bin_code,
            )
        except asyncpg.UniqueViolationError as exc:
            raise AlreadyExistsError(f"physical inventory order {order.no} exists already", order_no=order.no) from exc

    async def phys_invt_order(self, no: str, *, for_update: bool = False) -> PhysInvtOrder | None:
        """The order and its lines; `for_update` locks the order so that its steps run one at a time."""
        row = await self._conn.fetchrow(
            "SELECT no, location_code, posting_date, item_nos, bin_code, status, lines_calculated "
            "FROM phys_invt_orders WHERE no = $1" + (" FOR UPDATE" if for_update else ""), no,
        )
        if row is None:
            return None
        lines = await self._conn.fetch(
            f"SELECT {_PHYS_INVT_LINE} FROM phys_invt_order_lines WHERE order_no = $1 ORDER BY line_no", no
        )
        values = dict(row)
        return PhysInvtOrder(**{**values, "item_nos": tuple(values["item_nos"]), "status": OrderStatus(values["status"])},
                             lines=tuple(PhysInvtOrderLine(**dict(l)) for l in lines))

    async def count_balances(self, order: PhysInvtOrder) -> dict[CountKey, Decimal]:
        """Quantity per (item, variant, bin, lot, serial) at the order's location, as of its posting date."""
        rows = await self._conn.fetch(
            """
            SELECT item_no, variant_code, bin_code, lot_no, serial_no, sum(quantity) AS quantity
            FROM item_ledger_entries
            WHERE location_code = $1 AND posting_date <= $2
              AND (cardinality($3::text[]) = 0 OR item_no = ANY($3::text[])) AND ($4 = '' OR bin_code = $4)
            GROUP BY item_no, variant_code, bin_code, lot_no, serial_no HAVING sum(quantity) <> 0
            """,
            order.location_code, order.posting_date, list(order.item_nos), order.bin_code,
        )
        return {(r["item_no"], r["variant_code"], r["bin_code"], r["lot_no"], r["serial_no"]): r["quantity"] for r in rows}

    async def save_phys_invt_order(self, order: PhysInvtOrder, *, replace_lines: bool = False) -> None:
        """Write the order's state and its lines (all of them replaced when `replace_lines`, else upserted)."""
        await self._conn.execute(
            "UPDATE phys_invt_orders SET status = $2, lines_calculated = $3, changed_at = now() WHERE no = $1",
            order.no, str(order.status), order.lines_calculated,
        )
        if replace_lines:
            await self._conn.execute("DELETE FROM phys_invt_order_lines WHERE order_no = $1", order.no)
        lines = order.lines
        await self._conn.execute(
            """
            INSERT INTO phys_invt_order_lines (order_no, line_no, item_no, variant_code, bin_code, lot_no, serial_no,
                                               expected_quantity, recorded_quantity, recording_no, expiration_date,
                                               calculated)
            SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                                     $8::numeric[], $9::numeric[], $10::text[], $11::date[], $12::boolean[])
            ON CONFLICT (order_no, line_no) DO UPDATE SET recorded_quantity = EXCLUDED.recorded_quantity,
                                                          recording_no = EXCLUDED.recording_no
            """,
            order.no, [l.line_no for l in lines], [l.item_no for l in lines], [l.variant_code for l in lines],
            [l.bin_code for l in lines], [l.lot_no for l in lines], [l.serial_no for l in lines],
            [l.expected_quantity for l in lines], [l.recorded_quantity for l in lines], [l.recording_no for l in lines],
            [l.expiration_date for l in lines], [l.calculated for l in lines],
        )

    async def add_phys_invt_recording(self, order_no: str, recording_no: str) -> None:
        try:
            await self._conn.execute(
                "INSERT INTO phys_invt_recordings (order_no, recording_no) VALUES ($1, $2)", order_no, recording_no
            )
        except asyncpg.UniqueViolationError as exc:
            raise AlreadyExistsError(f"recording {recording_no} of physical inventory order {order_no} exists already",
                                     order_no=order_no, recording_no=recording_no) from exc

    async def next_phys_invt_ledger_entry_nos(self, count: int) -> list[int]:
        rows = await self._conn.fetch(
            "SELECT nextval('phys_invt_ledger_entry_no') AS n FROM generate_series(1, $1)", count
        )
        return sorted(int(r["n"]) for r in rows)

    async def add_phys_invt_ledger_entries(self, entries: Sequence[PhysInvtLedgerEntry]) -> None:
        columns = [f.name for f in fields(PhysInvtLedgerEntry)]
        types = {"entry_no": "bigint", "order_line_no": "int", "posting_date": "date", "expected_quantity": "numeric",
                 "recorded_quantity": "numeric", "difference": "numeric", "item_ledger_entry_no": "bigint"}
        arrays = ", ".join(f"${i}::{types.get(c, 'text')}[]" for i, c in enumerate(columns, 1))
        await self._conn.execute(
            f"INSERT INTO phys_invt_ledger_entries ({', '.join(columns)}) SELECT * FROM unnest({arrays})",
            *[[_text_or_value(getattr(e, c)) for e in entries] for c in columns],
        )

    async def list_phys_invt_ledger_entries(
        self, item_no: str | None, order_no: str | None, after: int | None, limit: int
    ) -> list[PhysInvtLedgerEntry]:
        rows = await self._conn.fetch(
            f"""
            SELECT {', '.join(f.name for f in fields(PhysInvtLedgerEntry))} FROM phys_invt_ledger_entries
            WHERE ($1::text IS NULL OR item_no = $1) AND ($2::text IS NULL OR order_no = $2)
              AND ($3::bigint IS NULL OR entry_no > $3)
            ORDER BY entry_no LIMIT $4
            """,
            item_no, order_no, after, limit,
        )
        return [PhysInvtLedgerEntry(**{**dict(r), "entry_type": None if r["entry_type"] is None
                                       else ItemLedgerEntryType(r["entry_type"])}) for r in rows]

    # locations, bins, posting dates, periods ----------------------------------------------------

    async def add_location(self, location: Location) -> None:
        try:
            await self._conn.execute(
                """
                INSERT INTO locations (code, name, use_as_in_transit, bin_mandatory, responsibility_center)
                VALUES ($1, $2, $3, $4, $5)
                """,
                location.code, location.name, location.use_as_in_transit, location.bin_mandatory,
                location.responsibility_center,
            )
        except asyncpg.UniqueViolationError as exc:
            raise AlreadyExistsError(f"location {location.code} exists already", location_code=location.code) from exc

    async def locations(self, codes: Iterable[str]) -> dict[str, Location]:
        rows = await self._conn.fetch(f"SELECT {_LOCATION} FROM locations WHERE code = ANY($1::text[])", sorted(set(codes)))
        return {r["code"]: Location(**dict(r)) for r in rows}

    async def list_locations(self, after: str | None, limit: int) -> list[Location]:
        rows = await self._conn.fetch(
            f"SELECT {_LOCATION} FROM locations WHERE ($1::text IS NULL OR code > $1) ORDER BY code LIMIT $2", after, limit
        )
        return [Location(**dict(r)) for r in rows]

    async def add_bin(self, bin_: Bin) -> None:
        try:
            await self._conn.execute(
                "INSERT INTO bins (location_code, code, description) VALUES ($1, $2, $3)",
                bin_.location_code, bin_.code, bin_.description,
            )
        except asyncpg.UniqueViolationError as exc:
            raise AlreadyExistsError(
                f"bin {bin_.code} exists already at location {bin_.location_code}",
                location_code=bin_.location_code, bin_code=bin_.code,
            ) from exc

    async def bins(self, location_codes: Iterable[str]) -> dict[str, list[Bin]]:
        rows = await self._conn.fetch(
            "SELECT location_code, code, description FROM bins WHERE location_code = ANY($1::text[]) ORDER BY location_code, code",
            sorted(set(location_codes)),
        )
        found: dict[str, list[Bin]] = {}
        for r in rows:
            found.setdefault(r["location_code"], []).append(Bin(**dict(r)))
        return found

    async def bin_contents(
        self, item_no: str | None, location_code: str | None, bin_code: str | None
    ) -> list[asyncpg.Record]:
        return await self._conn.fetch(
            """
            SELECT location_code, bin_code, item_no, variant_code, sum(quantity) AS quantity FROM item_ledger_entries
            WHERE bin_code <> '' AND ($1::text IS NULL OR item_no = $1) AND ($2::text IS NULL OR location_code = $2)
              AND ($3::text IS NULL OR bin_code = $3)
            GROUP BY location_code, bin_code, item_no, variant_code HAVING sum(quantity) <> 0
            ORDER BY location_code, bin_code, item_no, variant_code LIMIT 10000
            """,
            item_no, location_code, bin_code,
        )

    async def inventory_setup(self, *, for_change: bool = False) -> tuple[InventorySetup, int]:
        """The setup and its revision; locked for a change."""
        row = await self._conn.fetchrow(f"SELECT {_SETUP} FROM inventory_setup" + (" FOR UPDATE" if for_change else ""))
        return _setup(row), row["revision"]

    async def inventory_setup_as_published(self) -> tuple[InventorySetup, int, date | None]:
        """The setup, its revision and the ending date of the latest closed period, in one statement (one snapshot,
        so that the three agree with the revision's event)."""
        row = await self._conn.fetchrow(
            f"""SELECT {_SETUP}, (SELECT max(ending_date) FROM inventory_periods WHERE closed) AS closed_through
                FROM inventory_setup"""
        )
        return _setup(row), row["revision"], row["closed_through"]

    async def save_inventory_setup(self, setup: InventorySetup) -> None:
        """Only through service_layer.periods.change_inventory_setup: every change gets a revision and is published."""
        await self._conn.execute(
            """UPDATE inventory_setup SET prevent_negative_inventory = $1, allow_posting_from = $2, allow_posting_to = $3,
                average_cost_period = $4, average_cost_calc_type = $5""",
            setup.prevent_negative_inventory, setup.dates.allow_posting_from, setup.dates.allow_posting_to,
            str(setup.average_cost_period), str(setup.average_cost_calc_type),
        )

    async def next_setup_revision(self) -> int:
        return int(await self._conn.fetchval("UPDATE inventory_setup SET revision = revision + 1 RETURNING revision"))

    async def has_item_ledger_entries(self) -> bool:
        return bool(await self._conn.fetchval("SELECT EXISTS (SELECT FROM item_ledger_entries)"))

    async def posting_dates(self) -> PostingDates:
        row = await self._conn.fetchrow("SELECT allow_posting_from, allow_posting_to FROM inventory_setup")
        return PostingDates(row["allow_posting_from"], row["allow_posting_to"])

    async def inventory_periods(self, *, for_change: bool = False) -> list[InventoryPeriod]:
        """The periods. A posting reads them FOR SHARE (a ROW SHARE lock on the table), which the EXCLUSIVE lock
        of a period change waits for: otherwise a posting could commit into a period closed meanwhile."""
        if for_change:
            await self._conn.execute("LOCK TABLE inventory_periods IN EXCLUSIVE MODE")
        rows = await self._conn.fetch(
            "SELECT ending_date, closed, name FROM inventory_periods ORDER BY ending_date"
            + ("" if for_change else " FOR SHARE")
        )
        return [InventoryPeriod(r["ending_date"], r["closed"], r["name"]) for r in rows]

    async def save_inventory_period(self, period: InventoryPeriod) -> None:
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

    # availability ------------------------------------------------------------------------------

    async def availability(self, item_no: str, location_code: str | None, on_date: date | None) -> asyncpg.Record:
        return await self._conn.fetchrow(
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

    async def inventory_as_of(self, item_no: str, location_code: str | None, dates: Sequence[date]) -> list[asyncpg.Record]:
        """Inventory and in-transit quantity of the item as of each date (entries posted up to it), in date order."""
        return await self._conn.fetch(
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

    async def reserved(self, item_no: str, location_code: str | None) -> Decimal:
        return Decimal(await self._conn.fetchval(
            "SELECT coalesce(sum(remaining_quantity), 0) FROM reservation_entries "
            "WHERE item_no = $1 AND status = 'Reserved' AND ($2::text IS NULL OR location_code = $2)",
            item_no, location_code,
        ))


_PHYS_INVT_LINE = ("line_no, item_no, variant_code, bin_code, lot_no, serial_no, expected_quantity, recorded_quantity, "
                   "recording_no, expiration_date, calculated")
_LOCATION = "code, name, use_as_in_transit, bin_mandatory, responsibility_center"
_SETUP = ("prevent_negative_inventory, allow_posting_from, allow_posting_to, average_cost_period, average_cost_calc_type, "
          "revision")


def _setup(row: asyncpg.Record) -> InventorySetup:
    return InventorySetup(
        row["prevent_negative_inventory"], PostingDates(row["allow_posting_from"], row["allow_posting_to"]),
        AverageCostPeriod(row["average_cost_period"]), AverageCostCalcType(row["average_cost_calc_type"]),
    )


def _text_or_value(value: object) -> object:
    """Enums go to text columns as their value."""
    return str(value) if isinstance(value, ItemLedgerEntryType) else value

