"""`devstack chaos`: a seeded mix of postings while services, PostgreSQL and Kafka are killed at random moments
and duplicates and poison messages are injected; then every invariant of the books is checked.

The same seed gives the same documents and the same faults in the same order (their moments depend on
how fast the machine posts). A posting is retried with its Idempotency-Key until it is answered, so every
document must end up posted exactly once.
"""

import asyncio
import faulthandler
import json
import os
import random
import shutil
import signal
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from aiokafka import AIOKafkaProducer
from rich.console import Console

from inventory_contracts import ITEM_ENTRY_INVOICED_V1, ITEM_ENTRY_POSTED_V1
from inventory_contracts.topics import CONSUMES, WAREHOUSE_ITEM_ENTRIES, dead_letter

from . import observe
from .stack import REPLICATED, SERVICES, Ports, Stack, instance_names

console = Console(soft_wrap=True)

# The services a chaos run starts (not the webhooks): who dead-letters a poison message on each topic they consume.
CONSUMERS: dict[str, tuple[str, ...]] = {
    topic: tuple(service for service in SERVICES if topic in CONSUMES[service])
    for topic in sorted({topic for service in SERVICES for topic in CONSUMES[service]})
}
POISON_KINDS = ("not-json", "unknown-version", "invalid-payload")
FAULT_KINDS = ("kill-service", "kill-service", "kill-service", "kill-postgres", "kill-kafka", "duplicate", "poison")


@dataclass(frozen=True)
class Fault:
    after_documents: int
    kind: str
    target: str = ""
    variant: str = ""

    def __str__(self) -> str:
        return " ".join(part for part in (self.kind, self.target, self.variant) if part)


@dataclass
class ChaosPlan:
    items: list[str]
    documents: dict[str, list[dict[str, Any]]]  # per worker, in the order that worker posts them
    faults: list[Fault]

    @property
    def document_count(self) -> int:
        return sum(len(documents) for documents in self.documents.values())


