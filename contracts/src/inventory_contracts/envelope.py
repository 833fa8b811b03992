"""The envelope every integration event travels in."""

from __future__ import annotations

import builtins
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar
from uuid import UUID, uuid4

from pydantic import BaseModel, ConfigDict, Field

PayloadT = TypeVar("PayloadT", bound=BaseModel)


class Payload(BaseModel):
    """Base of every event payload: producers validate strictly, consumers ignore unknown fields."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class Envelope(BaseModel, Generic[PayloadT]):
    """Metadata shared by every event; `payload` holds the event-specific body."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    event_id: UUID = Field(description="Unique id of the event; consumers use it as the idempotency key.")
    type: str = Field(description="Event type, e.g. `warehouse.item-entry-posted`.", examples=["warehouse.item-entry-posted"])
    version: int = Field(description="Major version of the payload schema.", ge=1, examples=[1])
    occurred_at: datetime = Field(description="When the producer recorded the change (UTC).")
    producer: str = Field(description="Name of the producing service.", examples=["warehouse"])
    key: str | None = Field(default=None, description="Partition key: the item no. for item-scoped events.")
    correlation_id: UUID | None = Field(default=None, description="Id shared by every event caused by one request.")
    causation_id: UUID | None = Field(default=None, description="Id of the event (or request) that caused this one.")
    payload: PayloadT = Field(description="The event body; its schema is fixed by `type` and `version`.")


class EventSpec(BaseModel):
    """What identifies one event schema: its type, major version, payload model and topic."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    type: str
    version: int
    topic: str
    payload: builtins.type[Payload]


def new_envelope(
    spec: EventSpec,
    payload: Payload,
    *,
    producer: str,
    key: str | None,
    correlation_id: UUID | None = None,
    causation_id: UUID | None = None,
    occurred_at: datetime | None = None,
) -> Envelope[Any]:
    """Build a strictly validated envelope for `payload` under `spec`."""
    if not isinstance(payload, spec.payload):
        raise TypeError(f"{spec.type} v{spec.version} carries {spec.payload.__name__}, not {type(payload).__name__}")
    return Envelope[spec.payload](  # type: ignore[name-defined]
        event_id=uuid4(),
        type=spec.type,
        version=spec.version,
        occurred_at=occurred_at or datetime.now(UTC),
        producer=producer,
        key=key,
        correlation_id=correlation_id,
        causation_id=causation_id,
        payload=payload,
    )
