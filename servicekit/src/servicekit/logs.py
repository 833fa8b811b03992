"""Log lines as JSON, one object a line, with the context of the request or event they were written in.

Every line has `ts` (ISO 8601, UTC), `service`, `level`, `logger` and `message`; when known also
`correlation_id`, `causation_id` (the event being handled), `item_no`, `trace_id` (of the current
OpenTelemetry span, where OpenTelemetry is installed) and `exc` (an exception's traceback), and whatever a
call passed as `extra` (the access log's `method`, `path`, `status`, `duration_ms`; FastStream's `topic`).

`configure` sends every logger of the process (FastStream's, uvicorn's, aiokafka's) through one handler
and formatter. Conditions that are normal while a service starts but that libraries log as errors or
warnings are logged at INFO (`NormalConditions`), so that a line at WARNING or above asks for attention.
"""

import json
import logging
import re
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, TextIO

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import correlation

try:
    from opentelemetry import trace as _trace
except ImportError:  # tracing is optional: without it lines carry no trace id
    _trace = None  # type: ignore[assignment]

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# What every LogRecord has; anything else on a record came from `extra` and is written as a field.
# uvicorn's `color_message` is its message with ANSI colours: left out.
_RECORD_ATTRIBUTES = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {
    "message", "asctime", "taskName", "color_message"}

ACCESS_LOGGER = "servicekit.access"
# Probes and scrapes come every few seconds from machines: logged at DEBUG, not among the requests of people.
_MACHINE_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
# Sent by a periodic job (a reconciliation) with each call: the service it calls logs the call at DEBUG too.
PERIODIC_JOB_HEADER = "X-Periodic-Job"
_PERIODIC_JOB = PERIODIC_JOB_HEADER.lower().encode()


def trace_id() -> str | None:
    """The trace id of the current OpenTelemetry span, if OpenTelemetry is installed and that span is valid."""
    if _trace is None:
        return None
    context = _trace.get_current_span().get_span_context()
    return format(context.trace_id, "032x") if context.is_valid else None


class JsonFormatter(logging.Formatter):
    """One JSON object per record: the fixed fields, the context of the request or event, and the record's extras."""

    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "service": self.service,
            "level": record.levelname,
            "logger": record.name,
            "message": _ANSI.sub("", record.getMessage()),
        }
        context = {
            "correlation_id": correlation.current(),
            "causation_id": correlation.causation(),
            "item_no": correlation.item_no(),
            "trace_id": trace_id(),
        }
        line.update((name, str(value)) for name, value in context.items() if value is not None)
        for name, value in vars(record).items():
            # FastStream's context fields (topic, message id) are empty outside a message: left out.
            if name not in _RECORD_ATTRIBUTES and name not in line and value is not None and value != "":
                line[name] = value
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        elif record.exc_text:
            line["exc"] = record.exc_text
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, default=str, ensure_ascii=False)


