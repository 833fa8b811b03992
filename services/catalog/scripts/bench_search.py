"""Times item searches on 100,000 items.

    .venv/bin/python services/catalog/scripts/bench_search.py [--items 100000] [--runs 20]

Starts a throw-away PostgreSQL 15 (or uses DATABASE_URL's server), creates database `catalog_bench`,
applies the catalog's migrations, loads the items, their attribute values and a category tree with
COPY, and times representative searches through the same code the HTTP API calls
(`catalog.service_layer.search.search_items`, i.e. the repository's SQL), printing p50 and p95 in ms.
"""

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import asyncpg

from devstack.postgres import PostgresCluster, create_databases
from servicekit.db import connect
from servicekit.migrations import discover, migrate

from catalog.adapters.unit_of_work import PostgresCatalogUnitOfWork
from catalog.service_layer.search import search_items

WORDS = ("chair table lamp desk shelf bolt screw nut washer cable hinge frame wheel pedal saddle chain brake "
         "light mirror bell pump rack basket lock helmet glove jacket bottle cage tyre tube spoke").split()
ADJECTIVES = "red blue green black white steel oak pine small large heavy light".split()
COLORS = ["Red", "Blue", "Green", "Black", "White"]
MATERIALS = ["Oak wood", "Pine wood", "Steel", "Aluminium", "Glass", "Plastic", "Carbon fibre"]


async def seed(conn: asyncpg.Connection, count: int) -> None:
    rng = random.Random(42)
    await conn.execute("INSERT INTO item_attributes (name, type, unit_of_measure) VALUES "
                       "('Color', 'Option', ''), ('Width', 'Decimal', 'CM'), ('Material', 'Text', '')")
    await conn.executemany("INSERT INTO item_attribute_options VALUES ('Color', $1, $2)", [(c, i) for i, c in enumerate(COLORS)])
    categories = [(f"CAT{i:02d}", None) for i in range(10)] + [(f"CAT{i:02d}-{j}", f"CAT{i:02d}") for i in range(10) for j in range(5)]
    await conn.copy_records_to_table("item_categories", records=[(c, p, c) for c, p in categories],
                                     columns=["code", "parent_code", "description"])
    leaf_codes = [c for c, p in categories if p is not None]
    items, values = [], []
    for n in range(count):
        item_no = f"B{n:07d}"
        description = f"{rng.choice(ADJECTIVES).title()} {rng.choice(WORDS)} {rng.choice(WORDS)} {n}"
        items.append((item_no, 1, description, "Inventory" if n % 10 else "Service", "PCS", "FIFO",
                      Decimal(rng.randint(100, 100_000)) / 100, "RESALE", "RETAIL", "Default", n % 50 == 0,
                      rng.choice(leaf_codes)))
        values.append((item_no, "Color", rng.choice(COLORS), None))
        width = Decimal(rng.randint(50, 20_000)) / 10
        values.append((item_no, "Width", str(width), width))
        values.append((item_no, "Material", rng.choice(MATERIALS), None))
    await conn.copy_records_to_table("items", records=items, columns=[
        "item_no", "revision", "description", "type", "base_unit_of_measure", "costing_method", "unit_price",
        "inventory_posting_group", "gen_prod_posting_group", "prevent_negative_inventory", "blocked", "item_category_code"])
    await conn.copy_records_to_table("item_attribute_values", records=values,
                                     columns=["item_no", "attribute_name", "value", "number_value"])
    await conn.execute("INSERT INTO units_of_measure (code) VALUES ('PCS')")
    await conn.execute("INSERT INTO item_units_of_measure SELECT item_no, 'PCS', 1 FROM items")
    await conn.execute("ANALYZE")


QUERIES: list[tuple[str, dict[str, Any]]] = [
    ("first page, no filter (100)", {}),
    ("text contains 'saddle' (100)", {"text": "saddle"}),
    ("text contains 'oak pedal' (rare)", {"text": "oak pedal"}),
    ("exact item no. as text", {"text": "B0054321"}),
    ("category with descendants", {"category": "CAT03"}),
    ("type Service + not blocked", {"type": "Service", "blocked": False}),
    ("Color eq Red", {"attributes": ["Color:eq:Red"]}),
    ("Width range 100..110", {"attributes": ["Width:range:100..110"]}),
    ("Material contains 'wood' + Color eq Blue", {"attributes": ["Material:contains:wood", "Color:eq:Blue"]}),
    ("text + category + attribute", {"text": "chair", "category": "CAT05", "attributes": ["Width:range:..500"]}),
    ("sort -unit_price, first page", {"sort": "-unit_price"}),
    ("sort description, category", {"sort": "description", "category": "CAT07"}),
]


async def time_queries(conn: asyncpg.Connection, runs: int) -> None:
    uow = PostgresCatalogUnitOfWork(conn)
    print(f"{'search':45} {'rows':>5} {'p50 ms':>8} {'p95 ms':>8}")
    for title, params in QUERIES:
        timings, found = [], []
        for _ in range(runs):
            started = time.perf_counter()
            found, _ = await search_items(uow, limit=100, **params)
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
        print(f"{title:45} {len(found):5d} {statistics.median(timings):8.1f} {p95:8.1f}")
    # Deep pagination: the 50th page by description, following cursors.
    started, cursor, pages = time.perf_counter(), None, 0
    for pages in range(1, 51):
        _, cursor = await search_items(uow, sort="description", limit=100, cursor=cursor)
    print(f"{'50 pages by description via cursors (per page)':45} {100:5d} "
          f"{(time.perf_counter() - started) * 1000 / pages:8.1f}")


async def run(server_url: str, count: int, runs: int) -> None:
    admin = await asyncpg.connect(server_url)
    await admin.execute("DROP DATABASE IF EXISTS catalog_bench")
    await admin.close()
    await create_databases(server_url, ["catalog_bench"])
    dsn = server_url.rsplit("/", 1)[0] + "/catalog_bench"
    conn = await connect(dsn)
    try:
        await migrate(conn, discover("servicekit", "servicekit") + discover("catalog"))
        started = time.perf_counter()
        await seed(conn, count)
        total = await conn.fetchval("SELECT count(*) FROM items")
        print(f"seeded {total} items, {await conn.fetchval('SELECT count(*) FROM item_attribute_values')} attribute "
              f"values in {time.perf_counter() - started:.1f}s")
        await time_queries(conn, runs)
    finally:
        await conn.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    server_url = os.environ.get("DATABASE_URL")
    cluster = None
    with tempfile.TemporaryDirectory(prefix="catalog-bench-") as state:
        if not server_url:
            import socket

            with socket.socket() as s:
                s.bind(("127.0.0.1", 0))
                port = s.getsockname()[1]
            cluster = PostgresCluster(Path(state) / "postgres", port, durable=False)  # measures queries, not commits
            cluster.start()
            server_url = cluster.server_url
        try:
            asyncio.run(run(server_url, args.items, args.runs))
        finally:
            if cluster is not None:
                cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
