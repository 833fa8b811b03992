"""The built images as a user runs them: PostgreSQL, Kafka, init and the four services on one network.

README's example gives its numbers, and a service container killed (SIGKILL) and started again mid-stream
loses and doubles nothing.
"""

import time
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import httpx
import pytest
from testcontainers.core.container import DockerContainer
from testcontainers.core.network import Network

from devstack.containers import Engine, Images
from devstack.issuer import DevIssuer
from devstack.stack import SERVICES
from readme_example import run_readme_example
from support import System, wait_until

pytestmark = [pytest.mark.containers, pytest.mark.chaos]

POSTGRES_PASSWORD = "container-test"
KAFKA = {
    "CLUSTER_ID": "Yt1P6tRoQxS3m0Z4k1x9nA",
    "KAFKA_NODE_ID": "1",
    "KAFKA_PROCESS_ROLES": "broker,controller",
    "KAFKA_LISTENERS": "PLAINTEXT://:9092,CONTROLLER://:9093",
    "KAFKA_ADVERTISED_LISTENERS": "PLAINTEXT://kafka:9092",
    "KAFKA_CONTROLLER_LISTENER_NAMES": "CONTROLLER",
    "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP": "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
    "KAFKA_CONTROLLER_QUORUM_VOTERS": "1@kafka:9093",
    "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR": "1",
    "KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS": "1",
    "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR": "1",
    "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR": "1",
    "KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS": "0",
    "KAFKA_AUTO_CREATE_TOPICS_ENABLE": "false",
}


class ContainerDeployment:
    """The system in containers on a network of its own; each service's API published on a free port of this host
    (the engine runs here: DOCKER_HOST is its local socket)."""

    def __init__(self, images: Images, network: Network, issuer: DevIssuer) -> None:
        self.images = images
        self.network = network
        self.issuer = issuer
        self.containers: dict[str, DockerContainer] = {}
        self._urls: dict[str, str] = {}

    def environment(self, service: str | None) -> dict[str, str]:
        common = {
            "KAFKA_BOOTSTRAP_SERVERS": "kafka:9092",
            **{f"{s.upper()}_DATABASE_URL": f"postgresql://{s}@postgres:5432/{s}" for s in SERVICES},
            "LEDGER_COSTING_URL": "http://costing:8003",
            "LEDGER_RECONCILE_SECONDS": "1",
            **self.issuer.env(inline=True),
            "LEDGER_COSTING_TOKEN": self.issuer.token(["costing:read"], subject="ledger", client_id="ledger"),
        }
        passwords = {f"{s.upper()}_DATABASE_PASSWORD": f"{s}-password" for s in SERVICES if service in (None, s)}
        admin = {"DATABASE_URL": "postgresql://postgres@postgres:5432/postgres", "DATABASE_PASSWORD": POSTGRES_PASSWORD}
        return {**common, **passwords, **(admin if service is None else {})}

    def start(self) -> None:
        self._run("postgres", DockerContainer(self.images.postgres).with_env("POSTGRES_PASSWORD", POSTGRES_PASSWORD))
        kafka = DockerContainer(self.images.kafka)
        for name, value in KAFKA.items():
            kafka.with_env(name, value)
        self._run("kafka", kafka)
        init = self._run("init", self._inventory(None).with_command("inventory-admin init --wait 120"))
        outcome = init.get_wrapped_container().wait(timeout=180)
        logs = init.get_wrapped_container().logs().decode(errors="replace")
        assert outcome["StatusCode"] == 0, f"init failed:\n{logs}"
        for service, port in SERVICES.items():
            self._run(service, self._inventory(service).with_command(f"python -m {service}").with_exposed_ports(port))
        for service in SERVICES:
            self.wait_ready(service)

    def _inventory(self, service: str | None) -> DockerContainer:
        container = DockerContainer(self.images.inventory)
        for name, value in self.environment(service).items():
            container.with_env(name, value)
        return container

    def _run(self, name: str, container: DockerContainer) -> DockerContainer:
        container.with_network(self.network).with_network_aliases(name)
        self.containers[name] = container
        container.start()
        return container

    def url(self, service: str) -> str:
        if service not in self._urls:
            container = self.containers[service]
            self._urls[service] = f"http://127.0.0.1:{container.get_exposed_port(SERVICES[service])}"
        return self._urls[service]

    def wait_ready(self, service: str, timeout: float = 90) -> None:
        def ready() -> bool:
            try:
                return httpx.get(f"{self.url(service)}/readyz", timeout=2).status_code == 200
            except httpx.HTTPError:
                return False

        wait_until(ready, timeout, f"{service} /readyz in its container")

    def kill(self, service: str) -> None:
        self.containers[service].get_wrapped_container().kill(signal="SIGKILL")

    def restart(self, service: str) -> None:
        self.containers[service].get_wrapped_container().start()
        self._urls.pop(service, None)
        self.wait_ready(service)

    def stop(self) -> None:
        for container in reversed(list(self.containers.values())):
            try:
                container.get_wrapped_container().remove(force=True, v=True)
            except Exception:
                pass


