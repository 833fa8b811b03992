"""deploy/local: what it starts it stops, and it uses existing servers when told to."""

import asyncio
import base64
import os
import shutil
import signal
import uuid
from pathlib import Path

import asyncpg
import pytest
from aiokafka.admin import AIOKafkaAdminClient
from typer.testing import CliRunner

from devstack import cli as devstack_cli
from devstack import kafka
from devstack.processes import port_open
from devstack.stack import Ports, Stack, StackError
from inventory_contracts.topics import PARTITIONS, all_topics


def test_stop_leaves_no_process_and_no_port(tmp_path_factory: pytest.TempPathFactory) -> None:
    state = Path(__file__).resolve().parents[2] / ".state" / f"launcher-{os.getpid()}"
    ports = Ports.free()
    stack = Stack(state, ports)
    try:
        stack.start_infrastructure()
        stack.start_service("catalog")
        pids = [stack.kafka.process.pid, stack.services["catalog"].pid]  # type: ignore[union-attr]
        assert all(port_open(p) for p in (ports.kafka, ports.postgres, ports.services["catalog"]))
        assert asyncio.run(durability_and_roles(stack)) == (
            {"fsync": "on", "synchronous_commit": "on", "full_page_writes": "on"}, "catalog", "catalog")
    finally:
        stack.stop()
        shutil.rmtree(state, ignore_errors=True)
    assert not any(port_open(p) for p in (ports.kafka, ports.kafka_controller, ports.postgres, ports.services["catalog"]))
    for pid in pids:
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text()


async def durability_and_roles(stack: Stack) -> tuple[dict[str, str], str, str]:
    """What `make up` gets: durable settings, passwords on TCP, and the catalog connected as its own role."""
    with pytest.raises(asyncpg.InvalidPasswordError):
        await asyncpg.connect(f"postgresql://postgres@127.0.0.1:{stack.ports.postgres}/postgres", password="wrong")
    conn = await asyncpg.connect(stack.database_server_url)
    try:
        settings = {name: await conn.fetchval(f"SHOW {name}") for name in ("fsync", "synchronous_commit", "full_page_writes")}
        sessions = await conn.fetch("SELECT usename FROM pg_stat_activity WHERE datname = 'catalog'")
        owner = await conn.fetchval("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'catalog'")
    finally:
        await conn.close()
    return settings, owner, ",".join(sorted({r["usename"] for r in sessions}))


def test_existing_servers_are_used_instead_of_starting_new_ones(stack: Stack, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", stack.bootstrap_servers)
    monkeypatch.setenv("DATABASE_URL", stack.database_server_url)
    for name, value in {"KAFKA_SECURITY_PROTOCOL": stack.kafka_auth.security_protocol, "KAFKA_USERNAME": stack.kafka_auth.username,
                        "KAFKA_PASSWORD": stack.kafka_auth.password}.items():
        monkeypatch.setenv(name, value or "")
    guest = Stack(stack.state_dir / "guest", Ports.free(), topic_prefix="guest.")
    guest.start_infrastructure()
    assert guest.kafka is None and guest.postgres is None
    assert not (stack.state_dir / "guest").exists()

    async def topics_and_databases() -> tuple[dict[str, int], set[str]]:
        admin = AIOKafkaAdminClient(bootstrap_servers=stack.bootstrap_servers, **stack.kafka_client_options())
        await admin.start()
        try:
            described = await admin.describe_topics([f"guest.{t}" for t in all_topics()])
        finally:
            await admin.close()
        conn = await asyncpg.connect(stack.database_server_url)
        try:
            names = {r["datname"] for r in await conn.fetch("SELECT datname FROM pg_database")}
        finally:
            await conn.close()
        return {t["topic"]: len(t["partitions"]) for t in described}, names

    topics, databases = asyncio.run(topics_and_databases())
    assert topics == {f"guest.{t}": PARTITIONS for t in all_topics()}
    assert {"catalog", "warehouse", "costing", "ledger"} <= databases
    guest.stop()
    assert port_open(int(stack.bootstrap_servers.rsplit(":", 1)[1])), "stopping the guest must not stop servers it did not start"


def test_a_cluster_id_never_starts_like_an_option(monkeypatch: pytest.MonkeyPatch) -> None:
    """Kafka's storage tool reads `-t -x...` as two options: an id whose base64 begins with '-' is drawn again."""
    draws = iter([uuid.UUID(bytes=b"\xf8" + bytes(15)), uuid.UUID(int=1)])
    monkeypatch.setattr(kafka.uuid, "uuid4", lambda: next(draws))
    cluster_id = kafka.random_cluster_id()
    assert not cluster_id.startswith("-")
    assert base64.urlsafe_b64decode(cluster_id + "==") == uuid.UUID(int=1).bytes


def test_up_stops_on_sigint_even_when_started_with_sigint_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A shell starts a background job (`make up &`) with SIGINT ignored; `kill -INT` must still stop the stack."""
    seen: list[object] = []

    class Starting:
        def __init__(self, state_dir: Path) -> None:
            self.state_dir = state_dir

        def start_infrastructure(self) -> None:
            seen.append(signal.getsignal(signal.SIGINT))
            raise StackError("stopped here")

        def stop(self) -> None:
            pass

    monkeypatch.setattr(devstack_cli, "Stack", Starting)
    before = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        result = CliRunner().invoke(devstack_cli.app, ["up", "--state-dir", str(tmp_path)])
    finally:
        signal.signal(signal.SIGINT, before)
    assert result.exit_code == 1 and "stopped here" in result.output
    assert seen == [signal.default_int_handler]
