"""`inventory-admin init`: the one way every deployment initialises (launcher, compose, Kubernetes).

Idempotent: each service's role and database are created when missing, its migrations applied, and
every topic and its dead-letter topic created with the configured partition count and the retention the contracts
choose (existing topics are brought to that retention). An existing topic with another partition count is refused,
never changed: the partition of a key must not move.
On a cluster with SASL, each service's Kafka principal gets its SCRAM credential (when a password is
given) and exactly the ACLs `inventory_contracts.topics` implies (what it publishes and consumes); a posting
requester (another system posting by events), when configured, gets exactly the ACLs of that conversation.
"""

import asyncio
import logging
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Annotated
from urllib.parse import unquote, urlsplit, urlunsplit

import asyncpg
import typer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError
from confluent_kafka import KafkaError, KafkaException
from confluent_kafka.admin import (
    AclBinding,
    AclBindingFilter,
    AclOperation,
    AclPermissionType,
    AdminClient,
    AlterConfigOpType,
    ConfigEntry,
    ConfigResource,
    ResourcePatternType,
    ResourceType,
    ScramCredentialInfo,
    ScramMechanism,
    UserScramCredentialUpsertion,
)
from pydantic_settings import BaseSettings, SettingsConfigDict
from rich.console import Console

from inventory_contracts.topics import (
    PARTITIONS,
    WAREHOUSE_POSTING_REPLIES,
    WAREHOUSE_POSTING_REQUESTS,
    all_topics,
    reads,
    topic_config,
    writes,
)

from .migrations import discover, migrate
from .settings import (
    DEFAULT_DATABASE_SERVER,
    DEFAULT_KAFKA,
    SERVICE_PORTS,
    KafkaAuth,
    database_url_for,
    kafka_auth,
    kafka_principal_for,
    with_password,
)

log = logging.getLogger(__name__)

# Components whose package is not named like the component (their database and principal are).
MIGRATION_PACKAGES = {"webhooks": "inventory_webhooks"}
# The Kafka user of a system that posts by events, after the topic prefix, unless POSTING_REQUESTER_KAFKA_USERNAME names one.
POSTING_REQUESTER = "posting-requester"


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
    posting_requester_kafka_username: str | None = None
    """The posting requester's Kafka user (default `<TOPIC_PREFIX>posting-requester`)."""
    posting_requester_kafka_password: str | None = None
    """Its SCRAM password; with neither setting there is no posting requester, with the user alone only its ACLs."""

    def plan(self, services: Iterable[str] = SERVICE_PORTS) -> "InitPlan":
        env = {**os.environ, "TOPIC_PREFIX": self.topic_prefix}
        return InitPlan(
            admin_url=with_password(self.database_url, self.database_password),
            service_urls={service: database_url_for(service) for service in services},
            bootstrap_servers=self.kafka_bootstrap_servers,
            topics={f"{self.topic_prefix}{name}": self.topic_partitions for name in all_topics()},
            topic_configs={f"{self.topic_prefix}{name}": topic_config(name) for name in all_topics()},
            replication_factor=self.topic_replication_factor,
            kafka_auth=kafka_auth(env),
            topic_prefix=self.topic_prefix,
            principals={
                service: KafkaPrincipal(kafka_principal_for(service, env), env.get(f"{service.upper()}_KAFKA_PASSWORD") or None)
                for service in services
            },
            posting_requester=self._posting_requester(),
        )

    def _posting_requester(self) -> "KafkaPrincipal | None":
        if not (self.posting_requester_kafka_username or self.posting_requester_kafka_password):
            return None
        return KafkaPrincipal(self.posting_requester_kafka_username or f"{self.topic_prefix}{POSTING_REQUESTER}",
                              self.posting_requester_kafka_password or None)


@dataclass(frozen=True)
class KafkaPrincipal:
    """A service's Kafka user; without a password its credential is managed elsewhere and init sets only its ACLs."""

    user: str
    password: str | None = None


