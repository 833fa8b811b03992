"""All SQL of costing, and the unit of work of one transaction.

The valuation path reads and writes through identity maps and write buffers: the layers, valuation dates,
item setups and the calendar it reads are kept once read (`prefetch` reads a batch's set-based), and the
item ledger entries, layers, cost applications and value entries it writes are kept until `flush` writes
them in bulk, one statement per table. Every other query flushes first, so it reads what was written.
Value entries get provisional numbers (negative) until they are stored; `stored` gives their numbers then.
"""

import functools
import inspect
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date
from decimal import Decimal
from fractions import Fraction

import asyncpg

from inventory_contracts.catalog import CostingMethod
from inventory_contracts.costing import ValueEntryType
from inventory_contracts.warehouse import AverageCostCalcType, AverageCostPeriod, InventorySetupChanged, ItemLedgerEntryType

from costing.domain.average import (
    AverageInbound,
    AverageInboundEntry,
    AverageKey,
    AverageOutbound,
    FixedOutbound,
    GivenBack,
    Period,
)
from costing.domain.calendar import InventoryCalendar
from costing.domain.fifo import CostLayer
from costing.domain.inbound import CostSetup
from costing.domain.model import ItemLedgerEntry, ValueEntry
from costing.domain.ports import CostSource, KnownEntry, OpenLayer, Provisional
from costing.domain.revaluation import Application, LayerRevaluation

_ENTRY_COLUMNS = (
    "entry_no, item_no, variant_code, location_code, posting_date, entry_type, document_no, quantity, "
    "costing_method, inventory_posting_group, gen_prod_posting_group, gen_bus_posting_group, invoiced_quantity, applies_to_entry"
)


