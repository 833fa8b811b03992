"""Idempotency-Key handling: the first response to a key is stored in the posting's transaction."""

import hashlib
import json
from typing import Any

import asyncpg

from .errors import IdempotencyKeyReusedError


def request_hash(method: str, path: str, body: Any) -> str:
    canonical = json.dumps(body, sort_keys=True, default=str)
    return hashlib.sha256(f"{method} {path}\n{canonical}".encode()).hexdigest()


async def stored_response(conn: asyncpg.Connection, key: str, fingerprint: str) -> tuple[int, Any] | None:
    """The response given to `key` before, if any. The caller holds the key's lock (see `lock_key`)."""
    row = await conn.fetchrow(
        "SELECT request_hash, status_code, response FROM idempotency_keys WHERE idempotency_key = $1", key
    )
    if row is None:
        return None
    if row["request_hash"] != fingerprint:
        raise IdempotencyKeyReusedError(f"Idempotency-Key {key!r} was used for a different request")
    return row["status_code"], row["response"]


async def lock_key(conn: asyncpg.Connection, key: str) -> None:
    """Serialise concurrent requests with the same key until the transaction ends."""
    await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", f"idempotency:{key}")


async def store_response(conn: asyncpg.Connection, key: str, fingerprint: str, status_code: int, response: Any) -> None:
    await conn.execute(
        "INSERT INTO idempotency_keys (idempotency_key, request_hash, status_code, response) VALUES ($1, $2, $3, $4)",
        key,
        fingerprint,
        status_code,
        response,
    )
