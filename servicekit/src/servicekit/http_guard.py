"""What every request goes through before a route sees it, and what catches whatever a route lets escape.

PostgreSQL cannot store a NUL character in text and the services store integers as int and bigint,
so such input is refused here with 422 instead of failing in the database with 500. A body is read
only up to the configured limit (413 beyond it, whether announced by Content-Length or not), so a
client cannot make a service buffer 100 MB.

Integers in paths and queries reach the database as bigint parameters; one out of range is refused
there and answered 422 by the runtime's handler of data errors.

The last line of defence turns an unexpected exception into a 500 problem response *without*
re-raising it. Starlette's own handler for `Exception` re-raises after answering, and uvicorn then
closes the connection: the next request a client sends on that keep-alive connection is reset.
"""

import json
import logging
import re
from collections.abc import Iterable, Iterator
from urllib.parse import unquote_to_bytes

from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from inventory_contracts.limits import INT64_MAX, INT64_MIN

from .db import is_transient
from .errors import problem

log = logging.getLogger(__name__)

DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024

# A JSON string escape of NUL: `\u0000` preceded by an even number of backslashes (an odd number
# would make it the text "\u0000", which is harmless).
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class RequestGuard:
    """Pure ASGI middleware: NUL characters, out-of-range JSON integers, body size, and the last-resort 500."""

    def __init__(self, app: ASGIApp, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = _check_target(scope)
        if refusal is not None:
            await _send_problem(scope, send, *refusal)
            return
        if scope["method"] in _BODY_METHODS:
            refusal, body = await self._read_body(scope, receive)
            if refusal is not None:
                await _send_problem(scope, send, *refusal, close=refusal[0] == 413)
                return
            receive = _replay(body, receive)
        await self._run(scope, receive, send)

    async def _read_body(self, scope: Scope, receive: Receive) -> tuple[tuple[int, str, str, str] | None, bytes]:
        length = _header(scope, b"content-length")
        if length is not None:
            if not length.isdigit():
                return (400, "Invalid request", "invalid-request", "Content-Length is not a number."), b""
            if int(length) > self.max_body_bytes:
                return _too_large(self.max_body_bytes), b""
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                # Counted as it streams: a chunked body announces no length.
                return _too_large(self.max_body_bytes), b""
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        return _check_body(body, _header(scope, b"content-type") or ""), body

    async def _run(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            if is_transient(exc):
                log.warning("dependency unavailable on %s: %s", scope.get("path"), exc)
                refusal = (503, "Service unavailable", "unavailable", "A dependency is unavailable; retry.")
            else:
                log.exception("unhandled error on %s", scope.get("path"))
                refusal = (500, "Internal error", "internal", "An unexpected error occurred.")
            if not started:
                await _send_problem(scope, send, *refusal)
            # Not re-raised: the error is logged and answered, and the connection stays usable.


def _too_large(limit: int) -> tuple[int, str, str, str]:
    return 413, "Content too large", "content-too-large", f"The request body is larger than {limit} bytes."


def _check_target(scope: Scope) -> tuple[int, str, str, str] | None:
    raw_path = scope.get("raw_path") or scope["path"].encode("utf-8", "surrogateescape")
    if "\x00" in scope["path"] or b"\x00" in unquote_to_bytes(raw_path):
        return 422, "Invalid character", "invalid-character", "The path contains a NUL character, which cannot be stored."
    query = scope.get("query_string", b"")
    if query and b"\x00" in unquote_to_bytes(query.replace(b"+", b" ")):
        return 422, "Invalid character", "invalid-character", "The query contains a NUL character, which cannot be stored."
    return None


def _check_body(body: bytes, content_type: str) -> tuple[int, str, str, str] | None:
    if b"\x00" in body or _JSON_NUL.search(body):
        return 422, "Invalid character", "invalid-character", "The body contains a NUL character, which cannot be stored."
    if not body or "json" not in content_type.lower():
        return None
    try:
        json.loads(body, parse_int=_int64)
    except _OutOfRange as exc:
        return 422, "Number out of range", "number-out-of-range", str(exc)
    except RecursionError:
        return 422, "Invalid request", "invalid-request", "The JSON body is nested too deeply."
    except ValueError:
        pass  # Not JSON: the route's own parsing answers that with its usual problem.
    return None


class _OutOfRange(ValueError):
    pass


def _int64(text: str) -> int:
    # Checked on the digits before converting: Python refuses to convert very long integers at all.
    digits = text.lstrip("-")
    if len(digits) > 19 or not INT64_MIN <= (value := int(text)) <= INT64_MAX:
        shown = text if len(text) <= 40 else f"{text[:20]}...({len(text)} digits)"
        raise _OutOfRange(f"The integer {shown} is outside the range of a 64-bit integer.")
    return value


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return str(value.decode("latin-1")).strip()
    return None


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # a disconnect, if the client goes away

    return replayed


async def _send_problem(scope: Scope, send: Send, status: int, title: str, slug: str, detail: str, *, close: bool = False) -> None:
    content = json.dumps(problem(status, title, slug, detail, scope.get("path", ""))).encode()
    headers = [(b"content-type", b"application/problem+json"), (b"content-length", str(len(content)).encode())]
    if close:
        # The rest of a refused body is not read; the connection cannot carry another request after it.
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": content})


def all_routes(routes: Iterable[BaseRoute]) -> Iterator[BaseRoute]:
    """Every route, also those of included routers (FastAPI keeps an included router as one route)."""
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from all_routes(included.routes)
        else:
            yield route

