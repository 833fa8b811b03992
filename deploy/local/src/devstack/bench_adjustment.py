"""`devstack bench costing-adjustment`: a back-dated inbound entry into an item with a long history.

For each history size a FIFO item is created through the catalog and its history written set-based into
costing's tables as costing itself leaves them (tests/system/test_bench_commands.py compares every table): first
blocks of `outbound` sales posted without stock (valued provisionally at 0), then purchase and sale pairs
of 1 @ 10.00, `PER_DAY` entries a day. Each run posts one back-dated purchase of `outbound` @ 12.00 that
the warehouse applies to the next block of waiting sales, so it must adjust each of them:

- costing alone: costing's consumer path (parse, inbox, valuation, adjustment, outbox, commit) called
  in-process on its database, without Kafka;
- through the stack: the event produced on `warehouse.item-entries.v1`, timed until costing has
  committed it and until the ledger has posted every value entry it caused.

The history never reaches the warehouse or the ledger: neither needs it for this entry.
"""

import asyncio
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

import asyncpg
from aiokafka import AIOKafkaProducer
from aiokafka.structs import ConsumerRecord
from rich.table import Table

from inventory_contracts import ITEM_ENTRY_POSTED_V1, new_envelope
from inventory_contracts.catalog import CostingMethod
from inventory_contracts.topics import WAREHOUSE_ITEM_ENTRIES
from inventory_contracts.warehouse import ItemApplication, ItemEntryPosted, ItemLedgerEntryType
from servicekit.db import create_pool
from servicekit.settings import ServiceSettings

from . import observe
from .bench import console, create_items, fresh_stack, postgres_mode
from .stack import Stack

START = date(2020, 1, 1)
PER_DAY = 500
LATE_UNIT_COST = Decimal("12.00")


def run(*, sizes: Sequence[int], outbound: int, runs: int, durable: bool) -> None:
    waiting = 2 * runs * outbound
    too_small = [size for size in sizes if size < waiting + 2]
    if too_small:
        raise SystemExit(f"histories of {too_small} entries are too small: {runs} runs of {outbound} outbound entries each, "
                         f"alone and through the stack, need {waiting} waiting sales and some other entries")
    results = []
    with fresh_stack(durable) as stack:
        for size in sizes:
            item_no = f"ADJ{size}"
            with console.status(f"creating item {item_no} and writing its history of {size:,} entries"):
                create_items(stack, [item_no], "FIFO")
                history = asyncio.run(seed(stack, item_no, size, waiting))
            console.print(f"{item_no}: {history.entries:,} entries written in {history.seconds:.1f} s")
            blocks = [history.waiting[start:start + outbound] for start in range(0, waiting, outbound)]
            with console.status(f"{item_no}: {runs} back-dated inbound entries in costing alone"):
                alone = asyncio.run(in_costing(stack, item_no, blocks[:runs]))
            stacked: list[StackRun] = []
            for block in blocks[runs:]:
                with console.status(f"{item_no}: back-dated inbound entry {len(stacked) + 1} of {runs} through the stack"):
                    observe.wait_quiet(stack, timeout=600)
                    stacked.append(asyncio.run(through_stack(stack, item_no, block)))
            results.append((history, alone, stacked))
    report(results, outbound=outbound, runs=runs, waiting=waiting, postgres=postgres_mode(durable))


@dataclass(frozen=True)
class History:
    item_no: str
    entries: int
    seconds: float
    waiting: list[int]
    """The sales posted without stock, in entry order."""


async def seed(stack: Stack, item_no: str, entries: int, waiting: int) -> History:
    conn = await asyncpg.connect(stack.database_url("costing"))
    try:
        started = time.monotonic()
        first, written = await write_history(conn, item_no, entries, waiting)
        await conn.execute("ANALYZE")
        return History(item_no, written, time.monotonic() - started, list(range(first, first + waiting)))
    finally:
        await conn.close()


