"""Log lines (pure): one JSON object each with the fixed fields and the context of the request or event."""

import io
import json
import logging
import sys
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from importlib import resources
from typing import Any

import pytest
from aiokafka.errors import GroupCoordinatorNotAvailableError, NodeNotReadyError
from fastapi import FastAPI
from fastapi.testclient import TestClient

from inventory_contracts import ITEM_ENTRY_POSTED_V1, Envelope, EventRegistry
from servicekit import correlation, logs
from servicekit.correlation import CorrelationMiddleware
from servicekit.settings import ServiceSettings, common_settings

REQUIRED = {"ts", "service", "level", "logger", "message"}


@pytest.fixture
def lines() -> Iterator[io.StringIO]:
    """The process's logging configured as a service configures it, writing to a buffer; restored after."""
    root = logging.getLogger()
    saved = root.handlers[:], root.level, sys.excepthook
    out = io.StringIO()
    logs.configure("costing", "INFO", stream=out)
    try:
        yield out
    finally:
        root.handlers[:], sys.excepthook = saved[0], saved[2]
        root.setLevel(saved[1])


def written(out: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.getvalue().splitlines()]


def event(item_no: str = "1000") -> Envelope[Any]:
    example_file = resources.files("inventory_contracts") / "examples" / "warehouse.item-entry-posted.v1.json"
    example: Envelope[Any] = EventRegistry([ITEM_ENTRY_POSTED_V1]).parse(example_file.read_bytes())
    return example.model_copy(update={"payload": example.payload.model_copy(update={"item_no": item_no})})


def test_a_line_is_one_json_object_with_the_fixed_fields_in_utc(lines: io.StringIO) -> None:
    logging.getLogger("costing.somewhere").info("valued %d entries", 3)
    [line] = written(lines)
    assert REQUIRED <= line.keys()
    assert (line["service"], line["level"], line["logger"], line["message"]) == ("costing", "INFO", "costing.somewhere", "valued 3 entries")
    stamp = datetime.fromisoformat(line["ts"])
    assert stamp.tzinfo is not None and stamp.utcoffset().total_seconds() == 0  # type: ignore[union-attr]
    assert abs((datetime.now(UTC) - stamp).total_seconds()) < 5
    assert not {"correlation_id", "causation_id", "item_no", "exc"} & line.keys()


def test_a_line_written_while_an_event_is_handled_carries_its_ids_and_item_no(lines: io.StringIO) -> None:
    handled = event("2000")
    with correlation.handling_event(handled):
        logging.getLogger("costing").info("inside")
    logging.getLogger("costing").info("after")
    inside, after = written(lines)
    assert inside["correlation_id"] == str(handled.correlation_id)
    assert inside["causation_id"] == str(handled.event_id)
    assert inside["item_no"] == "2000"
    assert not {"correlation_id", "causation_id", "item_no"} & after.keys()


def test_a_batch_carries_what_its_events_share_and_the_event_id_only_of_a_batch_of_one(lines: io.StringIO) -> None:
    shared = uuid.uuid4()
    same = [event("A").model_copy(update={"correlation_id": shared, "event_id": uuid.uuid4()}) for _ in range(2)]
    with correlation.handling_events(same):
        logging.getLogger("x").info("same item")
    with correlation.handling_events([same[0], event("B").model_copy(update={"correlation_id": shared})]):
        logging.getLogger("x").info("two items")
    with correlation.handling_events(same[:1]):
        logging.getLogger("x").info("one")
    same_item, two_items, one = written(lines)
    assert (same_item["correlation_id"], same_item["item_no"]) == (str(shared), "A") and "causation_id" not in same_item
    assert two_items["correlation_id"] == str(shared) and "item_no" not in two_items
    assert one["causation_id"] == str(same[0].event_id)


def test_an_inventory_setup_event_has_no_item_no_though_it_has_a_key() -> None:
    setup = event().model_copy(update={"key": "inventory-setup", "payload": object()})
    with correlation.handling_event(setup):
        assert correlation.item_no() is None and correlation.causation() == setup.event_id


def test_exceptions_extras_and_colour_codes(lines: io.StringIO) -> None:
    try:
        raise ValueError("bad")
    except ValueError:
        logging.getLogger("x").exception("failed \x1b[31mred\x1b[0m", extra={"topic": "t.v1", "message_id": ""})
    [line] = written(lines)
    assert line["level"] == "ERROR" and line["message"] == "failed red"
    assert "ValueError: bad" in line["exc"] and "Traceback" in line["exc"]
    assert line["topic"] == "t.v1" and "message_id" not in line  # an empty extra is left out
    assert "\x1b" not in lines.getvalue()


def test_the_trace_id_is_the_current_spans_when_one_is_valid(lines: io.StringIO, monkeypatch: pytest.MonkeyPatch) -> None:
    class Context:
        trace_id, is_valid = 0x0AF7651916CD43DD8448EB211C80319C, True

    class Span:
        def get_span_context(self) -> Context:
            return Context()

    class Trace:
        def get_current_span(self) -> Span:
            return Span()

    monkeypatch.setattr(logs, "_trace", Trace())
    logging.getLogger("x").info("traced")
    Context.is_valid = False
    logging.getLogger("x").info("not traced")
    traced, untraced = written(lines)
    assert traced["trace_id"] == "0af7651916cd43dd8448eb211c80319c" and "trace_id" not in untraced


