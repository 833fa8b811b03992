"""Times the posting of one large item journal document against a running stack.

    python -m warehouse.bench_document --lines 1000 --items 50 \\
        --warehouse-url http://localhost:8002 --catalog-url http://localhost:8001

`--token` (default: $TOKEN) is an access token with catalog:write, inventory:read and inventory:post
(`devstack token` prints one for the local stack).

Creates `--items` FIFO items through the catalog, waits for the warehouse's replica, then posts one
document of `--lines` purchase lines and one of `--lines` sale lines (each sale taking part of a
receipt, so every sale line applies), and prints the wall time of each request. Not a pass/fail test.
"""

import argparse
import os
import time
import uuid
from dataclasses import dataclass

import httpx


@dataclass(frozen=True)
class DocumentTiming:
    lines: int
    items: int
    purchase_seconds: float
    sale_seconds: float
    item_nos: tuple[str, ...] = ()

    def report(self) -> str:
        return (
            f"{self.lines}-line purchase document over {self.items} items: {self.purchase_seconds * 1000:.0f} ms "
            f"({self.lines / self.purchase_seconds:.0f} lines/s)\n"
            f"{self.lines}-line sale document over {self.items} items:     {self.sale_seconds * 1000:.0f} ms "
            f"({self.lines / self.sale_seconds:.0f} lines/s)"
        )


def run(
    warehouse_url: str, catalog_url: str, lines: int = 1000, items: int = 50, day: str = "2026-08-03", token: str = "",
) -> DocumentTiming:
    run_id = uuid.uuid4().hex[:8].upper()
    item_nos = [f"B{run_id}{n:04d}" for n in range(items)]
    with httpx.Client(timeout=300, headers={"Authorization": f"Bearer {token}"} if token else {}) as http:
        for item_no in item_nos:
            response = http.post(f"{catalog_url}/items", json={
                "item_no": item_no, "description": "bench item", "base_unit_of_measure": "PCS",
                "inventory_posting_group": "RESALE", "gen_prod_posting_group": "RETAIL"})
            response.raise_for_status()
        deadline = time.monotonic() + 60
        for item_no in item_nos:
            while http.get(f"{warehouse_url}/items/{item_no}/quantity-on-hand").status_code != 200:
                if time.monotonic() > deadline:
                    raise SystemExit(f"item {item_no} did not reach the warehouse replica")
                time.sleep(0.05)

        def document(kind: str) -> dict[str, object]:
            body_lines = []
            for n in range(lines):
                body_line = {"item_no": item_nos[n % items], "entry_type": kind, "quantity": "2" if kind == "Purchase" else "1",
                             "posting_date": day, "location_code": "MAIN"}
                if kind == "Purchase":
                    body_line["unit_cost"] = f"{1 + n % 7}.25"
                body_lines.append(body_line)
            return {"document_no": f"{kind[0]}-{run_id}", "lines": body_lines}

        timings = []
        for kind in ("Purchase", "Sale"):
            body = document(kind)
            started = time.perf_counter()
            response = http.post(f"{warehouse_url}/item-journal", json=body, headers={"Idempotency-Key": f"bench-{kind}-{run_id}"})
            timings.append(time.perf_counter() - started)
            if response.status_code != 201:
                raise SystemExit(f"{kind} document refused: {response.status_code} {response.text[:500]}")
    return DocumentTiming(lines, items, timings[0], timings[1], tuple(item_nos))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--warehouse-url", default="http://localhost:8002")
    parser.add_argument("--catalog-url", default="http://localhost:8001")
    parser.add_argument("--lines", type=int, default=1000)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--token", default=os.environ.get("TOKEN", ""))
    args = parser.parse_args()
    print(run(args.warehouse_url, args.catalog_url, args.lines, args.items, token=args.token).report())


if __name__ == "__main__":
    main()
