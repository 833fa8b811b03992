"""End-to-end benchmark: postings per second from the warehouse API to committed G/L entries.

It starts a stack of its own (fresh databases, free ports), so figures are not disturbed by other data.
"""

import asyncio
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import asyncpg
import httpx
from rich.console import Console
from rich.table import Table

from . import observe
from .stack import REPLICATED, Ports, Stack

console = Console(soft_wrap=True)
if not console.is_terminal:
    console.width = 160  # into a file or a pipe: the tables of figures print unwrapped


def run(
    *, postings: int, items: int, lines_per_document: int, concurrency: int, durable: bool, rate: float | None,
    replicas: int = 1, segment: int = 20_000, statements: bool = False, paced_rate: float | None = None,
    paced_seconds: float = 60,
) -> None:
    with fresh_stack(durable, replicas, statements) as stack:
        baseline = asyncio.run(insert_baseline(stack.database_server_url))
        item_nos = [f"B{n:05d}" for n in range(items)]
        with console.status(f"creating {items} items"):
            create_items(stack, item_nos, "FIFO")
        if statements:
            asyncio.run(reset_statement_stats(stack.database_server_url))
        with console.status(f"posting {postings} lines over {items} items"):
            result = push(stack, item_nos, postings=postings, lines_per_document=lines_per_document,
                          concurrency=concurrency, rate=rate)
        result["peak_rss_mb"] = peak_rss_mb(stack)
        report(result, baseline, postings=postings, items=items, lines=lines_per_document, concurrency=concurrency,
               rate=rate or "max", replicas=replicas, postgres=postgres_mode(durable))
        if postings > segment:
            report_segments(result, segment)
        if statements:
            report_statements(asyncio.run(statement_stats(stack.database_server_url)), postings)
        if paced_rate:
            paced_postings = round(paced_rate * paced_seconds / lines_per_document) * lines_per_document
            with console.status(f"then posting {paced_postings} lines paced at {paced_rate:g}/s"):
                paced = push(stack, item_nos, postings=paced_postings, lines_per_document=lines_per_document,
                             concurrency=concurrency, rate=paced_rate, after_entry_no=int(result["last_entry_no"]))  # type: ignore[call-overload]
            report_paced(paced, paced_postings, paced_rate, peak_rss_mb(stack))


@contextmanager
def fresh_stack(durable: bool, replicas: int = 1, statement_stats: bool = False) -> Iterator[Stack]:
    """Kafka, PostgreSQL and the four services of its own (fresh databases, free ports), removed afterwards;
    warehouse, costing and ledger in `replicas` processes each."""
    states = Path(__file__).resolve().parents[4] / ".state"
    states.mkdir(parents=True, exist_ok=True)
    state = Path(tempfile.mkdtemp(prefix="bench-", dir=states))
    stack = Stack(state, Ports.free(), durable_postgres=durable, statement_stats=statement_stats)
    try:
        with console.status("starting a fresh stack"):
            stack.start_infrastructure()
            stack.start_services({service: replicas for service in REPLICATED})
        console.print(f"PostgreSQL {stack.postgres.settings if stack.postgres else 'of DATABASE_URL (settings its own)'}")
        yield stack
    finally:
        stack.stop()
        shutil.rmtree(state, ignore_errors=True)


def postgres_mode(durable: bool) -> str:
    return "durable (fsync on)" if durable else "fast (--fast: fsync off)"


def create_items(stack: Stack, item_nos: list[str], costing_method: str) -> None:
    """Through the catalog, and wait until the warehouse and costing replicas hold every one."""
    token = stack.issuer.token(["catalog:write"], ttl=3600, subject="bench")
    with httpx.Client(timeout=60, headers={"Authorization": f"Bearer {token}"}) as http:
        def create(item_no: str) -> None:
            http.post(f"{stack.url('catalog')}/items", headers={"Idempotency-Key": f"bench-item-{item_no}"}, json={
                "item_no": item_no, "description": "bench", "base_unit_of_measure": "PCS", "costing_method": costing_method,
                "inventory_posting_group": "RESALE", "gen_prod_posting_group": "RETAIL", "prevent_negative_inventory": "No",
            }).raise_for_status()

        with ThreadPoolExecutor(8) as pool:
            list(pool.map(create, item_nos))
    asyncio.run(wait_replicated(stack, item_nos))