def test_below_the_level_nothing_is_written_whatever_a_library_sets_its_logger_to(lines: io.StringIO) -> None:
    chatty = logging.getLogger("faststream")
    chatty.setLevel(logging.DEBUG)
    try:
        chatty.debug("received")
        logging.getLogger("httpx").info("HTTP Request: GET http://costing/inventory-valuation 200")
    finally:
        chatty.setLevel(logging.NOTSET)
    assert lines.getvalue() == ""


def record(name: str, level: int, msg: str, *args: Any) -> logging.LogRecord:
    return logging.LogRecord(name, level, __file__, 1, msg, args, None)


def test_normal_start_conditions_are_info_and_real_errors_stay_errors() -> None:
    now = [0.0]
    normal = logs.NormalConditions(startup_seconds=60, clock=lambda: now[0])
    coordinator = "aiokafka.consumer.group_coordinator"
    starting = record(coordinator, logging.ERROR, "Group Coordinator Request failed: %s", GroupCoordinatorNotAvailableError())
    other = record(coordinator, logging.ERROR, "Group Coordinator Request failed: %s", NodeNotReadyError())
    rebalancing = record(coordinator, logging.WARNING, "Heartbeat failed for group %s because it is rebalancing", "costing")
    no_topics = record("faststream", logging.WARNING, "Auto create topics is disabled. Make sure the topics exist.")
    elsewhere = record("servicekit.inbox", logging.WARNING, "dead-lettering %s", "x")
    for each in (starting, other, rebalancing, no_topics, elsewhere):
        assert normal.filter(each)
    assert [r.levelname for r in (starting, other, rebalancing, no_topics, elsewhere)] == ["INFO", "ERROR", "INFO", "INFO", "WARNING"]
    now[0] = 61  # long after the start, a missing coordinator is the broker's fault
    later = record(coordinator, logging.ERROR, "Group Coordinator Request failed: %s", GroupCoordinatorNotAvailableError())
    normal.filter(later)
    assert later.levelname == "ERROR"


def test_a_periodic_job_logs_only_changes_of_its_outcome_and_warns_once_a_failure_lasts() -> None:
    now = [0.0]
    logger = logging.getLogger("test.periodic")
    seen: list[tuple[str, str]] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append((record.levelname, record.getMessage()))

    logger.addHandler(keep := Keep())
    logger.setLevel(logging.INFO)
    try:
        job = logs.PeriodicOutcome(logger, "reconciliation", patience=30, clock=lambda: now[0])
        for second in range(0, 10, 5):
            now[0] = second
            job.succeeded()
        for second in range(10, 60, 5):  # costing away for 50 s
            now[0] = second
            job.failed(ConnectionError("refused"))
        now[0] = 45
        job.failed(TimeoutError("slow"))
        for second in range(60, 80, 5):
            now[0] = second
            job.succeeded()
    finally:
        logger.removeHandler(keep)
    assert seen == [
        ("INFO", "reconciliation skipped: ConnectionError: refused"),
        ("WARNING", "reconciliation skipped: ConnectionError: refused"),
        ("WARNING", "reconciliation skipped: TimeoutError: slow"),
        ("INFO", "reconciliation works again"),
    ]


def test_one_access_line_per_request_with_status_duration_and_correlation_id(lines: io.StringIO) -> None:
    app = FastAPI()

    @app.get("/items/{item_no}/quantity-on-hand")
    async def quantity(item_no: str) -> dict[str, str]:
        return {"item_no": item_no}

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {}

    app.add_middleware(logs.AccessLog)
    app.add_middleware(CorrelationMiddleware)
    given = str(uuid.uuid4())
    with TestClient(app) as client:
        assert client.get("/items/1000/quantity-on-hand", headers={"X-Correlation-ID": given}).status_code == 200
        assert client.get("/nowhere").status_code == 404
        assert client.get("/healthz").status_code == 200  # a probe: at DEBUG, below the level
        assert client.get("/items/1/quantity-on-hand", headers=logs.periodic_job_headers("reconciliation")).status_code == 200
    found, missing = [line for line in written(lines) if line["logger"] == logs.ACCESS_LOGGER]
    assert (found["method"], found["path"], found["status"], found["correlation_id"], found["item_no"]) == (
        "GET", "/items/1000/quantity-on-hand", 200, given, "1000")
    assert isinstance(found["duration_ms"], float) and found["duration_ms"] >= 0
    assert (missing["path"], missing["status"]) == ("/nowhere", 404) and uuid.UUID(missing["correlation_id"])


def test_the_log_level_is_a_setting_and_an_unknown_one_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LOG_LEVEL", raising=False)
    assert ServiceSettings(**common_settings("costing", 8003)).log_level == "INFO"
    monkeypatch.setenv("LOG_LEVEL", "debug")
    assert ServiceSettings(**common_settings("costing", 8003)).log_level == "DEBUG"
    monkeypatch.setenv("LOG_LEVEL", "LOUD")
    with pytest.raises(ValueError, match="LOG_LEVEL=LOUD"):
        ServiceSettings(**common_settings("costing", 8003))
