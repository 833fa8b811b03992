"""The whole system on this machine: infrastructure, topics, databases and the four services."""

import asyncio
import os
import secrets
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx

from inventory_contracts.topics import all_topics, topic_config
from servicekit.admin import InitPlan, InitSettings, KafkaPrincipal, initialise
from servicekit.settings import SERVICE_PORTS, KafkaAuth, database_url_for, kafka_auth, kafka_principal_for, with_password

from . import processes
from .issuer import DevIssuer
from .kafka import KafkaBroker
from .postgres import PostgresCluster

SERVICES: dict[str, int] = dict(SERVICE_PORTS)
# What `--replicas` runs in several processes (the catalog takes few writes and stays one).
REPLICATED = ("warehouse", "costing", "ledger")
# Started beside the four services, like the console, with a database and a Kafka principal of its own.
WEBHOOKS = "webhooks"
COMPONENTS = (*SERVICES, WEBHOOKS)


def service_of(instance: str) -> str:
    """`costing-2` (a second replica) is an instance of `costing`; the first instance is named like its service."""
    return instance.partition("-")[0]


def instance_names(service: str, replicas: int) -> list[str]:
    return [service] + [f"{service}-{n}" for n in range(2, replicas + 1)]


class StackError(RuntimeError):
    """The system could not be brought up; the message says which part and why."""


@dataclass
class Ports:
    kafka: int = 19092
    kafka_controller: int = 19093
    postgres: int = 15432
    services: dict[str, int] = field(default_factory=lambda: dict(SERVICES))
    console: int = 8000
    webhooks: int = 8005

    @classmethod
    def free(cls) -> "Ports":
        return cls(
            kafka=processes.free_port(),
            kafka_controller=processes.free_port(),
            postgres=processes.free_port(),
            services={name: processes.free_port() for name in SERVICES},
            console=processes.free_port(),
            webhooks=processes.free_port(),
        )


