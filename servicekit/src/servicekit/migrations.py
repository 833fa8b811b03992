"""Applies a service's SQL migrations in order, once each, under an advisory lock."""

import hashlib
import re
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable

import asyncpg

_LOCK_KEY = 7_319_455_001
_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class MigrationChangedError(RuntimeError):
    """An applied migration's file was edited: the database no longer matches the code's history."""


@dataclass(frozen=True)
class Migration:
    namespace: str
    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()


def discover(package: str, namespace: str | None = None) -> list[Migration]:
    """Migrations shipped as `<package>/migrations/NNNN_name.sql`."""
    folder: Traversable = resources.files(package) / "migrations"
    found = []
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(namespace or package, int(match.group(1)), entry.name, entry.read_text()))
    return sorted(found, key=lambda m: m.version)


async def migrate(conn: asyncpg.Connection, migrations: list[Migration]) -> list[str]:
    """Apply what is missing; refuse when an applied migration changed. Returns the names applied."""
    applied_now: list[str] = []
    await conn.execute("SELECT pg_advisory_lock($1)", _LOCK_KEY)
    try:
        await conn.execute(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                namespace text NOT NULL,
                version int NOT NULL,
                name text NOT NULL,
                checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (namespace, version)
            )
            """
        )
        rows = await conn.fetch("SELECT namespace, version, checksum FROM schema_migrations")
        applied = {(r["namespace"], r["version"]): r["checksum"] for r in rows}
        for migration in migrations:
            checksum = applied.get((migration.namespace, migration.version))
            if checksum == migration.checksum:
                continue
            if checksum is not None:
                raise MigrationChangedError(f"{migration.namespace}/{migration.name} changed after it was applied")
            async with conn.transaction():
                await conn.execute(migration.sql)
                await conn.execute(
                    "INSERT INTO schema_migrations (namespace, version, name, checksum) VALUES ($1, $2, $3, $4)",
                    migration.namespace,
                    migration.version,
                    migration.name,
                    migration.checksum,
                )
            applied_now.append(f"{migration.namespace}/{migration.name}")
    finally:
        await conn.execute("SELECT pg_advisory_unlock($1)", _LOCK_KEY)
    return applied_now