class CostingRepository:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn
        self._ahead: dict[AverageKey, _PeriodsAhead] = {}
        self._pending = _Pending()
        self._layers: dict[int, CostLayer] = {}
        self._valued_at: dict[int, date] = {}
        self._setups: dict[str, CostSetup | None] = {}
        self._calendar: InventoryCalendar | None = None
        self._stored_numbers: dict[int, int] = {}
        self._stored_entries: dict[int, ValueEntry] = {}
        self._last_provisional = 0

    # the unit of work --------------------------------------------------------------------------

    async def lock_items(self, item_nos: Iterable[str]) -> None:
        """Hold the items until the transaction ends: one transaction at a time values an item (a consumer batch, an
        item charge, a revaluation, a standard cost implementation), so none builds on what another has not committed
        (a new average-cost period started from the period before it while a charge was changing that one). Taken in
        item order, so that no two transactions wait on each other in a cycle."""
        await self._conn.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended('costing-item:' || item_no, 0)) FROM unnest($1::text[]) AS i(item_no)",
            sorted(set(item_nos)),
        )

    async def prefetch(self, item_nos: Iterable[str], inbound_entry_nos: Iterable[int]) -> None:
        """Read, set-based, what valuing a batch of entries of these items, applied to these inbound entries, reads."""
        missing_items = [item_no for item_no in dict.fromkeys(item_nos) if item_no not in self._setups]
        if missing_items:
            rows = await self._conn.fetch(
                "SELECT item_no, costing_method, standard_cost, indirect_cost_pct, overhead_rate FROM items WHERE item_no = ANY($1::text[])",
                missing_items,
            )
            self._setups.update(dict.fromkeys(missing_items))
            self._setups.update({row["item_no"]: _setup(row) for row in rows})
        missing_entries = [entry_no for entry_no in set(inbound_entry_nos) if entry_no not in self._layers]
        if missing_entries:
            await self.layers(missing_entries)
            await self.latest_valuation_dates(missing_entries)

    async def flush(self) -> None:
        """Write what the valuation path kept: one statement per table."""
        pending, self._pending = self._pending, _Pending()
        if pending.entries:
            await self._conn.copy_records_to_table(
                "item_ledger_entries", columns=[*_ENTRY_COLUMNS.split(", "), "valuation_date"],
                records=[
                    (entry.entry_no, entry.item_no, entry.variant_code, entry.location_code, entry.posting_date,
                     str(entry.entry_type), entry.document_no, entry.quantity, str(entry.costing_method),
                     entry.inventory_posting_group, entry.gen_prod_posting_group, entry.gen_bus_posting_group,
                     entry.invoiced_quantity, entry.applies_to_entry, entry.valuation_date)
                    for entry in pending.entries.values()
                ],
            )
        if pending.valuation_dates:
            await self._conn.executemany(
                "UPDATE item_ledger_entries SET valuation_date = $2 WHERE entry_no = $1", list(pending.valuation_dates.items())
            )
        if pending.layers:
            await self._conn.copy_records_to_table(
                "cost_layers", columns=["entry_no", "item_no", "quantity", "cost_amount", "applied_quantity", "applied_cost",
                                        "revalued_amount", "rounding_amount", "revalued"],
                records=[(layer.entry_no, item_no, layer.quantity, layer.cost_amount, layer.applied_quantity, layer.applied_cost,
                          layer.revalued_amount, layer.rounding_amount, layer.revalued) for layer, item_no in pending.layers.values()],
            )
        changed = [layer for entry_no, layer in pending.changed_layers.items() if entry_no not in pending.layers]
        if changed:
            await self._conn.executemany(
                "UPDATE cost_layers SET applied_quantity = $2, applied_cost = $3, rounding_amount = $4 WHERE entry_no = $1",
                [(layer.entry_no, layer.applied_quantity, layer.applied_cost, layer.rounding_amount) for layer in changed],
            )
        if pending.applications:
            await self._conn.copy_records_to_table(
                "cost_applications", columns=["inbound_entry_no", "outbound_entry_no", "quantity", "cost_amount"],
                records=pending.applications,
            )
        if pending.value_entries:
            await self._store_value_entries(pending.value_entries)

    def stored(self, entries: Iterable[ValueEntry]) -> list[ValueEntry]:
        """The value entries as stored, with their numbers (and those they apply to) in place of provisional ones."""
        return [self._stored_entries.get(entry.entry_no) or self._numbered(entry) for entry in entries]

    def _numbered(self, entry: ValueEntry) -> ValueEntry:
        number, applies_to = self._stored_numbers.get(entry.entry_no), entry.applies_to_entry
        stored_applies_to = self._stored_numbers.get(applies_to) if applies_to is not None else None
        if number is None and stored_applies_to is None:
            return entry
        return replace(entry, entry_no=number or entry.entry_no, applies_to_entry=stored_applies_to or applies_to)

    # item ledger entries -----------------------------------------------------------------------

    async def add_item_ledger_entry(self, entry: ItemLedgerEntry) -> None:
        self._pending.entries[entry.entry_no] = entry
        self._valued_at[entry.entry_no] = entry.valuation_date or entry.posting_date

    async def known_item_ledger_entries(self, entry_nos: Iterable[int]) -> set[int]:
        """Those of `entry_nos` costing has valued already."""
        rows = await self._conn.fetch(
            "SELECT entry_no FROM item_ledger_entries WHERE entry_no = ANY($1::bigint[])", list(entry_nos)
        )
        return {row["entry_no"] for row in rows}

    async def valuation_dates(self, entry_nos: Iterable[int]) -> list[date]:
        return [row[0] for row in await self._conn.fetch(
            "SELECT coalesce(valuation_date, posting_date) FROM item_ledger_entries WHERE entry_no = ANY($1::bigint[])",
            list(entry_nos),
        )]

    async def set_valuation_date(self, entry_no: int, valuation_date: date) -> None:
        if entry_no in self._pending.entries:
            self._pending.entries[entry_no] = replace(self._pending.entries[entry_no], valuation_date=valuation_date)
        else:
            self._pending.valuation_dates[entry_no] = valuation_date
        if entry_no in self._valued_at:
            self._valued_at[entry_no] = max(self._valued_at[entry_no], valuation_date)

    async def add_invoiced_quantity(self, entry_no: int, quantity: Decimal, invoice_entry_no: int | None) -> None:
        await self._conn.execute(
            "UPDATE item_ledger_entries SET invoiced_quantity = invoiced_quantity + $2 WHERE entry_no = $1", entry_no, quantity
        )
        if invoice_entry_no is not None:
            await self._conn.execute(
                "INSERT INTO invoice_lines (invoice_entry_no, item_ledger_entry_no, quantity) VALUES ($1, $2, $3)",
                invoice_entry_no, entry_no, quantity,
            )

    async def known_invoice_lines(self, invoice_entry_nos: Iterable[int]) -> set[int]:
        """Those of the warehouse's `invoice_entry_nos` costing has valued already."""
        rows = await self._conn.fetch(
            "SELECT invoice_entry_no FROM invoice_lines WHERE invoice_entry_no = ANY($1::bigint[])", list(invoice_entry_nos)
        )
        return {row["invoice_entry_no"] for row in rows}

    async def expected_cost(self, entry_no: int, entry_type: ValueEntryType | None = None) -> Decimal:
        """Expected cost still standing on an item ledger entry (of its value entries of `entry_type`, or all):
        what its invoices have not turned actual."""
        return Decimal(await self._conn.fetchval(
            """SELECT coalesce(sum(cost_amount_expected), 0) FROM value_entries
            WHERE item_ledger_entry_no = $1 AND ($2::text IS NULL OR entry_type = $2)""",
            entry_no, None if entry_type is None else str(entry_type),
        ))

    async def item_ledger_entries(self, entry_nos: Iterable[int]) -> dict[int, KnownEntry]:
        """The entries, each with the value entry that valued it, which later ones apply to."""
        rows = await self._conn.fetch(
            f"""SELECT {_ENTRY_COLUMNS}, valuation_date,
                (SELECT min(v.entry_no) FROM value_entries v WHERE v.item_ledger_entry_no = e.entry_no) AS first_value_entry_no
            FROM item_ledger_entries e WHERE entry_no = ANY($1::bigint[])""",
            list(entry_nos),
        )
        return {row["entry_no"]: KnownEntry(_entry(row), row["first_value_entry_no"]) for row in rows}

    async def first_value_entry(self, item_ledger_entry_no: int) -> int | None:
        return await self._conn.fetchval(
            "SELECT min(entry_no) FROM value_entries WHERE item_ledger_entry_no = $1", item_ledger_entry_no
        )

    async def add_layer(self, layer: CostLayer, item_no: str) -> None:
        self._pending.layers[layer.entry_no] = (layer, item_no)
        self._layers[layer.entry_no] = layer

    async def layers(self, entry_nos: Iterable[int]) -> dict[int, CostLayer]:
        """The layers of these inbound entries, locked: each the same object for the whole transaction."""
        wanted = set(entry_nos)
        missing = [entry_no for entry_no in wanted if entry_no not in self._layers]
        if missing:
            rows = await self._conn.fetch(
                """
                SELECT entry_no, quantity, cost_amount, applied_quantity, applied_cost, revalued_amount, rounding_amount, revalued
                FROM cost_layers WHERE entry_no = ANY($1::bigint[]) FOR UPDATE
                """,
                missing,
            )
            loaded = {row["entry_no"]: CostLayer(**dict(row)) for row in rows}
            revalued = [layer.entry_no for layer in loaded.values() if layer.revalued]
            if revalued:
                for row in await self._conn.fetch(
                    "SELECT inbound_entry_no, amount, quantity FROM layer_revaluations WHERE inbound_entry_no = ANY($1::bigint[])", revalued
                ):
                    loaded[row["inbound_entry_no"]].revalued_per_unit += Fraction(row["amount"]) / Fraction(row["quantity"])
            self._layers.update(loaded)
        return {entry_no: self._layers[entry_no] for entry_no in wanted if entry_no in self._layers}

    async def save_layers(self, layers: Iterable[CostLayer]) -> None:
        self._pending.changed_layers.update((layer.entry_no, layer) for layer in layers)

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

    async def provisionals(self, entry_nos: Sequence[int]) -> dict[int, Provisional]:
        rows = await self._conn.fetch(
            """SELECT entry_no, provisional_quantity, provisional_cost, covered_quantity FROM provisional_outbound_costs
            WHERE entry_no = ANY($1::bigint[]) ORDER BY entry_no FOR UPDATE""",
            list(entry_nos),
        )
        return {row["entry_no"]: Provisional(*row) for row in rows}

    async def cover_provisionals(self, rows: Sequence[tuple[int, Decimal]]) -> None:
        """(outbound entry, quantity an inbound entry now covers)"""
        await self._conn.execute(
            """UPDATE provisional_outbound_costs p SET covered_quantity = p.covered_quantity + c.quantity
            FROM unnest($1::bigint[], $2::numeric[]) AS c(entry_no, quantity) WHERE p.entry_no = c.entry_no""",
            [entry_no for entry_no, _ in rows], [quantity for _, quantity in rows],
        )

    async def save_layer_cost(self, layer: CostLayer) -> None:
        await self._conn.execute(
            """UPDATE cost_layers SET cost_amount = $2, applied_cost = $3, revalued_amount = $4, rounding_amount = $5, revalued = $6
            WHERE entry_no = $1""",
            layer.entry_no, layer.cost_amount, layer.applied_cost, layer.revalued_amount, layer.rounding_amount, layer.revalued,
        )

    async def layer_revaluations(self, inbound_entry_no: int) -> list[LayerRevaluation]:
        rows = await self._conn.fetch(
            """SELECT revaluation_date, amount, quantity, last_application_seq FROM layer_revaluations
            WHERE inbound_entry_no = $1 ORDER BY seq""",
            inbound_entry_no,
        )
        return [LayerRevaluation(**dict(row)) for row in rows]

    async def add_layer_revaluation(self, inbound_entry_no: int, revaluation: LayerRevaluation) -> None:
        if inbound_entry_no in self._valued_at:
            self._valued_at[inbound_entry_no] = max(self._valued_at[inbound_entry_no], revaluation.revaluation_date)
        await self._conn.execute(
            """INSERT INTO layer_revaluations (inbound_entry_no, revaluation_date, amount, quantity, last_application_seq)
            VALUES ($1, $2, $3, $4, $5)""",
            inbound_entry_no, revaluation.revaluation_date, revaluation.amount, revaluation.quantity,
            revaluation.last_application_seq,
        )

    async def latest_valuation_dates(self, entry_nos: Iterable[int]) -> list[date]:
        """Per entry, the latest valuation date of its value entries: its own, or a later revaluation's."""
        wanted = set(entry_nos)
        missing = [entry_no for entry_no in wanted if entry_no not in self._valued_at]
        if missing:
            self._valued_at.update((row[0], row[1]) for row in await self._conn.fetch(
                """SELECT e.entry_no, greatest(coalesce(e.valuation_date, e.posting_date),
                                  (SELECT max(r.revaluation_date) FROM layer_revaluations r WHERE r.inbound_entry_no = e.entry_no))
                FROM item_ledger_entries e WHERE e.entry_no = ANY($1::bigint[])""",
                missing,
            ))
        return [self._valued_at[entry_no] for entry_no in wanted if entry_no in self._valued_at]

    async def last_invoiced_posting_date(self, entry_no: int) -> date | None:
        """Posting date of the entry's last value entry that invoiced quantity."""
        return await self._conn.fetchval(
            "SELECT max(posting_date) FROM value_entries WHERE item_ledger_entry_no = $1 AND invoiced_quantity <> 0", entry_no
        )

    # the item card replica -----------------------------------------------------------------------

    async def upsert_item(self, setup: CostSetup, revision: int, standard_cost_implementation_no: int = 0) -> None:
        await self.upsert_items([(setup, revision, standard_cost_implementation_no)])

    async def upsert_items(self, cards: Sequence[tuple[CostSetup, int, int]]) -> None:
        """(setup, revision, standard cost implementation no.) in order. Keep the newest revision: an older or repeated
        card does not overwrite a newer one.

        A card written before catalog took the standard cost costing implemented last keeps costing's standard cost.
        """
        for setup, _, _ in cards:
            self._setups.pop(setup.item_no, None)
        await self._conn.executemany(
            """
            INSERT INTO items (item_no, revision, costing_method, standard_cost, indirect_cost_pct, overhead_rate,
                               standard_cost_implementation_no)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT (item_no) DO UPDATE SET revision = excluded.revision, costing_method = excluded.costing_method,
                standard_cost = CASE WHEN excluded.standard_cost_implementation_no >= items.standard_cost_implementation_no
                                     THEN excluded.standard_cost ELSE items.standard_cost END,
                standard_cost_implementation_no = greatest(excluded.standard_cost_implementation_no,
                                                           items.standard_cost_implementation_no),
                indirect_cost_pct = excluded.indirect_cost_pct, overhead_rate = excluded.overhead_rate
            WHERE items.revision < excluded.revision
            """,
            [(setup.item_no, revision, str(setup.costing_method), setup.standard_cost, setup.indirect_cost_pct,
              setup.overhead_rate, implementation_no) for setup, revision, implementation_no in cards],
        )

    async def implement_standard_cost(self, item_no: str, standard_cost: Decimal, implementation_no: int) -> None:
        """Value the item at `standard_cost` from now on, before the card that carries it comes back from catalog."""
        self._setups.pop(item_no, None)
        await self._conn.execute(
            "UPDATE items SET standard_cost = $2, standard_cost_implementation_no = $3 WHERE item_no = $1",
            item_no, standard_cost, implementation_no,
        )

    async def item_setup(self, item_no: str) -> CostSetup | None:
        if item_no not in self._setups:
            await self.prefetch([item_no], [])
        return self._setups[item_no]

    async def item_card(self, item_no: str) -> asyncpg.Record | None:
        return await self._conn.fetchrow(
            """
            SELECT i.item_no, i.revision, i.costing_method, i.standard_cost, i.indirect_cost_pct, i.overhead_rate,
                   coalesce(h.quantity, 0) AS quantity_on_hand, coalesce(h.value, 0) AS value_on_hand
            FROM items i LEFT JOIN item_on_hand h USING (item_no) WHERE i.item_no = $1
            """,
            item_no,
        )

    async def on_hand(self, item_no: str) -> tuple[Decimal, Decimal]:
        """Quantity and value on hand of the item: the sum of its value entries, kept as a running total."""
        row = await self._conn.fetchrow("SELECT quantity, value FROM item_on_hand WHERE item_no = $1", item_no)
        return (row["quantity"], row["value"]) if row else (Decimal(0), Decimal(0))

    # cost forwarding ---------------------------------------------------------------------------

    async def add_cost_applications(self, rows: Sequence[tuple[int, int, Decimal, Decimal]]) -> None:
        """(inbound entry, outbound entry, quantity, cost) taken, in order."""
        self._pending.applications += rows

    async def cost_applications(self, inbound_entry_no: int) -> list[asyncpg.Record]:
        return await self._conn.fetch(
            "SELECT seq, outbound_entry_no, quantity, cost_amount FROM cost_applications WHERE inbound_entry_no = $1 ORDER BY seq",
            inbound_entry_no,
        )

    async def set_cost_application_costs(self, rows: Sequence[tuple[int, Decimal]]) -> None:
        await self._conn.executemany("UPDATE cost_applications SET cost_amount = $2 WHERE seq = $1", rows)

    async def add_cost_source(self, inbound_entry_no: int, outbound_entry_no: int, quantity: Decimal, cost: Decimal) -> None:
        await self._conn.execute(
            "INSERT INTO cost_sources (inbound_entry_no, outbound_entry_no, quantity, cost_amount) VALUES ($1, $2, $3, $4)",
            inbound_entry_no, outbound_entry_no, quantity, cost,
        )

    async def cost_sources_of(self, outbound_entry_nos: Iterable[int]) -> dict[int, list[CostSource]]:
        """Per outbound entry, the inbound entries that take their cost from it, in the order they did."""
        rows = await self._conn.fetch(
            """SELECT seq, outbound_entry_no, inbound_entry_no, quantity, cost_amount FROM cost_sources
            WHERE outbound_entry_no = ANY($1::bigint[]) ORDER BY seq""",
            list(set(outbound_entry_nos)),
        )
        sources: dict[int, list[CostSource]] = {}
        for row in rows:
            sources.setdefault(row["outbound_entry_no"], []).append(
                CostSource(row["seq"], row["inbound_entry_no"], row["quantity"], row["cost_amount"])
            )
        return sources

    async def set_cost_source_cost(self, seq: int, cost: Decimal) -> None:
        await self._conn.execute("UPDATE cost_sources SET cost_amount = $2 WHERE seq = $1", seq, cost)

    async def entry_cost(self, entry_no: int) -> Decimal:
        """Cost of an item ledger entry: the sum of its value entries."""
        return Decimal(await self._conn.fetchval(
            "SELECT coalesce(sum(cost_amount_actual + cost_amount_expected), 0) FROM value_entries WHERE item_ledger_entry_no = $1",
            entry_no,
        ))

    # average cost --------------------------------------------------------------------------------
    # Every query names the average's key: the item, and its location and variant when averaged per them.

    async def period(self, key: AverageKey, start: date) -> Period | None:
        row = await self._conn.fetchrow(
            f"""SELECT {_PERIOD_COLUMNS} FROM average_cost_periods WHERE {_KEY} AND period_start = $4 FOR UPDATE""",
            *key, start,
        )
        return _period(row)

    async def period_before(self, key: AverageKey, start: date) -> Period | None:
        row = await self._conn.fetchrow(
            f"""SELECT {_PERIOD_COLUMNS} FROM average_cost_periods WHERE {_KEY} AND period_start < $4
            ORDER BY period_start DESC LIMIT 1""",
            *key, start,
        )
        return _period(row)

    async def period_after(self, key: AverageKey, start: date) -> Period | None:
        """The key's next period after `start`, locked.

        A change carried forward walks the later periods one by one: they are read (and locked) ahead in
        batches that double while the walk goes on, so a long walk costs a few queries, not one per period.
        """
        ahead = self._ahead.get(key)
        if ahead is None or start < ahead.after:
            ahead = self._ahead[key] = _PeriodsAhead(after=start)
        ahead.skip_to(start)
        if not ahead.periods and not ahead.complete:
            rows = await self._conn.fetch(
                f"""SELECT {_PERIOD_COLUMNS} FROM average_cost_periods WHERE {_KEY} AND period_start > $4
                ORDER BY period_start LIMIT $5 FOR UPDATE""",
                *key, start, ahead.batch,
            )
            ahead.periods = [Period(**dict(row)) for row in rows]
            ahead.complete = len(rows) < ahead.batch
            ahead.batch = min(2 * ahead.batch, _MAX_BATCH)
        return replace(ahead.periods[0]) if ahead.periods else None

    async def save_period(self, key: AverageKey, period: Period) -> None:
        ahead = self._ahead.get(key)
        if ahead is not None and period.start > ahead.after and not ahead.saved(period):
            del self._ahead[key]  # a new period within what was read ahead
        await self._conn.execute(
            """
            INSERT INTO average_cost_periods (item_no, location_code, variant_code, period_start, start_quantity,
                start_value, inbound_quantity, inbound_value, outbound_quantity, outbound_value, revaluation_value,
                given_back_quantity, given_back_value, rounding_value, fixed_quantity, fixed_value, unrounded)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
            ON CONFLICT (item_no, location_code, variant_code, period_start) DO UPDATE SET
                start_quantity = excluded.start_quantity, start_value = excluded.start_value,
                inbound_quantity = excluded.inbound_quantity, inbound_value = excluded.inbound_value,
                outbound_quantity = excluded.outbound_quantity, outbound_value = excluded.outbound_value,
                revaluation_value = excluded.revaluation_value, given_back_quantity = excluded.given_back_quantity,
                given_back_value = excluded.given_back_value, rounding_value = excluded.rounding_value,
                fixed_quantity = excluded.fixed_quantity, fixed_value = excluded.fixed_value, unrounded = excluded.unrounded
            """,
            *key, period.start, period.start_quantity, period.start_value, period.inbound_quantity,
            period.inbound_value, period.outbound_quantity, period.outbound_value, period.revaluation_value,
            period.given_back_quantity, period.given_back_value, period.rounding_value, period.fixed_quantity,
            period.fixed_value, period.unrounded,
        )

    async def average_keys(self, item_no: str) -> list[AverageKey]:
        rows = await self._conn.fetch(
            """SELECT DISTINCT location_code, variant_code FROM average_cost_periods WHERE item_no = $1
            ORDER BY location_code, variant_code""",
            item_no,
        )
        return [AverageKey(item_no, row[0], row[1]) for row in rows]

    async def add_average_outbound(self, key: AverageKey, start: date, outbound: AverageOutbound) -> None:
        ahead = self._ahead.get(key)
        if ahead is not None:
            ahead.outbounds.pop(start, None)
        await self._conn.execute(
            """INSERT INTO average_outbounds (item_no, location_code, variant_code, period_start, entry_no, quantity,
                in_average, cost_amount)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""",
            *key, start, outbound.entry_no, outbound.quantity, outbound.in_average, outbound.cost_amount,
        )

    async def average_outbounds(self, key: AverageKey, start: date) -> list[AverageOutbound]:
        """The period's outbound entries in entry order; with those of the periods read ahead after it, in one query."""
        ahead = self._ahead.get(key)
        if ahead is not None and start in ahead.outbounds:
            return ahead.outbounds.pop(start)
        starts = [start]
        if ahead is not None:
            starts += [p.start for p in ahead.periods if p.start > start][: ahead.outbound_batch - 1]
            ahead.outbound_batch = min(2 * ahead.outbound_batch, _MAX_BATCH)
        rows = await self._conn.fetch(
            f"""SELECT period_start, entry_no, quantity, in_average, cost_amount FROM average_outbounds
            WHERE {_KEY} AND period_start = ANY($4::date[]) ORDER BY period_start, entry_no""",
            *key, starts,
        )
        by_period: dict[date, list[AverageOutbound]] = {s: [] for s in starts}
        for row in rows:
            by_period[row[0]].append(AverageOutbound(row[1], row[2], row[3], row[4]))
        found = by_period.pop(start)
        if ahead is not None:
            ahead.outbounds.update(by_period)
        return found

    async def set_average_outbound_costs(self, rows: Sequence[tuple[int, Decimal]]) -> None:
        if not rows:
            return
        for ahead in self._ahead.values():
            ahead.set_costs(dict(rows))
        await self._conn.executemany("UPDATE average_outbounds SET cost_amount = $2 WHERE entry_no = $1", rows)

    async def average_outbound_place(self, entry_no: int) -> tuple[AverageKey, date] | None:
        row = await self._conn.fetchrow(
            "SELECT item_no, location_code, variant_code, period_start FROM average_outbounds WHERE entry_no = $1", entry_no
        )
        return (AverageKey(row[0], row[1], row[2]), row[3]) if row else None

    async def add_average_inbound(self, inbound: AverageInboundEntry) -> None:
        await self._conn.execute(
            """INSERT INTO average_inbounds (item_no, location_code, variant_code, period_start, entry_no, in_average, gives_back,
                quantity, cost_amount)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)""",
            *inbound.key, inbound.period_start, inbound.entry_no, inbound.counted is AverageInbound.IN_AVERAGE,
            inbound.counted is AverageInbound.GIVES_BACK, inbound.quantity, inbound.cost_amount,
        )

    async def average_inbound(self, entry_no: int) -> AverageInboundEntry | None:
        row = await self._conn.fetchrow("SELECT * FROM average_inbounds WHERE entry_no = $1", entry_no)
        if row is None:
            return None
        counted = (
            AverageInbound.IN_AVERAGE if row["in_average"] else AverageInbound.GIVES_BACK if row["gives_back"] else AverageInbound.APART
        )
        return AverageInboundEntry(
            entry_no, AverageKey(row["item_no"], row["location_code"], row["variant_code"]), row["period_start"], counted,
            row["quantity"], row["cost_amount"],
        )

    async def set_average_inbound_cost(self, entry_no: int, cost_amount: Decimal) -> None:
        await self._conn.execute("UPDATE average_inbounds SET cost_amount = $2 WHERE entry_no = $1", entry_no, cost_amount)

    async def average_given_back(self, key: AverageKey, start: date) -> list[GivenBack]:
        """The inbound entries of the period that give back what its outbound entries took, in entry order."""
        rows = await self._conn.fetch(
            f"""SELECT entry_no, quantity, cost_amount FROM average_inbounds WHERE {_KEY} AND period_start = $4 AND gives_back
            ORDER BY entry_no""",
            *key, start,
        )
        return [GivenBack(row[0], row[1], row[2]) for row in rows]

    async def add_fixed_outbound(self, outbound: FixedOutbound) -> None:
        await self._conn.execute(
            """INSERT INTO average_fixed_outbounds (entry_no, item_no, location_code, variant_code, period_start,
                applies_to_entry, quantity, cost_amount)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""",
            outbound.entry_no, *outbound.key, outbound.period_start, outbound.applies_to_entry, outbound.quantity,
            outbound.cost_amount,
        )

    async def fixed_outbounds(self, inbound_entry_no: int) -> list[FixedOutbound]:
        """The outbound entries fixed-applied to an inbound entry, in entry order."""
        rows = await self._conn.fetch(
            "SELECT * FROM average_fixed_outbounds WHERE applies_to_entry = $1 ORDER BY entry_no", inbound_entry_no
        )
        return [
            FixedOutbound(row["entry_no"], AverageKey(row["item_no"], row["location_code"], row["variant_code"]),
                          row["period_start"], inbound_entry_no, row["quantity"], row["cost_amount"])
            for row in rows
        ]

    async def set_fixed_outbound_costs(self, rows: Sequence[tuple[int, Decimal]]) -> None:
        if rows:
            await self._conn.executemany("UPDATE average_fixed_outbounds SET cost_amount = $2 WHERE entry_no = $1", rows)

    async def next_value_entry_no(self) -> int:
        """A provisional number, negative: the stored one is drawn when the entry is written, in the same order."""
        self._last_provisional -= 1
        return self._last_provisional

    async def add_value_entries(self, entries: Sequence[ValueEntry]) -> None:
        self._pending.value_entries += entries

    async def _store_value_entries(self, entries: Sequence[ValueEntry]) -> None:
        provisional_of = [entry.entry_no for entry in entries]
        provisional = sorted((number for number in provisional_of if number < 0), reverse=True)
        drawn = await self._conn.fetch("SELECT nextval('value_entry_no') FROM generate_series(1, $1)", len(provisional))
        self._stored_numbers.update(zip(provisional, sorted(row[0] for row in drawn), strict=True))
        entries = [self._numbered(entry) for entry in entries]
        self._stored_entries.update(zip(provisional_of, entries, strict=True))
        await self._conn.copy_records_to_table(
            "value_entries",
            columns=["entry_no", "item_no", "item_ledger_entry_no", "item_ledger_entry_type", "entry_type", "posting_date",
                     "valuation_date", "location_code", "variant_code", "document_no", "valued_quantity", "invoiced_quantity",
                     "cost_per_unit", "cost_amount_actual", "cost_amount_expected", "adjustment", "applies_to_entry",
                     "inventory_posting_group", "gen_prod_posting_group", "gen_bus_posting_group", "item_charge_no",
                     "sales_amount_actual"],
            records=[
                (
                    ve.entry_no, ile.item_no, ile.entry_no, str(ile.entry_type), str(ve.entry_type), ve.posting_date,
                    ve.valued_at, ile.location_code, ile.variant_code, ile.document_no, ve.valued_quantity,
                    ve.invoiced_quantity, ve.cost_per_unit, ve.cost_amount_actual, ve.cost_amount_expected,
                    ve.adjustment, ve.applies_to_entry, ile.inventory_posting_group, ile.gen_prod_posting_group,
                    ile.gen_bus_posting_group, ve.item_charge_no, ve.sales_amount_actual,
                )
                for ve in entries
                for ile in [ve.item_ledger_entry]
            ],
        )
        totals: dict[str, tuple[Decimal, Decimal]] = {}
        for ve in entries:
            quantity, value = totals.get(ve.item_ledger_entry.item_no, (Decimal(0), Decimal(0)))
            totals[ve.item_ledger_entry.item_no] = (quantity + ve.item_ledger_entry_quantity, value + ve.cost_amount_actual)
        await self._conn.executemany(
            """
            INSERT INTO item_on_hand (item_no, quantity, value) VALUES ($1, $2, $3)
            ON CONFLICT (item_no) DO UPDATE SET quantity = item_on_hand.quantity + excluded.quantity,
                value = item_on_hand.value + excluded.value
            """,
            [(item_no, quantity, value) for item_no, (quantity, value) in totals.items()],
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

    async def value_entries_by_no(self, entry_nos: Sequence[int]) -> list[asyncpg.Record]:
        return await self._conn.fetch("SELECT * FROM value_entries WHERE entry_no = ANY($1::bigint[]) ORDER BY entry_no", list(entry_nos))

    async def valuation(self, at: date | None, item_no: str | None, location_code: str | None = None) -> list[asyncpg.Record]:
        """Quantity and value per item, location and inventory posting group, from value entries up to `at`."""
        return await self._conn.fetch(
            """
            SELECT item_no, location_code, inventory_posting_group,
                   coalesce(sum(valued_quantity) FILTER (WHERE entry_type <> 'Revaluation'), 0) AS quantity,
                   sum(cost_amount_actual) AS cost_amount_actual,
                   sum(cost_amount_expected) AS cost_amount_expected
            FROM value_entries
            WHERE ($1::date IS NULL OR posting_date <= $1) AND ($2::text IS NULL OR item_no = $2)
              AND ($3::text IS NULL OR location_code = $3)
            GROUP BY item_no, location_code, inventory_posting_group
            ORDER BY item_no, location_code, inventory_posting_group
            """,
            at, item_no, location_code,
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


    # item charges and revaluation ------------------------------------------------------------------

    async def add_charge_assignment(self, charge_no: str, document_no: str, posting_date: date, entry_no: int, amount: Decimal) -> None:
        await self._conn.execute(
            """INSERT INTO item_charge_assignments (item_charge_no, document_no, posting_date, item_ledger_entry_no, amount)
            VALUES ($1, $2, $3, $4, $5)""",
            charge_no, document_no, posting_date, entry_no, amount,
        )

    async def direct_cost_of(self, entry_nos: Sequence[int]) -> dict[int, Decimal]:
        """The amount each receipt was posted at (its own Direct Cost entries, not charges or adjustments)."""
        rows = await self._conn.fetch(
            """SELECT item_ledger_entry_no, sum(cost_amount_actual + cost_amount_expected) AS amount FROM value_entries
            WHERE item_ledger_entry_no = ANY($1::bigint[]) AND entry_type = 'Direct Cost' AND NOT adjustment
              AND item_charge_no IS NULL GROUP BY item_ledger_entry_no""",
            list(entry_nos),
        )
        return {row["item_ledger_entry_no"]: row["amount"] for row in rows}

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

    async def applications_with_dates(self, inbound_entry_no: int) -> list[Application]:
        """What the outbound entries took from the inbound entry's layer, in the order they took it."""
        rows = await self._conn.fetch(
            """SELECT a.seq, a.outbound_entry_no, a.quantity, a.cost_amount, o.posting_date FROM cost_applications a
            JOIN item_ledger_entries o ON o.entry_no = a.outbound_entry_no WHERE a.inbound_entry_no = $1 ORDER BY a.seq""",
            inbound_entry_no,
        )
        return [Application(**dict(row)) for row in rows]

    async def last_average_inbound(self, key: AverageKey, at: date) -> int | None:
        return await self._conn.fetchval(
            """SELECT i.entry_no FROM average_inbounds i JOIN item_ledger_entries e USING (entry_no)
            WHERE i.item_no = $1 AND i.location_code = $2 AND i.variant_code = $3 AND e.posting_date <= $4
            ORDER BY e.posting_date DESC, i.entry_no DESC LIMIT 1""",
            *key, at,
        )

    # the inventory setup replica -----------------------------------------------------------------

    async def inventory_setup_revision(self) -> int:
        return int(await self._conn.fetchval("SELECT coalesce(max(revision), 0) FROM inventory_setup"))

    async def inventory_calendar(self) -> InventoryCalendar:
        if self._calendar is None:
            row = await self._conn.fetchrow(
                """SELECT allow_posting_from, closed_through, average_cost_period, average_cost_calc_type
                FROM inventory_setup"""
            )
            self._calendar = InventoryCalendar() if row is None else InventoryCalendar(
                row["allow_posting_from"], row["closed_through"], AverageCostPeriod(row["average_cost_period"]),
                AverageCostCalcType(row["average_cost_calc_type"]),
            )
        return self._calendar

    async def save_inventory_setup(self, setup: InventorySetupChanged) -> bool:
        """Keep the newest revision; False when this one is not newer than the replica."""
        self._calendar = None
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

    # unit cost and adjustment status -------------------------------------------------------------

    async def unit_cost_bases(self, item_nos: Sequence[str]) -> dict[str, asyncpg.Record]:
        """Per item costing knows: its costing method, standard cost and quantity and value on hand. An item whose
        card has not reached costing yet has the costing method of its last entry and no standard cost."""
        rows = await self._conn.fetch(
            """
            SELECT n.item_no, coalesce(i.standard_cost, 0) AS standard_cost,
                   coalesce(h.quantity, 0) AS quantity, coalesce(h.value, 0) AS value,
                   coalesce(i.costing_method, (SELECT e.costing_method FROM item_ledger_entries e WHERE e.item_no = n.item_no
                                               ORDER BY e.entry_no DESC LIMIT 1)) AS costing_method
            FROM unnest($1::text[]) AS n(item_no) LEFT JOIN items i USING (item_no) LEFT JOIN item_on_hand h USING (item_no)
            """,
            list(item_nos),
        )
        return {row["item_no"]: row for row in rows if row["costing_method"] is not None}

    async def published_unit_costs(self, item_nos: Sequence[str]) -> dict[str, asyncpg.Record]:
        rows = await self._conn.fetch(
            "SELECT item_no, unit_cost, sequence FROM item_unit_costs WHERE item_no = ANY($1::text[]) ORDER BY item_no FOR UPDATE",
            list(item_nos),
        )
        return {row["item_no"]: row for row in rows}

    async def save_published_unit_costs(self, rows: Sequence[tuple[str, Decimal, int]]) -> None:
        """(item, unit cost, sequence)"""
        await self._conn.executemany(
            """INSERT INTO item_unit_costs (item_no, unit_cost, sequence) VALUES ($1, $2, $3)
            ON CONFLICT (item_no) DO UPDATE SET unit_cost = excluded.unit_cost, sequence = excluded.sequence""",
            rows,
        )

    async def mark_adjusted(self, item_nos: Sequence[str]) -> None:
        await self._conn.execute(
            """INSERT INTO item_cost_status (item_no, cost_is_adjusted, last_adjusted_at)
            SELECT item_no, true, clock_timestamp() FROM unnest($1::text[]) AS n(item_no) ORDER BY item_no
            ON CONFLICT (item_no) DO UPDATE SET cost_is_adjusted = item_cost_status.last_error IS NULL,
                last_adjusted_at = excluded.last_adjusted_at""",
            sorted(set(item_nos)),
        )

    async def mark_error(self, item_no: str, error: str) -> None:
        await self._conn.execute(
            """INSERT INTO item_cost_status (item_no, cost_is_adjusted, last_error, last_error_at) VALUES ($1, false, $2, clock_timestamp())
            ON CONFLICT (item_no) DO UPDATE SET cost_is_adjusted = false, last_error = excluded.last_error,
                last_error_at = excluded.last_error_at""",
            item_no, error,
        )

    async def cost_status(self, item_no: str) -> asyncpg.Record | None:
        return await self._conn.fetchrow("SELECT * FROM item_cost_status WHERE item_no = $1", item_no)


# What the valuation path reads and writes without flushing: served from what this transaction read and kept.
_UNFLUSHED = frozenset({
    "prefetch", "flush", "add_item_ledger_entry", "set_valuation_date", "add_layer", "layers", "save_layers",
    "latest_valuation_dates", "item_setup", "add_cost_applications", "next_value_entry_no", "add_value_entries",
    "inventory_calendar",
})


def _flushing_first(query: Callable[..., Awaitable[object]]) -> Callable[..., Awaitable[object]]:
    @functools.wraps(query)
    async def flushed(self: CostingRepository, *args: object, **kwargs: object) -> object:
        await self.flush()
        return await query(self, *args, **kwargs)
    return flushed


for _name, _query in list(vars(CostingRepository).items()):
    if inspect.iscoroutinefunction(_query) and not _name.startswith("_") and _name not in _UNFLUSHED:
        setattr(CostingRepository, _name, _flushing_first(_query))


@dataclass
class _Pending:
    """What the valuation path wrote and `flush` has not stored yet."""

    entries: dict[int, ItemLedgerEntry] = field(default_factory=dict)
    valuation_dates: dict[int, date] = field(default_factory=dict)
    layers: dict[int, tuple[CostLayer, str]] = field(default_factory=dict)
    changed_layers: dict[int, CostLayer] = field(default_factory=dict)
    applications: list[tuple[int, int, Decimal, Decimal]] = field(default_factory=list)
    value_entries: list[ValueEntry] = field(default_factory=list)


def _entry(row: asyncpg.Record) -> ItemLedgerEntry:
    return ItemLedgerEntry(
        **{key: row[key] for key in _ROW_FIELDS},
        entry_type=_ENTRY_TYPES[row["entry_type"]], costing_method=_COSTING_METHODS[row["costing_method"]],
    )


_ROW_FIELDS = tuple(f.name for f in fields(ItemLedgerEntry) if f.name not in {"entry_type", "costing_method"})
_ENTRY_TYPES = {str(entry_type): entry_type for entry_type in ItemLedgerEntryType}
_COSTING_METHODS = {str(method): method for method in CostingMethod}


def _setup(row: asyncpg.Record) -> CostSetup:
    return CostSetup(**{**dict(row), "costing_method": CostingMethod(row["costing_method"])})


_PERIOD_COLUMNS = (
    "period_start AS start, start_quantity, start_value, inbound_quantity, inbound_value, outbound_quantity, outbound_value, "
    "revaluation_value, given_back_quantity, given_back_value, rounding_value, fixed_quantity, fixed_value, unrounded"
)
_KEY = "item_no = $1 AND location_code = $2 AND variant_code = $3"


def _period(row: asyncpg.Record | None) -> Period | None:
    return Period(**dict(row)) if row is not None else None


_MAX_BATCH = 1024


@dataclass
class _PeriodsAhead:
    """An item's periods after `after`, read and locked ahead in this transaction, kept as saved since.

    `periods` are all the item's periods after `after` up to the last one read (all of them when `complete`);
    `outbounds` the outbound entries of some of them, as stored.
    """

    after: date
    periods: list[Period] = field(default_factory=list)
    complete: bool = False
    batch: int = 8
    outbounds: dict[date, list[AverageOutbound]] = field(default_factory=dict)
    outbound_batch: int = 4

    def skip_to(self, start: date) -> None:
        """Forget what lies at or before `start`: the walk has passed it."""
        passed = 0
        while passed < len(self.periods) and self.periods[passed].start <= start:
            self.outbounds.pop(self.periods[passed].start, None)
            passed += 1
        del self.periods[:passed]
        self.after = start

    def saved(self, period: Period) -> bool:
        """Keep a saved period read ahead as saved; False if it was not read ahead: a new period."""
        for i, known in enumerate(self.periods):
            if known.start == period.start:
                self.periods[i] = replace(period)
                return True
        return False

    def set_costs(self, costs: dict[int, Decimal]) -> None:
        for start, outbound in self.outbounds.items():
            if any(entry.entry_no in costs for entry in outbound):
                self.outbounds[start] = [
                    replace(entry, cost_amount=costs[entry.entry_no]) if entry.entry_no in costs else entry for entry in outbound
                ]