@pytest.fixture(scope="module")
def deployment(
    engine: Engine, images: Images, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ContainerDeployment]:
    with Network() as network:
        running = ContainerDeployment(images, network, DevIssuer(tmp_path_factory.mktemp("issuer")))
        try:
            running.start()
            yield running
        finally:
            running.stop()


def test_readme_example_gives_its_numbers_in_containers(deployment: ContainerDeployment) -> None:
    with httpx.Client(timeout=30, headers={"Authorization": f"Bearer {deployment.issuer.token()}"}) as http:
        run_readme_example(deployment, http)


def test_a_service_container_killed_and_started_again_mid_stream_loses_and_doubles_nothing(
    deployment: ContainerDeployment,
) -> None:
    system = System(deployment)  # type: ignore[arg-type]
    items = [system.create_item(f"CT{n}", costing_method="FIFO")["item_no"] for n in range(5)]
    documents = [
        [{"item_no": item, "entry_type": "Purchase", "quantity": "3", "unit_cost": f"{n % 7 + 1}.25",
          "posting_date": "2026-03-02", "location_code": "MAIN"} for item in items]
        + [{"item_no": item, "entry_type": "Sale", "quantity": "1", "posting_date": "2026-03-03", "location_code": "MAIN"}
           for item in items]
        for n in range(60)
    ]
    chaos = {15: lambda: deployment.kill("costing"), 25: lambda: deployment.restart("costing"),
             35: lambda: deployment.kill("ledger"), 45: lambda: deployment.restart("ledger")}
    for index, lines in enumerate(documents):
        if index in chaos:
            chaos.pop(index)()
        response = system.post(f"CT-{index:03d}", lines, idempotency_key=f"ct-{index}")
        assert response.status_code == 201, response.text

    entries = [e for item in items for e in system.item_ledger_entries(item)]
    assert len(entries) == len(documents) * len(items) * 2

    def valued_and_posted() -> tuple[list[dict[str, Any]], list[dict[str, Any]]] | None:
        value_entries = [v for item in items for v in system.value_entries(item)]
        ours = {v["entry_no"] for v in value_entries}
        gl_entries = [g for g in system.gl_entries() if g["value_entry_no"] in ours]
        if len(value_entries) < len(entries) or len(gl_entries) < 2 * len(value_entries):
            return None
        return value_entries, gl_entries

    wait_until(valued_and_posted, 120, "every item entry valued and posted to the G/L")
    time.sleep(3)  # a doubled event would arrive meanwhile
    value_entries, gl_entries = valued_and_posted() or ([], [])
    per_item_entry = Counter(v["item_ledger_entry_no"] for v in value_entries)
    assert set(per_item_entry) == {e["entry_no"] for e in entries}
    assert set(per_item_entry.values()) == {1}, "every item ledger entry has exactly one value entry"
    per_value_entry = Counter(g["value_entry_no"] for g in gl_entries)
    assert set(per_value_entry.values()) == {2}, "every value entry has exactly its pair of G/L entries"
    for item in items:
        valuation = system.valuation(item_no=item)
        assert Decimal(valuation["quantity"]) == 2 * len(documents)
    inventory = system.accounts_for("MAIN", "RESALE", "", "RETAIL")["inventory"]
    inventory_balance = sum((Decimal(g["amount"]) for g in gl_entries if g["account_no"] == inventory), Decimal(0))
    assert inventory_balance == sum((Decimal(system.valuation(item_no=i)["cost_amount_actual"]) for i in items), Decimal(0))
    trial_balance = system.trial_balance()
    assert Decimal(trial_balance["total_debit"]) == Decimal(trial_balance["total_credit"])
