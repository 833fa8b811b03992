"""A PostgreSQL 15 cluster made with initdb in a data folder; as root it runs as the postgres user.

Durable unless asked otherwise (fsync, synchronous commit, full page writes). TCP connections need a
password (scram-sha-256); the superuser's is generated once and kept in `superuser.password` (mode 0600)
beside the cluster. The Unix socket, in a folder only the server's user (and root) may enter, is trusted:
the launcher sets the superuser's password through it.
"""

import asyncio
import os
import pwd
import secrets
import shutil
import subprocess
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import asyncpg
from servicekit.db import connect
from servicekit.migrations import discover, migrate

BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
SUPERUSER = "postgres"
PG_HBA = """# Written by the launcher at every start.
local   all   all                  trust
host    all   all   127.0.0.1/32   scram-sha-256
host    all   all   ::1/128        scram-sha-256
"""


class PostgresLaunchError(RuntimeError):
    pass


def _as_server_user(args: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root.
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


@dataclass
class PostgresCluster:
    data_dir: Path
    port: int
    durable: bool = True  # False (fsync, synchronous commit and full page writes off) only when a test or benchmark asks
    statement_stats: bool = False  # pg_stat_statements loaded: the benchmark's count of statements per posting

    @property
    def superuser_password(self) -> str:
        path = self.data_dir / "superuser.password"
        if not path.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            path.touch(mode=0o600)
            path.write_text(secrets.token_urlsafe(24))
        return path.read_text().strip()

    @property
    def server_url(self) -> str:
        return f"postgresql://{SUPERUSER}:{quote(self.superuser_password, safe='')}@127.0.0.1:{self.port}/postgres"

    @property
    def settings(self) -> str:
        return "durable (fsync, synchronous_commit, full_page_writes on)" if self.durable else \
            "fast (fsync, synchronous_commit, full_page_writes off)"

    def start(self) -> None:
        if not (BIN / "initdb").exists():
            raise PostgresLaunchError(f"PostgreSQL 15 server binaries not found in {BIN}: apt-get install postgresql-15")
        cluster = self.data_dir / "pgdata"
        socket_dir = self.data_dir / "socket"
        self.data_dir.mkdir(parents=True, exist_ok=True)
        socket_dir.mkdir(exist_ok=True)
        socket_dir.chmod(0o700)
        if os.geteuid() == 0:
            self._make_reachable_by_postgres()
        if not (cluster / "PG_VERSION").exists():
            self._run([str(BIN / "initdb"), *["--no-sync"] * (not self.durable), "-U", SUPERUSER, "--auth=trust",
                       "-E", "UTF8", "--locale=C.UTF-8", "-D", str(cluster)], "initdb")
        (cluster / "pg_hba.conf").write_text(PG_HBA)
        if (cluster / "postmaster.pid").exists():
            # Left running by a launcher that was killed: stop it so it starts with this run's settings.
            subprocess.run(_as_server_user([str(BIN / "pg_ctl"), "-D", str(cluster), "-m", "fast", "-w", "stop"]),
                           capture_output=True)
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {socket_dir} -c max_connections=200"
        switch = "on" if self.durable else "off"
        options += f" -c fsync={switch} -c synchronous_commit={switch} -c full_page_writes={switch}"
        if self.statement_stats:
            options += " -c shared_preload_libraries=pg_stat_statements"
        self._run([str(BIN / "pg_ctl"), "-D", str(cluster), "-l", str(self.data_dir / "postgres.log"),
                   "-w", "-t", "60", "-o", options, "start"], "pg_ctl start")
        asyncio.run(self._set_superuser_password(socket_dir))

    async def _set_superuser_password(self, socket_dir: Path) -> None:
        conn = await asyncpg.connect(host=str(socket_dir), port=self.port, user=SUPERUSER, database="postgres")
        try:
            await conn.execute(await conn.fetchval("SELECT format('ALTER ROLE %I PASSWORD %L', $1::text, $2::text)",
                                                   SUPERUSER, self.superuser_password))
        finally:
            await conn.close()

    def stop(self) -> None:
        cluster = self.data_dir / "pgdata"
        if (cluster / "postmaster.pid").exists():
            subprocess.run(_as_server_user([str(BIN / "pg_ctl"), "-D", str(cluster), "-m", "fast", "-w", "stop"]),
                           capture_output=True)

    def _make_reachable_by_postgres(self) -> None:
        user = pwd.getpwnam("postgres")
        for path in [self.data_dir, *self.data_dir.parents]:
            if path == Path("/"):
                break
            mode = path.stat().st_mode
            if not mode & 0o001:
                path.chmod(mode | 0o001)
        for path in [self.data_dir, *self.data_dir.iterdir()]:
            if path.name in ("pgdata", "socket") or path == self.data_dir:
                shutil.chown(path, user.pw_uid, user.pw_gid)

    def _run(self, args: list[str], what: str) -> None:
        result = subprocess.run(_as_server_user(args), capture_output=True, text=True)
        if result.returncode != 0:
            log = self.data_dir / "postgres.log"
            tail = log.read_text()[-2000:] if log.exists() else ""
            raise PostgresLaunchError(f"{what} failed:\n{result.stdout}\n{result.stderr}\n{tail}")


async def create_databases(server_url: str, names: list[str]) -> None:
    conn = await asyncpg.connect(server_url)
    try:
        existing = {r["datname"] for r in await conn.fetch("SELECT datname FROM pg_database")}
        for name in names:
            if name not in existing:
                await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


@asynccontextmanager
async def scratch_database(server_url: str, prefix: str) -> AsyncIterator[str]:
    """The URL of a new, empty database on the server for one test, dropped afterwards with whatever is still
    connected to it."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(server_url)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    try:
        yield server_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        admin = await asyncpg.connect(server_url)
        try:
            await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        finally:
            await admin.close()


@asynccontextmanager
async def migrated_database(server_url: str, prefix: str, service: str) -> AsyncIterator[str]:
    """The URL of a scratch database with servicekit's and `service`'s migrations applied."""
    async with scratch_database(server_url, prefix) as url:
        conn = await connect(url)
        try:
            await migrate(conn, discover("servicekit", "servicekit") + discover(service))
        finally:
            await conn.close()
        yield url


@asynccontextmanager
async def migrated_connection(server_url: str, prefix: str, service: str) -> AsyncIterator[asyncpg.Connection]:
    """A connection to a scratch database with servicekit's and `service`'s migrations applied."""
    async with migrated_database(server_url, prefix, service) as url:
        conn = await connect(url)
        try:
            yield conn
        finally:
            await conn.close()
