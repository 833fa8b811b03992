"""`inventory-admin init`: roles, databases, migrations and topics, idempotent, and a partition mismatch refused."""

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

import asyncpg
import pytest
from aiokafka.admin import AIOKafkaAdminClient

from devstack.stack import SERVICES, Stack
from inventory_contracts.topics import all_topics

ADMIN = Path(sys.executable).with_name("inventory-admin")


def run_init(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(ADMIN), "init", "--wait", "20", *args], env={**os.environ, **env},
                          capture_output=True, text=True, timeout=120)


def company_env(stack: Stack, company: str, partitions: int) -> dict[str, str]:
    host = stack.database_server_url.split("@", 1)[1].split("/", 1)[0]
    return {
        "DATABASE_URL": stack.database_server_url,
        "KAFKA_BOOTSTRAP_SERVERS": stack.bootstrap_servers,
        "TOPIC_PREFIX": f"{company}.",
        "TOPIC_PARTITIONS": str(partitions),
        **{f"{s.upper()}_DATABASE_URL": f"postgresql://{company}_{s}@{host}/{company}_{s}" for s in SERVICES},
        **{f"{s.upper()}_DATABASE_PASSWORD": f"secret {s} p@ss/{company}" for s in SERVICES},
        **kafka_admin_env(stack),
    }


def kafka_admin_env(stack: Stack) -> dict[str, str]:
    """init's own Kafka credentials: the stack's admin."""
    auth = stack.kafka_auth
    return {"KAFKA_SECURITY_PROTOCOL": auth.security_protocol, "KAFKA_SASL_MECHANISM": auth.sasl_mechanism,
            **({"KAFKA_USERNAME": auth.username or "", "KAFKA_PASSWORD": auth.password or ""} if auth.sasl else {})}


async def partition_counts(bootstrap: str, topics: list[str], options: dict[str, object]) -> dict[str, int]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, **options)
    await admin.start()
    try:
        return {t["topic"]: len(t["partitions"]) for t in await admin.describe_topics(topics) if t["error_code"] == 0}
    finally:
        await admin.close()


def test_init_creates_a_role_owning_each_database_migrations_and_topics_and_runs_again(stack: Stack) -> None:
    company = f"init{time.time_ns() % 1_000_000}"
    env = company_env(stack, company, partitions=3)

    first = run_init(env)
    assert first.returncode == 0, first.stderr
    again = run_init(env)
    assert again.returncode == 0, again.stderr

    topics = [f"{company}.{name}" for name in all_topics()]
    assert asyncio.run(partition_counts(stack.bootstrap_servers, topics, stack.kafka_client_options())) == {topic: 3 for topic in topics}

    async def check_databases() -> None:
        admin = await asyncpg.connect(stack.database_server_url)
        try:
            owners = dict(await admin.fetch(
                "SELECT datname, pg_get_userbyid(datdba) FROM pg_database WHERE datname LIKE $1", f"{company}_%"))
        finally:
            await admin.close()
        assert owners == {f"{company}_{s}": f"{company}_{s}" for s in SERVICES}
        host = stack.database_server_url.split("@", 1)[1].split("/", 1)[0]
        ledger = await asyncpg.connect(f"postgresql://{company}_ledger@{host}/{company}_ledger",
                                       password=f"secret ledger p@ss/{company}")
        try:
            assert await ledger.fetchval("SELECT count(*) FROM schema_migrations WHERE namespace = 'ledger'") > 0
        finally:
            await ledger.close()
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await asyncpg.connect(f"postgresql://{company}_ledger@{host}/{company}_costing",
                                  password=f"secret ledger p@ss/{company}")

    asyncio.run(check_databases())


def test_init_refuses_topics_whose_partition_count_differs(stack: Stack) -> None:
    company = f"init{time.time_ns() % 1_000_000}"
    assert run_init(company_env(stack, company, partitions=2), "--no-databases").returncode == 0

    refused = run_init(company_env(stack, company, partitions=4), "--no-databases")

    assert refused.returncode == 1
    assert "partition count cannot change" in refused.stderr and "TOPIC_PARTITIONS" in refused.stderr
    topics = [f"{company}.{name}" for name in all_topics()]
    assert set(asyncio.run(partition_counts(stack.bootstrap_servers, topics, stack.kafka_client_options())).values()) == {2}


def test_init_without_a_reachable_server_fails_with_a_message() -> None:
    failed = run_init({"DATABASE_URL": "postgresql://postgres@127.0.0.1:9/postgres"}, "--wait", "1", "--no-topics")

    assert failed.returncode == 1
    assert "PostgreSQL at 127.0.0.1:9 not reachable" in failed.stderr


def test_a_database_the_admin_made_before_passes_to_the_services_own_role(stack: Stack) -> None:
    """As left by a launcher that ran every service as the superuser: init gives the tables to the new role."""
    company = f"init{time.time_ns() % 1_000_000}"
    env = company_env(stack, company, partitions=1)
    host = stack.database_server_url.split("@", 1)[1].split("/", 1)[0]
    as_admin = {**env, "LEDGER_DATABASE_URL": stack.database_server_url.rsplit("/", 1)[0] + f"/{company}_ledger",
                "LEDGER_DATABASE_PASSWORD": ""}
    assert run_init(as_admin, "--service", "ledger", "--no-topics").returncode == 0

    handed_over = run_init(env, "--service", "ledger", "--no-topics")

    assert handed_over.returncode == 0, handed_over.stderr

    async def check() -> None:
        ledger = await asyncpg.connect(f"postgresql://{company}_ledger@{host}/{company}_ledger",
                                       password=f"secret ledger p@ss/{company}")
        try:
            foreign = await ledger.fetchval(
                "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'public' AND c.relowner <> (SELECT oid FROM pg_roles WHERE rolname = current_user)")
            assert foreign == 0
            await ledger.execute("INSERT INTO outbox (topic, key, value, headers) VALUES ('t', 'k', 'v', '{}')")
        finally:
            await ledger.close()

    asyncio.run(check())
