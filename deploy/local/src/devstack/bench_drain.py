"""`devstack bench costing-drain`: how fast costing alone works off a backlog of item entries.

Costing is stopped while the warehouse posts the backlog through its API (so the events on
`warehouse.item-entries.v1` are exactly what the warehouse publishes, applications included), then
started; the figures run from its start until its consumer group has committed the end of the topic,
and until the ledger has posted every value entry costing wrote.
"""

import asyncio
import random
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import asyncpg
import httpx
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from rich.table import Table

from inventory_contracts.topics import WAREHOUSE_ITEM_ENTRIES

from . import observe
from .bench import console, create_items, fresh_stack, insert_baseline, postgres_mode
from .stack import Stack

FIRST_DAY = date(2026, 1, 1)


def run(*, entries: int, items: int, lines_per_document: int, concurrency: int, costing_method: str, durable: bool) -> None:
    with fresh_stack(durable) as stack:
        baseline = asyncio.run(insert_baseline(stack.database_server_url))
        item_nos = [f"D{n:05d}" for n in range(items)]
        with console.status(f"creating {items} items"):
            create_items(stack, item_nos, costing_method)
        stack.stop_service("costing")
        documents = plan(entries, item_nos, lines_per_document, concurrency)
        with console.status(f"posting {entries} entries through the warehouse, costing stopped"):
            posting_began = time.monotonic()
            post(stack, documents)
            fill = time.monotonic() - posting_began
        with console.status("waiting until the warehouse has published them and the catalog has read them"):
            published = asyncio.run(wait_published(stack, entries)) - posting_began
        with console.status(f"costing draining {entries} entries"):
            drain = asyncio.run(measure_drain(stack, entries))
        report(drain, fill_seconds=fill, published_seconds=published, baseline=baseline, entries=entries, items=items,
               lines_per_document=lines_per_document, concurrency=concurrency, costing_method=costing_method,
               postgres=postgres_mode(durable))


