"""The costing benchmark commands at tiny sizes: they run and print their figures (the figures are for people; no
timing is asserted). And the history the adjustment benchmark writes straight into costing's tables is what costing
itself writes for the same entries, so that it measures costing on a state costing could have reached."""

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from devstack.bench_adjustment import PER_DAY, START, write_history
from devstack.postgres import create_databases
from devstack.stack import Stack
from inventory_contracts import ITEM_ENTRY_POSTED_V1, new_envelope
from inventory_contracts.topics import WAREHOUSE_ITEM_ENTRIES
from inventory_contracts.warehouse import ItemApplication, ItemEntryPosted
from servicekit.db import connect
from servicekit.migrations import discover, migrate

pytestmark = [pytest.mark.system]

DEVSTACK = Path(sys.executable).with_name("devstack")


def devstack(*args: str, timeout: float) -> subprocess.CompletedProcess[str]:
    run = subprocess.run([str(DEVSTACK), *args], capture_output=True, text=True, timeout=timeout)
    print(run.stdout[-6000:], run.stderr[-3000:])
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-4000:]
    return run


@pytest.mark.timeout(900)
def test_the_end_to_end_benchmark_runs_and_prints_its_figures() -> None:
    run = devstack("bench", "--postings", "200", "--items", "10", "--replicas", "2", "--segment", "100", "--statements",
                  "--paced-rate", "40", "--paced-seconds", "5", timeout=800)
    for figure in ("postings/s through the API", "postings/s end to end (to G/L)", "latency p99 posting -> G/L",
                   "baseline: single-row INSERT tx/s", "end to end / baseline", "replicas=2", "per 100 postings, in posting order",
                   "statements per posting: ", "most frequent statements", "then paced at 40 postings/s on the same stack",
                   "peak RSS per service (MB), whole run"):
        assert figure in run.stdout, figure
    peaks = [line for line in run.stdout.splitlines() if "peak RSS per service (MB)" in line]
    assert len(peaks) == 2 and all(f"{instance} " in line for line in peaks for instance in (
        "catalog", "warehouse", "warehouse-2", "costing", "costing-2", "ledger", "ledger-2")), peaks
    assert [line.split()[1] for line in run.stdout.splitlines() if line.startswith("│") and "-" in line.split()[1]] == ["1-100", "101-200"]


@pytest.mark.timeout(900)
def test_costing_drain_runs_and_prints_its_figures() -> None:
    run = devstack("bench", "costing-drain", "--entries", "200", "--items", "10", "--lines-per-document", "25", timeout=800)

    assert "costing start -> consumer lag 0" in run.stdout and "entries/s" in run.stdout
    assert "costing start -> ledger posted every value entry" in run.stdout
    assert "200 / " in run.stdout  # costing holds every entry of the backlog


@pytest.mark.timeout(900)
def test_costing_adjustment_runs_and_prints_its_figures() -> None:
    run = devstack("bench", "costing-adjustment", "--entries", "300", "--entries", "2000", "--outbound", "20", "--runs", "2",
                   timeout=800)

    assert "back-dated inbound entry adjusting 20 outbound entries" in run.stdout
    assert "2,000" in run.stdout and "300" in run.stdout
    assert "costing alone" in run.stdout and "ledger posted" in run.stdout


def history_events(item_no: str, waiting: int, pairs: int) -> list[ItemEntryPosted]:
    """The adjustment benchmark's history as the warehouse would post it: sales without stock, then purchase and sale pairs."""
    def entry(no: int, kind: str, quantity: int, day: Any, **more: Any) -> ItemEntryPosted:
        return ItemEntryPosted(entry_no=no, item_no=item_no, location_code="MAIN", posting_date=day, entry_type=kind,
                               document_no=f"H{no}", quantity=Decimal(quantity), costing_method="FIFO",
                               inventory_posting_group="RESALE", gen_prod_posting_group="RETAIL",
                               recorded_at=datetime.now(UTC), **more)

    events = [entry(no, "Sale", -1, START) for no in range(1, waiting + 1)]
    for index in range(2 * pairs):
        no, day = waiting + 1 + index, START + timedelta(days=1 + index // PER_DAY)
        if index % 2 == 0:
            events.append(entry(no, "Purchase", 1, day, unit_cost=Decimal("10.00")))
        else:
            events.append(entry(no, "Sale", -1, day,
                                applications=[ItemApplication(inbound_entry_no=no - 1, outbound_entry_no=no, quantity=Decimal(1))]))
    return events


async def costing_tables(conn: asyncpg.Connection) -> dict[str, list[dict[str, Any]]]:
    """Every table costing keeps, without its inbox and outbox (the history's events are not published again) and
    without timestamps (when a row was written)."""
    tables = [row[0] for row in await conn.fetch(
        """SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
           AND table_name NOT IN ('inbox', 'outbox', 'outbox_failed', 'schema_migrations', 'idempotency_keys') ORDER BY 1""")]
    contents = {}
    for table in tables:
        columns = [row[0] for row in await conn.fetch(
            """SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1
               AND data_type NOT LIKE 'timestamp%' ORDER BY ordinal_position""", table)]
        listed = ", ".join(f'"{column}"' for column in columns)
        contents[table] = [dict(row) for row in await conn.fetch(f'SELECT {listed} FROM "{table}" ORDER BY {listed}')]
    return contents


async def test_the_history_the_adjustment_benchmark_writes_is_what_costing_writes_for_the_same_entries(stack: Stack) -> None:
    from costing.adapters.unit_of_work import PostgresCostingUnitOfWork
    from costing.entrypoints.consumers import SUBSCRIPTIONS

    subscription = next(s for s in SUBSCRIPTIONS if s.topic == WAREHOUSE_ITEM_ENTRIES)
    names = [f"bench_history_{kind}_{os.getpid()}" for kind in ("valued", "written")]
    server = stack.database_server_url
    waiting, pairs = 3, PER_DAY + 2  # the pairs run into a second day

    await create_databases(server, names)
    valued, written = [await connect(server.rsplit("/", 1)[0] + f"/{name}") for name in names]
    try:
        for conn in (valued, written):
            await migrate(conn, discover("servicekit", "servicekit") + discover("costing"))
            await conn.execute("INSERT INTO items (item_no, revision, costing_method, standard_cost, indirect_cost_pct, "
                               "overhead_rate) VALUES ('H1', 1, 'FIFO', 0, 0, 0)")
        for payload in history_events("H1", waiting, pairs):
            async with valued.transaction():
                assert subscription.handle_batch is not None
                event = new_envelope(ITEM_ENTRY_POSTED_V1, payload, producer="warehouse", key="H1")
                await subscription.handle_batch(PostgresCostingUnitOfWork(valued), [event])
        assert await write_history(written, "H1", waiting + 2 * pairs, waiting) == (1, waiting + 2 * pairs)

        expected, actual = await costing_tables(valued), await costing_tables(written)
        assert expected.keys() == actual.keys()
        for table in expected:
            assert actual[table] == expected[table], table
    finally:
        await valued.close()
        await written.close()
        admin = await asyncpg.connect(server)
        try:
            for name in names:
                await admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        finally:
            await admin.close()
