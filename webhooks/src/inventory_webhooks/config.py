"""The webhooks' settings: the common ones of every service and its own, `WEBHOOKS_*`, read once."""

from pydantic import field_validator
from pydantic_settings import NoDecode, SettingsConfigDict
from typing import Annotated

from servicekit.settings import ServiceSettings

from inventory_webhooks.domain.delivery import DEFAULT_RETRY_SECONDS


class WebhooksSettings(ServiceSettings):
    model_config = SettingsConfigDict(frozen=True, extra="ignore", env_prefix="WEBHOOKS_")

    service: str = "webhooks"
    http_port: int = 8005
    retry_seconds: Annotated[tuple[float, ...], NoDecode] = DEFAULT_RETRY_SECONDS
    """Waits before the 2nd, 3rd, ... attempt of a delivery, comma-separated seconds (`WEBHOOKS_RETRY_SECONDS`);
    after the last a delivery has failed for good."""
    disable_after_failed_deliveries: int = 5
    """A subscription whose this many consecutive deliveries failed every attempt is disabled
    (`WEBHOOKS_DISABLE_AFTER_FAILED_DELIVERIES`)."""
    timeout_seconds: float = 10
    """How long one attempt waits for the receiver's answer (`WEBHOOKS_TIMEOUT_SECONDS`)."""
    poll_seconds: float = 0.5
    """Pause of the sender when no delivery is due (`WEBHOOKS_POLL_SECONDS`)."""
    senders: int = 4
    """Deliveries sent at once (`WEBHOOKS_SENDERS`)."""

    @field_validator("retry_seconds", mode="before")
    @classmethod
    def _seconds(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(float(part) for part in value.split(",") if part.strip())
        return value
