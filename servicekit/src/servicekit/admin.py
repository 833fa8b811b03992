"""`inventory-admin init`: the one way every deployment initialises (launcher, compose, Kubernetes).

Idempotent: each service's role and database are created when missing, its migrations applied, and
every topic and its dead-letter topic created with the configured partition count. An existing topic
with another partition count is refused, never changed: the partition of a key must not move.
"""

import asyncio
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Annotated
from urllib.parse import unquote, urlsplit

import asyncpg
import typer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError
from pydantic_settings import BaseSettings, SettingsConfigDict
from rich.console import Console

from inventory_contracts.topics import PARTITIONS, all_topics

from .migrations import discover, migrate
from .settings import DEFAULT_DATABASE_SERVER, DEFAULT_KAFKA, SERVICE_PORTS, database_url_for, with_password

log = logging.getLogger(__name__)


class InitError(RuntimeError):
    """Initialisation cannot go on; the message says which part and why."""


class InitSettings(BaseSettings):
    """Read from the environment, the same variables the services read."""

    model_config = SettingsConfigDict(extra="ignore")

    database_url: str = DEFAULT_DATABASE_SERVER
    database_password: str | None = None
    kafka_bootstrap_servers: str = DEFAULT_KAFKA
    topic_prefix: str = ""
    topic_partitions: int = PARTITIONS
    topic_replication_factor: int = 1

    def plan(self, services: Iterable[str] = SERVICE_PORTS) -> "InitPlan":
        return InitPlan(
            admin_url=with_password(self.database_url, self.database_password),
            service_urls={service: database_url_for(service) for service in services},
            bootstrap_servers=self.kafka_bootstrap_servers,
            topics={f"{self.topic_prefix}{name}": self.topic_partitions for name in all_topics()},
            replication_factor=self.topic_replication_factor,
        )


@dataclass(frozen=True)
class InitPlan:
    """What one deployment needs: a database per service (on the admin URL's server) and its topics."""

    admin_url: str
    service_urls: Mapping[str, str]
    bootstrap_servers: str
    topics: Mapping[str, int] = field(default_factory=dict)
    replication_factor: int = 1


async def initialise(plan: InitPlan, *, databases: bool = True, topics: bool = True, wait_seconds: float = 60) -> None:
    if databases:
        await initialise_databases(plan.admin_url, plan.service_urls, wait_seconds)
    if topics:
        await wait_for_kafka(plan.bootstrap_servers, wait_seconds)
        await create_topics(plan.bootstrap_servers, plan.topics, plan.replication_factor)


# PostgreSQL ---------------------------------------------------------------------------------------


async def initialise_databases(admin_url: str, service_urls: Mapping[str, str], wait_seconds: float = 60) -> None:
    """Each service's role (when its URL names one of its own) owns its database; then its migrations run as that role."""
    admin = await connect_when_ready(admin_url, wait_seconds)
    try:
        for url in service_urls.values():
            await _ensure_database(admin, urlsplit(admin_url).username or "", url)
    finally:
        await admin.close()
    for service, url in service_urls.items():
        conn = await connect_when_ready(url, wait_seconds)
        try:
            applied = await migrate(conn, discover("servicekit", "servicekit") + discover(service))
        finally:
            await conn.close()
        if applied:
            log.info("%s: applied %s", service, ", ".join(applied))


async def _ensure_database(admin: asyncpg.Connection, admin_role: str, url: str) -> None:
    parts = urlsplit(url)
    database = unquote(parts.path.lstrip("/"))
    role = unquote(parts.username or "") or admin_role
    if not database:
        raise InitError(f"the database URL {parts._replace(netloc=parts.hostname or '').geturl()} names no database")
    own_role = role != admin_role
    if own_role:
        exists = await admin.fetchval("SELECT true FROM pg_roles WHERE rolname = $1", role)
        verb = "ALTER" if exists else "CREATE"
        password = unquote(parts.password) if parts.password else None
        # format() quotes the identifier and the literal on the server: no quoting of our own to get wrong.
        statement = await admin.fetchval(
            f"SELECT format('{verb} ROLE %I LOGIN ' || CASE WHEN $2::text IS NULL THEN '' ELSE 'PASSWORD %L' END, $1::text, $2::text)",
            role, password,
        )
        await admin.execute(statement)
    if not await admin.fetchval("SELECT true FROM pg_database WHERE datname = $1", database):
        await admin.execute(await admin.fetchval("SELECT format('CREATE DATABASE %I OWNER %I', $1::text, $2::text)", database, role))
    if own_role:
        await admin.execute(await admin.fetchval("SELECT format('ALTER DATABASE %I OWNER TO %I', $1::text, $2::text)", database, role))
        # Only the owner (and superusers) may connect: no service reads another's database.
        await admin.execute(await admin.fetchval("SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', $1::text)", database))