def plan(
    seed: int, postings: int, items: int, faults: int, workers: int = 4, lines_per_document: int = 5, replicas: int = 1,
) -> ChaosPlan:
    """Documents of purchases, sales within stock and adjustments, each worker owning its own items so that
    its postings never run ahead of its stock; faults spread over the run. With replicas, a SIGKILL of one
    process of each replicated service besides."""
    rng = random.Random(seed)
    item_nos = [f"CH{seed}-{n:03d}" for n in range(items)]
    owned = {w: item_nos[w::workers] for w in range(workers) if item_nos[w::workers]}
    documents: dict[str, list[dict[str, Any]]] = defaultdict(list)
    on_hand: dict[str, int] = defaultdict(int)
    per_worker = max(1, postings // len(owned))
    for worker, mine in owned.items():
        lines: list[dict[str, Any]] = []
        for index in range(per_worker):
            item = mine[index % len(mine)]
            day = f"2026-07-{rng.randint(1, 28):02d}"
            if on_hand[item] >= 2 and rng.random() < 0.45:
                quantity = rng.randint(1, on_hand[item])
                on_hand[item] -= quantity
                kind = rng.choice(("Sale", "Sale", "Negative Adjmt."))
                lines.append({"item_no": item, "entry_type": kind, "quantity": str(quantity), "posting_date": day})
            else:
                quantity = rng.randint(1, 12)
                on_hand[item] += quantity
                kind = rng.choice(("Purchase", "Purchase", "Positive Adjmt."))
                lines.append({"item_no": item, "entry_type": kind, "quantity": str(quantity), "posting_date": day,
                              "unit_cost": str(Decimal(rng.randint(100, 50_000)) / 100)})
        for start in range(0, len(lines), lines_per_document):
            batch = [{**line, "location_code": "MAIN"} for line in lines[start:start + lines_per_document]]
            documents[f"w{worker}"].append({"document_no": f"CH{seed}-W{worker}-{start:05d}", "lines": batch})
            if start % (4 * lines_per_document) == 0:  # a purchase receipt now and then, invoiced at another cost
                documents[f"w{worker}"].append(_receipt(rng, f"CH{seed}-W{worker}-R{start:05d}", mine))
    total = sum(len(d) for d in documents.values())
    moments = sorted(rng.randint(total // 10, max(total // 10, total * 9 // 10)) for _ in range(faults))
    # Every kind once (as far as the count allows), then any; in a seeded order.
    kinds = sorted(set(FAULT_KINDS))[:faults] + [rng.choice(FAULT_KINDS) for _ in range(faults - len(set(FAULT_KINDS)))]
    rng.shuffle(kinds)
    planned = []
    for moment, kind in zip(moments, kinds):
        if kind == "kill-service":
            planned.append(Fault(moment, kind, rng.choice(list(SERVICES))))
        elif kind == "poison":
            planned.append(Fault(moment, kind, rng.choice(list(CONSUMERS)), rng.choice(POISON_KINDS)))
        elif kind == "duplicate":
            planned.append(Fault(moment, kind, WAREHOUSE_ITEM_ENTRIES, rng.choice(("same-event-id", "new-event-id"))))
        else:
            planned.append(Fault(moment, kind))
    if replicas > 1:
        for service in REPLICATED:
            moment = rng.randint(total // 10, max(total // 10, total * 9 // 10))
            planned.append(Fault(moment, "kill-replica", rng.choice(instance_names(service, replicas))))
        planned.sort(key=lambda fault: fault.after_documents)
    return ChaosPlan(item_nos, dict(documents), planned)


def _receipt(rng: random.Random, document_no: str, items: list[str]) -> dict[str, Any]:
    """A purchase receipt of a few lines at expected cost, and its invoice: each line in full or in part."""
    lines = [{"item_no": rng.choice(items), "entry_type": "Purchase", "quantity": str(rng.randint(2, 12)),
              "unit_cost": str(Decimal(rng.randint(100, 50_000)) / 100), "posting_date": f"2026-07-{rng.randint(1, 20):02d}",
              "location_code": "MAIN"} for _ in range(rng.randint(1, 3))]
    invoice = {"document_no": f"{document_no}-INV", "posting_date": f"2026-07-{rng.randint(21, 28):02d}",
               "lines": [{"quantity": str(rng.randint(1, int(line["quantity"]))),
                          "unit_cost": str(Decimal(rng.randint(100, 50_000)) / 100)} for line in lines]}
    return {"document_no": document_no, "lines": lines, "path": "/purchase-receipts", "invoice": invoice}


@dataclass
class Outcome:
    answered: dict[str, int] = field(default_factory=dict)  # document no. -> lines
    invoiced: dict[str, int] = field(default_factory=dict)  # invoice no. -> lines
    retries: int = 0
    refused: list[str] = field(default_factory=list)
    faults: list[str] = field(default_factory=list)
    poison: Counter[str] = field(default_factory=Counter)  # dead-letter topic -> expected records
    duplicates: int = 0


class ChaosRun:
    def __init__(self, stack: Stack, chaos_plan: ChaosPlan, seed: int) -> None:
        self.stack = stack
        self.plan = chaos_plan
        self.rng = random.Random(seed * 7919)
        self.outcome = Outcome()
        self.lock = threading.Lock()
        self.progress = 0
        self.http = httpx.Client(timeout=30, headers={"Authorization": f"Bearer {stack.issuer.token(ttl=6 * 3600)}"})
        self.faults_done = threading.Event()
        self.struck = 0

    # postings -------------------------------------------------------------------------------

    def create_items(self) -> None:
        for n, item in enumerate(self.plan.items):
            card = {"item_no": item, "description": "chaos", "base_unit_of_measure": "PCS",
                    "costing_method": ("FIFO", "LIFO", "Average")[n % 3],
                    "inventory_posting_group": "RESALE", "gen_prod_posting_group": "RETAIL"}
            self._until_answered("catalog", "/items", card, f"chaos-item-{item}")
        for item in self.plan.items:
            _wait(lambda: self._get("warehouse", f"/items/{item}/quantity-on-hand") == 200, 60, f"{item} in the warehouse")

    def post_all(self) -> None:
        """Each worker posts through one warehouse process (in turn, when there are several)."""
        warehouses = self.stack.instances("warehouse")
        with ThreadPoolExecutor(len(self.plan.documents)) as pool:
            futures = [pool.submit(self._post_worker, docs, warehouses[n % len(warehouses)])
                       for n, docs in enumerate(self.plan.documents.values())]
            for future in futures:
                future.result()

    def _post_worker(self, documents: list[dict[str, Any]], warehouse: str) -> None:
        for document in documents:
            self._hold_for_faults()
            body = {key: value for key, value in document.items() if key not in ("path", "invoice")}
            response = self._until_answered(warehouse, document.get("path", "/item-journal"), body, document["document_no"])
            with self.lock:
                self.progress += 1
                if response.status_code in (200, 201):
                    self.outcome.answered[document["document_no"]] = len(document["lines"])
                else:
                    self.outcome.refused.append(document["document_no"])
            if "invoice" in document and response.status_code in (200, 201):
                self._invoice(document["invoice"], [entry["entry_no"] for entry in response.json()["entries"]], warehouse)

    def _invoice(self, invoice: dict[str, Any], entry_nos: list[int], warehouse: str) -> None:
        lines = [{**line, "entry_no": entry_no} for line, entry_no in zip(invoice["lines"], entry_nos, strict=True)]
        response = self._until_answered(warehouse, "/purchase-invoices", {**invoice, "lines": lines}, invoice["document_no"])
        with self.lock:
            if response.status_code in (200, 201):
                self.outcome.invoiced[invoice["document_no"]] = len(lines)
            else:
                self.outcome.refused.append(f"{invoice['document_no']}: {response.text[:200]}")

    def _until_answered(self, service: str, path: str, body: dict[str, Any], key: str, timeout: float = 300) -> httpx.Response:
        """POST until a final answer: 2xx or a 4xx other than 408/429; faults in between are retried."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                response = self.http.post(f"{self.stack.url(service)}{path}", json=body, headers={"Idempotency-Key": key})
                if response.status_code < 500 and response.status_code not in (408, 429):
                    return response
            except httpx.HTTPError:
                pass
            with self.lock:
                self.outcome.retries += 1
            if time.monotonic() > deadline:
                raise TimeoutError(f"POST {path} ({key}) got no answer within {timeout:.0f}s")
            time.sleep(0.3)

    def _get(self, service: str, path: str) -> int:
        try:
            return self.http.get(f"{self.stack.url(service)}{path}").status_code
        except httpx.HTTPError:
            return 0

    # faults ---------------------------------------------------------------------------------

    def inject_faults(self, posted: threading.Event, finished: threading.Event) -> None:
        """Apply each fault once its moment comes (the rest at once when the postings are done, while the
        consumers still work); then stay until the run is finished, since the processes
        this thread restarted die with it (they are tied to the thread that started them)."""
        for fault in self.plan.faults:
            while self.progress < fault.after_documents and not posted.is_set():
                time.sleep(0.05)
            self.apply(fault)
            with self.lock:
                self.outcome.faults.append(f"{fault} (after {self.progress} documents)")
        self.faults_done.set()
        finished.wait()

    def apply(self, fault: Fault) -> None:
        """Strike, let the postings go on against the damage for a moment, then restart what was killed."""
        pause = self.rng.uniform(0.5, 3.0)
        if fault.kind in ("kill-service", "kill-replica"):
            self.stack.kill_service(fault.target)
            self._struck(pause)
            self._restart_service(fault.target)
        elif fault.kind == "kill-postgres":
            self._kill_postgres()
            self._struck(pause)
            self._restart_postgres()
        elif fault.kind == "kill-kafka":
            assert self.stack.kafka is not None
            self.stack.kafka.kill()
            self._struck(pause)
            self.stack.kafka.start()
        elif fault.kind == "duplicate":
            for event_type in (ITEM_ENTRY_POSTED_V1.type, ITEM_ENTRY_INVOICED_V1.type):
                if asyncio.run(self._republish(event_type, new_event_id=fault.variant == "new-event-id")):
                    self.outcome.duplicates += 1
        elif fault.kind == "poison":
            asyncio.run(self._publish_poison(fault.target, fault.variant))
            self.outcome.poison[dead_letter(fault.target)] += len(CONSUMERS[fault.target])
        self._struck(0)

    def _struck(self, pause: float) -> None:
        with self.lock:
            self.struck += 1
        time.sleep(pause)

    def _hold_for_faults(self) -> None:
        """The postings wait at a fault's moment until it has struck, so that each fault meets postings in flight."""
        moments = [fault.after_documents for fault in self.plan.faults]
        while self.struck < len(moments) and moments[self.struck] <= self.progress and not self.faults_done.is_set():
            time.sleep(0.02)

    def _restart_service(self, service: str) -> None:
        for attempt in range(5):
            try:
                self.stack.start_service(service, timeout=90)
                return
            except Exception:
                self.stack.services.pop(service, None)  # an instance name: `costing-2` restarts as itself
                if attempt == 4:
                    raise
                time.sleep(2)

    def _kill_postgres(self) -> None:
        assert self.stack.postgres is not None
        pid_file = self.stack.postgres.data_dir / "pgdata" / "postmaster.pid"
        os.kill(int(pid_file.read_text().splitlines()[0]), signal.SIGKILL)

    def _restart_postgres(self) -> None:
        assert self.stack.postgres is not None
        for attempt in range(10):
            try:
                self.stack.postgres.start()
                return
            except Exception:
                if attempt == 9:
                    raise
                time.sleep(1)  # backends of the killed server still leaving

    async def _republish(self, event_type: str, new_event_id: bool) -> bool:
        """A posting's or an invoice's event already published, again: as it was (the same event id), or as another
        producer's retry would send it (the same business event under a new event id)."""
        records = [r for r in await observe.records(self.stack, self.stack.topic_prefix + WAREHOUSE_ITEM_ENTRIES, limit=400)
                   if json.loads(r.value).get("type") == event_type]
        if not records:
            return False
        record = self.rng.choice(records)
        value = record.value
        if new_event_id:
            value = json.dumps({**json.loads(value), "event_id": str(uuid.uuid4())}).encode()
        await self._produce(self.stack.topic_prefix + WAREHOUSE_ITEM_ENTRIES, record.key, value, list(record.headers or ()))
        return True

    async def _publish_poison(self, topic: str, kind: str) -> None:
        envelope = {"event_id": str(uuid.uuid4()), "type": "catalog.item-upserted", "version": 1,
                    "occurred_at": datetime.now(UTC).isoformat(), "producer": "chaos", "key": "POISON",
                    "correlation_id": None, "causation_id": None, "payload": {"item_no": 42}}
        value = {
            "not-json": b"\xff\xfe not json {",
            "unknown-version": json.dumps({**envelope, "version": 99}).encode(),
            "invalid-payload": json.dumps(envelope).encode(),
        }[kind]
        await self._produce(self.stack.topic_prefix + topic, b"POISON", value, [])

    async def _produce(self, topic: str, key: bytes | None, value: bytes, headers: list[tuple[str, bytes]]) -> None:
        producer = AIOKafkaProducer(bootstrap_servers=self.stack.bootstrap_servers, acks="all", enable_idempotence=True,
                                    **self.stack.kafka_client_options())
        await producer.start()
        try:
            await producer.send_and_wait(topic, value, key=key, headers=headers)
        finally:
            await producer.stop()

    # checks ---------------------------------------------------------------------------------

    def check(self) -> list[tuple[str, bool, str]]:
        return asyncio.run(self._check())

    async def _check(self) -> list[tuple[str, bool, str]]:
        results: list[tuple[str, bool, str]] = []
        conns = {service: await asyncpg.connect(self.stack.database_url(service)) for service in ("warehouse", "costing", "ledger")}
        try:
            lines_per_document = dict(await conns["warehouse"].fetch(
                "SELECT document_no, count(*) FROM item_ledger_entries WHERE document_no = ANY($1::text[]) GROUP BY 1",
                list(self.outcome.answered)))
            wrong = {d: (n, lines_per_document.get(d, 0)) for d, n in self.outcome.answered.items() if lines_per_document.get(d, 0) != n}
            results.append(("every answered posting is there exactly once", not wrong and not self.outcome.refused,
                            f"{len(self.outcome.answered)} documents, {sum(self.outcome.answered.values())} lines; "
                            f"wrong {list(wrong.items())[:3]}, refused {self.outcome.refused[:3]}"))

            warehouse_entries = {r["entry_no"] for r in await conns["warehouse"].fetch("SELECT entry_no FROM item_ledger_entries")}
            costing_entries = {r["entry_no"] for r in await conns["costing"].fetch("SELECT entry_no FROM item_ledger_entries")}
            valued = {r["item_ledger_entry_no"] for r in await conns["costing"].fetch(
                "SELECT DISTINCT item_ledger_entry_no FROM value_entries")}
            first_values = Counter(r["item_ledger_entry_no"] for r in await conns["costing"].fetch(
                "SELECT item_ledger_entry_no FROM value_entries WHERE applies_to_entry IS NULL"))
            results.append(("every item entry has its value entries, once",
                             warehouse_entries == costing_entries and warehouse_entries <= valued and set(first_values.values()) <= {1},
                             f"{len(warehouse_entries)} item entries, {len(costing_entries)} in costing, "
                             f"{len(warehouse_entries - valued)} without value, "
                             f"{sum(1 for n in first_values.values() if n > 1)} valued twice"))

            invoiced_by = {}
            for service in ("warehouse", "costing"):
                invoiced_by[service] = {r["entry_no"]: r["invoiced_quantity"] for r in await conns[service].fetch(
                    "SELECT entry_no, invoiced_quantity FROM item_ledger_entries WHERE invoiced_quantity IS NOT NULL")}
            invoice_lines = await conns["warehouse"].fetchval(
                "SELECT count(*) FROM item_entry_invoices WHERE document_no = ANY($1::text[])", list(self.outcome.invoiced))
            differing = {n: (q, invoiced_by["costing"].get(n)) for n, q in invoiced_by["warehouse"].items()
                         if invoiced_by["costing"].get(n) != q}
            results.append(("every invoice line is invoiced once",
                            not differing and invoice_lines == sum(self.outcome.invoiced.values()),
                            f"{len(self.outcome.invoiced)} invoices, {invoice_lines} lines of "
                            f"{sum(self.outcome.invoiced.values())} answered; warehouse/costing invoiced quantity differs on "
                            f"{list(differing.items())[:3]}"))

            values = {r["entry_no"]: r["amount"] for r in await conns["costing"].fetch(
                "SELECT entry_no, cost_amount_actual + cost_amount_expected AS amount FROM value_entries")}
            per_value = Counter(r["value_entry_no"] for r in await conns["ledger"].fetch(
                "SELECT value_entry_no FROM gl_entries WHERE value_entry_no IS NOT NULL"))
            missing = [v for v, amount in values.items() if amount != 0 and per_value.get(v, 0) == 0]
            odd = [v for v, n in per_value.items() if n % 2 or v not in values]
            results.append(("every value entry has its G/L entries", not missing and not odd,
                            f"{len(values)} value entries, {len(per_value)} posted; missing {missing[:3]}, odd {odd[:3]}"))

            costing_order = await _out_of_order(conns["costing"], """
                SELECT v.item_no, v.item_ledger_entry_no FROM value_entries v JOIN item_ledger_entries e USING (item_no)
                WHERE e.entry_no = v.item_ledger_entry_no AND e.quantity > 0 AND NOT v.adjustment
                  AND v.entry_type = 'Direct Cost' AND v.item_charge_no IS NULL
                  AND v.entry_no = (SELECT min(entry_no) FROM value_entries f WHERE f.item_ledger_entry_no = v.item_ledger_entry_no)
                ORDER BY v.entry_no""")
            ledger_order = await _out_of_order(conns["ledger"], """
                SELECT item_no, value_entry_no FROM gl_entries WHERE value_entry_no IS NOT NULL ORDER BY entry_no""")
            results.append(("per item, costing valued and the ledger posted in entry order", not costing_order and not ledger_order,
                            f"inbound entries valued before an earlier one: {costing_order[:3]}; "
                            f"value entries posted before an earlier one: {ledger_order[:3]}"))

            debit, credit = await conns["ledger"].fetchrow(
                "SELECT coalesce(sum(amount) FILTER (WHERE amount > 0), 0), coalesce(-sum(amount) FILTER (WHERE amount < 0), 0) FROM gl_entries")
            results.append(("debits = credits", debit == credit, f"{debit} / {credit}"))
        finally:
            for conn in conns.values():
                await conn.close()

        reconciliation = self.http.get(f"{self.stack.url('ledger')}/reconciliation").json()
        differing = [line for line in reconciliation.get("lines", []) if Decimal(line["difference"]) != 0]
        results.append(("inventory value = inventory accounts, to the cent", not differing, f"{differing[:3]}"))

        quantities = self.http.get(f"{self.stack.url('costing')}/quantity-reconciliation", params={"settle_seconds": 0}).json()
        results.append(("warehouse quantities = costing quantities", not quantities["differences"],
                        f"{quantities['places_compared']} item/location pairs; {quantities['differences'][:3]}"))

        found, copies, not_poison = {}, 0, []
        for topic in {dead_letter(t) for t in CONSUMERS}:
            records = await observe.records(self.stack, self.stack.topic_prefix + topic)
            # The outbox relay publishes at least once: a kill between sending and marking sent repeats a dead letter,
            # which is the same failure of the same record, told by its origin.
            origins = {_dead_letter_origin(record) for record in records}
            found[topic] = len(origins)
            copies += len(records) - len(origins)
            not_poison += [origin for record in records if record.key != b"POISON" for origin in [_dead_letter_origin(record)]]
        expected = {topic: self.outcome.poison.get(topic, 0) for topic in found}
        results.append(("the dead-letter topics hold exactly the poison", found == expected and not not_poison,
                        f"expected {dict(sorted(expected.items()))}, found {dict(sorted(found.items()))} "
                        f"({copies} repeated by the relay); not poison {not_poison[:3]}"))
        return results


async def _out_of_order(conn: asyncpg.Connection, query: str) -> list[tuple[str, int, int]]:
    """(item, number, the higher one handled before it) wherever `query`'s (item, number) rows, in the order they were
    handled, go back to a lower number for an item."""
    highest: dict[str, int] = {}
    found = []
    for item_no, number in await conn.fetch(query):
        if number < highest.get(item_no, number):
            found.append((item_no, number, highest[item_no]))
        highest[item_no] = max(number, highest.get(item_no, number))
    return found


def _dead_letter_origin(record: Any) -> tuple[str, ...]:
    headers = {name: value.decode(errors="replace") for name, value in record.headers or ()}
    return tuple(headers.get(f"dlq-{part}", "") for part in ("origin-topic", "origin-partition", "origin-offset", "consumer-group"))


def _wait(check: Callable[[], bool], timeout: float, what: str, interval: float = 0.1) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: not within {timeout:.0f}s")
        time.sleep(interval)


def run(*, seed: int, postings: int, items: int, faults: int, replicas: int = 1, keep: bool = False) -> bool:
    """Run one seeded chaos schedule on a fresh stack of its own; True when every check holds.

    With `replicas`, warehouse, costing and ledger each run in that many processes (the postings spread over
    the warehouse's), and one process of each is killed mid-run besides the faults."""
    faulthandler.register(signal.SIGUSR1, all_threads=True)  # kill -USR1 shows where a stuck run is
    states = Path(__file__).resolve().parents[4] / ".state"
    states.mkdir(parents=True, exist_ok=True)
    state = Path(tempfile.mkdtemp(prefix=f"chaos-{seed}-", dir=states))
    os.environ.setdefault("LEDGER_RECONCILE_SECONDS", "1")
    stack = Stack(state, Ports.free())
    chaos_plan = plan(seed, postings, items, faults, replicas=replicas)
    started = time.monotonic()
    try:
        with console.status("starting a fresh stack"):
            stack.start_infrastructure()
            stack.start_services({service: replicas for service in REPLICATED})
        chaos = ChaosRun(stack, chaos_plan, seed)
        chaos.create_items()
        posted, finished = threading.Event(), threading.Event()
        injector = threading.Thread(target=chaos.inject_faults, args=(posted, finished), daemon=True)
        try:
            with console.status(f"posting {chaos_plan.document_count} documents under {len(chaos_plan.faults)} faults"):
                injector.start()
                try:
                    chaos.post_all()
                finally:
                    posted.set()
                    chaos.faults_done.wait()
            with console.status("waiting for every service to catch up"):
                observe.wait_quiet(stack, timeout=300, interval=1.0)
                time.sleep(2)  # let the reconciliations run over the final state
            results = chaos.check()
            report(seed, chaos, results, time.monotonic() - started)
            return all(ok for _, ok, _ in results)
        finally:
            stack.stop()
            finished.set()
            injector.join()
    finally:
        stack.stop()
        if not keep:
            shutil.rmtree(state, ignore_errors=True)


def report(seed: int, chaos: ChaosRun, results: list[tuple[str, bool, str]], seconds: float) -> None:
    outcome = chaos.outcome
    console.print(f"seed {seed}: {len(outcome.answered)} documents ({sum(outcome.answered.values())} postings) answered, "
                  f"{outcome.retries} retries, {len(outcome.faults)} faults, {outcome.duplicates} duplicates, "
                  f"{sum(outcome.poison.values())} dead letters expected, {seconds:.0f}s")
    for fault in outcome.faults:
        console.print(f"  fault: {fault}")
    for name, ok, detail in results:
        console.print(f"  {'[green]holds[/]' if ok else '[bold red]FAILS[/]'}  {name}: {detail}", highlight=False)
