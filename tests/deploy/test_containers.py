"""The built images as a user runs them: PostgreSQL, Kafka, init, the four services and the webhooks on one network.

README's example gives its numbers and the webhooks send its events, and a service container killed (SIGKILL) and
started again mid-stream loses and doubles nothing.
"""

import re
import time
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from testcontainers.core.container import DockerContainer
from testcontainers.core.network import Network

from devstack.containers import Engine, Images
from devstack.issuer import DevIssuer
from devstack.stack import SERVICES, WEBHOOKS
from readme_example import run_readme_example
from support import System, wait_until

from .webhooks_check import sent, subscribe

pytestmark = [pytest.mark.containers, pytest.mark.chaos]

COMPOSE_FILE = Path(__file__).resolve().parents[2] / "deploy" / "compose.yaml"
_DEFAULT = re.compile(r"\$\{[A-Z_]+:-([^}]*)\}")
PORTS = {**SERVICES, WEBHOOKS: 8005}


def compose_command(service: str) -> list[str]:
    return [str(part) for part in yaml.safe_load(COMPOSE_FILE.read_text())["services"][service]["command"]]


def compose_environment(service: str) -> dict[str, str]:
    """A service's environment as deploy/compose.yaml gives it with its default variables: the containers here
    run exactly the configuration users run."""
    environment = yaml.safe_load(COMPOSE_FILE.read_text())["services"][service].get("environment", {})
    return {name: _DEFAULT.sub(r"\1", str(value)) for name, value in environment.items()}


class ContainerDeployment:
    """The system in containers on a network of its own; each service's API published on a free port of this host
    (the engine runs here: DOCKER_HOST is its local socket)."""

    def __init__(self, images: Images, network: Network, issuer: DevIssuer) -> None:
        self.images = images
        self.network = network
        self.issuer = issuer
        self.containers: dict[str, DockerContainer] = {}
        self._urls: dict[str, str] = {}

    def start(self) -> None:
        postgres = DockerContainer(self.images.postgres).with_command(" ".join(compose_command("postgres")))
        self._run("postgres", self._configured(postgres, "postgres"))
        self._run("kafka", self._configured(DockerContainer(self.images.kafka), "kafka"))
        init = self._run("init", self._inventory("init").with_command(" ".join(compose_command("init"))))
        outcome = init.get_wrapped_container().wait(timeout=180)
        logs = init.get_wrapped_container().logs().decode(errors="replace")
        assert outcome["StatusCode"] == 0, f"init failed:\n{logs}"
        for service, port in PORTS.items():
            self._run(service, self._inventory(service).with_command(" ".join(compose_command(service)))
                      .with_exposed_ports(port).with_env("LEDGER_RECONCILE_SECONDS", "1"))
        for service in PORTS:
            self.wait_ready(service)

    def _inventory(self, service: str) -> DockerContainer:
        container = self._configured(DockerContainer(self.images.inventory), service)
        tokens = {"LEDGER_COSTING_TOKEN": self.issuer.token(["costing:read"], subject="ledger", client_id="ledger"),
                  "COSTING_WAREHOUSE_TOKEN": self.issuer.token(["inventory:read"], subject="costing", client_id="costing"),
                  "WAREHOUSE_CATALOG_TOKEN": self.issuer.token(["catalog:read"], subject="warehouse", client_id="warehouse")}
        for name, value in {**self.issuer.env(inline=True), **tokens}.items():
            container.with_env(name, value)
        return container

    @staticmethod
    def _configured(container: DockerContainer, service: str) -> DockerContainer:
        for name, value in compose_environment(service).items():
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
            self._urls[service] = f"http://127.0.0.1:{container.get_exposed_port(PORTS[service])}"
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


def test_readme_example_gives_its_numbers_and_the_webhooks_send_its_events_in_containers(
    deployment: ContainerDeployment,
) -> None:
    with httpx.Client(timeout=30, headers={"Authorization": f"Bearer {deployment.issuer.token()}"}) as http:
        subscription = subscribe(deployment, http, deployment.issuer.token(["catalog:read"]))
        run_readme_example(deployment, http)
        sent(deployment, http, subscription)


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
