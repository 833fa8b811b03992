"""All SQL of the webhooks."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg  # type: ignore[import-untyped]

from servicekit.uow import UnitOfWork

SUBSCRIPTION_FIELDS = ("url", "event_types", "item_no", "location_code", "enabled", "description")


class Subscriptions:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def add(self, values: dict[str, Any]) -> asyncpg.Record:
        return await self.conn.fetchrow(
            """INSERT INTO subscriptions (id, url, event_types, item_no, location_code, secret, enabled, description)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *""",
            values["id"], values["url"], values["event_types"], values["item_no"], values["location_code"],
            values["secret"], values["enabled"], values["description"],
        )

    async def get(self, subscription_id: UUID, *, lock: bool = False) -> asyncpg.Record | None:
        return await self.conn.fetchrow(
            "SELECT * FROM subscriptions WHERE id = $1" + (" FOR UPDATE" if lock else ""), subscription_id
        )

    async def page(self, after: UUID | None, limit: int) -> list[asyncpg.Record]:
        return list(await self.conn.fetch(
            "SELECT * FROM subscriptions WHERE $1::uuid IS NULL OR id > $1 ORDER BY id LIMIT $2", after, limit
        ))

    async def change(self, subscription_id: UUID, changes: dict[str, Any]) -> asyncpg.Record:
        assigned = [name for name in SUBSCRIPTION_FIELDS if name in changes]
        sets = [f"{name} = ${n}" for n, name in enumerate(assigned, start=2)]
        if changes.get("enabled") is True:
            # Enabled again by hand: the failures that disabled it are forgiven, and what was pending resumes.
            sets += ["disabled_reason = NULL", "failed_deliveries_in_row = 0"]
        return await self.conn.fetchrow(
            f"UPDATE subscriptions SET {', '.join(sets + ['updated_at = now()'])} WHERE id = $1 RETURNING *",
            subscription_id, *(changes[name] for name in assigned),
        )

    async def remove(self, subscription_id: UUID) -> bool:
        return await self.conn.fetchval("DELETE FROM subscriptions WHERE id = $1 RETURNING true", subscription_id) is True

    async def enabled_for(self, event_types: Sequence[str]) -> list[asyncpg.Record]:
        return list(await self.conn.fetch(
            "SELECT * FROM subscriptions WHERE enabled AND event_types && $1::text[]", list(event_types)
        ))

    async def delivery_succeeded(self, subscription_id: UUID) -> None:
        await self.conn.execute(
            "UPDATE subscriptions SET failed_deliveries_in_row = 0 WHERE id = $1 AND failed_deliveries_in_row <> 0",
            subscription_id,
        )

    async def delivery_failed(self, subscription_id: UUID, disable_after: int) -> None:
        await self.conn.execute(
            """UPDATE subscriptions SET failed_deliveries_in_row = failed_deliveries_in_row + 1,
                   enabled = enabled AND failed_deliveries_in_row + 1 < $2,
                   disabled_reason = CASE WHEN enabled AND failed_deliveries_in_row + 1 >= $2
                       THEN format('%s consecutive deliveries failed every attempt', failed_deliveries_in_row + 1)
                       ELSE disabled_reason END,
                   updated_at = now()
               WHERE id = $1""",
            subscription_id, disable_after,
        )


class Deliveries:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def add_all(self, rows: Sequence[tuple[str, UUID, UUID, str, str]]) -> None:
        """(id, subscription id, event id, event type, body); an event already delivered to a subscription is kept once."""
        await self.conn.executemany(
            """INSERT INTO deliveries (id, subscription_id, event_id, event_type, body, status, next_attempt_at)
               VALUES ($1, $2, $3, $4, $5, 'pending', now()) ON CONFLICT (subscription_id, event_id) DO NOTHING""",
            rows,
        )

    async def get(self, delivery_id: str, *, lock: bool = False) -> asyncpg.Record | None:
        return await self.conn.fetchrow("SELECT * FROM deliveries WHERE id = $1" + (" FOR UPDATE" if lock else ""), delivery_id)

    async def of_subscription(self, subscription_id: UUID, before: tuple[datetime, str] | None, limit: int) -> list[asyncpg.Record]:
        return list(await self.conn.fetch(
            """SELECT * FROM deliveries WHERE subscription_id = $1
                 AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3))
               ORDER BY created_at DESC, id DESC LIMIT $4""",
            subscription_id, before[0] if before else None, before[1] if before else "", limit,
        ))

    async def attempts(self, delivery_id: str) -> list[asyncpg.Record]:
        return list(await self.conn.fetch("SELECT * FROM delivery_attempts WHERE delivery_id = $1 ORDER BY attempt_no", delivery_id))

    async def claim_due(self) -> asyncpg.Record | None:
        """A due delivery of an enabled subscription, locked for this transaction; others skip it meanwhile."""
        return await self.conn.fetchrow(
            """SELECT d.*, s.url, s.secret FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id
               WHERE d.status = 'pending' AND d.next_attempt_at <= now() AND s.enabled
               ORDER BY d.next_attempt_at LIMIT 1 FOR UPDATE OF d SKIP LOCKED"""
        )

    async def record_attempt(self, delivery_id: str, attempted_at: datetime, status_code: int | None,
                             error: str | None, duration_ms: int) -> None:
        await self.conn.execute(
            """INSERT INTO delivery_attempts (delivery_id, attempt_no, attempted_at, status_code, error, duration_ms)
               SELECT $1, coalesce(max(attempt_no), 0) + 1, $2, $3, $4, $5 FROM delivery_attempts WHERE delivery_id = $1""",
            delivery_id, attempted_at, status_code, error, duration_ms,
        )

    async def settle(self, delivery_id: str, status: str, attempts_in_round: int, next_attempt_at: datetime | None) -> None:
        await self.conn.execute(
            "UPDATE deliveries SET status = $2, attempts_in_round = $3, next_attempt_at = $4 WHERE id = $1",
            delivery_id, status, attempts_in_round, next_attempt_at,
        )

    async def retry_now(self, delivery_id: str) -> None:
        await self.conn.execute(
            "UPDATE deliveries SET status = 'pending', attempts_in_round = 0, next_attempt_at = now() WHERE id = $1",
            delivery_id,
        )


class WebhooksUnitOfWork(UnitOfWork):
    def __init__(self, conn: asyncpg.Connection) -> None:
        super().__init__(conn)
        self.subscriptions = Subscriptions(conn)
        self.deliveries = Deliveries(conn)
