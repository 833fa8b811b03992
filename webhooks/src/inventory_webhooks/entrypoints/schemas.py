"""Request and response bodies of the webhooks' API."""

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field, UrlConstraints

WebhookUrl = Annotated[AnyHttpUrl, UrlConstraints(max_length=2000, allowed_schemes=["http", "https"])]
Code = Annotated[str, Field(min_length=1, max_length=20)]
EventTypes = Annotated[list[Annotated[str, Field(max_length=100)]], Field(min_length=1, max_length=50)]


class SubscriptionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: WebhookUrl = Field(description="Where events are POSTed (http or https).", examples=["https://shop.example/hooks/inventory"])
    event_types: EventTypes = Field(description="Event types to deliver.", examples=[["warehouse.item-entry-posted"]])
    item_no: Code | None = Field(default=None, description="Only events whose payload names this item no.")
    location_code: Code | None = Field(default=None, description="Only events whose payload names this location code.")
    enabled: bool = True
    description: str = Field(default="", max_length=500)


class SubscriptionChange(BaseModel):
    """The fields given are changed; `null` clears a filter."""

    model_config = ConfigDict(extra="forbid")

    url: WebhookUrl | None = None
    event_types: EventTypes | None = None
    item_no: Code | None = None
    location_code: Code | None = None
    enabled: bool | None = None
    description: str | None = Field(default=None, max_length=500)


class SubscriptionOut(BaseModel):
    id: UUID
    url: str
    event_types: list[str]
    item_no: str | None
    location_code: str | None
    enabled: bool
    disabled_reason: str | None = Field(description="Why it was disabled, when the sender disabled it.")
    description: str
    failed_deliveries_in_row: int = Field(description="Consecutive deliveries that failed every attempt.")
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, row: Any) -> "SubscriptionOut":
        return cls.model_validate({name: row[name] for name in cls.model_fields})


class SubscriptionCreated(SubscriptionOut):
    secret: str = Field(description="The signing secret (`whsec_...`), shown only in this answer.")

    @classmethod
    def of(cls, row: Any) -> "SubscriptionCreated":
        return cls.model_validate({name: row[name] for name in cls.model_fields})


class SubscriptionPage(BaseModel):
    subscriptions: list[SubscriptionOut]
    next_cursor: str | None


class AttemptOut(BaseModel):
    attempt_no: int
    attempted_at: datetime
    status_code: int | None = Field(description="The receiver's HTTP status; null when no answer came.")
    error: str | None = Field(description="Why no answer came (timeout, connection refused).")
    duration_ms: int


class DeliveryOut(BaseModel):
    id: str = Field(description="The `webhook-id` header of every attempt.")
    subscription_id: UUID
    event_id: UUID
    event_type: str
    status: str = Field(description="pending, succeeded or failed (every attempt failed).")
    next_attempt_at: datetime | None
    created_at: datetime

    @classmethod
    def of(cls, row: Any) -> "DeliveryOut":
        return cls.model_validate({name: row[name] for name in cls.model_fields})


class DeliveryPage(BaseModel):
    deliveries: list[DeliveryOut]
    next_cursor: str | None


class DeliveryDetail(DeliveryOut):
    body: str = Field(description="The request body sent (the event as JSON).")
    attempts: list[AttemptOut]