async def connect_when_ready(url: str, wait_seconds: float) -> asyncpg.Connection:
    """A connection once the server accepts one; a server still starting is waited for."""
    deadline = asyncio.get_running_loop().time() + wait_seconds
    while True:
        try:
            return await asyncpg.connect(url, timeout=5)
        except (OSError, asyncio.TimeoutError, asyncpg.CannotConnectNowError, asyncpg.PostgresConnectionError) as exc:
            if asyncio.get_running_loop().time() > deadline:
                where = urlsplit(url)
                raise InitError(f"PostgreSQL at {where.hostname}:{where.port or 5432} not reachable: {exc}") from exc
            await asyncio.sleep(0.5)


# Kafka --------------------------------------------------------------------------------------------


async def wait_for_kafka(bootstrap_servers: str, wait_seconds: float) -> None:
    """Ready means an admin client gets cluster metadata with a broker in it, not merely an open port."""
    deadline = asyncio.get_running_loop().time() + wait_seconds
    last_error: Exception | None = None
    while asyncio.get_running_loop().time() < deadline:
        admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers, request_timeout_ms=3000)
        try:
            await admin.start()
            if (await admin.describe_cluster()).get("brokers"):
                return
        except Exception as exc:
            last_error = exc
        finally:
            await admin.close()
        await asyncio.sleep(0.5)
    raise InitError(f"Kafka at {bootstrap_servers} gave no metadata within {wait_seconds:.0f}s: {last_error}")


async def create_topics(bootstrap_servers: str, topics: Mapping[str, int], replication_factor: int = 1) -> None:
    """Create each missing topic with its partition count; refuse an existing one whose count differs."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers, request_timeout_ms=10000)
    await admin.start()
    try:
        existing = {t["topic"]: len(t["partitions"]) for t in await admin.describe_topics(list(topics)) if t["error_code"] == 0}
        mismatched = {name: count for name, count in existing.items() if count != topics[name]}
        if mismatched:
            listing = ", ".join(f"{name} has {count}" for name, count in sorted(mismatched.items()))
            raise InitError(
                f"topics exist with another partition count than the configured {sorted(set(topics.values()))} ({listing}); "
                "a topic's partition count cannot change once it holds data: set TOPIC_PARTITIONS to what they have"
            )
        missing = [NewTopic(name, count, replication_factor) for name, count in topics.items() if name not in existing]
        if missing:
            try:
                await admin.create_topics(missing)
            except TopicAlreadyExistsError:
                pass
        await _wait_for_leaders(admin, topics)
    finally:
        await admin.close()


async def _wait_for_leaders(admin: AIOKafkaAdminClient, topics: Mapping[str, int], timeout: float = 30) -> None:
    # Creation returns before every partition has a leader; clients started right after would see unknown partitions.
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        described = await admin.describe_topics(list(topics))
        if all(t["error_code"] == 0 and len(t["partitions"]) == topics[t["topic"]] and
               all(p["leader"] >= 0 for p in t["partitions"]) for t in described):
            return
        if asyncio.get_running_loop().time() > deadline:
            raise InitError(f"topics not ready within {timeout:.0f}s: {described}")
        await asyncio.sleep(0.2)


# CLI ----------------------------------------------------------------------------------------------

app = typer.Typer(help="Administer a deployment of the inventory platform.", no_args_is_help=True)
console = Console(stderr=True, soft_wrap=True)


@app.callback()
def _main() -> None:
    """Settings come from the environment (DATABASE_URL, <SERVICE>_DATABASE_URL, KAFKA_BOOTSTRAP_SERVERS, TOPIC_*)."""


@app.command()
def init(
    service: Annotated[list[str] | None, typer.Option(help="Only this service's database (repeatable); default: all.")] = None,
    databases: Annotated[bool, typer.Option("--databases/--no-databases", help="Roles, databases, migrations.")] = True,
    topics: Annotated[bool, typer.Option("--topics/--no-topics", help="Every topic and its dead-letter topic.")] = True,
    wait: Annotated[float, typer.Option(help="Seconds to wait for PostgreSQL and Kafka to accept connections.")] = 60,
) -> None:
    """Create roles, databases, schemas and topics that are missing; safe to run again at any time."""
    unknown = sorted(set(service or ()) - set(SERVICE_PORTS))
    if unknown:
        raise typer.BadParameter(f"unknown service {', '.join(unknown)}; one of {', '.join(SERVICE_PORTS)}")
    plan = InitSettings().plan(service or SERVICE_PORTS)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        asyncio.run(initialise(plan, databases=databases, topics=topics, wait_seconds=wait))
    except (InitError, asyncpg.PostgresError) as exc:
        console.print(f"[bold red]init failed:[/] {exc}")
        raise typer.Exit(1) from exc
    done = [f"databases of {', '.join(plan.service_urls)}"] * databases + [f"{len(plan.topics)} topics"] * topics
    console.print(f"initialised: {'; '.join(done)}")


def main() -> None:
    app()
