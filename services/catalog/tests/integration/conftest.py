"""A catalog database of its own per test, migrated, on the session's PostgreSQL."""

import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest

from devstack.stack import Stack
from servicekit.db import connect
from servicekit.migrations import discover, migrate


@pytest.fixture
async def catalog_database(stack: Stack) -> AsyncIterator[asyncpg.Connection]:
    name = f"catalog_test_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(stack.database_server_url)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    conn = await connect(stack.database_server_url.rsplit("/", 1)[0] + f"/{name}")
    try:
        await migrate(conn, discover("servicekit", "servicekit") + discover("catalog"))
        yield conn
    finally:
        await conn.close()
        admin = await asyncpg.connect(stack.database_server_url)
        try:
            await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        finally:
            await admin.close()
