"""Times cost adjustment after a back-dated inbound entry on an item with 100,000 entries (FIFO and Average).

    .venv/bin/python services/costing/scripts/bench_adjustment.py [--entries 100000] [--per-day 100]

Starts a throw-away PostgreSQL (or uses DATABASE_URL's server), creates database `costing_bench`, applies
costing's migrations and writes each item's history with COPY as costing itself would have left it
(item ledger entries, value entries, layers and applications, average-cost periods): purchases of 1 @ 10.00
and sales of 1, `per-day` entries a day. Then it values one back-dated inbound entry through
`costing.service_layer.valuation.value_item_entry` (what the consumer calls) in one transaction and
prints the time until every adjustment is written, with how many were.

- FIFO: the first 1,000 sales were posted without stock (valued provisionally at 0); the back-dated
  purchase of 1,000 @ 12.00 covers them, so each gets an adjustment.
- Average (period Day): a purchase of 1 @ 20.00 on the first day changes that day's average and,
  carried forward, every later day's: every sale of the item is adjusted (the worst case).
"""

import argparse
import asyncio
import os
import socket
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import asyncpg

from devstack.postgres import PostgresCluster, create_databases
from inventory_contracts.warehouse import ItemEntryPosted
from servicekit.db import connect
from servicekit.migrations import discover, migrate

from costing.adapters.unit_of_work import PostgresCostingUnitOfWork
from costing.service_layer.valuation import value_item_entry

D = Decimal
START = date(2020, 1, 1)
ILE_COLUMNS = ["entry_no", "item_no", "variant_code", "location_code", "posting_date", "entry_type", "document_no", "quantity",
               "costing_method", "inventory_posting_group", "gen_prod_posting_group", "gen_bus_posting_group"]
VE_COLUMNS = ["entry_no", "item_no", "item_ledger_entry_no", "item_ledger_entry_type", "entry_type", "posting_date",
              "valuation_date", "location_code", "variant_code", "document_no", "valued_quantity", "invoiced_quantity",
              "cost_per_unit", "cost_amount_actual", "inventory_posting_group", "gen_prod_posting_group", "gen_bus_posting_group"]


def ile(no: int, item: str, day: date, kind: str, quantity: int, method: str) -> tuple[object, ...]:
    return (no, item, "", "MAIN", day, kind, f"D{no}", D(quantity), method, "RESALE", "RETAIL", "")


def ve(no: int, item: str, day: date, kind: str, quantity: int, cost: Decimal) -> tuple[object, ...]:
    return (no, item, no, kind, "Direct Cost", day, day, "MAIN", "", f"D{no}", D(quantity), D(quantity),
            (cost / quantity).quantize(D("0.00001")), cost, "RESALE", "RETAIL", "")


