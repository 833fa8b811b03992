"""A Docker-compatible container engine and the project's images, for the deployment tests.

Where `DOCKER_HOST` names an engine that answers, it is used as it is. Otherwise podman's API service is
started on a socket of our own (podman runs containers without a daemon; the service speaks Docker's API,
which testcontainers and docker-compose use).
"""

import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from . import processes

REPO = Path(__file__).resolve().parents[4]
CONTAINERS = REPO / "deploy" / "containers"
PODMAN_PACKAGES = "podman runc slirp4netns fuse-overlayfs uidmap debootstrap golang-github-containernetworking-plugin-dnsname"


class ContainerEngineError(RuntimeError):
    """No container engine could be had; the message says what is missing."""


@dataclass(frozen=True)
class Images:
    """The images a deployment runs; the variables are compose's (deploy/compose.yaml)."""

    inventory: str = os.environ.get("INVENTORY_IMAGE", "localhost/inventory-platform:dev")
    postgres: str = os.environ.get("POSTGRES_IMAGE", "localhost/inventory-postgres:15")
    kafka: str = os.environ.get("KAFKA_IMAGE", "localhost/inventory-kafka:4.1.2")

    def environment(self) -> dict[str, str]:
        return {"INVENTORY_IMAGE": self.inventory, "POSTGRES_IMAGE": self.postgres, "KAFKA_IMAGE": self.kafka}


class Engine:
    """An engine's API socket: the one named by DOCKER_HOST, or podman's, started here and stopped by `stop`."""

    def __init__(self, state_dir: Path) -> None:
        self.state_dir = state_dir
        self.process: subprocess.Popen[bytes] | None = None
        self.docker_host = os.environ.get("DOCKER_HOST", "")

    def start(self, timeout: float = 30) -> "Engine":
        if self.docker_host and _answers(self.docker_host):
            return self
        if shutil.which("podman") is None:
            raise ContainerEngineError(
                f"no container engine: DOCKER_HOST names none that answers ({self.docker_host or 'unset'}) and podman "
                f"is not installed (apt-get install {PODMAN_PACKAGES}; .ci/run does this)"
            )
        self.state_dir.mkdir(parents=True, exist_ok=True)
        socket = self.state_dir / "podman.sock"
        socket.unlink(missing_ok=True)
        self.docker_host = f"unix://{socket}"
        self.process = processes.spawn(
            ["podman", "system", "service", "--time=0", self.docker_host], self.state_dir / "podman-service.log",
            env=podman_environment(),
        )
        deadline = time.monotonic() + timeout
        while not _answers(self.docker_host):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise ContainerEngineError(
                    f"podman's API service did not answer on {socket}; see {self.state_dir / 'podman-service.log'}"
                )
            time.sleep(0.2)
        return self

    def environment(self) -> dict[str, str]:
        """What testcontainers and docker-compose need to use this engine."""
        return {
            "DOCKER_HOST": self.docker_host,
            # Ryuk (the reaper container) cannot be pulled here; the tests remove what they start.
            "TESTCONTAINERS_RYUK_DISABLED": "true",
            "TESTCONTAINERS_CONNECTION_MODE": "docker_host",
        }

    def stop(self) -> None:
        if self.process is not None:
            processes.stop(self.process)
            self.process = None


def podman_environment() -> dict[str, str]:
    # The hard open-files limit here is below podman's default, and crun cannot run with hybrid cgroups.
    return {**os.environ, "CONTAINERS_CONF": os.environ.get("CONTAINERS_CONF", str(CONTAINERS / "containers.conf"))}


def build_images(images: Images) -> None:
    """The services' image and the PostgreSQL and Kafka stand-ins (layer caches make a rebuild quick)."""
    if shutil.which("podman") is None:
        raise ContainerEngineError(f"podman is needed to build the images: apt-get install {PODMAN_PACKAGES}")
    result = subprocess.run(
        [str(CONTAINERS / "build"), "--standins"], env={**podman_environment(), "IMAGE": images.inventory},
        capture_output=True, text=True,
    )
    if result.returncode != 0:
        raise ContainerEngineError(f"building the images failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")


def _answers(docker_host: str) -> bool:
    if not docker_host.startswith("unix://"):
        base, transport = docker_host.replace("tcp://", "http://"), httpx.HTTPTransport()
    else:
        base, transport = "http://engine", httpx.HTTPTransport(uds=docker_host.removeprefix("unix://"))
    try:
        with httpx.Client(transport=transport, timeout=2) as client:
            return client.get(f"{base}/_ping").status_code == 200
    except httpx.HTTPError:
        return False
