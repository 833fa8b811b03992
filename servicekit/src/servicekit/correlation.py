"""The correlation id: one id shared by a request and every event it causes, in every service.

It is taken from the request's `X-Correlation-ID` (a UUID) or W3C `traceparent` (its trace id), else
made new, at the HTTP edge; a consumer takes the one of the event it applies. Events queued in the
outbox without one get the current one, so a posting can be followed from the request to the G/L.
"""

import re
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from uuid import UUID

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HEADER = "X-Correlation-ID"
_TRACEPARENT = re.compile(r"[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}")

_current: ContextVar[UUID | None] = ContextVar("correlation_id", default=None)


def current() -> UUID | None:
    """The correlation id of the request or event being handled, if any."""
    return _current.get()


@contextmanager
def correlated(correlation_id: UUID | None) -> Iterator[UUID | None]:
    """Make `correlation_id` the current one for the block."""
    token = _current.set(correlation_id)
    try:
        yield correlation_id
    finally:
        _current.reset(token)


def from_headers(headers: Mapping[str, str]) -> UUID:
    """The request's `X-Correlation-ID`, else the trace id of its `traceparent`, else a new id."""
    given = headers.get(HEADER.lower()) or headers.get(HEADER)
    if given:
        try:
            return UUID(given.strip())
        except ValueError:
            pass
    match = _TRACEPARENT.fullmatch((headers.get("traceparent") or "").strip().lower())
    if match and match.group(1) != "0" * 32:
        return UUID(match.group(1))
    return uuid.uuid4()


class CorrelationMiddleware:
    """Sets the correlation id of every HTTP request and answers it in the `X-Correlation-ID` header."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope["headers"]}
        correlation_id = from_headers(headers)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[HEADER] = str(correlation_id)
            await send(message)

        with correlated(correlation_id):
            await self.app(scope, receive, send_with_id)
