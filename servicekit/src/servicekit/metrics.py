"""Prometheus metrics every service exposes on /metrics."""

import asyncio
import logging
import time
from collections.abc import Iterable, Sequence
from typing import Any

import asyncpg
from prometheus_client import Counter, Gauge, Histogram
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .auth import operations

log = logging.getLogger(__name__)

POSTINGS = Counter("inventory_postings_total", "Documents or lines posted through the HTTP API.", ["kind"])
EVENTS_CONSUMED = Counter(
    "inventory_events_consumed_total", "Events taken from Kafka, by outcome.", ["topic", "outcome"]
)
EVENTS_PUBLISHED = Counter("inventory_events_published_total", "Events the outbox relay published.", ["topic"])
DEAD_LETTERS = Counter("inventory_dead_letters_total", "Messages sent to a dead-letter topic.", ["topic"])
OUTBOX_BACKLOG = Gauge("inventory_outbox_backlog", "Outbox rows not yet published.")
OUTBOX_FAILED = Counter(
    "inventory_outbox_failed_total", "Outbox rows the broker refused for good, moved to outbox_failed.", ["topic"]
)
OUTBOX_OLDEST_AGE = Gauge(
    "inventory_outbox_oldest_age_seconds", "Age of the oldest outbox row not yet published (0 when the outbox is empty)."
)
CONSUMER_LAG = Gauge(
    "inventory_consumer_lag",
    "Records of a partition this process has not yet taken: the partition's high watermark minus the consumer's position.",
    ["group", "topic", "partition"],
)
HTTP_REQUEST_DURATION = Histogram(
    "inventory_http_request_duration_seconds",
    "Time from a request's arrival to its response's end, by method, route template and status code.",
    ["method", "route", "status"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
_UNMATCHED = "unmatched"


class RequestDurationMiddleware:
    """Observes every HTTP request in HTTP_REQUEST_DURATION under its route's template (`/items/{item_no}`),
    never the raw path, so that the series stay few; a path no route matches counts as `unmatched`."""

    def __init__(self, app: ASGIApp, routes: Sequence[BaseRoute]) -> None:
        self.app = app
        self.routes = routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            HTTP_REQUEST_DURATION.labels(scope["method"], self._route(scope), str(status)).observe(time.perf_counter() - started)

    def _route(self, scope: Scope) -> str:
        route = scope.get("route") or self._route_before_routing(scope)
        return getattr(route, "path", None) or _UNMATCHED

    def _route_before_routing(self, scope: Scope) -> Any:
        """The route a request answered before routing (a refused token) was for, as the router would find it: an
        API operation inside included routers at any depth, else another route (a mount, a plain route)."""
        root_path = scope.get("root_path", "")
        path = scope["path"].removeprefix(root_path) if root_path else scope["path"]
        found = [o for o in operations(self.routes) if o.matches(path, scope["method"]) is not Match.NONE]
        if found:
            return next((o for o in found if o.matches(path, scope["method"]) is Match.FULL), found[0]).route
        for candidate in self.routes:
            match, child = candidate.matches(scope)
            if match is not Match.NONE:
                return child.get("route", candidate)
        return None


async def refresh(pool: asyncpg.Pool | None, consumers: Iterable[Any], group: str) -> None:
    """Bring the gauges whose data lives elsewhere up to date: outbox age and backlog (the database),
    consumer lag (each consumer's assigned partitions). Called on each scrape; what cannot be read stays as it was."""
    if pool is not None:
        try:
            async with pool.acquire(timeout=2) as conn:
                row = await conn.fetchrow(
                    "SELECT count(*) AS backlog, coalesce(extract(epoch FROM now() - min(created_at)), 0) AS age FROM outbox"
                )
            OUTBOX_BACKLOG.set(row["backlog"])
            OUTBOX_OLDEST_AGE.set(max(float(row["age"]), 0.0))
        except Exception as exc:
            log.debug("outbox metrics not read: %s", exc)
    lags: dict[tuple[str, str, str], int] = {}
    for consumer in consumers:
        if consumer is None:
            continue
        for partition in consumer.assignment():
            try:
                highwater = consumer.highwater(partition)
                position = await asyncio.wait_for(consumer.position(partition), timeout=1)
            except Exception:
                continue  # revoked meanwhile, or its position not yet known
            if highwater is not None:
                lags[(group, partition.topic, str(partition.partition))] = max(highwater - position, 0)
    # Partitions this process no longer holds disappear; another process of the group reports them.
    CONSUMER_LAG.clear()
    for labels, lag in lags.items():
        CONSUMER_LAG.labels(*labels).set(lag)
