"""A throw-away database per test on the test session's PostgreSQL."""

import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest

from devstack.stack import Stack


@pytest.fixture
async def empty_database(stack: Stack) -> AsyncIterator[str]:
    """The URL of a new, empty database, dropped after the test."""
    name = f"servicekit_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(stack.database_server_url)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    yield stack.database_server_url.rsplit("/", 1)[0] + f"/{name}"
    admin = await asyncpg.connect(stack.database_server_url)
    try:
        await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    finally:
        await admin.close()
