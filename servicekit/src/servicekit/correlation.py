"""The correlation id: one id shared by a request and every event it causes, in every service.

It is taken from the request's `X-Correlation-ID` (a UUID) or W3C `traceparent` (its trace id), else
made new, at the HTTP edge; a consumer takes the one of the event it applies. Events queued in the
outbox without one get the current one, so a posting can be followed from the request to the G/L.

While a consumer applies an event, its id (the causation id of what it causes) and its item no. are
current too; the log lines written meanwhile carry all three (`servicekit.logs`).
"""

import re
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from typing import Any
from uuid import UUID

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HEADER = "X-Correlation-ID"
_TRACEPARENT = re.compile(r"[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}")

_current: ContextVar[UUID | None] = ContextVar("correlation_id", default=None)
_causation: ContextVar[UUID | None] = ContextVar("causation_id", default=None)
_item_no: ContextVar[str | None] = ContextVar("item_no", default=None)


def current() -> UUID | None:
    """The correlation id of the request or event being handled, if any."""
    return _current.get()


def causation() -> UUID | None:
    """The id of the event being handled, if any: the cause of whatever happens now."""
    return _causation.get()


def item_no() -> str | None:
    """The item no. of the event (or of every event of the batch) being handled, if any."""
    return _item_no.get()


@contextmanager
def correlated(correlation_id: UUID | None) -> Iterator[UUID | None]:
    """Make `correlation_id` the current one for the block."""
    token = _current.set(correlation_id)
    try:
        yield correlation_id
    finally:
        _current.reset(token)


@contextmanager
def handling(correlation_id: UUID | None, causation_id: UUID | None, item: str | None) -> Iterator[None]:
    """Make the ids and the item no. of what is being handled the current ones for the block."""
    tokens = _current.set(correlation_id), _causation.set(causation_id), _item_no.set(item)
    try:
        yield
    finally:
        _item_no.reset(tokens[2])
        _causation.reset(tokens[1])
        _current.reset(tokens[0])


def handling_event(event: Any) -> AbstractContextManager[None]:
    """The context of one consumed event (an Envelope): its correlation id, its id as the cause, its payload's item no."""
    return handling(event.correlation_id, event.event_id, _item_of(event))


def handling_events(events: Sequence[Any]) -> AbstractContextManager[None]:
    """The context of a batch of events: what they all share (the event id only of a batch of one)."""
    correlations, items = {event.correlation_id for event in events}, {_item_of(event) for event in events}
    return handling(
        correlations.pop() if len(correlations) == 1 else None,
        events[0].event_id if len(events) == 1 else None,
        items.pop() if len(items) == 1 else None,
    )


def _item_of(event: Any) -> str | None:
    # The payload, not the key: some topics are keyed by something else (the inventory setup, an account no.).
    item = getattr(event.payload, "item_no", None)
    return item if isinstance(item, str) else None


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
