"""A PostgreSQL 15 cluster made with initdb in a data folder; as root it runs as the postgres user."""

import asyncio
import os
import pwd
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import asyncpg

BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
SUPERUSER = "postgres"


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
    durable: bool = False

    @property
    def server_url(self) -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        if not (BIN / "initdb").exists():
            raise PostgresLaunchError(f"PostgreSQL 15 server binaries not found in {BIN}: apt-get install postgresql-15")
        cluster = self.data_dir / "pgdata"
        socket_dir = self.data_dir / "socket"
        self.data_dir.mkdir(parents=True, exist_ok=True)
        socket_dir.mkdir(exist_ok=True)
        if os.geteuid() == 0:
            self._make_reachable_by_postgres()
        if not (cluster / "PG_VERSION").exists():
            self._run([str(BIN / "initdb"), "--no-sync", "-U", SUPERUSER, "--auth=trust", "-E", "UTF8",
                       "--locale=C.UTF-8", "-D", str(cluster)], "initdb")
        if (cluster / "postmaster.pid").exists():
            # Left running by a launcher that was killed: stop it so it starts with this run's settings.
            subprocess.run(_as_server_user([str(BIN / "pg_ctl"), "-D", str(cluster), "-m", "fast", "-w", "stop"]),
                           capture_output=True)
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {socket_dir} -c max_connections=200"
        if not self.durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run([str(BIN / "pg_ctl"), "-D", str(cluster), "-l", str(self.data_dir / "postgres.log"),
                   "-w", "-t", "60", "-o", options, "start"], "pg_ctl start")

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
