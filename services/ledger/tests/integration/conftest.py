"""A database of the ledger's own per test, migrated, on the session's PostgreSQL."""

from collections.abc import AsyncIterator

import asyncpg
import pytest

from devstack.postgres import migrated_connection
from devstack.stack import Stack


@pytest.fixture
async def ledger_database(stack: Stack) -> AsyncIterator[asyncpg.Connection]:
    async with migrated_connection(stack.database_server_url, "ledger_test", "ledger") as conn:
        yield conn