def plan(entries: int, item_nos: list[str], lines_per_document: int, workers: int, seed: int = 12) -> list[list[dict[str, Any]]]:
    """Item journal documents per worker, in the order that worker posts them.

    Each worker owns its items, so one item's lines post in order: dates never go back, and a sale takes
    at most what the item's earlier lines received (the warehouse applies it in full, FIFO, often across
    several receipts). A little over half the lines are purchases. The year's dates spread over the lines.
    """
    rng = random.Random(seed)
    owned = [item_nos[w::workers] for w in range(workers) if item_nos[w::workers]]
    on_hand = dict.fromkeys(item_nos, 0)
    plans = []
    for worker, mine in enumerate(owned):
        count = entries // len(owned) + (1 if worker < entries % len(owned) else 0)
        lines = []
        for index in range(count):
            item_no = rng.choice(mine)
            day = (FIRST_DAY + timedelta(days=index * 365 // max(count, 1))).isoformat()
            if on_hand[item_no] > 0 and rng.random() < 0.45:
                quantity = rng.randint(1, min(on_hand[item_no], 10))
                on_hand[item_no] -= quantity
                lines.append({"item_no": item_no, "entry_type": "Sale", "quantity": str(quantity), "posting_date": day,
                              "location_code": "MAIN"})
            else:
                quantity = rng.randint(1, 20)
                on_hand[item_no] += quantity
                lines.append({"item_no": item_no, "entry_type": "Purchase", "quantity": str(quantity), "posting_date": day,
                              "location_code": "MAIN", "unit_cost": str(Decimal(rng.randint(100, 9999)) / 100)})
        plans.append([{"document_no": f"DRAIN-{worker}-{start}", "lines": lines[start:start + lines_per_document]}
                      for start in range(0, len(lines), lines_per_document)])
    return plans


def post(stack: Stack, documents: list[list[dict[str, Any]]]) -> None:
    """Each worker posts its documents one after the other; the workers run at once."""
    token = stack.issuer.token(["inventory:post"], ttl=86400, subject="bench")

    def post_all(mine: list[dict[str, Any]]) -> None:
        with httpx.Client(timeout=300, headers={"Authorization": f"Bearer {token}"}) as http:
            for document in mine:
                http.post(f"{stack.url('warehouse')}/item-journal", json=document,
                          headers={"Idempotency-Key": document["document_no"]}).raise_for_status()

    with ThreadPoolExecutor(len(documents)) as pool:
        list(pool.map(post_all, documents))


async def wait_published(stack: Stack, entries: int, timeout: float = 1800) -> float:
    """Until the topic holds every entry and the catalog (which reads it too) has caught up, so that only
    costing and the ledger work while costing drains. Returns when (monotonic) the topic held every entry."""
    topic = stack.topic_prefix + WAREHOUSE_ITEM_ENTRIES
    started = time.monotonic()
    published = None
    async with _Lag(stack, topic) as lag:
        while True:
            end = sum((await lag.ends()).values())
            if published is None and end >= entries:
                published = time.monotonic()
            if published is not None and await lag.behind(f"{stack.topic_prefix}catalog") == 0:
                return published
            if time.monotonic() - started > timeout:
                raise TimeoutError(f"the topic holds {end} of {entries} entries after {timeout:.0f}s")
            await asyncio.sleep(0.2)


@dataclass(frozen=True)
class Drain:
    ready: float
    """Seconds from costing's start until it answered /readyz."""
    consumed: float
    """Seconds from costing's start until its group had committed the end of the topic."""
    posted: float
    """Seconds from costing's start until the ledger had posted every value entry costing wrote."""
    value_entries: int
    item_ledger_entries: int
    costing_clock: tuple[float, float, float]
    """Seconds from costing's start, by its database's clock, at which the first, the middle and the last entry was valued."""
    batches: tuple[int, float, int, int]
    """Transactions costing valued the entries in: how many, and their mean, median and largest number of entries."""


async def measure_drain(stack: Stack, entries: int, timeout: float = 3600) -> Drain:
    costing = await asyncpg.connect(stack.database_url("costing"))
    ledger = await asyncpg.connect(stack.database_url("ledger"))
    try:
        started_at = await costing.fetchval("SELECT extract(epoch FROM clock_timestamp())")
        started = time.monotonic()
        await asyncio.to_thread(stack.start_service, "costing")
        ready = time.monotonic() - started
        topic = stack.topic_prefix + WAREHOUSE_ITEM_ENTRIES
        async with _Lag(stack, topic) as lag:
            while (behind := await lag.behind(f"{stack.topic_prefix}costing")) > 0:
                if time.monotonic() - started > timeout:
                    raise TimeoutError(f"costing is {behind} entries behind after {timeout:.0f}s")
                await asyncio.sleep(0.1)
        consumed = time.monotonic() - started
        valued = await costing.fetchval("SELECT count(*) FROM item_ledger_entries")
        value_entries = await costing.fetchval("SELECT count(*) FROM value_entries")
        while (posted := await ledger.fetchval("SELECT count(*) FROM posted_value_entries")) < value_entries:
            if time.monotonic() - started > timeout:
                raise TimeoutError(f"the ledger has posted {posted} of {value_entries} value entries after {timeout:.0f}s")
            await asyncio.sleep(0.1)
        posted_seconds = time.monotonic() - started
        clock = await costing.fetchrow(
            """SELECT extract(epoch FROM min(t)) AS first, extract(epoch FROM percentile_disc(0.5) WITHIN GROUP (ORDER BY t)) AS middle,
                      extract(epoch FROM max(t)) AS last
               FROM (SELECT min(recorded_at) AS t FROM value_entries GROUP BY item_ledger_entry_no) valued""")
        sizes = await costing.fetchrow(
            """SELECT count(*), avg(n), percentile_disc(0.5) WITHIN GROUP (ORDER BY n), max(n)
               FROM (SELECT count(*) AS n FROM inbox WHERE topic = $1 GROUP BY processed_at) batch""", topic)
        return Drain(ready, consumed, posted_seconds, value_entries, valued,
                     tuple(float(clock[k] - started_at) for k in ("first", "middle", "last")),  # type: ignore[arg-type]
                     (sizes[0], float(sizes[1] or 0), sizes[2] or 0, sizes[3] or 0))
    finally:
        await costing.close()
        await ledger.close()


class _Lag:
    """A consumer group's distance from the end of one topic, asked of the broker."""

    def __init__(self, stack: Stack, topic: str) -> None:
        self._stack, self._topic = stack, topic
        options = stack.kafka_client_options()
        self._admin = AIOKafkaAdminClient(bootstrap_servers=stack.bootstrap_servers, **options)
        self._consumer = AIOKafkaConsumer(bootstrap_servers=stack.bootstrap_servers, **options)
        self._partitions: list[TopicPartition] = []

    async def __aenter__(self) -> "_Lag":
        await self._admin.start()
        await self._consumer.start()
        self._partitions = await observe.partitions(self._stack, [self._topic])
        return self

    async def __aexit__(self, *_: object) -> None:
        await self._consumer.stop()
        await self._admin.close()

    async def ends(self) -> dict[TopicPartition, int]:
        return dict(await self._consumer.end_offsets(self._partitions))

    async def behind(self, group: str) -> int:
        committed = await self._admin.list_consumer_group_offsets(group, partitions=self._partitions)
        ends = await self.ends()
        return sum(end - (committed[tp].offset if tp in committed and committed[tp].offset >= 0 else 0)
                   for tp, end in ends.items())


def report(drain: Drain, *, fill_seconds: float, published_seconds: float, baseline: float, entries: int,
           **setup: object) -> None:
    first, middle, last = drain.costing_clock
    table = Table(title="costing alone draining a backlog of warehouse.item-entries.v1 (target: >= 5,000 entries/s)",
                  caption=", ".join(f"{k}={v}" for k, v in {"entries": entries, **setup}.items()))
    table.add_column("figure")
    table.add_column("value", justify="right")
    table.add_row("backlog posted through the warehouse API (costing stopped)", f"{fill_seconds:,.1f} s, {entries / fill_seconds:,.0f} entries/s")
    table.add_row("backlog on the topic", f"{published_seconds:,.1f} s after posting began")
    table.add_row("costing start -> ready / first entry valued", f"{drain.ready:,.1f} s / {first:,.1f} s")
    table.add_row("costing start -> consumer lag 0", f"{drain.consumed:,.1f} s, [bold]{entries / drain.consumed:,.0f} entries/s[/]")
    table.add_row("costing ready -> consumer lag 0", f"{drain.consumed - drain.ready:,.1f} s, "
                  f"{entries / (drain.consumed - drain.ready):,.0f} entries/s")
    table.add_row("costing's clock: first -> last entry valued", f"{last - first:,.1f} s, {entries / max(last - first, 1e-9):,.0f} entries/s")
    table.add_row("  first half / second half of the entries", f"{entries / 2 / max(middle - first, 1e-9):,.0f} / "
                  f"{entries / 2 / max(last - middle, 1e-9):,.0f} entries/s")
    table.add_row("transactions costing valued them in: count / mean / median / largest entries",
                  "{:,} / {:,.0f} / {:,} / {:,}".format(*drain.batches))
    table.add_row("costing start -> ledger posted every value entry", f"{drain.posted:,.1f} s, "
                  f"{drain.value_entries / drain.posted:,.0f} value entries/s")
    table.add_row("item ledger entries / value entries in costing", f"{drain.item_ledger_entries:,} / {drain.value_entries:,}")
    table.add_row("baseline: single-row INSERT tx/s", f"{baseline:,.0f}")
    console.print(table)
    if drain.item_ledger_entries != entries:
        raise SystemExit(f"costing holds {drain.item_ledger_entries} item ledger entries, not {entries}")
