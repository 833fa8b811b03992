"""The whole system on this machine: infrastructure, topics, databases and the four services."""

import asyncio
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx

from inventory_contracts.topics import all_topics
from servicekit.admin import InitPlan, InitSettings, initialise
from servicekit.settings import SERVICE_PORTS, database_url_for

from . import processes
from .issuer import DevIssuer
from .kafka import KafkaBroker
from .postgres import PostgresCluster

SERVICES: dict[str, int] = dict(SERVICE_PORTS)


class StackError(RuntimeError):
    """The system could not be brought up; the message says which part and why."""


@dataclass
class Ports:
    kafka: int = 19092
    kafka_controller: int = 19093
    postgres: int = 15432
    services: dict[str, int] = field(default_factory=lambda: dict(SERVICES))

    @classmethod
    def free(cls) -> "Ports":
        return cls(
            kafka=processes.free_port(),
            kafka_controller=processes.free_port(),
            postgres=processes.free_port(),
            services={name: processes.free_port() for name in SERVICES},
        )


class Stack:
    """Starts what is missing and stops what it started.

    `KAFKA_BOOTSTRAP_SERVERS` and `DATABASE_URL` (a server URL; one database per service is created
    on it) make it use existing servers instead of starting its own.
    """

    def __init__(
        self, state_dir: Path, ports: Ports | None = None, topic_prefix: str | None = None, durable_postgres: bool = False,
        database_prefix: str = "",
    ) -> None:
        self.state_dir = state_dir.resolve()
        self.ports = ports or Ports()
        self.topic_prefix = os.environ.get("TOPIC_PREFIX", "") if topic_prefix is None else topic_prefix
        self.kafka: KafkaBroker | None = None
        self.postgres: PostgresCluster | None = None
        self.bootstrap_servers = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "")
        self.database_server_url = os.environ.get("DATABASE_URL", "")
        self.services: dict[str, subprocess.Popen[bytes]] = {}
        self.durable_postgres = durable_postgres
        self.database_prefix = database_prefix
        self._issuer: DevIssuer | None = None

    @property
    def issuer(self) -> DevIssuer:
        """The development issuer whose tokens the services accept; its key stays in the state dir across runs."""
        if self._issuer is None:
            self._issuer = DevIssuer(self.state_dir / "auth")
        return self._issuer

    @issuer.setter
    def issuer(self, issuer: DevIssuer) -> None:
        self._issuer = issuer

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.ports.services[service]}"

    def database_url(self, service: str) -> str:
        """The service's database: named after it, with the stack's database prefix, on the stack's server.

        Without a prefix, `<SERVICE>_DATABASE_URL` may give a service a database elsewhere.
        """
        if self.database_prefix:
            return urlunsplit(urlsplit(self.database_server_url)._replace(path=f"/{self.database_prefix}{service}"))
        return database_url_for(service, {**os.environ, "DATABASE_URL": self.database_server_url})

    def init_plan(self) -> InitPlan:
        """What `inventory-admin init` would do for this stack: the one way every deployment initialises."""
        settings = InitSettings()
        return InitPlan(
            admin_url=self.database_server_url,
            service_urls={service: self.database_url(service) for service in SERVICES},
            bootstrap_servers=self.bootstrap_servers,
            topics={f"{self.topic_prefix}{name}": settings.topic_partitions for name in all_topics()},
            replication_factor=settings.topic_replication_factor,
        )

    def start_infrastructure(self) -> None:
        try:
            if not self.database_server_url:
                self.postgres = PostgresCluster(self.state_dir / "postgres", self.ports.postgres, self.durable_postgres)
                self.postgres.start()
                self.database_server_url = self.postgres.server_url
            if not self.bootstrap_servers:
                self.kafka = KafkaBroker(self.state_dir / "kafka", self.ports.kafka, self.ports.kafka_controller)
                self.kafka.start()
                self.bootstrap_servers = self.kafka.bootstrap_servers
            asyncio.run(initialise(self.init_plan(), wait_seconds=30))
        except Exception as exc:
            self.stop()
            raise StackError(f"infrastructure did not start: {exc}") from exc

    def service_env(self, service: str) -> dict[str, str]:
        return {
            **os.environ,
            "KAFKA_BOOTSTRAP_SERVERS": self.bootstrap_servers,
            "DATABASE_URL": self.database_server_url,
            f"{service.upper()}_DATABASE_URL": self.database_url(service),
            "TOPIC_PREFIX": self.topic_prefix,
            f"{service.upper()}_HTTP_PORT": str(self.ports.services[service]),
            "LEDGER_COSTING_URL": self.url("costing"),
            **self.auth_env(service),
        }

    def auth_env(self, service: str) -> dict[str, str]:
        """The issuer the services trust (only this one: inherited AUTH_JWKS or AUTH_JWKS_URL are blanked), and
        for the ledger a token of its own for costing's API, written afresh at each start."""
        env = {"AUTH_JWKS": "", "AUTH_JWKS_URL": "", "AUTH_TOKEN_URL": "", **self.issuer.env()}
        if service == "ledger":
            token_file = self.issuer.directory / "ledger-costing.token"
            written = token_file.with_suffix(".new")
            written.write_text(self.issuer.token(["costing:read"], ttl=30 * 86400, subject="ledger", client_id="ledger"))
            written.replace(token_file)
            env["LEDGER_COSTING_TOKEN_FILE"] = str(token_file)
        return env

    def start_service(self, service: str, timeout: float = 60) -> None:
        log_file = self.state_dir / "logs" / f"{service}.log"
        process = processes.spawn([sys.executable, "-m", service], log_file, env=self.service_env(service))
        self.services[service] = process
        try:
            processes.wait_until(lambda: process.poll() is not None or self.ready(service), timeout, f"{service} /readyz")
        except TimeoutError as exc:
            raise StackError(f"{exc}; see {log_file}") from exc
        if process.poll() is not None:
            raise StackError(f"{service} exited with {process.returncode} at start; see {log_file}")

    def start_services(self) -> None:
        try:
            for service in SERVICES:
                self.start_service(service)
        except Exception:
            self.stop()
            raise

    def ready(self, service: str) -> bool:
        try:
            return httpx.get(f"{self.url(service)}/readyz", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    def kill_service(self, service: str) -> None:
        processes.kill(self.services.pop(service))

    def stop_service(self, service: str) -> None:
        processes.stop(self.services.pop(service))

    def stop(self) -> None:
        for service in list(self.services):
            self.stop_service(service)
        if self.kafka is not None:
            self.kafka.stop()
            self.kafka = None
        if self.postgres is not None:
            self.postgres.stop()
            self.postgres = None

    def __enter__(self) -> "Stack":
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()