async def seed_fifo(conn: asyncpg.Connection, item: str, first: int, count: int, per_day: int) -> None:
    entries, values, layers, applications, provisional = [], [], [], [], []
    uncovered = 1000
    no = first
    for n in range(uncovered):  # sales without stock, valued provisionally at 0
        entries.append(ile(no, item, START, "Sale", -1, "FIFO"))
        values.append(ve(no, item, START, "Sale", -1, D("0.00")))
        provisional.append((no, D(1), D("0.00")))
        no += 1
    pairs = (count - uncovered) // 2
    for n in range(pairs):
        day = START + timedelta(days=(2 * n) // per_day + 1)
        purchase, sale = no, no + 1
        entries += [ile(purchase, item, day, "Purchase", 1, "FIFO"), ile(sale, item, day, "Sale", -1, "FIFO")]
        values += [ve(purchase, item, day, "Purchase", 1, D("10.00")), ve(sale, item, day, "Sale", -1, D("-10.00"))]
        layers.append((purchase, item, D(1), D("10.00"), D(1), D("10.00")))
        applications.append((purchase, sale, D(1), D("10.00")))
        no += 2
    await conn.copy_records_to_table("item_ledger_entries", records=entries, columns=ILE_COLUMNS)
    await conn.copy_records_to_table("value_entries", records=values, columns=VE_COLUMNS)
    await conn.copy_records_to_table("cost_layers", records=layers, columns=[
        "entry_no", "item_no", "quantity", "cost_amount", "applied_quantity", "applied_cost"])
    await conn.copy_records_to_table("cost_applications", records=applications, columns=[
        "inbound_entry_no", "outbound_entry_no", "quantity", "cost_amount"])
    await conn.copy_records_to_table("provisional_outbound_costs", records=provisional, columns=[
        "entry_no", "provisional_quantity", "provisional_cost"])


async def seed_average(conn: asyncpg.Connection, item: str, first: int, count: int, per_day: int) -> None:
    entries, values, periods, inbounds, outbounds = [], [], [], [], []
    no = first
    days = count // per_day
    for d in range(days):
        day = START + timedelta(days=d)
        half = per_day // 2
        for k in range(half):
            entries.append(ile(no, item, day, "Purchase", 1, "Average"))
            values.append(ve(no, item, day, "Purchase", 1, D("10.00")))
            inbounds.append((no, item, day, True, D(1), D("10.00")))
            no += 1
        for _ in range(half):
            entries.append(ile(no, item, day, "Sale", -1, "Average"))
            values.append(ve(no, item, day, "Sale", -1, D("-10.00")))
            outbounds.append((no, item, day, D(1), True, D("-10.00")))
            no += 1
        periods.append((item, day, D(0), D(0), D(half), D(10 * half), D(-half), D(-10 * half), True))
    await conn.copy_records_to_table("item_ledger_entries", records=entries, columns=ILE_COLUMNS)
    await conn.copy_records_to_table("value_entries", records=values, columns=VE_COLUMNS)
    await conn.copy_records_to_table("average_cost_periods", records=periods, columns=[
        "item_no", "period_start", "start_quantity", "start_value", "inbound_quantity", "inbound_value",
        "outbound_quantity", "outbound_value", "unrounded"])
    await conn.copy_records_to_table("average_inbounds", records=inbounds, columns=[
        "entry_no", "item_no", "period_start", "in_average", "quantity", "cost_amount"])
    await conn.copy_records_to_table("average_outbounds", records=outbounds, columns=[
        "entry_no", "item_no", "period_start", "quantity", "in_average", "cost_amount"])


def back_dated(item: str, no: int, method: str, quantity: int, unit_cost: str, applications: list[dict[str, object]]) -> ItemEntryPosted:
    return ItemEntryPosted(
        entry_no=no, item_no=item, location_code="MAIN", posting_date=START, entry_type="Purchase", document_no="LATE",
        quantity=D(quantity), unit_cost=D(unit_cost), costing_method=method, inventory_posting_group="RESALE",
        gen_prod_posting_group="RETAIL", recorded_at=datetime.now(UTC), applications=applications,
    )


async def run(server_url: str, count: int, per_day: int) -> None:
    admin = await asyncpg.connect(server_url)
    await admin.execute("DROP DATABASE IF EXISTS costing_bench")
    await admin.close()
    await create_databases(server_url, ["costing_bench"])
    conn = await connect(server_url.rsplit("/", 1)[0] + "/costing_bench")
    try:
        await migrate(conn, discover("servicekit", "servicekit") + discover("costing"))
        for method, seed in (("FIFO", seed_fifo), ("Average", seed_average)):
            item, first = f"BENCH-{method}", 1 if method == "FIFO" else 10_000_000
            started = time.perf_counter()
            await seed(conn, item, first, count, per_day)
            await conn.execute("SELECT setval('value_entry_no', (SELECT max(entry_no) FROM value_entries))")
            await conn.execute("INSERT INTO item_on_hand SELECT item_no, sum(valued_quantity), sum(cost_amount_actual) "
                               "FROM value_entries WHERE item_no = $1 GROUP BY item_no", item)
            await conn.execute("ANALYZE")
            seeded = await conn.fetchval("SELECT count(*) FROM item_ledger_entries WHERE item_no = $1", item)
            print(f"{method}: seeded {seeded} entries in {time.perf_counter() - started:.1f}s")
            if method == "FIFO":
                covered = [{"inbound_entry_no": 0, "outbound_entry_no": first + n, "quantity": "1"} for n in range(1000)]
                late = back_dated(item, 50_000_000, method, 1000, "12.00", covered)
            else:
                late = back_dated(item, 60_000_000, method, 1, "20.00", [])
            started = time.perf_counter()
            async with conn.transaction():
                written = await value_item_entry(PostgresCostingUnitOfWork(conn), late)
            elapsed = time.perf_counter() - started
            adjustments = sum(1 for v in written if v.adjustment)
            print(f"{method}: back-dated inbound valued and {adjustments} adjustments written in {elapsed * 1000:.0f} ms "
                  f"({elapsed * 1e6 / max(adjustments, 1):.0f} us per adjustment)")
    finally:
        await conn.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--per-day", type=int, default=100)
    args = parser.parse_args()
    server_url = os.environ.get("DATABASE_URL")
    with tempfile.TemporaryDirectory(prefix="costing-bench-") as state:
        cluster = None
        if not server_url:
            with socket.socket() as s:
                s.bind(("127.0.0.1", 0))
                port = s.getsockname()[1]
            cluster = PostgresCluster(Path(state) / "postgres", port, durable=False)  # measures queries, not commits
            cluster.start()
            server_url = cluster.server_url
        try:
            asyncio.run(run(server_url, args.entries, args.per_day))
        finally:
            if cluster is not None:
                cluster.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
