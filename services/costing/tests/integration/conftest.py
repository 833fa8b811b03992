"""A costing database of its own on the test session's PostgreSQL, for tests of valuation through its SQL."""

import asyncio
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import TypeVar

import asyncpg
import pytest

from devstack.postgres import create_databases, migrated_database
from devstack.stack import Stack
from servicekit.db import connect
from servicekit.migrations import discover, migrate

T = TypeVar("T")
Example = Callable[[Callable[[asyncpg.Connection], Awaitable[T]]], T]


@pytest.fixture(scope="session")
def costing_database(stack: Stack) -> Iterator[str]:
    name = f"costing_properties_{os.getpid()}"
    server = stack.database_server_url
    url = server.rsplit("/", 1)[0] + f"/{name}"

    async def create() -> None:
        await create_databases(server, [name])
        conn = await connect(url)
        try:
            await migrate(conn, discover("servicekit", "servicekit") + discover("costing"))
        finally:
            await conn.close()

    async def drop() -> None:
        admin = await asyncpg.connect(server)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        finally:
            await admin.close()

    asyncio.run(create())
    yield url
    asyncio.run(drop())


@pytest.fixture(scope="session")
def in_rolled_back_transaction(costing_database: str) -> Example:  # type: ignore[type-arg]
    """Runs `work(conn)` in a transaction that is rolled back afterwards: each example starts from an empty database."""

    def run(work: Callable[[asyncpg.Connection], Awaitable[T]]) -> T:
        async def inside() -> T:
            conn = await connect(costing_database)
            try:
                transaction = conn.transaction()
                await transaction.start()
                try:
                    return await work(conn)
                finally:
                    await transaction.rollback()
            finally:
                await conn.close()

        return asyncio.run(inside())

    return run


@pytest.fixture
async def database(stack: Stack) -> AsyncIterator[str]:
    """A costing database of its own, for tests that commit (several connections at once)."""
    async with migrated_database(stack.database_server_url, "costing_lock", "costing") as url:
        yield url