async def write_history(conn: asyncpg.Connection, item_no: str, entries: int, waiting: int) -> tuple[int, int]:
    """The item's history in one transaction, set-based, numbered beyond any entry or value entry costing holds.
    Returns its first entry no. and how many entries it wrote (`entries`, or one less to end on a whole pair)."""
    async with conn.transaction():
        first = await conn.fetchval(
            """SELECT greatest((SELECT max(entry_no) FROM item_ledger_entries),
                               (SELECT last_value FROM value_entry_no WHERE is_called), 0) + 1""")
        pairs = (entries - waiting) // 2
        await conn.execute(
            """CREATE TEMPORARY TABLE history ON COMMIT DROP AS
               SELECT $6::text AS item_no, $1 + i AS entry_no, i < $2 AS waiting, i >= $2 AND (i - $2) % 2 = 0 AS purchase,
                      CASE WHEN i < $2 THEN $4::date ELSE $4::date + 1 + (i - $2) / $5 END AS day
               FROM generate_series(0, $2 + 2 * $3 - 1) AS i""",
            first, waiting, pairs, START, PER_DAY, item_no)
        for statement in _HISTORY:
            await conn.execute(statement)
        await conn.execute("SELECT setval('value_entry_no', (SELECT max(entry_no) FROM history))")
    return first, waiting + 2 * pairs


# What costing writes for the history, entry by entry; value entry no. = item ledger entry no.
_HISTORY = [
    """INSERT INTO item_ledger_entries (entry_no, item_no, variant_code, location_code, posting_date, entry_type, document_no,
           quantity, costing_method, inventory_posting_group, gen_prod_posting_group, gen_bus_posting_group)
       SELECT entry_no, item_no, '', 'MAIN', day, CASE WHEN purchase THEN 'Purchase' ELSE 'Sale' END, 'H' || entry_no,
              CASE WHEN purchase THEN 1 ELSE -1 END, 'FIFO', 'RESALE', 'RETAIL', ''
       FROM history""",
    """INSERT INTO value_entries (entry_no, item_no, item_ledger_entry_no, item_ledger_entry_type, entry_type, posting_date,
           valuation_date, location_code, variant_code, document_no, valued_quantity, invoiced_quantity, cost_per_unit,
           cost_amount_actual, inventory_posting_group, gen_prod_posting_group, gen_bus_posting_group)
       SELECT entry_no, item_no, entry_no, CASE WHEN purchase THEN 'Purchase' ELSE 'Sale' END, 'Direct Cost', day, day, 'MAIN',
              '', 'H' || entry_no, CASE WHEN purchase THEN 1 ELSE -1 END, CASE WHEN purchase THEN 1 ELSE -1 END,
              CASE WHEN waiting THEN 0 ELSE 10 END, CASE WHEN waiting THEN 0 WHEN purchase THEN 10 ELSE -10 END,
              'RESALE', 'RETAIL', ''
       FROM history""",
    """INSERT INTO cost_layers (entry_no, item_no, quantity, cost_amount, applied_quantity, applied_cost)
       SELECT entry_no, item_no, 1, 10, 1, 10 FROM history WHERE purchase""",
    """INSERT INTO cost_applications (inbound_entry_no, outbound_entry_no, quantity, cost_amount)
       SELECT entry_no, entry_no + 1, 1, 10 FROM history WHERE purchase ORDER BY entry_no""",
    """INSERT INTO provisional_outbound_costs (entry_no, provisional_quantity, provisional_cost)
       SELECT entry_no, 1, 0 FROM history WHERE waiting""",
    """INSERT INTO item_on_hand (item_no, quantity, value)
       SELECT item_no, -count(*) FILTER (WHERE waiting), 0 FROM history GROUP BY item_no
       ON CONFLICT (item_no) DO UPDATE SET quantity = excluded.quantity, value = excluded.value""",
    """INSERT INTO item_cost_status (item_no, cost_is_adjusted, last_adjusted_at)
       SELECT item_no, true, clock_timestamp() FROM (SELECT DISTINCT item_no FROM history) item
       ON CONFLICT (item_no) DO UPDATE SET cost_is_adjusted = true, last_adjusted_at = excluded.last_adjusted_at""",
    """INSERT INTO item_unit_costs (item_no, unit_cost, sequence) SELECT DISTINCT item_no, 0, 1 FROM history
       ON CONFLICT (item_no) DO NOTHING""",
]