async def wait_replicated(stack: Stack, item_nos: list[str], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    for service in ("warehouse", "costing"):
        conn = await asyncpg.connect(stack.database_url(service))
        try:
            while (known := await conn.fetchval("SELECT count(*) FROM items WHERE item_no = ANY($1::text[])", item_nos)) < len(item_nos):
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{service} knows {known} of {len(item_nos)} items after {timeout:.0f}s")
                await asyncio.sleep(0.1)
        finally:
            await conn.close()


async def insert_baseline(server_url: str, seconds: float = 3.0) -> float:
    """Single-row INSERT transactions per second, one connection, as the yardstick."""
    conn = await asyncpg.connect(server_url)
    try:
        # A regular table: a temporary one writes no WAL, so it would not pay for commits.
        await conn.execute("CREATE TABLE bench_baseline (id bigserial PRIMARY KEY, quantity numeric(20, 5))")
        count, deadline = 0, time.monotonic() + seconds
        started = time.monotonic()
        while time.monotonic() < deadline:
            await conn.execute("INSERT INTO bench_baseline (quantity) VALUES ($1)", Decimal(count))
            count += 1
        return count / (time.monotonic() - started)
    finally:
        await conn.execute("DROP TABLE IF EXISTS bench_baseline")
        await conn.close()


def push(
    stack: Stack, item_nos: list[str], *, postings: int, lines_per_document: int, concurrency: int, rate: float | None,
    after_entry_no: int = 0,
) -> dict[str, object]:
    """Post the documents as fast as the API takes them, or paced at `rate` postings per second. A second phase on the
    same stack gives the number of entries posted before it: its figures are of its own entries."""
    rng = random.Random(7 + after_entry_no)
    phase = f"BENCH{after_entry_no}-" if after_entry_no else "BENCH-"
    http = httpx.Client(timeout=120, headers={"Authorization": f"Bearer {stack.issuer.token(ttl=86400, subject='bench')}"})
    documents = []
    for start in range(0, postings, lines_per_document):
        lines = []
        for _ in range(min(lines_per_document, postings - start)):
            inbound = rng.random() < 0.6
            line = {"item_no": rng.choice(item_nos), "entry_type": "Purchase" if inbound else "Sale",
                    "quantity": str(rng.randint(1, 10)), "posting_date": "2026-03-01", "location_code": "MAIN"}
            if inbound:
                line["unit_cost"] = str(Decimal(rng.randint(100, 9999)) / 100)
            lines.append(line)
        documents.append({"document_no": f"{phase}{start}", "lines": lines})

    warehouses = stack.instances("warehouse")

    def post(document: dict[str, object]) -> None:
        warehouse = warehouses[int(str(document["document_no"]).removeprefix(phase)) // lines_per_document % len(warehouses)]
        http.post(f"{stack.url(warehouse)}/item-journal", json=document).raise_for_status()

    started = time.time()
    with ThreadPoolExecutor(concurrency) as pool:
        if rate is None:
            list(pool.map(post, documents))
        else:
            sent = []
            for index, document in enumerate(documents):
                time.sleep(max(0.0, started + index * lines_per_document / rate - time.time()))
                sent.append(pool.submit(post, document))
            for future in sent:
                future.result()
    api_done = time.time()
    if after_entry_no:
        # Adjustments of earlier entries come too: caught up is when nothing is left to consume or publish.
        observe.wait_quiet(stack, timeout=600)
    latencies = asyncio.run(wait_for_gl(stack, 0 if after_entry_no else postings, after_entry_no))
    return {"started": started, "api_done": api_done, **latencies}


async def wait_for_gl(stack: Stack, expected: int, after_entry_no: int = 0, timeout: float = 600) -> dict[str, object]:
    """Wait until `expected` value entries have G/L entries; latency = G/L commit - entry recorded, of the item ledger
    entries after `after_entry_no`."""
    from servicekit.settings import database_url_for

    env = {"DATABASE_URL": stack.database_server_url}
    warehouse = await asyncpg.connect(database_url_for("warehouse", env))
    costing = await asyncpg.connect(database_url_for("costing", env))
    ledger = await asyncpg.connect(database_url_for("ledger", env))
    try:
        deadline = time.monotonic() + timeout
        while True:
            posted = await ledger.fetchval("SELECT count(DISTINCT value_entry_no) FROM gl_entries")
            if posted >= expected:
                break
            if time.monotonic() > deadline:
                raise TimeoutError(f"only {posted} of {expected} value entries reached the G/L")
            await asyncio.sleep(0.1)
        recorded = dict(await warehouse.fetch(
            "SELECT entry_no, extract(epoch FROM recorded_at) FROM item_ledger_entries WHERE entry_no > $1", after_entry_no))
        value_of = dict(await costing.fetch("SELECT entry_no, item_ledger_entry_no FROM value_entries WHERE NOT adjustment"))
        gl_at = dict(await ledger.fetch("SELECT value_entry_no, extract(epoch FROM max(created_at)) FROM gl_entries GROUP BY 1"))
        if after_entry_no:
            gl_at = {ve: at for ve, at in gl_at.items() if value_of.get(ve, 0) > after_entry_no}
        # Per item entry, in the order posted: when recorded, and when its value reached the G/L (None: nothing to post)
        reached = {ile: float(gl_at[ve]) for ve, ile in value_of.items() if ve in gl_at}
        journey = [(float(at), reached.get(ile)) for ile, at in sorted(recorded.items())]
        costing_done = await costing.fetchval(
            "SELECT extract(epoch FROM max(recorded_at)) FROM value_entries WHERE item_ledger_entry_no > $1", after_entry_no)
        return {"latencies": sorted(done - at for at, done in journey if done is not None), "journey": journey,
                "gl_done": max(float(v) for v in gl_at.values()), "costing_done": float(costing_done),
                "last_entry_no": max(recorded, default=after_entry_no)}
    finally:
        for conn in (warehouse, costing, ledger):
            await conn.close()


def peak_rss_mb(stack: Stack) -> dict[str, float]:
    """Each service process's peak resident memory since it started (VmHWM), in MB."""
    found = {}
    for service, process in stack.services.items():
        status = Path(f"/proc/{process.pid}/status").read_text()
        kilobytes = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:"))
        found[service] = kilobytes / 1024
    return found


def report(result: dict[str, object], baseline: float, **setup: object) -> None:
    latencies: list[float] = result["latencies"]  # type: ignore[assignment]
    started, api_done, gl_done = (float(result[k]) for k in ("started", "api_done", "gl_done"))  # type: ignore[arg-type]
    postings = int(setup["postings"])  # type: ignore[arg-type]
    quantiles = statistics.quantiles(latencies, n=100)
    table = Table(title="inventory platform: warehouse API -> costing -> ledger (G/L committed)")
    table.add_column("figure")
    table.add_column("value", justify="right")
    table.add_row("setup", ", ".join(f"{k}={v}" for k, v in setup.items()))
    table.add_row("postings/s through the API", f"{postings / (api_done - started):,.0f}")
    table.add_row("postings/s valued by costing", f"{postings / (float(result['costing_done']) - started):,.0f}")  # type: ignore[arg-type]
    table.add_row("postings/s end to end (to G/L)", f"{postings / (gl_done - started):,.0f}")
    table.add_row("latency p50 posting -> G/L", f"{quantiles[49] * 1000:,.0f} ms")
    table.add_row("latency p95 posting -> G/L", f"{quantiles[94] * 1000:,.0f} ms")
    table.add_row("latency p99 posting -> G/L", f"{quantiles[98] * 1000:,.0f} ms")
    table.add_row("baseline: single-row INSERT tx/s", f"{baseline:,.0f}")
    table.add_row("end to end / baseline", f"{postings / (gl_done - started) / baseline:.2f}x")
    peaks: dict[str, float] = result["peak_rss_mb"]  # type: ignore[assignment]
    table.add_row("peak RSS per service (MB)", ", ".join(f"{service} {mb:,.0f}" for service, mb in peaks.items()))
    console.print(table)


def report_segments(result: dict[str, object], segment: int) -> None:
    """Whether the pipeline slows as its tables grow: each `segment` postings in turn, to its last G/L entry."""
    journey: list[tuple[float, float | None]] = result["journey"]  # type: ignore[assignment]
    table = Table(title=f"per {segment:,} postings, in posting order")
    for column in ("postings", "postings/s through the API", "postings/s to G/L", "latency p50", "latency p99"):
        table.add_column(column, justify="right")
    # Each rate runs from the end of the segment before (the first from the start): the first to G/L includes the time
    # the pipeline takes to fill.
    previous_posted = previous_done = float(result["started"])  # type: ignore[arg-type]
    for start in range(0, len(journey), segment):
        part = journey[start:start + segment]
        latencies = [reached - at for at, reached in part if reached is not None]
        posted = max(at for at, _ in part)
        done = max((reached for _, reached in part if reached is not None), default=previous_done)
        quantiles = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
        table.add_row(f"{start + 1:,}-{start + len(part):,}", f"{len(part) / max(posted - previous_posted, 1e-9):,.0f}",
                      f"{len(part) / max(done - previous_done, 1e-9):,.0f}",
                      f"{quantiles[49] * 1000:,.0f} ms", f"{quantiles[98] * 1000:,.0f} ms")
        previous_posted, previous_done = max(previous_posted, posted), max(previous_done, done)
    console.print(table)


async def reset_statement_stats(server_url: str) -> None:
    conn = await asyncpg.connect(server_url)
    try:
        await conn.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        await conn.execute("SELECT pg_stat_statements_reset()")
    finally:
        await conn.close()


async def statement_stats(server_url: str) -> list[asyncpg.Record]:
    """What the services' own roles ran since the reset (not the benchmark's polling), most frequent first."""
    conn = await asyncpg.connect(server_url)
    try:
        return await conn.fetch(
            """
            SELECT d.datname AS database, s.calls, s.total_exec_time AS milliseconds,
                   left(regexp_replace(s.query, '\\s+', ' ', 'g'), 90) AS query,
                   sum(s.calls) OVER (PARTITION BY d.datname) AS database_calls
            FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid JOIN pg_roles r ON r.oid = s.userid
            WHERE NOT r.rolsuper
            ORDER BY s.calls DESC
            """
        )
    finally:
        await conn.close()


def report_statements(rows: list[asyncpg.Record], postings: int, limit: int = 15) -> None:
    """Round trips are what the pipeline pays for most: statements per posting, per service and the most frequent."""
    per_database = {row["database"]: int(row["database_calls"]) for row in rows}
    console.print("statements per posting: " + ", ".join(
        f"{database} {calls / postings:.2f}" for database, calls in sorted(per_database.items(), key=lambda kv: -kv[1]))
        + f"; in all {sum(per_database.values()) / postings:.2f}")
    table = Table(title=f"the {limit} most frequent statements (pg_stat_statements)")
    for column, justify in (("service", "left"), ("per posting", "right"), ("mean ms", "right"), ("statement", "left")):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for row in rows[:limit]:
        table.add_row(row["database"], f"{row['calls'] / postings:.3f}", f"{row['milliseconds'] / row['calls']:.3f}", row["query"])
    console.print(table)


def report_paced(result: dict[str, object], postings: int, rate: float, peaks: dict[str, float]) -> None:
    latencies: list[float] = result["latencies"]  # type: ignore[assignment]
    started, gl_done = float(result["started"]), float(result["gl_done"])  # type: ignore[arg-type]
    quantiles = statistics.quantiles(latencies, n=100)
    table = Table(title=f"then paced at {rate:g} postings/s on the same stack")
    table.add_column("figure")
    table.add_column("value", justify="right")
    table.add_row("postings", f"{postings:,} in {float(result['api_done']) - started:,.0f} s")  # type: ignore[arg-type]
    table.add_row("postings/s end to end (to G/L)", f"{postings / (gl_done - started):,.0f}")
    for q in (50, 95, 99):
        table.add_row(f"latency p{q} posting -> G/L", f"{quantiles[q - 1] * 1000:,.0f} ms")
    table.add_row("peak RSS per service (MB), whole run", ", ".join(f"{service} {mb:,.0f}" for service, mb in peaks.items()))
    console.print(table)
