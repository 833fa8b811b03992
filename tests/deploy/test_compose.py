"""deploy/compose.yaml as a user runs it: up, README's example with its numbers and its events sent by the webhooks,
down, nothing left running."""

import os
import shutil
import subprocess
import time
from pathlib import Path

import docker
import httpx
import pytest

from devstack.containers import Engine, Images
from devstack.issuer import DevIssuer
from devstack.processes import free_port
from devstack.stack import COMPONENTS
from readme_example import run_readme_example
from support import wait_until

from .webhooks_check import sent, subscribe

pytestmark = [pytest.mark.containers]

COMPOSE_FILE = Path(__file__).resolve().parents[2] / "deploy" / "compose.yaml"


def compose_command() -> list[str]:
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    if shutil.which("docker") and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0:
        return ["docker", "compose"]
    pytest.fail("no compose: install docker-compose (Debian's package; .ci/run does this) or the docker compose plugin",
                pytrace=False)


class ComposeDeployment:
    def __init__(self, project: str, env: dict[str, str]) -> None:
        self.project = project
        self.env = env
        self.ports = {component: int(env[f"{component.upper()}_PORT"]) for component in COMPONENTS}

    def compose(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*compose_command(), "-f", str(COMPOSE_FILE), "-p", self.project, *args],
                              env=self.env, capture_output=True, text=True, timeout=timeout)

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}"

    def ready(self) -> bool:
        try:
            return all(httpx.get(f"{self.url(c)}/readyz", timeout=2).status_code == 200 for c in COMPONENTS)
        except httpx.HTTPError:
            return False

    def left_behind(self) -> dict[str, list[str]]:
        """Containers, networks and volumes of the project that still exist."""
        client = docker.DockerClient(base_url=self.env["DOCKER_HOST"])
        label = {"label": f"com.docker.compose.project={self.project}"}
        try:
            return {
                "containers": [c.name for c in client.containers.list(all=True, filters=label)],
                "networks": [n.name for n in client.networks.list(filters=label)],
                "volumes": [v.name for v in client.volumes.list(filters=label)],
            }
        finally:
            client.close()


def test_compose_brings_the_system_up_gives_the_readme_numbers_and_goes_down_leaving_nothing(
    engine: Engine, images: Images, tmp_path: Path,
) -> None:
    issuer = DevIssuer(tmp_path / "issuer")
    env = {**os.environ, **engine.environment(), **images.environment(),
           **{f"{component.upper()}_PORT": str(free_port()) for component in COMPONENTS},
           **issuer.env(inline=True), "LEDGER_COSTING_TOKEN": issuer.token(["costing:read"], subject="ledger"),
           "COSTING_WAREHOUSE_TOKEN": issuer.token(["inventory:read"], subject="costing"),
           "WAREHOUSE_CATALOG_TOKEN": issuer.token(["catalog:read"], subject="warehouse")}
    deployment = ComposeDeployment(f"inventorytest{os.getpid()}", env)
    started = time.monotonic()
    try:
        up = deployment.compose("up", "-d")
        assert up.returncode == 0, up.stdout + up.stderr
        wait_until(deployment.ready, 180, "every service and the webhooks ready under compose")
        print(f"compose up to every service ready: {time.monotonic() - started:.1f}s")
        init = deployment.compose("ps", "init")
        assert "Exit 0" in init.stdout or "exited (0)" in init.stdout.lower(), init.stdout

        with httpx.Client(timeout=30, headers={"Authorization": f"Bearer {issuer.token()}"}) as http:
            subscription = subscribe(deployment, http, issuer.token(["catalog:read"]))
            run_readme_example(deployment, http)
            sent(deployment, http, subscription)
        running = deployment.left_behind()
        assert (len(running["containers"]), len(running["volumes"])) == (8, 2), running
    except BaseException:
        print(deployment.compose("logs", "--no-color", "--tail", "50").stdout)
        raise
    finally:
        down = deployment.compose("down", "--volumes", "--timeout", "20")
    assert down.returncode == 0, down.stdout + down.stderr
    assert deployment.left_behind() == {"containers": [], "networks": [], "volumes": []}