@dataclass(frozen=True)
class InitPlan:
    """What one deployment needs: a database per service (on the admin URL's server), its topics, its principals."""

    admin_url: str
    service_urls: Mapping[str, str]
    bootstrap_servers: str
    topics: Mapping[str, int] = field(default_factory=dict)
    topic_configs: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    replication_factor: int = 1
    kafka_auth: KafkaAuth = field(default_factory=KafkaAuth)  # init's own (an admin's) credentials
    topic_prefix: str = ""
    principals: Mapping[str, KafkaPrincipal] = field(default_factory=dict)
    posting_requester: KafkaPrincipal | None = None

    def wanted_acls(self) -> dict[str, tuple[KafkaPrincipal, set[AclBinding]]]:
        """Each principal init manages, by what it is (a service, or the posting requester), with its ACLs."""
        wanted = {service: (p, acl_bindings(service, p.user, self.topic_prefix)) for service, p in self.principals.items()}
        if self.posting_requester is not None:
            wanted[POSTING_REQUESTER] = (self.posting_requester,
                                         posting_requester_acl_bindings(self.posting_requester.user, self.topic_prefix))
        return wanted


async def initialise(plan: InitPlan, *, databases: bool = True, topics: bool = True, wait_seconds: float = 60) -> None:
    if databases:
        await initialise_databases(plan.admin_url, plan.service_urls, wait_seconds)
    if topics:
        await wait_for_kafka(plan.bootstrap_servers, wait_seconds, plan.kafka_auth)
        await create_topics(plan.bootstrap_servers, plan.topics, plan.replication_factor, plan.kafka_auth,
                            plan.topic_configs)
        await asyncio.to_thread(align_topic_configs, plan.bootstrap_servers, plan.topic_configs, plan.kafka_auth)
        await initialise_principals(plan)


# PostgreSQL ---------------------------------------------------------------------------------------


async def initialise_databases(admin_url: str, service_urls: Mapping[str, str], wait_seconds: float = 60) -> None:
    """Each service's role (when its URL names one of its own) owns its database; then its migrations run as that role."""
    admin = await connect_when_ready(admin_url, wait_seconds)
    try:
        for url in service_urls.values():
            await _ensure_database(admin, urlsplit(admin_url).username or "", url)
    finally:
        await admin.close()
    for url in service_urls.values():
        await _hand_over_objects(admin_url, url)
    for service, url in service_urls.items():
        conn = await connect_when_ready(url, wait_seconds)
        try:
            applied = await migrate(conn, discover("servicekit", "servicekit") + discover(MIGRATION_PACKAGES.get(service, service)))
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


_FOREIGN_OBJECTS = """
SELECT format('ALTER %s %s OWNER TO %I', CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW'
              WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END, c.oid::regclass, $1::text)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S') AND pg_get_userbyid(c.relowner) <> $1
  AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i'))
UNION ALL
SELECT format('ALTER FUNCTION %s OWNER TO %I', p.oid::regprocedure, $1::text)
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> $1
"""


async def _hand_over_objects(admin_url: str, url: str) -> None:
    """Objects made in a service's database before it had a role of its own (by the admin) pass to its role."""
    parts = urlsplit(url)
    role = unquote(parts.username or "")
    if not role or role == (urlsplit(admin_url).username or ""):
        return
    try:
        admin = await asyncpg.connect(urlunsplit(urlsplit(admin_url)._replace(path=parts.path)), timeout=5)
    except asyncpg.InsufficientPrivilegeError:
        return  # an admin that is no superuser may not enter; what it cannot enter it did not make either
    try:
        for (statement,) in await admin.fetch(_FOREIGN_OBJECTS, role):
            await admin.execute(statement)
    finally:
        await admin.close()


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


async def wait_for_kafka(bootstrap_servers: str, wait_seconds: float, auth: KafkaAuth | None = None) -> None:
    """Ready means an admin client gets cluster metadata with a broker in it, not merely an open port."""
    deadline = asyncio.get_running_loop().time() + wait_seconds
    last_error: Exception | None = None
    while asyncio.get_running_loop().time() < deadline:
        admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers, request_timeout_ms=3000,
                                    **(auth or KafkaAuth()).client_options())
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


