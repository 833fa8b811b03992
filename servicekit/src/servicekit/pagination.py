"""Opaque cursors for keyset pagination."""

import base64
import json
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from .errors import ServiceError

T = TypeVar("T")


class InvalidCursorError(ServiceError):
    """The `cursor` parameter is not one this service handed out; start again without it."""

    slug, title = "invalid-cursor", "Invalid cursor"


def encode_cursor(position: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(position).encode()).decode()


def decode_cursor(cursor: str | None) -> Any:
    if cursor is None:
        return None
    try:
        return json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except ValueError as exc:
        raise InvalidCursorError("the cursor is not one this API returned") from exc


def paginate(found: Sequence[T], limit: int, position: Callable[[T], Any]) -> tuple[list[T], str | None]:
    """A page of `limit` rows from `found` (read with `limit + 1`) and the cursor of the next page, if there is one."""
    page = list(found[:limit])
    return page, encode_cursor(position(page[-1])) if len(found) > limit else None
