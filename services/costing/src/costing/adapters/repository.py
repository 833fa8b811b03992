"""All SQL of costing."""

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

import asyncpg

from costing.domain.fifo import CostLayer
from costing.domain.model import ItemLedgerEntry, ValueEntry

_ENTRY_COLUMNS = (
    "entry_no, item_no, variant_code, location_code, posting_date, entry_type, document_no, quantity, "
    "costing_method, inventory_posting_group, gen_prod_posting_group, gen_bus_posting_group"
)


class CostingRepository:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def add_item_ledger_entry(self, entry: ItemLedgerEntry) -> None:
        await self._conn.execute(
            f"INSERT INTO item_ledger_entries ({_ENTRY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            entry.entry_no, entry.item_no, entry.variant_code, entry.location_code, entry.posting_date,
            str(entry.entry_type), entry.document_no, entry.quantity, str(entry.costing_method),
            entry.inventory_posting_group, entry.gen_prod_posting_group, entry.gen_bus_posting_group,
        )

    async def item_ledger_entries(self, entry_nos: Iterable[int]) -> dict[int, asyncpg.Record]:
        rows = await self._conn.fetch(
            f"SELECT {_ENTRY_COLUMNS} FROM item_ledger_entries WHERE entry_no = ANY($1::bigint[])", list(entry_nos)
        )
        return {row["entry_no"]: row for row in rows}

    async def add_layer(self, layer: CostLayer, item_no: str) -> None:
        await self._conn.execute(
            "INSERT INTO cost_layers (entry_no, item_no, quantity, cost_amount) VALUES ($1, $2, $3, $4)",
            layer.entry_no, item_no, layer.quantity, layer.cost_amount,
        )

    async def layers(self, entry_nos: Iterable[int]) -> dict[int, CostLayer]:
        rows = await self._conn.fetch(
            """
            SELECT entry_no, quantity, cost_amount, applied_quantity, applied_cost FROM cost_layers
            WHERE entry_no = ANY($1::bigint[]) FOR UPDATE
            """,
            list(set(entry_nos)),
        )
        return {row["entry_no"]: CostLayer(**dict(row)) for row in rows}

    async def save_layers(self, layers: Iterable[CostLayer]) -> None:
        await self._conn.executemany(
            "UPDATE cost_layers SET applied_quantity = $2, applied_cost = $3 WHERE entry_no = $1",
            [(layer.entry_no, layer.applied_quantity, layer.applied_cost) for layer in layers],
        )

    async def remaining_on_hand(self, item_no: str) -> tuple[Decimal, Decimal]:
        """Quantity and value left in the item's cost layers."""
        row = await self._conn.fetchrow(
            """
            SELECT coalesce(sum(quantity - applied_quantity), 0) AS quantity,
                   coalesce(sum(cost_amount - applied_cost), 0) AS value
            FROM cost_layers WHERE item_no = $1 AND applied_quantity < quantity
            """,
            item_no,
        )
        assert row is not None
        return row["quantity"], row["value"]

    async def add_provisional(self, entry_no: int, quantity: Decimal, cost: Decimal) -> None:
        await self._conn.execute(
            "INSERT INTO provisional_outbound_costs (entry_no, provisional_quantity, provisional_cost) VALUES ($1, $2, $3)",
            entry_no, quantity, cost,
        )

    async def provisional(self, entry_no: int) -> asyncpg.Record | None:
        return await self._conn.fetchrow(
            "SELECT * FROM provisional_outbound_costs WHERE entry_no = $1 FOR UPDATE", entry_no
        )

    async def cover_provisional(self, entry_no: int, quantity: Decimal) -> None:
        await self._conn.execute(
            "UPDATE provisional_outbound_costs SET covered_quantity = covered_quantity + $2 WHERE entry_no = $1",
            entry_no, quantity,
        )

    async def next_value_entry_no(self) -> int:
        return int(await self._conn.fetchval("SELECT nextval('value_entry_no')"))

    async def add_value_entries(self, entries: Sequence[ValueEntry]) -> None:
        await self._conn.executemany(
            """
            INSERT INTO value_entries (entry_no, item_no, item_ledger_entry_no, item_ledger_entry_type, entry_type,
                posting_date, valuation_date, location_code, variant_code, document_no, valued_quantity,
                invoiced_quantity, cost_per_unit, cost_amount_actual, cost_amount_expected, adjustment,
                applies_to_entry, inventory_posting_group, gen_prod_posting_group, gen_bus_posting_group)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
            """,
            [
                (
                    ve.entry_no, ile.item_no, ile.entry_no, str(ile.entry_type), str(ve.entry_type), ve.posting_date,
                    ile.posting_date, ile.location_code, ile.variant_code, ile.document_no, ve.valued_quantity,
                    ve.invoiced_quantity, ve.cost_per_unit, ve.cost_amount_actual, ve.cost_amount_expected,
                    ve.adjustment, ve.applies_to_entry, ile.inventory_posting_group, ile.gen_prod_posting_group,
                    ile.gen_bus_posting_group,
                )
                for ve in entries
                for ile in [ve.item_ledger_entry]
            ],
        )

    async def list_value_entries(
        self, item_no: str | None, item_ledger_entry_no: int | None, after: int | None, limit: int
    ) -> list[asyncpg.Record]:
        return await self._conn.fetch(
            """
            SELECT * FROM value_entries
            WHERE ($1::text IS NULL OR item_no = $1) AND ($2::bigint IS NULL OR item_ledger_entry_no = $2)
              AND ($3::bigint IS NULL OR entry_no > $3)
            ORDER BY entry_no LIMIT $4
            """,
            item_no, item_ledger_entry_no, after, limit,
        )

    async def valuation(self, at: date | None, item_no: str | None) -> list[asyncpg.Record]:
        """Quantity and value per item, location and inventory posting group, from value entries up to `at`."""
        return await self._conn.fetch(
            """
            SELECT item_no, location_code, inventory_posting_group,
                   sum(valued_quantity) AS quantity,
                   sum(cost_amount_actual) AS cost_amount_actual,
                   sum(cost_amount_expected) AS cost_amount_expected
            FROM value_entries
            WHERE ($1::date IS NULL OR posting_date <= $1) AND ($2::text IS NULL OR item_no = $2)
            GROUP BY item_no, location_code, inventory_posting_group
            ORDER BY item_no, location_code, inventory_posting_group
            """,
            at, item_no,
        )

    async def valuation_by_posting_group(self) -> list[asyncpg.Record]:
        """Value per location and inventory posting group, with how many value entries it sums (one snapshot)."""
        return await self._conn.fetch(
            """
            SELECT location_code, inventory_posting_group,
                   sum(cost_amount_actual) AS cost_amount_actual,
                   sum(cost_amount_expected) AS cost_amount_expected,
                   count(*) AS value_entries
            FROM value_entries
            GROUP BY location_code, inventory_posting_group
            ORDER BY location_code, inventory_posting_group
            """
        )