class NormalConditions(logging.Filter):
    """Logs at INFO what libraries log as an error or warning but is normal: the service works on unaffected.

    - aiokafka cannot find the group coordinator while the broker still loads its offsets topic, which it does
      when the first group of a fresh cluster asks. Normal only while the service starts (`startup_seconds`):
      later it means the broker lost the coordinator, and stays an error.
    - aiokafka's heartbeat finds the group rebalancing whenever a member joins or leaves: each subscriber of a
      service is a member, so every start rebalances, and so does every replica started or stopped.
    - FastStream warns that it will not create topics: on purpose, init creates them (a service may not).
    """

    def __init__(self, startup_seconds: float = 120, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self._clock = clock
        self._startup_ends = clock() + startup_seconds

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno > logging.INFO and self._normal(record):
            record.levelno, record.levelname = logging.INFO, "INFO"
        return True

    def _normal(self, record: logging.LogRecord) -> bool:
        if record.name == "aiokafka.consumer.group_coordinator":
            if record.msg == "Group Coordinator Request failed: %s":
                return "GroupCoordinatorNotAvailable" in type(_first(record.args)).__name__ and self._clock() < self._startup_ends
            return str(record.msg).startswith("Heartbeat failed for group %s because it is rebalancing")
        return record.name.startswith("faststream") and record.getMessage().startswith("Auto create topics is disabled")


def _first(args: Any) -> Any:
    return args[0] if isinstance(args, tuple) and args else None


def configure(service: str, level: str = "INFO", stream: TextIO | None = None) -> logging.Handler:
    """Every logger of the process as JSON lines on `stream` (stderr) from `level` up; returns the handler."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter(service))
    handler.addFilter(NormalConditions())
    # The handler's level too: a library that lowers its own logger's level cannot add lines below `level`.
    handler.setLevel(level)
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "faststream", "faststream.access"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
    # A request line per call of a periodic job says nothing: httpx logs only what went wrong.
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(max(logging.WARNING, logging.getLevelName(level)))
    # aiokafka says at INFO what every connection and rebalance does (authenticated, joined, assigned).
    logging.getLogger("aiokafka").setLevel(max(logging.WARNING, logging.getLevelName(level)))
    logging.captureWarnings(True)
    sys.excepthook = _log_uncaught
    return handler


def _log_uncaught(kind: type[BaseException], exc: BaseException, traceback: TracebackType | None) -> None:
    logging.getLogger("servicekit").critical("uncaught %s: %s", kind.__name__, exc, exc_info=(kind, exc, traceback))


class PeriodicOutcome:
    """What a job repeated every few seconds logs: only changes of its outcome, not every round.

    A failure is logged when it first happens and again when its reason changes; at INFO while it is young
    (a service it calls may be starting or restarting), at WARNING once it has lasted `patience` seconds.
    The first success after failures is logged at INFO.
    """

    def __init__(self, logger: logging.Logger, job: str, patience: float = 30,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._log = logger
        self._job = job
        self._patience = patience
        self._clock = clock
        self._failing_since: float | None = None
        self._logged: tuple[str, int] | None = None

    def succeeded(self) -> None:
        if self._failing_since is not None:
            self._log.info("%s works again", self._job)
        self._failing_since, self._logged = None, None

    def failed(self, exc: BaseException) -> None:
        now = self._clock()
        if self._failing_since is None:
            self._failing_since = now
        level = logging.WARNING if now - self._failing_since >= self._patience else logging.INFO
        reason = f"{type(exc).__name__}: {exc}"
        if self._logged != (reason, level):
            self._log.log(level, "%s skipped: %s", self._job, reason)
            self._logged = (reason, level)


def periodic_job_headers(job: str) -> dict[str, str]:
    """Headers for the HTTP client of a periodic job: its successful calls are logged at DEBUG where they arrive."""
    return {PERIODIC_JOB_HEADER: job}


class AccessLog:
    """ASGI middleware: one line per HTTP request, with its method, path, status and duration in milliseconds.

    At DEBUG when it succeeded and is routine: a probe, a scrape, a call of another service's periodic job.

    Placed inside CorrelationMiddleware, so the line carries the request's correlation id; an item no. in the
    path (`/items/{item_no}/...`) is its `item_no`.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.log = logging.getLogger(ACCESS_LOGGER)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the client gets if the app fails before it answers

        async def send_noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_noting_status)
        finally:
            self._line(scope, status, (time.perf_counter() - started) * 1000)

    def _line(self, scope: Scope, status: int, duration_ms: float) -> None:
        routine = scope["path"] in _MACHINE_PATHS or any(name == _PERIODIC_JOB for name, _ in scope["headers"])
        level = logging.DEBUG if routine and status < 400 else logging.INFO
        if not self.log.isEnabledFor(level):
            return
        item = (scope.get("path_params") or {}).get("item_no")
        fields = {"method": scope["method"], "path": scope["path"], "status": status,
                  "duration_ms": round(duration_ms, 2)}
        with correlation.handling(correlation.current(), None, item if isinstance(item, str) else None):
            self.log.log(level, "%s %s %s %.1f ms", scope["method"], scope["path"], status, duration_ms, extra=fields)
