"""Pure rules of delivery: Standard Webhooks signatures, the retry schedule, which events a subscription takes."""

import base64
import hashlib
import hmac
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 24

# After the first attempt, the waits before each further one: about a day and a half in all, then the delivery
# has failed for good. Receivers that are down for a deploy or a night are covered; a dead one is not retried forever.
DEFAULT_RETRY_SECONDS: tuple[float, ...] = (5, 30, 120, 600, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 12 * 3600)


def new_secret() -> str:
    """A signing secret as Standard Webhooks writes it: `whsec_` and the base64 of random bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` value: `v1,` and the base64 HMAC-SHA256 of `{id}.{timestamp}.{body}` keyed with the
    secret's decoded bytes."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def headers(secret: str, message_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        "content-type": "application/json",
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secret, message_id, timestamp, body),
    }


def retry_delay(attempts_made: int, schedule: Sequence[float]) -> float | None:
    """Seconds to wait before the next attempt after `attempts_made` failed ones (None: no attempt is left)."""
    if attempts_made < 1 or attempts_made > len(schedule):
        return None
    return schedule[attempts_made - 1]


@dataclass(frozen=True)
class Filter:
    """Which events a subscription takes: of its event types, those whose payload names this item and location."""

    event_types: frozenset[str]
    item_no: str | None = None
    location_code: str | None = None

    def matches(self, event_type: str, payload: Mapping[str, Any]) -> bool:
        if event_type not in self.event_types:
            return False
        if self.item_no is not None and payload.get("item_no") != self.item_no:
            return False
        return self.location_code is None or payload.get("location_code") == self.location_code


def succeeded(status_code: int | None) -> bool:
    return status_code is not None and 200 <= status_code < 300
