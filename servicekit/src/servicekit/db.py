"""The asyncpg pool and the line between transient and permanent database faults."""

import asyncio
import json
import logging
from decimal import Decimal
from typing import Any

import asyncpg

log = logging.getLogger(__name__)

# Faults that go away by themselves: the server restarting, a dropped connection, lock conflicts.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    asyncpg.PostgresConnectionError,
    asyncpg.CannotConnectNowError,
    asyncpg.TooManyConnectionsError,
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    asyncpg.SerializationError,
    asyncpg.DeadlockDetectedError,
    asyncpg.InterfaceError,
    ConnectionError,
    OSError,
    asyncio.TimeoutError,
)


def is_transient(exc: BaseException) -> bool:
    return isinstance(exc, TRANSIENT_ERRORS)


async def _init_connection(conn: asyncpg.Connection) -> None:
    await conn.set_type_codec("jsonb", encoder=_dumps, decoder=json.loads, schema="pg_catalog")


async def _keep_session(conn: asyncpg.Connection) -> None:
    """Nothing to reset when a connection goes back to the pool: what runs on pool connections sets no session state
    (no SET, LISTEN, session advisory lock or held cursor; the relay and migrations use connections of their own).
    asyncpg itself still rolls back a transaction left open. The default reset costs a round trip per transaction."""


def _dumps(value: Any) -> str:
    return json.dumps(value, default=lambda v: str(v) if isinstance(v, Decimal) else v.isoformat())


async def connect(dsn: str) -> asyncpg.Connection:
    """A single connection with the same codecs as the pool's."""
    conn = await asyncpg.connect(dsn)
    await _init_connection(conn)
    return conn


async def create_pool(dsn: str, *, min_size: int = 1, max_size: int = 10, wait_seconds: float = 60) -> asyncpg.Pool:
    """A pool, once the server answers; a server still starting is waited for."""
    deadline = asyncio.get_running_loop().time() + wait_seconds
    while True:
        try:
            pool = await asyncpg.create_pool(dsn, min_size=min_size, max_size=max_size, init=_init_connection,
                                             reset=_keep_session)
            assert pool is not None
            return pool
        except Exception as exc:
            if not is_transient(exc) or asyncio.get_running_loop().time() > deadline:
                raise
            log.warning("database not reachable yet (%s); retrying", exc)
            await asyncio.sleep(0.5)