async def create_topics(
    bootstrap_servers: str, topics: Mapping[str, int], replication_factor: int = 1, auth: KafkaAuth | None = None,
    configs: Mapping[str, Mapping[str, str]] | None = None,
) -> None:
    """Create each missing topic with its partition count; refuse an existing one whose count differs."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers, request_timeout_ms=10000,
                                **(auth or KafkaAuth()).client_options())
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
        missing = [NewTopic(name, count, replication_factor, topic_configs=dict((configs or {}).get(name, {})))
                   for name, count in topics.items() if name not in existing]
        if missing:
            try:
                await admin.create_topics(missing)
            except TopicAlreadyExistsError:
                pass
        await _wait_for_leaders(admin, topics)
    finally:
        await admin.close()


def align_topic_configs(
    bootstrap_servers: str, configs: Mapping[str, Mapping[str, str]], auth: KafkaAuth | None = None, timeout: float = 30
) -> dict[str, dict[str, str]]:
    """Set each topic's configuration entries that differ from `configs` (other entries are left as they are);
    returns what was changed, per topic."""
    if not configs:
        return {}
    admin = AdminClient({"bootstrap.servers": bootstrap_servers, "log_level": 4, **(auth or KafkaAuth()).librdkafka_config()})
    try:
        described = admin.describe_configs([ConfigResource(ResourceType.TOPIC, name) for name in configs],
                                           request_timeout=timeout)
        changed: dict[str, dict[str, str]] = {}
        for resource, future in described.items():
            current = {key: entry.value for key, entry in future.result(timeout).items()}
            differing = {key: value for key, value in configs[resource.name].items() if current.get(key) != value}
            if differing:
                changed[resource.name] = differing
        if changed:
            updates = [
                ConfigResource(ResourceType.TOPIC, name, incremental_configs=[
                    ConfigEntry(key, value, incremental_operation=AlterConfigOpType.SET) for key, value in entries.items()
                ])
                for name, entries in changed.items()
            ]
            for future in admin.incremental_alter_configs(updates, request_timeout=timeout).values():
                future.result(timeout)
            log.info("topic retention set on %d topics", len(changed))
        return changed
    except KafkaException as exc:
        raise InitError(f"Kafka topic configuration: {exc.args[0].str() if exc.args else exc}") from exc


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


# Kafka principals and ACLs -----------------------------------------------------------------------


def acl_bindings(service: str, user: str, topic_prefix: str = "") -> set[AclBinding]:
    """Exactly what `service` may do: write its own topics and dead-letter topics, read what it consumes
    (and commit in its consumer group), and produce idempotently; derived from `inventory_contracts.topics`."""

    def allow(kind: ResourceType, name: str, operation: AclOperation) -> AclBinding:
        return AclBinding(kind, name, ResourcePatternType.LITERAL, f"User:{user}", "*", operation, AclPermissionType.ALLOW)

    bindings = {allow(ResourceType.BROKER, "kafka-cluster", AclOperation.IDEMPOTENT_WRITE),
                allow(ResourceType.GROUP, f"{topic_prefix}{service}", AclOperation.READ)}
    for topic in writes(service):
        bindings |= {allow(ResourceType.TOPIC, topic_prefix + topic, op) for op in (AclOperation.WRITE, AclOperation.DESCRIBE)}
    for topic in reads(service):
        bindings |= {allow(ResourceType.TOPIC, topic_prefix + topic, op) for op in (AclOperation.READ, AclOperation.DESCRIBE)}
    return bindings


def posting_requester_acl_bindings(user: str, topic_prefix: str = "") -> set[AclBinding]:
    """Exactly what a system posting by events may do: write posting requests, read the replies in consumer groups
    named `<user>.<anything>`; no other topic, group or cluster operation."""

    def allow(kind: ResourceType, name: str, operation: AclOperation,
              pattern: ResourcePatternType = ResourcePatternType.LITERAL) -> AclBinding:
        return AclBinding(kind, name, pattern, f"User:{user}", "*", operation, AclPermissionType.ALLOW)

    requests, replies = topic_prefix + WAREHOUSE_POSTING_REQUESTS, topic_prefix + WAREHOUSE_POSTING_REPLIES
    return {allow(ResourceType.TOPIC, requests, AclOperation.WRITE), allow(ResourceType.TOPIC, requests, AclOperation.DESCRIBE),
            allow(ResourceType.TOPIC, replies, AclOperation.READ), allow(ResourceType.TOPIC, replies, AclOperation.DESCRIBE),
            allow(ResourceType.GROUP, f"{user}.", AclOperation.READ, ResourcePatternType.PREFIXED)}


async def initialise_principals(plan: InitPlan) -> None:
    """On a SASL cluster: each principal's SCRAM credential (when its password is given) and exactly its ACLs."""
    if not plan.principals and plan.posting_requester is None:
        return
    if not plan.kafka_auth.sasl:
        log.info("Kafka without SASL (KAFKA_SECURITY_PROTOCOL=%s): no principals or ACLs", plan.kafka_auth.security_protocol)
        return
    await asyncio.to_thread(_apply_principals, plan)


