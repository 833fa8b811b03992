"""A catalog database of its own per test, migrated, on the session's PostgreSQL."""

from collections.abc import AsyncIterator

import asyncpg
import pytest

from devstack.postgres import scratch_database
from devstack.stack import Stack
from servicekit.db import connect
from servicekit.migrations import discover, migrate


@pytest.fixture
async def catalog_database(stack: Stack) -> AsyncIterator[asyncpg.Connection]:
    async with scratch_database(stack.database_server_url, "catalog_test") as url:
        conn = await connect(url)
        try:
            await migrate(conn, discover("servicekit", "servicekit") + discover("catalog"))
            yield conn
        finally:
            await conn.close()
