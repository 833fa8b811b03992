"""Postings by event: another service's posting request on `warehouse.posting-requests.v1`, and the warehouse's
answer on `warehouse.posting-replies.v1`."""

from enum import StrEnum
from typing import Any

from pydantic import Field

from .envelope import EventSpec, Payload
from .limits import Int32, Int64
from .topics import WAREHOUSE_POSTING_REPLIES, WAREHOUSE_POSTING_REQUESTS


class PostingRequested(Payload):
    """A journal or document posting another service asks the warehouse for, as it would POST it to the HTTP API.

    The warehouse applies it exactly once, with the API's validation and rules, and answers on
    warehouse.posting-replies.v1 under the same key. The request id is the requester's idempotency key, shared with
    the HTTP API's Idempotency-Key: the same id again is answered with the first answer and posts nothing.
    """

    request_id: str = Field(min_length=1, max_length=200, description="The requester's idempotency key.",
                            examples=["SALES-SO1001-SHIP-1"])
    operation: str = Field(
        min_length=1, max_length=200, pattern=r"^/[A-Za-z0-9._~%-][A-Za-z0-9._~%/-]*$",
        description="The path of the warehouse API's posting operation (a POST that needs inventory:post).",
        examples=["/item-journal"],
    )
    body: dict[str, Any] = Field(description="The request body, as the HTTP operation takes it.")
    requested_by: str = Field(default="", max_length=200, description="Who asks (for the record; not checked).")


POSTING_REQUESTED_V1 = EventSpec(
    type="warehouse.posting-requested", version=1, topic=WAREHOUSE_POSTING_REQUESTS, payload=PostingRequested
)


class PostingOutcome(StrEnum):
    POSTED = "posted"
    REFUSED = "refused"


class PostingAnswered(Payload):
    """The warehouse's answer to one posting request: what the HTTP API would have answered.

    Posted: `result` is the operation's response (the document no. and its item ledger entries). Refused: `problem`
    is the RFC 9457 problem the API would have given, with the same type. A message that is not a readable request at
    all is answered too, under its own key, with `request_id` None and where it was found.
    """

    request_id: str | None = Field(description="The request's id; None when the message could not be read.")
    operation: str = Field(default="", description="The operation asked for.")
    outcome: PostingOutcome
    status: Int32 = Field(description="The HTTP status the API would have answered.", examples=[201])
    result: dict[str, Any] | None = Field(default=None, description="The operation's response when posted.")
    problem: dict[str, Any] | None = Field(default=None, description="The problem details when refused.")
    request_event_id: str | None = Field(default=None, description="Event id of the request message, if it had one.")
    request_partition: Int32 | None = Field(default=None, description="Partition of a message that could not be read.")
    request_offset: Int64 | None = Field(default=None, description="Offset of a message that could not be read.")


POSTING_ANSWERED_V1 = EventSpec(
    type="warehouse.posting-answered", version=1, topic=WAREHOUSE_POSTING_REPLIES, payload=PostingAnswered
)
