"""SQL of cost layers: what inbound entries hold, what outbound entries took of them, and their revaluations."""

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal
from fractions import Fraction

from costing.adapters.session import CostingStore, flushes_first, stored_amount, stored_quantity
from costing.domain.fifo import CostLayer
from costing.domain.ports import OpenLayer, Provisional
from costing.domain.revaluation import Application, LayerRevaluation


@flushes_first(
    "add_layer", "layers", "save_layers", "add_cost_applications", "add_provisional", "provisionals", "cover_provisionals",
    "remaining_on_hand", "read_remaining_on_hand",
)
class CostLayerStore(CostingStore):
    """Cost layers, cost applications, layer revaluations and provisional outbound costs."""

    async def add_layer(self, layer: CostLayer, item_no: str) -> None:
        self._session.pending.layers[layer.entry_no] = (layer, item_no)
        self._session.hold_layer(layer, item_no)

    async def layers(self, entry_nos: Iterable[int]) -> dict[int, CostLayer]:
        """The layers of these inbound entries, locked: each the same object for the whole transaction."""
        wanted = set(entry_nos)
        missing = [entry_no for entry_no in wanted if entry_no not in self._session.layers]
        if missing:
            rows = await self._conn.fetch(
                """
                SELECT entry_no, item_no, quantity, cost_amount, applied_quantity, applied_cost, revalued_amount, rounding_amount,
                       revalued
                FROM cost_layers WHERE entry_no = ANY($1::bigint[]) FOR UPDATE
                """,
                missing,
            )
            loaded = {row["entry_no"]: CostLayer(**{key: value for key, value in row.items() if key != "item_no"}) for row in rows}
            revalued = [layer.entry_no for layer in loaded.values() if layer.revalued]
            if revalued:
                for row in await self._conn.fetch(
                    "SELECT inbound_entry_no, amount, quantity FROM layer_revaluations WHERE inbound_entry_no = ANY($1::bigint[])", revalued
                ):
                    loaded[row["inbound_entry_no"]].revalued_per_unit += Fraction(row["amount"]) / Fraction(row["quantity"])
            for row in rows:
                self._session.hold_layer(loaded[row["entry_no"]], row["item_no"])
                stored = self._session.stored_on_hand.get(row["item_no"])
                if stored is not None and row["applied_quantity"] < row["quantity"]:
                    # Held from now on: what it holds is counted as it stands, no longer in what the others hold.
                    self._session.stored_on_hand[row["item_no"]] = (
                        stored[0] - (row["quantity"] - row["applied_quantity"]), stored[1] - (row["cost_amount"] - row["applied_cost"])
                    )
        return {entry_no: self._session.layers[entry_no] for entry_no in wanted if entry_no in self._session.layers}

    async def save_layers(self, layers: Iterable[CostLayer]) -> None:
        self._session.pending.changed_layers.update((layer.entry_no, layer) for layer in layers)

    async def save_layer_cost(self, layer: CostLayer) -> None:
        await self._conn.execute(
            """UPDATE cost_layers SET cost_amount = $2, applied_cost = $3, revalued_amount = $4, rounding_amount = $5, revalued = $6
            WHERE entry_no = $1""",
            layer.entry_no, layer.cost_amount, layer.applied_cost, layer.revalued_amount, layer.rounding_amount, layer.revalued,
        )

    async def remaining_on_hand(self, item_no: str) -> tuple[Decimal, Decimal]:
        """Quantity and value left in the item's cost layers: those this transaction holds as they stand (every change
        of them is saved before the next entry is valued), the others as stored."""
        if item_no not in self._session.stored_on_hand:
            await self.read_remaining_on_hand([item_no])
        quantity, value = self._session.stored_on_hand[item_no]
        for layer in map(self._session.layers.__getitem__, self._session.item_layers.get(item_no, set())):
            if layer.applied_quantity < layer.quantity:
                quantity += layer.quantity - layer.applied_quantity
                value += layer.cost_amount - layer.applied_cost
        return quantity, value

    async def read_remaining_on_hand(self, item_nos: Sequence[str]) -> None:
        """Read what the items' layers not held in this transaction hold, for `remaining_on_hand`."""
        missing = [item_no for item_no in item_nos if item_no not in self._session.stored_on_hand]
        if not missing:
            return
        held = [entry_no for item_no in missing for entry_no in self._session.item_layers.get(item_no, ())]
        rows = await self._conn.fetch(
            """
            SELECT item_no, sum(quantity - applied_quantity) AS quantity, sum(cost_amount - applied_cost) AS value
            FROM cost_layers WHERE item_no = ANY($1::text[]) AND applied_quantity < quantity AND entry_no <> ALL($2::bigint[])
            GROUP BY item_no
            """,
            missing, held,
        )
        self._session.stored_on_hand.update((item_no, (Decimal(0), Decimal(0))) for item_no in missing)
        self._session.stored_on_hand.update((row["item_no"], (row["quantity"], row["value"])) for row in rows)

    async def open_layers(self, item_no: str, at: date) -> list[OpenLayer]:
        """Layers of inbound entries posted on or before `at` that still held quantity then, and whether they are completely invoiced."""
        rows = await self._conn.fetch(
            """
            SELECT l.entry_no, l.quantity, l.cost_amount, coalesce(e.invoiced_quantity, e.quantity) = e.quantity AS invoiced
            FROM cost_layers l JOIN item_ledger_entries e USING (entry_no)
            WHERE l.item_no = $1 AND e.posting_date <= $2
              AND l.quantity > coalesce((SELECT sum(a.quantity) FROM cost_applications a JOIN item_ledger_entries o
                   ON o.entry_no = a.outbound_entry_no WHERE a.inbound_entry_no = l.entry_no AND o.posting_date <= $2), 0)
            ORDER BY l.entry_no FOR UPDATE OF l
            """,
            item_no, at,
        )
        return [OpenLayer(*row) for row in rows]

    async def add_cost_applications(self, rows: Sequence[tuple[int, int, Decimal, Decimal]]) -> None:
        """(inbound entry, outbound entry, quantity, cost) taken, in order."""
        self._session.pending.applications += rows

    async def applications_with_dates(self, inbound_entry_no: int) -> list[Application]:
        """What the outbound entries took from the inbound entry's layer, in the order they took it."""
        rows = await self._conn.fetch(
            """SELECT a.seq, a.outbound_entry_no, a.quantity, a.cost_amount, o.posting_date FROM cost_applications a
            JOIN item_ledger_entries o ON o.entry_no = a.outbound_entry_no WHERE a.inbound_entry_no = $1 ORDER BY a.seq""",
            inbound_entry_no,
        )
        return [Application(**dict(row)) for row in rows]

    async def set_cost_application_costs(self, rows: Sequence[tuple[int, Decimal]]) -> None:
        await self._conn.executemany("UPDATE cost_applications SET cost_amount = $2 WHERE seq = $1", rows)

    async def layer_revaluations(self, inbound_entry_no: int) -> list[LayerRevaluation]:
        rows = await self._conn.fetch(
            """SELECT revaluation_date, amount, quantity, last_application_seq FROM layer_revaluations
            WHERE inbound_entry_no = $1 ORDER BY seq""",
            inbound_entry_no,
        )
        return [LayerRevaluation(**dict(row)) for row in rows]

    async def add_layer_revaluation(self, inbound_entry_no: int, revaluation: LayerRevaluation) -> None:
        if inbound_entry_no in self._session.valued_at:
            self._session.valued_at[inbound_entry_no] = max(self._session.valued_at[inbound_entry_no], revaluation.revaluation_date)
        await self._conn.execute(
            """INSERT INTO layer_revaluations (inbound_entry_no, revaluation_date, amount, quantity, last_application_seq)
            VALUES ($1, $2, $3, $4, $5)""",
            inbound_entry_no, revaluation.revaluation_date, revaluation.amount, revaluation.quantity,
            revaluation.last_application_seq,
        )

    async def add_provisional(self, entry_no: int, quantity: Decimal, cost: Decimal) -> None:
        provisional = Provisional(entry_no, stored_quantity(quantity), stored_amount(cost), stored_quantity(Decimal(0)))
        self._session.pending.provisionals[entry_no] = provisional
        self._session.provisionals[entry_no] = provisional

    async def provisionals(self, entry_nos: Sequence[int]) -> dict[int, Provisional]:
        """Locked, as they stand in this transaction: those not held yet are read, and were not changed in it."""
        await self._hold_provisionals(entry_nos)
        held = self._session.provisionals
        return {entry_no: held[entry_no] for entry_no in sorted(set(entry_nos)) if entry_no in held}

    async def cover_provisionals(self, rows: Sequence[tuple[int, Decimal]]) -> None:
        """(outbound entry, quantity an inbound entry now covers)"""
        covered = dict(rows)  # as the UPDATE ... FROM unnest(...) it replaces: a row named twice is updated once
        await self._hold_provisionals(covered)
        pending = self._session.pending
        for entry_no, quantity in covered.items():
            held = self._session.provisionals.get(entry_no)
            if held is None:
                continue
            provisional = replace(held, covered_quantity=held.covered_quantity + quantity)
            self._session.provisionals[entry_no] = provisional
            if entry_no in pending.provisionals:
                pending.provisionals[entry_no] = provisional
            else:
                pending.covered[entry_no] = provisional

    async def _hold_provisionals(self, entry_nos: Iterable[int]) -> None:
        missing = [entry_no for entry_no in set(entry_nos) if entry_no not in self._session.provisionals]
        if missing:
            rows = await self._conn.fetch(
                """SELECT entry_no, provisional_quantity, provisional_cost, covered_quantity FROM provisional_outbound_costs
                WHERE entry_no = ANY($1::bigint[]) ORDER BY entry_no FOR UPDATE""",
                missing,
            )
            self._session.provisionals.update((row["entry_no"], Provisional(*row)) for row in rows)
