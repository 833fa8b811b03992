"""Opaque cursors for keyset pagination."""

import base64
import json
from typing import Any

from .errors import ServiceError


class InvalidCursorError(ServiceError):
    """The `cursor` parameter is not one this service handed out; start again without it."""

    title, slug = "Invalid cursor", "invalid-cursor"


def encode_cursor(position: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(position).encode()).decode()


def decode_cursor(cursor: str | None) -> Any:
    if cursor is None:
        return None
    try:
        return json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except ValueError as exc:
        raise InvalidCursorError("the cursor is not one this API returned") from exc
