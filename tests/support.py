"""A client of the running system for tests: the APIs, waiting for quiet, and the cross-service invariants."""

import asyncio
import itertools
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import asyncpg
import httpx
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from devstack import observe
from devstack.stack import Ports, Stack
from inventory_contracts.topics import CONSUMES, all_topics

CONSUMED = {service: list(topics) for service, topics in CONSUMES.items()}
DEAD_LETTER_TOPICS = [t for t in all_topics() if t.endswith(".dlq")]
_numbers = itertools.count(1)


def consumers_of(topic: str) -> list[str]:
    return [service for service, topics in CONSUMED.items() if topic in topics]


def unique(prefix: str) -> str:
    return f"{prefix}{int(time.time() * 1000) % 10_000_000}{next(_numbers)}"


def wait_until(check: Callable[[], Any], timeout: float = 30, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not reached within {timeout:.0f}s")
        time.sleep(0.05)


def created(response: httpx.Response) -> dict[str, Any]:
    """The body of a response that created (or changed) something."""
    assert response.status_code in (200, 201), response.text
    return dict(response.json())


def assert_problem(response: httpx.Response, status: int, problem_type: str) -> dict[str, Any]:
    """The RFC 9457 problem details of a refused request, of the expected status and type."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = dict(response.json())
    assert body["type"] == f"/problems/{problem_type}", body
    return body


@contextmanager
def separate_system(stack: Stack, name: str) -> Iterator["System"]:
    """The four services of a company of its own (its own topics and databases) on the session's servers.

    For tests that need settings the shared system cannot take once entries exist.
    """
    company = f"{name}{time.time_ns() % 1_000_000}"
    separate = Stack(stack.state_dir / company, Ports.free(), topic_prefix=f"{company}.", database_prefix=f"{company}_")
    separate.bootstrap_servers, separate.database_server_url = stack.bootstrap_servers, stack.database_server_url
    separate.kafka_auth, separate.service_roles = stack.kafka_auth, True
    separate.issuer = stack.issuer  # the same auth settings: the session's tokens work on both
    try:
        separate.start_infrastructure()
        separate.start_services()
        with System(separate) as system:
            yield system
    finally:
        separate.stop()


class System:
    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        # A real access token with every scope from the stack's issuer (tests/system/test_auth.py tries the others).
        self.token = stack.issuer.token(ttl=24 * 3600, subject="tests")
        self.headers = {"Authorization": f"Bearer {self.token}"}
        self.http = httpx.Client(timeout=60, headers=self.headers)

    def __enter__(self) -> "System":
        return self

    def __exit__(self, *_: object) -> None:
        self.http.close()

    def url(self, service: str, path: str) -> str:
        return f"{self.stack.url(service)}{path}"

    # catalog and warehouse ---------------------------------------------------------------------

    def create_item(self, item_no: str | None = None, **card: Any) -> dict[str, Any]:
        body = {
            "item_no": item_no or unique("IT"),
            "description": "Test item",
            "base_unit_of_measure": "PCS",
            "inventory_posting_group": "RESALE",
            "gen_prod_posting_group": "RETAIL",
            **card,
        }
        response = self.http.post(self.url("catalog", "/items"), json=body)
        assert response.status_code == 201, response.text
        wait_until(
            lambda: self.http.get(self.url("warehouse", f"/items/{body['item_no']}/quantity-on-hand")).status_code == 200,
            what=f"item {body['item_no']} in the warehouse replica",
        )
        return dict(response.json())

    def give_bom(self, item_no: str, lines: list[dict[str, Any]]) -> int:
        """Make `lines` the item's assembly BOM through the catalog, and wait until the card's new revision is in
        the warehouse's and costing's replicas. (The new revision.)"""
        url = self.url("catalog", f"/items/{item_no}/assembly-bom")
        read = self.http.get(url)
        assert read.status_code == 200, read.text
        response = self.http.put(url, json={"lines": lines}, headers={"If-Match": read.headers["ETag"]})
        assert response.status_code == 200, response.text
        revision = int(response.json()["revision"])
        self.wait_for_card(item_no, revision)
        return revision

    def wait_for_card(self, item_no: str, revision: int) -> None:
        """Wait until the warehouse's and costing's replicas hold the item's card at `revision` or later."""
        def replicated() -> bool:
            warehouse = self.sql("warehouse", "SELECT 1 FROM items WHERE item_no = $1 AND revision >= $2", item_no, revision)
            costing = self.http.get(self.url("costing", f"/items/{item_no}/cost")).json().get("revision") or 0
            return bool(warehouse) and costing >= revision

        wait_until(replicated, what=f"the card of {item_no} at revision {revision} in the warehouse and costing")

    def post(self, document_no: str, lines: Iterable[dict[str, Any]], idempotency_key: str | None = None) -> httpx.Response:
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        return self.http.post(
            self.url("warehouse", "/item-journal"),
            json={"document_no": document_no, "lines": list(lines)},
            headers=headers,
        )

    def item_ledger_entries(self, item_no: str | None = None) -> list[dict[str, Any]]:
        return self._all("warehouse", "/item-ledger-entries", "entries", item_no=item_no)

    def sell_one_each_at_once(self, item_no: str, count: int, instances: tuple[str, ...] = ("warehouse",)) -> list[httpx.Response]:
        """`count` sales of 1 released together, sent to the warehouse `instances` in turn."""

        async def sell_all() -> list[httpx.Response]:
            async with httpx.AsyncClient(timeout=60, limits=httpx.Limits(max_connections=count), headers=self.headers) as client:
                barrier = asyncio.Event()

                async def sell(n: int) -> httpx.Response:
                    await barrier.wait()
                    return await client.post(
                        f"{self.stack.url(instances[n % len(instances)])}/item-journal",
                        json={"document_no": f"S-{item_no}-{n}", "lines": [{
                            "item_no": item_no, "entry_type": "Sale", "quantity": "1", "posting_date": "2026-06-02",
                            "location_code": "MAIN"}]},
                        headers={"Idempotency-Key": f"sale-{item_no}-{n}"},
                    )

                tasks = [asyncio.create_task(sell(n)) for n in range(count)]
                await asyncio.sleep(0.1)
                barrier.set()
                return list(await asyncio.gather(*tasks))

        return asyncio.run(sell_all())

    def quantity_on_hand(self, item_no: str) -> Decimal:
        response = self.http.get(self.url("warehouse", f"/items/{item_no}/quantity-on-hand"))
        assert response.status_code == 200, response.text
        return Decimal(response.json()["quantity"])

    # costing and ledger ------------------------------------------------------------------------

    def value_entries(self, item_no: str | None = None) -> list[dict[str, Any]]:
        return self._all("costing", "/value-entries", "entries", item_no=item_no)

    def valuation(self, **params: Any) -> dict[str, Any]:
        response = self.http.get(self.url("costing", "/inventory-valuation"), params=params)
        assert response.status_code == 200, response.text
        return dict(response.json())

    def gl_entries(self, **params: Any) -> list[dict[str, Any]]:
        return self._all("ledger", "/gl-entries", "entries", **params)

    def trial_balance(self) -> dict[str, Any]:
        response = self.http.get(self.url("ledger", "/trial-balance"))
        assert response.status_code == 200, response.text
        return dict(response.json())

    def assert_books_balance_and_reconcile(self) -> None:
        """Debits equal credits, and once the ledger has caught up every inventory account equals costing's value."""
        trial_balance = self.trial_balance()
        assert Decimal(trial_balance["total_debit"]) == Decimal(trial_balance["total_credit"])
        last: list[Any] = [None]

        def caught_up() -> Any:
            last[0] = self.http.get(self.url("ledger", "/reconciliation")).json()
            return last[0]["caught_up"] and last[0]

        try:
            found = wait_until(caught_up, what="reconciliation caught up")
        except AssertionError:
            raise AssertionError(f"not caught up: {last[0]}; dead letters {self.dead_letter_counts()}") from None
        assert {line["account_no"]: Decimal(line["difference"]) for line in found["lines"]} == {
            line["account_no"]: Decimal("0.00") for line in found["lines"]
        }

    def accounts_for(self, location_code: str, inventory_posting_group: str, gen_bus_posting_group: str,
                     gen_prod_posting_group: str) -> dict[str, str]:
        """The ledger's accounts for a posting, by role: inventory, cogs, direct_cost_applied, ..."""
        inventory = self.http.get(self.url("ledger", "/inventory-posting-setup"), params={
            "location_code": location_code, "inventory_posting_group": inventory_posting_group})
        general = self.http.get(self.url("ledger", "/general-posting-setup"), params={
            "gen_bus_posting_group": gen_bus_posting_group, "gen_prod_posting_group": gen_prod_posting_group})
        assert inventory.status_code == general.status_code == 200, (inventory.text, general.text)
        roles = {**inventory.json(), **general.json()}
        return {name.removesuffix("_account").replace("_account_", "_"): value for name, value in roles.items()
                if name.endswith(("account", "account_interim"))}

    def _all(self, service: str, path: str, key: str, **params: Any) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        params = {k: v for k, v in params.items() if v is not None} | {"limit": 1000}
        while True:
            response = self.http.get(self.url(service, path), params=params)
            assert response.status_code == 200, response.text
            page = response.json()
            found += page[key]
            if not page.get("next_cursor"):
                return found
            params["cursor"] = page["next_cursor"]

    # the bus ---------------------------------------------------------------------------------

    def topic(self, name: str) -> str:
        return f"{self.stack.topic_prefix}{name}"

    def wait_quiet(self, timeout: float = 60) -> None:
        """Every outbox is empty and every consumer group has committed up to the end of its topics.

        Seen twice in a row with the same end offsets, so that nothing was published between the looks.
        """
        try:
            observe.wait_quiet(self.stack, timeout)
        except TimeoutError as exc:
            raise AssertionError(str(exc)) from exc

    def publish(self, topic: str, messages: list[tuple[bytes | None, bytes]]) -> None:
        """Produce raw (key, value) messages to a topic as another producer would, up to 2 MiB each."""

        async def send() -> None:
            producer = AIOKafkaProducer(bootstrap_servers=self.stack.bootstrap_servers, acks="all",
                                        max_request_size=2 * 1024 * 1024, **self.stack.kafka_client_options())
            await producer.start()
            try:
                for key, value in messages:
                    await producer.send_and_wait(self.topic(topic), value, key=key)
            finally:
                await producer.stop()

        asyncio.run(send())

    def dead_letter_counts(self) -> dict[str, int]:
        return asyncio.run(self._dead_letter_counts())

    async def _dead_letter_counts(self) -> dict[str, int]:
        consumer = AIOKafkaConsumer(bootstrap_servers=self.stack.bootstrap_servers, **self.stack.kafka_client_options())
        await consumer.start()
        try:
            counts = {}
            for topic in DEAD_LETTER_TOPICS:
                partitions = await observe.partitions(self.stack, [self.topic(topic)])
                begin = await consumer.beginning_offsets(partitions)
                end = await consumer.end_offsets(partitions)
                counts[topic] = sum(end[tp] - begin[tp] for tp in partitions)
            return counts
        finally:
            await consumer.stop()

    def dead_letters(self, topic: str) -> list[Any]:
        """Every record of a dead-letter topic."""
        return self.records(topic)

    def records(self, topic: str, key: str | None = None) -> list[Any]:
        """Every record of a topic (with `key`, only that key's), in partition order."""

        found = asyncio.run(observe.records(self.stack, self.topic(topic)))
        return [r for r in found if key is None or r.key == key.encode()]

    def _database(self, service: str) -> str:
        return self.stack.database_url(service)

    def sql(self, service: str, query: str, *args: Any) -> list[asyncpg.Record]:
        """Read a service's database directly, for checks that no API exposes (the outbox, the inbox)."""

        async def run() -> list[asyncpg.Record]:
            conn = await asyncpg.connect(self._database(service))
            try:
                return list(await conn.fetch(query, *args))
            finally:
                await conn.close()

        return asyncio.run(run())


def drop_database(stack: Stack, service: str) -> None:
    """Lose a service's database, as a failed disk would (its connections are ended)."""
    async def drop() -> None:
        admin = await asyncpg.connect(stack.database_server_url)
        try:
            name = stack.database_url(service).rsplit("/", 1)[1]
            await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        finally:
            await admin.close()

    asyncio.run(drop())


def run_rebuild(stack: Stack, service: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """A service's rebuild command as an operator runs it: the service's settings, the admins' credentials."""
    env = stack.service_env(service)
    if stack.kafka_auth.sasl:
        prefix = service.upper()
        env |= {f"{prefix}_KAFKA_USERNAME": stack.kafka_auth.username or "",
                f"{prefix}_KAFKA_PASSWORD": stack.kafka_auth.password or ""}
    return subprocess.run([sys.executable, "-m", f"{service}.rebuild", stack.database_server_url], env=env,
                          capture_output=True, text=True, timeout=timeout)