def late_purchase(item_no: str, entry_no: int, block: list[int]) -> ItemEntryPosted:
    """Dated on the history's first day, applied by the warehouse to the waiting sales it covers."""
    return ItemEntryPosted(
        entry_no=entry_no, item_no=item_no, location_code="MAIN", posting_date=START, entry_type=ItemLedgerEntryType.PURCHASE,
        document_no=f"LATE{entry_no}", quantity=Decimal(len(block)), unit_cost=LATE_UNIT_COST, costing_method=CostingMethod.FIFO,
        inventory_posting_group="RESALE", gen_prod_posting_group="RETAIL", recorded_at=datetime.now(UTC),
        applications=[ItemApplication(inbound_entry_no=entry_no, outbound_entry_no=sale, quantity=Decimal(1)) for sale in block],
    )


async def next_entry_no(conn: asyncpg.Connection) -> int:
    return int(await conn.fetchval("SELECT max(entry_no) + 1 FROM item_ledger_entries"))


async def in_costing(stack: Stack, item_no: str, blocks: list[list[int]]) -> list[float]:
    """Seconds per back-dated entry through costing's consumer path, in-process, committed."""
    from costing.adapters.unit_of_work import PostgresCostingUnitOfWork
    from costing.entrypoints.consumers import SUBSCRIPTIONS
    from servicekit.inbox import BatchProcessor

    topic = stack.topic_prefix + WAREHOUSE_ITEM_ENTRIES
    subscription = next(s for s in SUBSCRIPTIONS if s.topic == WAREHOUSE_ITEM_ENTRIES)
    settings = ServiceSettings(service="costing", database_url=stack.database_url("costing"),
                               kafka_bootstrap_servers=stack.bootstrap_servers, topic_prefix=stack.topic_prefix,
                               http_host="127.0.0.1", http_port=0)
    pool = await create_pool(settings.database_url, min_size=1, max_size=1)
    processor = BatchProcessor(subscription, settings, lambda: pool, PostgresCostingUnitOfWork)
    seconds = []
    try:
        for offset, block in enumerate(blocks):
            async with pool.acquire() as conn:
                entry_no = await next_entry_no(conn)
            envelope = new_envelope(ITEM_ENTRY_POSTED_V1, late_purchase(item_no, entry_no, block), producer="warehouse", key=item_no)
            value, key = envelope.model_dump_json().encode(), item_no.encode()
            record = ConsumerRecord(topic, 0, offset, int(time.time() * 1000), 0, key, value, None, len(key), len(value), ())
            started = time.perf_counter()
            await processor.process([record])
            seconds.append(time.perf_counter() - started)
            async with pool.acquire() as conn:
                await check_adjusted(conn, block)
    finally:
        await pool.close()
    return seconds


async def check_adjusted(conn: asyncpg.Connection, block: list[int]) -> list[int]:
    """The value entries that adjusted the block's sales (one each, to the late purchase's cost); else the run measured
    something else, and the command stops."""
    rows = await conn.fetch("SELECT entry_no, cost_amount_actual FROM value_entries WHERE adjustment AND item_ledger_entry_no = ANY($1::bigint[])",
                            block)
    if len(rows) != len(block) or any(row["cost_amount_actual"] != -LATE_UNIT_COST for row in rows):
        raise SystemExit(f"the back-dated entry made {len(rows)} adjustments of the {len(block)} waiting sales it covers, "
                         f"amounts {sorted({str(row['cost_amount_actual']) for row in rows})}; expected each {-LATE_UNIT_COST}")
    return [row["entry_no"] for row in rows]