def _apply_principals(plan: InitPlan, timeout: float = 30) -> None:
    admin = AdminClient({"bootstrap.servers": plan.bootstrap_servers, "log_level": 4, **plan.kafka_auth.librdkafka_config()})
    # The services' credentials are SCRAM: of init's own mechanism, or SHA-512 when init signs in with PLAIN (an
    # admin kept in the broker's JAAS configuration, where an image cannot add SCRAM users at format time).
    mechanism = {"SCRAM-SHA-256": ScramMechanism.SCRAM_SHA_256}.get(plan.kafka_auth.sasl_mechanism, ScramMechanism.SCRAM_SHA_512)
    principals = plan.wanted_acls()
    upserts = [
        UserScramCredentialUpsertion(p.user, ScramCredentialInfo(mechanism, 8192), p.password.encode())
        for p, _ in principals.values() if p.password
    ]
    try:
        if upserts:
            for future in admin.alter_user_scram_credentials(upserts, request_timeout=timeout).values():
                future.result(timeout)
        for service, (principal, wanted) in principals.items():
            every = AclBindingFilter(ResourceType.ANY, None, ResourcePatternType.ANY, f"User:{principal.user}", None,
                                     AclOperation.ANY, AclPermissionType.ANY)
            try:
                existing = set(admin.describe_acls(every, request_timeout=timeout).result(timeout))
            except KafkaException as exc:
                if exc.args[0].code() == KafkaError.SECURITY_DISABLED:
                    log.warning("the Kafka cluster has no authorizer: ACLs not created")
                    return
                raise
            stale = [AclBindingFilter(b.restype, b.name, b.resource_pattern_type, b.principal, b.host, b.operation,
                                      b.permission_type) for b in existing - wanted]
            if stale:
                for future in admin.delete_acls(stale, request_timeout=timeout).values():
                    future.result(timeout)
            if wanted - existing:
                for future in admin.create_acls(list(wanted - existing), request_timeout=timeout).values():
                    future.result(timeout)
            log.info("%s: Kafka principal %s with %d ACLs", service, principal.user, len(wanted))
    except KafkaException as exc:
        raise InitError(f"Kafka principals and ACLs: {exc.args[0].str() if exc.args else exc}") from exc


# CLI ----------------------------------------------------------------------------------------------

app = typer.Typer(help="Administer a deployment of the inventory platform.", no_args_is_help=True)
console = Console(stderr=True, soft_wrap=True)


@app.callback()
def _main() -> None:
    """Settings come from the environment (DATABASE_URL, <SERVICE>_DATABASE_URL, KAFKA_*, <SERVICE>_KAFKA_PASSWORD, TOPIC_*)."""


@app.command()
def init(
    service: Annotated[list[str] | None, typer.Option(help="Only this service's database (repeatable); default: all.")] = None,
    databases: Annotated[bool, typer.Option("--databases/--no-databases", help="Roles, databases, migrations.")] = True,
    topics: Annotated[bool, typer.Option("--topics/--no-topics", help="Every topic and its dead-letter topic; with SASL, principals and ACLs.")] = True,
    wait: Annotated[float, typer.Option(help="Seconds to wait for PostgreSQL and Kafka to accept connections.")] = 60,
    webhooks: Annotated[bool, typer.Option("--webhooks", help="Also the webhooks' database and Kafka principal.")] = False,
) -> None:
    """Create roles, databases, schemas and topics that are missing; safe to run again at any time."""
    known = (*SERVICE_PORTS, *MIGRATION_PACKAGES)  # the webhooks only when named: not every deployment runs them
    unknown = sorted(set(service or ()) - set(known))
    if unknown:
        raise typer.BadParameter(f"unknown service {', '.join(unknown)}; one of {', '.join(known)}")
    try:
        chosen = list(service or SERVICE_PORTS)
        plan = InitSettings().plan(chosen + ["webhooks"] * (webhooks and "webhooks" not in chosen))
    except ValueError as exc:
        console.print(f"[bold red]init failed:[/] {exc}")
        raise typer.Exit(1) from exc
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        asyncio.run(initialise(plan, databases=databases, topics=topics, wait_seconds=wait))
    except (InitError, asyncpg.PostgresError) as exc:
        console.print(f"[bold red]init failed:[/] {exc}")
        raise typer.Exit(1) from exc
    done = [f"databases of {', '.join(plan.service_urls)}"] * databases + [f"{len(plan.topics)} topics"] * topics
    users = ", ".join(p.user for p, _ in plan.wanted_acls().values())
    done += [f"Kafka principals {users}"] * (topics and plan.kafka_auth.sasl)
    console.print(f"initialised: {'; '.join(done)}")


def main() -> None:
    app()
