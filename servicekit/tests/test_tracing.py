"""The trace context from a request or consumed event to the outbox rows it causes and the messages the relay sends."""

import uuid
from collections.abc import Iterator

import pytest
from aiokafka import ConsumerRecord
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from servicekit import tracing


@pytest.fixture
def exported(monkeypatch: pytest.MonkeyPatch) -> Iterator[InMemorySpanExporter]:
    """servicekit's spans recorded in memory (the process's global provider is left alone)."""
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    monkeypatch.setattr(tracing, "_tracer", provider.get_tracer("test"))
    monkeypatch.setattr(tracing, "_exporting", True)
    yield exporter
    provider.shutdown()


def traceparent(trace_id: str, span_id: str) -> str:
    return f"00-{trace_id}-{span_id}-01"


def record(offset: int, parent: str | None) -> ConsumerRecord[bytes, bytes]:
    headers = [("content-type", b"application/json")] + ([("traceparent", parent.encode())] if parent else [])
    return ConsumerRecord("warehouse.item-entries.v1", 2, offset, 0, 0, b"1000", b"{}", None, 4, 2, headers)


def parts(value: str | None) -> tuple[str, str]:
    assert value is not None
    _, trace_id, span_id, _ = value.split("-")
    return trace_id, span_id


def test_an_outbox_row_takes_the_current_span(exported: InMemorySpanExporter) -> None:
    assert tracing.outbox_context() == (None, None)
    with tracing._tracer.start_as_current_span("POST /item-journal") as span:
        row_context = tracing.outbox_context()
    context = span.get_span_context()
    assert parts(row_context[0]) == (format(context.trace_id, "032x"), format(context.span_id, "016x"))


def test_the_relay_sends_a_row_in_a_child_of_its_stored_context_replacing_a_carried_one(exported: InMemorySpanExporter) -> None:
    stored = traceparent("ab" * 16, "cd" * 8)
    span = tracing.start_send("costing.value-entries.v1", "1000", stored, None)
    carried = {"content-type": "application/json", "traceparent": traceparent("ef" * 16, "01" * 8), "tracestate": "old=1",
               "dlq-reason": "x"}
    headers = tracing.message_headers(span, carried, (stored, None))
    tracing.end(span)
    [sent] = exported.get_finished_spans()
    assert sent.kind == trace.SpanKind.PRODUCER and sent.name == "send costing.value-entries.v1"
    assert sent.parent is not None and format(sent.parent.span_id, "016x") == "cd" * 8
    assert parts(headers["traceparent"]) == ("ab" * 16, format(sent.context.span_id, "016x"))
    assert "tracestate" not in headers and headers["dlq-reason"] == "x"


def test_each_event_of_a_batch_writes_into_its_own_trace(exported: InMemorySpanExporter) -> None:
    first, second = uuid.uuid4(), uuid.uuid4()
    spans = tracing.ConsumerSpans("warehouse.item-entries.v1", "costing", [
        (record(1, traceparent("11" * 16, "aa" * 8)), first), (record(2, traceparent("22" * 16, "bb" * 8)), second)])
    with spans.applying([first, second]):
        caused = {event: tracing.outbox_context(event) for event in (first, second)}
        assert tracing.outbox_context() == (None, None)  # two traces: neither is the current one
    spans.end()
    process = {format(s.context.trace_id, "032x"): s for s in exported.get_finished_spans()}
    assert set(process) == {"11" * 16, "22" * 16}
    assert all(s.kind == trace.SpanKind.CONSUMER and s.name == "process warehouse.item-entries.v1" for s in process.values())
    assert format(process["11" * 16].parent.span_id, "016x") == "aa" * 8  # type: ignore[union-attr]
    assert parts(caused[first][0]) == ("11" * 16, format(process["11" * 16].context.span_id, "016x"))
    assert parts(caused[second][0]) == ("22" * 16, format(process["22" * 16].context.span_id, "016x"))


def test_a_batch_of_one_trace_is_applied_in_its_span(exported: InMemorySpanExporter) -> None:
    first, second = uuid.uuid4(), uuid.uuid4()
    spans = tracing.ConsumerSpans("warehouse.item-entries.v1", "costing", [
        (record(1, traceparent("11" * 16, "aa" * 8)), first), (record(2, traceparent("11" * 16, "bb" * 8)), second)])
    with spans.applying([first, second]):
        current = tracing.outbox_context()
    spans.end()
    [process] = exported.get_finished_spans()
    assert parts(current[0]) == ("11" * 16, format(process.context.span_id, "016x"))
    assert [format(link.context.span_id, "016x") for link in process.links] == ["bb" * 8]


def test_without_an_exporter_a_message_passes_its_context_on() -> None:
    assert not tracing._exporting
    incoming, other = traceparent("33" * 16, "cc" * 8), traceparent("44" * 16, "dd" * 8)
    event, uncaused = uuid.uuid4(), uuid.uuid4()
    spans = tracing.ConsumerSpans("warehouse.item-entries.v1", "costing", [(record(1, incoming), event)])
    with spans.applying([event]):
        assert tracing.outbox_context(event) == tracing.outbox_context() == (incoming, None)
    spans = tracing.ConsumerSpans("warehouse.item-entries.v1", "costing", [(record(1, incoming), event), (record(2, other), uncaused)])
    with spans.applying([event, uncaused]):
        assert tracing.outbox_context(event) == (incoming, None) and tracing.outbox_context() == (None, None)
    assert tracing.outbox_context(event) == (None, None)
    span = tracing.start_send("costing.value-entries.v1", None, incoming, None)
    assert span is None
    assert tracing.message_headers(span, {"traceparent": other, "tracestate": "old=1"}, (incoming, None)) == {"traceparent": incoming}
    assert tracing.message_headers(span, {"traceparent": other}, (None, None)) == {"traceparent": other}


@pytest.mark.parametrize(("settings", "exporter"), [
    ({}, None),
    ({"exporter_otlp_endpoint": "http://127.0.0.1:4318"}, "OTLPSpanExporter"),
    ({"exporter_otlp_traces_endpoint": "http://127.0.0.1:4318/v1/traces"}, "OTLPSpanExporter"),
    ({"exporter_otlp_endpoint": "http://127.0.0.1:4318", "traces_exporter": "none"}, None),
    ({"exporter_otlp_endpoint": "http://127.0.0.1:4318", "sdk_disabled": True}, None),
    ({"traces_exporter": "console"}, "ConsoleSpanExporter"),
])
def test_spans_are_exported_only_where_an_exporter_is_configured(
    settings: dict[str, object], exporter: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in tracing.TracingSettings.model_fields:
        monkeypatch.delenv(f"OTEL_{name.upper()}", raising=False)
    chosen = tracing._exporter(tracing.TracingSettings(**settings))  # type: ignore[arg-type]
    assert (type(chosen).__name__ if chosen is not None else None) == exporter
