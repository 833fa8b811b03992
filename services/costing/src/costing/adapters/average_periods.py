"""SQL of average cost: periods per average key, their outbound and inbound entries and fixed applications."""

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal

import asyncpg

from costing.adapters.session import MAX_BATCH, CostingStore, PeriodsAhead, flushes_first
from costing.domain.average import (
    AverageInbound,
    AverageInboundEntry,
    AverageKey,
    AverageOutbound,
    FixedOutbound,
    GivenBack,
    Period,
)


@flushes_first()
class AveragePeriodStore(CostingStore):
    """Average-cost periods: every query names the average's key (the item, and its location and variant when averaged
    per them)."""

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
        ahead = self._session.ahead.get(key)
        if ahead is None or start < ahead.after:
            ahead = self._session.ahead[key] = PeriodsAhead(after=start)
        ahead.skip_to(start)
        if not ahead.periods and not ahead.complete:
            rows = await self._conn.fetch(
                f"""SELECT {_PERIOD_COLUMNS} FROM average_cost_periods WHERE {_KEY} AND period_start > $4
                ORDER BY period_start LIMIT $5 FOR UPDATE""",
                *key, start, ahead.batch,
            )
            ahead.periods = [Period(**dict(row)) for row in rows]
            ahead.complete = len(rows) < ahead.batch
            ahead.batch = min(2 * ahead.batch, MAX_BATCH)
        return replace(ahead.periods[0]) if ahead.periods else None

    async def save_period(self, key: AverageKey, period: Period) -> None:
        ahead = self._session.ahead.get(key)
        if ahead is not None and period.start > ahead.after and not ahead.saved(period):
            del self._session.ahead[key]  # a new period within what was read ahead
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
        ahead = self._session.ahead.get(key)
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
        ahead = self._session.ahead.get(key)
        if ahead is not None and start in ahead.outbounds:
            return ahead.outbounds.pop(start)
        starts = [start]
        if ahead is not None:
            starts += [p.start for p in ahead.periods if p.start > start][: ahead.outbound_batch - 1]
            ahead.outbound_batch = min(2 * ahead.outbound_batch, MAX_BATCH)
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
        for ahead in self._session.ahead.values():
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

    async def last_average_inbound(self, key: AverageKey, at: date) -> int | None:
        return await self._conn.fetchval(
            """SELECT i.entry_no FROM average_inbounds i JOIN item_ledger_entries e USING (entry_no)
            WHERE i.item_no = $1 AND i.location_code = $2 AND i.variant_code = $3 AND e.posting_date <= $4
            ORDER BY e.posting_date DESC, i.entry_no DESC LIMIT 1""",
            *key, at,
        )

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


_PERIOD_COLUMNS = (
    "period_start AS start, start_quantity, start_value, inbound_quantity, inbound_value, outbound_quantity, outbound_value, "
    "revaluation_value, given_back_quantity, given_back_value, rounding_value, fixed_quantity, fixed_value, unrounded"
)
_KEY = "item_no = $1 AND location_code = $2 AND variant_code = $3"


def _period(row: asyncpg.Record | None) -> Period | None:
    return Period(**dict(row)) if row is not None else None

