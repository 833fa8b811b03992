"""The migration runner against a real PostgreSQL."""

import asyncio

import asyncpg
import pytest

from servicekit.migrations import Migration, MigrationChangedError, migrate


@pytest.fixture
def database(empty_database: str) -> str:
    return empty_database


FIRST = Migration("demo", 1, "0001_first.sql", "CREATE TABLE things (id int PRIMARY KEY)")
SECOND = Migration("demo", 2, "0002_second.sql", "ALTER TABLE things ADD COLUMN name text")


async def test_applies_each_migration_once_in_order(database: str) -> None:
    conn = await asyncpg.connect(database)
    try:
        assert await migrate(conn, [FIRST, SECOND]) == ["demo/0001_first.sql", "demo/0002_second.sql"]
        assert await migrate(conn, [FIRST, SECOND]) == []
        assert await conn.fetchval("SELECT count(*) FROM schema_migrations") == 2
    finally:
        await conn.close()


async def test_refuses_a_migration_changed_after_it_was_applied(database: str) -> None:
    conn = await asyncpg.connect(database)
    try:
        await migrate(conn, [FIRST])
        edited = Migration("demo", 1, "0001_first.sql", "CREATE TABLE things (id bigint PRIMARY KEY)")
        with pytest.raises(MigrationChangedError, match="0001_first.sql changed"):
            await migrate(conn, [edited, SECOND])
        assert await conn.fetchval("SELECT count(*) FROM schema_migrations") == 1
    finally:
        await conn.close()


async def test_concurrent_runners_apply_once(database: str) -> None:
    connections = [await asyncpg.connect(database) for _ in range(4)]
    try:
        results = await asyncio.gather(*(migrate(conn, [FIRST, SECOND]) for conn in connections))
        assert sorted(len(r) for r in results) == [0, 0, 0, 2]
    finally:
        for conn in connections:
            await conn.close()


async def test_a_failing_migration_leaves_nothing_behind(database: str) -> None:
    broken = Migration("demo", 2, "0002_broken.sql", "ALTER TABLE things ADD COLUMN x int; SELECT 1/0")
    conn = await asyncpg.connect(database)
    try:
        await migrate(conn, [FIRST])
        with pytest.raises(asyncpg.DivisionByZeroError):
            await migrate(conn, [FIRST, broken])
        columns = await conn.fetchval("SELECT count(*) FROM information_schema.columns WHERE table_name = 'things'")
        assert columns == 1
        assert await conn.fetchval("SELECT count(*) FROM schema_migrations") == 1
    finally:
        await conn.close()