@dataclass(frozen=True)
class StackRun:
    costing: float
    """Seconds from producing the event until costing's transaction was visible (committed)."""
    ledger: float
    """Seconds from producing the event until the ledger had posted every value entry it caused."""


async def through_stack(stack: Stack, item_no: str, block: list[int], timeout: float = 600, poll: float = 0.002) -> StackRun:
    costing = await asyncpg.connect(stack.database_url("costing"))
    ledger = await asyncpg.connect(stack.database_url("ledger"))
    producer = AIOKafkaProducer(bootstrap_servers=stack.bootstrap_servers, acks="all", enable_idempotence=True,
                                **stack.kafka_client_options())
    await producer.start()
    try:
        entry_no = await next_entry_no(costing)
        envelope = new_envelope(ITEM_ENTRY_POSTED_V1, late_purchase(item_no, entry_no, block), producer="warehouse", key=item_no)
        value = envelope.model_dump_json().encode()
        started = time.monotonic()
        await producer.send_and_wait(stack.topic_prefix + WAREHOUSE_ITEM_ENTRIES, value, key=item_no.encode())
        while not await costing.fetchval("SELECT count(*) FROM item_ledger_entries WHERE entry_no = $1", entry_no):
            if time.monotonic() - started > timeout:
                raise TimeoutError(f"costing has not valued entry {entry_no} after {timeout:.0f}s")
            await asyncio.sleep(poll)
        valued = time.monotonic() - started
        caused = [row[0] for row in await costing.fetch("SELECT entry_no FROM value_entries WHERE item_ledger_entry_no = $1",
                                                         entry_no)] + await check_adjusted(costing, block)
        while (posted := await ledger.fetchval("SELECT count(*) FROM posted_value_entries WHERE value_entry_no = ANY($1::bigint[])",
                                               caused)) < len(caused):
            if time.monotonic() - started > timeout:
                raise TimeoutError(f"the ledger has posted {posted} of {len(caused)} value entries after {timeout:.0f}s")
            await asyncio.sleep(poll)
        return StackRun(valued, time.monotonic() - started)
    finally:
        await producer.stop()
        await costing.close()
        await ledger.close()


def spread(seconds: Sequence[float]) -> str:
    """min / median / max in milliseconds."""
    return " / ".join(f"{s * 1000:,.0f}" for s in (min(seconds), statistics.median(seconds), max(seconds)))


def report(results: list[tuple[History, list[float], list[StackRun]]], *, outbound: int, runs: int, waiting: int, postgres: str) -> None:
    table = Table(title=f"back-dated inbound entry adjusting {outbound:,} outbound entries "
                        f"(targets: <= 100 ms in costing, <= 1 s to the ledger); ms min / median / max of {runs} runs")
    for column in ("history entries", "history written", "costing alone", "per adjustment",
                   "stack: costing committed", "stack: ledger posted all"):
        table.add_column(column, justify="right")
    for history, alone, stacked in results:
        table.add_row(f"{history.entries:,}", f"{history.seconds:,.1f} s", spread(alone),
                      f"{statistics.median(alone) * 1e6 / outbound:,.0f} us", spread([r.costing for r in stacked]),
                      spread([r.ledger for r in stacked]))
    console.print(table)
    console.print(f"PostgreSQL {postgres}. Each history begins with {waiting:,} sales waiting for stock, {outbound:,} for each run. "
                  "Costing alone: its consumer path in-process (parse, inbox, valuation, adjustment, outbox, commit), no Kafka. "
                  "Stack: from producing the event until the commit is seen in costing's and the ledger's databases "
                  "(polled every 2 ms), while the services' background reconciliations run as deployed.")