class Stack:
    """Starts what is missing and stops what it started.

    `KAFKA_BOOTSTRAP_SERVERS` and `DATABASE_URL` (a server URL; one database per service is created
    on it) make it use existing servers instead of starting its own (`KAFKA_SECURITY_PROTOCOL`,
    `KAFKA_USERNAME`, `KAFKA_PASSWORD` then name an admin of that cluster).

    Least privilege: each service connects to PostgreSQL as a role of its own that owns only its database
    (on the launcher's own server, or always with `service_roles=True`), and to a SASL Kafka as a principal
    of its own with the ACLs init derives from the topic declarations; passwords are generated per stack
    (or `<SERVICE>_KAFKA_PASSWORD`). The superuser and the Kafka admin are for init and the tests' checks.
    """

    def __init__(
        self, state_dir: Path, ports: Ports | None = None, topic_prefix: str | None = None, durable_postgres: bool = True,
        database_prefix: str = "", service_roles: bool | None = None, statement_stats: bool = False,
    ) -> None:
        self.state_dir = state_dir.resolve()
        self.ports = ports or Ports()
        self.topic_prefix = os.environ.get("TOPIC_PREFIX", "") if topic_prefix is None else topic_prefix
        self.kafka: KafkaBroker | None = None
        self.postgres: PostgresCluster | None = None
        self.bootstrap_servers = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "")
        self.database_server_url = os.environ.get("DATABASE_URL", "")
        self.services: dict[str, subprocess.Popen[bytes]] = {}
        self.console: subprocess.Popen[bytes] | None = None
        self.webhooks: subprocess.Popen[bytes] | None = None
        self.durable_postgres = durable_postgres
        self.statement_stats = statement_stats
        self.database_prefix = database_prefix
        self.service_roles = service_roles
        self.kafka_auth: KafkaAuth = kafka_auth() if self.bootstrap_servers else KafkaAuth()
        self.service_passwords = {service: secrets.token_urlsafe(18) for service in COMPONENTS}
        self.kafka_passwords = {service: os.environ.get(f"{service.upper()}_KAFKA_PASSWORD") or secrets.token_urlsafe(18)
                                for service in COMPONENTS}
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

    def url(self, instance: str) -> str:
        if instance == WEBHOOKS:
            return f"http://127.0.0.1:{self.ports.webhooks}"
        return f"http://127.0.0.1:{self.ports.services[instance]}"

    def instances(self, service: str) -> list[str]:
        """The running instances of `service`, the first one first."""
        return [name for name in self.services if service_of(name) == service]

    def database_url(self, service: str) -> str:
        """The service's database: named after it, with the stack's database prefix, on the stack's server.

        Without a prefix, `<SERVICE>_DATABASE_URL` may give a service a database elsewhere.
        """
        if self.database_prefix:
            return urlunsplit(urlsplit(self.database_server_url)._replace(path=f"/{self.database_prefix}{service}"))
        return database_url_for(service, {**os.environ, "DATABASE_URL": self.database_server_url})

    @property
    def uses_service_roles(self) -> bool:
        return self.postgres is not None if self.service_roles is None else self.service_roles

    def service_database_url(self, service: str) -> str:
        """What the service itself connects with: its own role (named like its database) when the stack makes roles."""
        url = self.database_url(service)
        if not self.uses_service_roles:
            return url
        parts = urlsplit(url)
        role = parts.path.lstrip("/")
        host = parts.netloc.rpartition("@")[2]
        return with_password(urlunsplit(parts._replace(netloc=f"{role}@{host}")), self.service_passwords[service])

    def kafka_principal(self, service: str) -> str:
        return kafka_principal_for(service, {**os.environ, "TOPIC_PREFIX": self.topic_prefix})

    def kafka_client_options(self) -> dict[str, object]:
        """aiokafka keyword arguments for the stack's admin (the tests' own clients, the launcher's checks)."""
        return self.kafka_auth.client_options()

    def init_plan(self) -> InitPlan:
        """What `inventory-admin init` would do for this stack: the one way every deployment initialises."""
        settings = InitSettings()
        return InitPlan(
            admin_url=self.database_server_url,
            service_urls={service: self.service_database_url(service) for service in COMPONENTS},
            bootstrap_servers=self.bootstrap_servers,
            topics={f"{self.topic_prefix}{name}": settings.topic_partitions for name in all_topics()},
            topic_configs={f"{self.topic_prefix}{name}": topic_config(name) for name in all_topics()},
            replication_factor=settings.topic_replication_factor,
            kafka_auth=self.kafka_auth,
            topic_prefix=self.topic_prefix,
            principals={service: KafkaPrincipal(self.kafka_principal(service), self.kafka_passwords[service])
                        for service in COMPONENTS},
        )

    def start_infrastructure(self) -> None:
        try:
            if not self.database_server_url:
                self.postgres = PostgresCluster(self.state_dir / "postgres", self.ports.postgres, self.durable_postgres,
                                                self.statement_stats)
                self.postgres.start()
                self.database_server_url = self.postgres.server_url
            if not self.bootstrap_servers:
                self.kafka = KafkaBroker(self.state_dir / "kafka", self.ports.kafka, self.ports.kafka_controller)
                self.kafka.start()
                self.bootstrap_servers = self.kafka.bootstrap_servers
                self.kafka_auth = self.kafka.admin_auth
            asyncio.run(initialise(self.init_plan(), wait_seconds=30))
        except Exception as exc:
            self.stop()
            raise StackError(f"infrastructure did not start: {exc}") from exc

    def service_env(self, instance: str) -> dict[str, str]:
        service = service_of(instance)
        prefix = service.upper()
        env = {
            **os.environ,
            "KAFKA_BOOTSTRAP_SERVERS": self.bootstrap_servers,
            "DATABASE_URL": self.database_server_url,
            f"{prefix}_DATABASE_URL": self.service_database_url(service),
            "TOPIC_PREFIX": self.topic_prefix,
            f"{prefix}_HTTP_PORT": str(self.ports.webhooks if instance == WEBHOOKS else self.ports.services[instance]),
            "LEDGER_COSTING_URL": self.url("costing"),
            "COSTING_WAREHOUSE_URL": self.url("warehouse"),
            "WAREHOUSE_CATALOG_URL": self.url("catalog"),
            "KAFKA_SECURITY_PROTOCOL": self.kafka_auth.security_protocol,
            "KAFKA_SASL_MECHANISM": self.kafka_auth.sasl_mechanism,
            **self.auth_env(service),
        }
        for name in ("KAFKA_USERNAME", "KAFKA_PASSWORD", "DATABASE_PASSWORD", f"{prefix}_DATABASE_PASSWORD"):
            env.pop(name, None)  # the admins' credentials are not the service's
        if self.uses_service_roles:
            env.pop("DATABASE_URL")
        if self.kafka_auth.sasl:
            env[f"{prefix}_KAFKA_USERNAME"] = self.kafka_principal(service)
            env[f"{prefix}_KAFKA_PASSWORD"] = self.kafka_passwords[service]
        return env

    def auth_env(self, service: str) -> dict[str, str]:
        """The issuer the services trust (only this one: inherited AUTH_JWKS or AUTH_JWKS_URL are blanked), and
        for the ledger (costing's API), costing (the warehouse's) and the warehouse (the catalog's) a token of their
        own, written afresh at each start."""
        env = {"AUTH_JWKS": "", "AUTH_JWKS_URL": "", "AUTH_TOKEN_URL": "", **self.issuer.env()}
        reads = {"ledger": ("costing", "costing:read"), "costing": ("warehouse", "inventory:read"),
                 "warehouse": ("catalog", "catalog:read")}
        if service in reads:
            other, scope = reads[service]
            token_file = self.issuer.directory / f"{service}-{other}.token"
            written = token_file.with_suffix(".new")
            written.write_text(self.issuer.token([scope], ttl=30 * 86400, subject=service, client_id=service))
            written.replace(token_file)
            env[f"{service.upper()}_{other.upper()}_TOKEN_FILE"] = str(token_file)
        return env

    def start_service(self, instance: str, timeout: float = 60) -> None:
        """Start the service `instance` names; `costing-2` is a second process of costing, in the same consumer
        group, on the same database, on a port of its own."""
        self.ports.services.setdefault(instance, processes.free_port())
        log_file = self.state_dir / "logs" / f"{instance}.log"
        process = processes.spawn([sys.executable, "-m", service_of(instance)], log_file, env=self.service_env(instance))
        self.services[instance] = process
        try:
            processes.wait_until(lambda: process.poll() is not None or self.ready(instance), timeout, f"{instance} /readyz")
        except TimeoutError as exc:
            raise StackError(f"{exc}; see {log_file}") from exc
        if process.poll() is not None:
            raise StackError(f"{instance} exited with {process.returncode} at start; see {log_file}")

    def start_services(self, replicas: dict[str, int] | None = None) -> None:
        """Every service, each in `replicas[service]` processes (one by default)."""
        try:
            for service in SERVICES:
                for instance in instance_names(service, (replicas or {}).get(service, 1)):
                    self.start_service(instance)
        except Exception:
            self.stop()
            raise

    @property
    def console_url(self) -> str | None:
        """Where the web console listens, once started."""
        return f"http://127.0.0.1:{self.ports.console}" if self.console is not None else None

    def console_env(self) -> dict[str, str]:
        """The console calls the services' first instances and reads Kafka as the stack's admin (the operator):
        the password stays in the broker's file when the launcher started the broker."""
        env = {
            **os.environ,
            "CONSOLE_HTTP_PORT": str(self.ports.console),
            "CONSOLE_STACK_FILE": "",  # everything is said here; an older stack file must not fill gaps
            **{f"CONSOLE_{service.upper()}_URL": self.url(service) for service in SERVICES},
            "KAFKA_BOOTSTRAP_SERVERS": self.bootstrap_servers,
            "TOPIC_PREFIX": self.topic_prefix,
            "KAFKA_SECURITY_PROTOCOL": self.kafka_auth.security_protocol,
            "KAFKA_SASL_MECHANISM": self.kafka_auth.sasl_mechanism,
        }
        for name in ("KAFKA_USERNAME", "KAFKA_PASSWORD", "KAFKA_PASSWORD_FILE"):
            env.pop(name, None)
        if self.kafka_auth.sasl:
            env["KAFKA_USERNAME"] = self.kafka_auth.username or ""
            if self.kafka is not None:
                env["KAFKA_PASSWORD_FILE"] = str(self.kafka.data_dir / "admin.password")
            else:
                env["KAFKA_PASSWORD"] = self.kafka_auth.password or ""
        return env

    def start_console(self, timeout: float = 30) -> None:
        """The web console, a process of its own in front of the four APIs."""
        log_file = self.state_dir / "logs" / "console.log"
        self.console = processes.spawn([sys.executable, "-m", "inventory_console"], log_file, env=self.console_env())
        console = self.console

        def up() -> bool:
            try:
                return console.poll() is not None or httpx.get(f"{self.console_url}/healthz", timeout=1).status_code == 200
            except httpx.HTTPError:
                return False

        try:
            processes.wait_until(up, timeout, "console /healthz")
        except TimeoutError as exc:
            raise StackError(f"{exc}; see {log_file}") from exc
        if console.poll() is not None:
            raise StackError(f"the console exited with {console.returncode} at start; see {log_file}")

    @property
    def webhooks_url(self) -> str | None:
        """Where the webhooks' API listens, once started."""
        return self.url(WEBHOOKS) if self.webhooks is not None else None

    def start_webhooks(self, timeout: float = 60) -> None:
        """The webhooks, a process of its own consuming the public topics (`WEBHOOKS_*` settings pass through)."""
        log_file = self.state_dir / "logs" / "webhooks.log"
        self.webhooks = processes.spawn([sys.executable, "-m", "inventory_webhooks"], log_file, env=self.service_env(WEBHOOKS))
        webhooks = self.webhooks
        try:
            processes.wait_until(lambda: webhooks.poll() is not None or self.ready(WEBHOOKS), timeout, "webhooks /readyz")
        except TimeoutError as exc:
            raise StackError(f"{exc}; see {log_file}") from exc
        if webhooks.poll() is not None:
            raise StackError(f"the webhooks exited with {webhooks.returncode} at start; see {log_file}")

    def stop_webhooks(self) -> None:
        if self.webhooks is not None:
            processes.stop(self.webhooks)
            self.webhooks = None

    def stop_console(self) -> None:
        if self.console is not None:
            processes.stop(self.console)
            self.console = None

    def ready(self, instance: str) -> bool:
        try:
            return httpx.get(f"{self.url(instance)}/readyz", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    def kill_service(self, instance: str) -> None:
        processes.kill(self.services.pop(instance))

    def stop_service(self, instance: str) -> None:
        processes.stop(self.services.pop(instance))

    def stop(self) -> None:
        self.stop_console()
        self.stop_webhooks()
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
