"""SQL of the replicas costing keeps: the item cards (catalog) and the inventory setup (warehouse)."""

from collections.abc import Sequence
from decimal import Decimal

from inventory_contracts.warehouse import AverageCostCalcType, AverageCostPeriod, InventorySetupChanged

from costing.adapters.session import CostingStore, flushes_first
from costing.domain.calendar import InventoryCalendar
from costing.domain.inbound import CostSetup
from costing.domain.ports import ItemCard


@flushes_first("item_setup", "inventory_calendar")
class ItemStore(CostingStore):
    """The item cards' costing setup and the inventory setup, kept once read in the transaction."""

    async def upsert_item(self, setup: CostSetup, revision: int, standard_cost_implementation_no: int = 0) -> None:
        await self.upsert_items([(setup, revision, standard_cost_implementation_no)])

    async def upsert_items(self, cards: Sequence[tuple[CostSetup, int, int]]) -> None:
        """(setup, revision, standard cost implementation no.) in order. Keep the newest revision: an older or repeated
        card does not overwrite a newer one.

        A card written before catalog took the standard cost costing implemented last keeps costing's standard cost.
        """
        for setup, _, _ in cards:
            self._session.setups.pop(setup.item_no, None)
        await self._conn.executemany(
            """
            INSERT INTO items (item_no, revision, costing_method, standard_cost, indirect_cost_pct, overhead_rate,
                               standard_cost_implementation_no, single_level_material_cost, single_level_capacity_cost,
                               single_level_cap_ovhd_cost, single_level_mfg_ovhd_cost)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
            ON CONFLICT (item_no) DO UPDATE SET revision = excluded.revision, costing_method = excluded.costing_method,
                standard_cost = CASE WHEN excluded.standard_cost_implementation_no >= items.standard_cost_implementation_no
                                     THEN excluded.standard_cost ELSE items.standard_cost END,
                standard_cost_implementation_no = greatest(excluded.standard_cost_implementation_no,
                                                           items.standard_cost_implementation_no),
                indirect_cost_pct = excluded.indirect_cost_pct, overhead_rate = excluded.overhead_rate,
                single_level_material_cost = excluded.single_level_material_cost,
                single_level_capacity_cost = excluded.single_level_capacity_cost,
                single_level_cap_ovhd_cost = excluded.single_level_cap_ovhd_cost,
                single_level_mfg_ovhd_cost = excluded.single_level_mfg_ovhd_cost
            WHERE items.revision < excluded.revision
            """,
            [(setup.item_no, revision, str(setup.costing_method), setup.standard_cost, setup.indirect_cost_pct,
              setup.overhead_rate, implementation_no, setup.single_level_material_cost, setup.single_level_capacity_cost,
              setup.single_level_cap_ovhd_cost, setup.single_level_mfg_ovhd_cost)
             for setup, revision, implementation_no in cards],
        )

    async def implement_standard_cost(self, item_no: str, standard_cost: Decimal, implementation_no: int) -> None:
        """Value the item at `standard_cost` from now on, before the card that carries it comes back from catalog."""
        self._session.setups.pop(item_no, None)
        await self._conn.execute(
            "UPDATE items SET standard_cost = $2, standard_cost_implementation_no = $3 WHERE item_no = $1",
            item_no, standard_cost, implementation_no,
        )

    async def item_setup(self, item_no: str) -> CostSetup | None:
        if item_no not in self._session.setups:
            await self._session.load_setups([item_no])
        return self._session.setups[item_no]

    async def item_setups(self, item_nos: Sequence[str]) -> dict[str, CostSetup | None]:
        """The items' costing setups, read set-based (None for an item whose card has not reached costing)."""
        await self._session.load_setups(item_nos)
        return {item_no: self._session.setups[item_no] for item_no in item_nos}

    async def item_card(self, item_no: str) -> ItemCard | None:
        row = await self._conn.fetchrow(
            """
            SELECT i.item_no, i.revision, i.costing_method, i.standard_cost, i.indirect_cost_pct, i.overhead_rate,
                   coalesce(h.quantity, 0) AS quantity_on_hand, coalesce(h.value, 0) AS value_on_hand
            FROM items i LEFT JOIN item_on_hand h USING (item_no) WHERE i.item_no = $1
            """,
            item_no,
        )
        return ItemCard(**dict(row)) if row is not None else None

    async def inventory_setup_revision(self) -> int:
        return int(await self._conn.fetchval("SELECT coalesce(max(revision), 0) FROM inventory_setup"))

    async def inventory_calendar(self) -> InventoryCalendar:
        if self._session.calendar is None:
            row = await self._conn.fetchrow(
                """SELECT allow_posting_from, closed_through, average_cost_period, average_cost_calc_type
                FROM inventory_setup"""
            )
            self._session.calendar = InventoryCalendar() if row is None else InventoryCalendar(
                row["allow_posting_from"], row["closed_through"], AverageCostPeriod(row["average_cost_period"]),
                AverageCostCalcType(row["average_cost_calc_type"]),
            )
        return self._session.calendar

    async def save_inventory_setup(self, setup: InventorySetupChanged) -> bool:
        """Keep the newest revision; False when this one is not newer than the replica."""
        self._session.calendar = None
        status = await self._conn.execute(
            """
            INSERT INTO inventory_setup (revision, allow_posting_from, allow_posting_to, closed_through,
                average_cost_period, average_cost_calc_type)
            VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (singleton) DO UPDATE SET revision = excluded.revision,
                allow_posting_from = excluded.allow_posting_from, allow_posting_to = excluded.allow_posting_to,
                closed_through = excluded.closed_through, average_cost_period = excluded.average_cost_period,
                average_cost_calc_type = excluded.average_cost_calc_type
            WHERE inventory_setup.revision < excluded.revision
            """,
            setup.revision, setup.allow_posting_from, setup.allow_posting_to, setup.closed_through,
            str(setup.average_cost_period), str(setup.average_cost_calc_type),
        )
        return bool(status.endswith(" 1"))

    async def has_average_periods(self) -> bool:
        return bool(await self._conn.fetchval("SELECT EXISTS (SELECT FROM average_cost_periods)"))

