"""The unit of work: one database transaction, the state a use case changes in it and the events it announces."""

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import asyncpg

from inventory_contracts import Envelope

from .outbox import add_events


class UnitOfWork:
    """A use case's transaction. Repositories are built on `conn`; events go to the outbox in the same transaction.

    A service subclasses it to name its repositories (`uow.items`), and gives the subclass to its ServiceRuntime:
    routes and consumers then receive that kind.
    """

    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def publish(self, topic: str, event: Envelope[Any]) -> None:
        """Queue `event` for `topic`: it is published after, and only if, the transaction commits."""
        await add_events(self.conn, [(topic, event)])

    async def publish_all(self, events: Sequence[tuple[str, Envelope[Any]]]) -> None:
        """Queue several (topic, event) pairs, in this order, in one round trip."""
        await add_events(self.conn, events)

    def savepoint(self) -> Any:
        """A nested transaction: what is done inside it is undone alone if it raises."""
        return self.conn.transaction()


U = TypeVar("U", bound=UnitOfWork)


@asynccontextmanager
async def unit_of_work(pool: asyncpg.Pool, kind: type[U]) -> AsyncIterator[U]:
    """A unit of work of `kind` on a connection of `pool`, committed when the block ends and rolled back if it raises."""
    async with pool.acquire() as conn, conn.transaction():
        yield kind(conn)


@asynccontextmanager
async def reading(pool: asyncpg.Pool, kind: type[U]) -> AsyncIterator[U]:
    """A unit of work of `kind` for reads: a connection of `pool` without a transaction of its own."""
    async with pool.acquire() as conn:
        yield kind(conn)
