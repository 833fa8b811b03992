"""Postings by event: requests consumed from warehouse.posting-requests.v1 are applied through the warehouse's own
API, inside the process, and answered on warehouse.posting-replies.v1.

Going through the API gives a request exactly what an HTTP caller gets: the same validation, rules, problem types
and idempotency (the request id is the Idempotency-Key). The posting commits in the API's own transaction; the answer
is queued in the inbox's, so a request consumed again after a crash in between is answered from the stored response,
once.
"""

import json
from typing import Any

import asyncpg
import httpx
from aiokafka import ConsumerRecord
from starlette.types import ASGIApp, Receive, Scope, Send

from inventory_contracts import POSTING_ANSWERED_V1, POSTING_REQUESTED_V1, Envelope, new_envelope
from inventory_contracts.postings import PostingAnswered, PostingOutcome, PostingRequested
from inventory_contracts.topics import WAREHOUSE_POSTING_REPLIES, WAREHOUSE_POSTING_REQUESTS
from servicekit import correlation
from servicekit.auth import TRUSTED_ACCESS, AccessToken
from servicekit.errors import ServiceError, problem
from servicekit.inbox import NotYetError, Subscription
from servicekit.outbox import add_event
from servicekit.uow import UnitOfWork

# What a request may do: post (inventory:post), nothing else, whoever published it. Who may publish requests at all
# is the Kafka cluster's to say (write access to the topic).
REQUESTER_SCOPES = frozenset({"inventory:post"})


class MalformedPostingRequestError(ServiceError):
    """A message on warehouse.posting-requests.v1 is not a posting request (not JSON, not an envelope of
    warehouse.posting-requested v1, or a payload that does not match its schema): nothing was posted. The answer
    carries the request id when the message has a readable one, else the message's partition and offset."""

    status, slug, title = 400, "malformed-request", "Malformed posting request"


class ApiUnavailableError(NotYetError):
    """The API answered 5xx (its database is away): the request is tried again, never answered with it."""


class PostingRequests:
    """The consumer of posting requests; `bind` gives it the running application it posts through."""

    def __init__(self) -> None:
        self._app: ASGIApp | None = None

    def bind(self, app: ASGIApp) -> None:
        self._app = app

    async def handle(self, uow: UnitOfWork, event: Envelope[PostingRequested]) -> None:
        request = event.payload
        status, body = await self._post(event, request)
        if status >= 500:
            raise ApiUnavailableError(f"{request.operation} answered {status}")
        posted = 200 <= status < 300
        answer = PostingAnswered(
            request_id=request.request_id, operation=request.operation,
            outcome=PostingOutcome.POSTED if posted else PostingOutcome.REFUSED, status=status,
            result=body if posted else None, problem=None if posted else body, request_event_id=str(event.event_id),
        )
        await uow.publish(WAREHOUSE_POSTING_REPLIES, new_envelope(
            POSTING_ANSWERED_V1, answer, producer="warehouse", key=event.key or request.request_id,
            correlation_id=event.correlation_id, causation_id=event.event_id,
        ))

    async def answer_unreadable(self, conn: asyncpg.Connection, record: ConsumerRecord[Any, Any], reason: Exception) -> None:
        """A request that could not be read (or not handled) is answered too, with what can be made of it."""
        document = _json_object(record.value)
        found = document.get("payload")
        payload: dict[str, Any] = found if isinstance(found, dict) else {}
        request_id = payload.get("request_id")
        operation = payload.get("operation")
        event_id = document.get("event_id")
        answer = PostingAnswered(
            request_id=request_id if isinstance(request_id, str) and 0 < len(request_id) <= 200 else None,
            operation=operation[:200] if isinstance(operation, str) else "",
            outcome=PostingOutcome.REFUSED, status=MalformedPostingRequestError.status,
            problem=problem(MalformedPostingRequestError.status, MalformedPostingRequestError.title,
                            MalformedPostingRequestError.slug, f"the message is not a posting request: {reason}"[:2000],
                            WAREHOUSE_POSTING_REQUESTS),
            request_event_id=event_id[:100] if isinstance(event_id, str) else None,
            request_partition=record.partition, request_offset=record.offset,
        )
        key = record.key.decode(errors="replace") if record.key is not None else answer.request_id
        await add_event(conn, WAREHOUSE_POSTING_REPLIES, new_envelope(POSTING_ANSWERED_V1, answer, producer="warehouse", key=key))

    async def _post(self, event: Envelope[PostingRequested], request: PostingRequested) -> tuple[int, Any]:
        if self._app is None:
            raise ApiUnavailableError("the API is not running yet")
        requester = AccessToken(f"posting-request:{request.requested_by}", "posting-requests", REQUESTER_SCOPES, {})
        app = _Trusted(self._app, requester)
        headers = {"Idempotency-Key": request.request_id}
        if event.correlation_id is not None:
            headers[correlation.HEADER] = str(event.correlation_id)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://warehouse") as client:
            response = await client.post(request.operation, json=request.body, headers=headers)
        try:
            return response.status_code, response.json()
        except ValueError:
            return response.status_code, {"detail": response.text[:2000]}

    def subscription(self) -> Subscription:
        return Subscription(
            WAREHOUSE_POSTING_REQUESTS, [POSTING_REQUESTED_V1], self.handle,
            "Posts a journal or document another system asks for, as the HTTP API would, and answers it.",
            dead_lettered=self.answer_unreadable,
        )


class _Trusted:
    """The application, called in the process with the requester's access already settled."""

    def __init__(self, app: ASGIApp, access: AccessToken) -> None:
        self._app, self._access = app, access

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self._app({**scope, TRUSTED_ACCESS: self._access}, receive, send)


def _json_object(raw: bytes | None) -> dict[str, Any]:
    try:
        document = json.loads(raw or b"")
    except (ValueError, RecursionError):
        return {}
    return document if isinstance(document, dict) else {}


POSTING_REQUESTS = PostingRequests()
