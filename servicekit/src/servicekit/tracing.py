"""OpenTelemetry traces: one posting followed from the HTTP request through every outbox, Kafka hop and consumer.

The relay publishes in another task, later, so the W3C trace context (`traceparent`, `tracestate`) is
taken when an outbox row is written (from the span of the event that caused it, else the current
span) and stored with the row; the relay's send span is its child and travels in the message's
headers; a consumer's process span is the child of those headers, and what the handler writes to
its outbox carries that span's context in turn.

Tracing is on when an exporter is configured by the standard variables: `OTEL_EXPORTER_OTLP_ENDPOINT`
(or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) with `OTEL_TRACES_EXPORTER` unset or `otlp` (OTLP over
http/protobuf), or `OTEL_TRACES_EXPORTER=console`. Otherwise no tracer provider is set up and no span is
made, but a message's incoming trace context is still passed on, unchanged, to what it causes.
"""

import logging
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any
from uuid import UUID

from aiokafka import ConsumerRecord
from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.sdk.trace.sampling import Decision, ParentBased, Sampler, SamplingResult
from opentelemetry.trace import Span, SpanKind, Status, StatusCode
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
from pydantic_settings import BaseSettings, SettingsConfigDict

log = logging.getLogger(__name__)

TRACE_HEADERS = ("traceparent", "tracestate")
_W3C = TraceContextTextMapPropagator()
_tracer = trace.get_tracer("servicekit")
_provider: Any = None
# Without an exporter no span is made: a message's trace context is passed on as it came, at the cost of a lookup.
_exporting = False

TraceContext = tuple[str | None, str | None]
"""(traceparent, tracestate) as stored with an outbox row."""
_NONE: TraceContext = (None, None)
# The trace context of each event being applied, by event id: outbox rows name their cause (causation id),
# so a batch handler applying events of many traces still writes each row into its cause's trace.
_causes: ContextVar[Mapping[UUID, TraceContext]] = ContextVar("trace_causes", default={})
# The context a batch of one trace passes on when no span is current (nothing exported).
_passed_on: ContextVar[TraceContext] = ContextVar("trace_passed_on", default=_NONE)


class TracingSettings(BaseSettings):
    """The standard OpenTelemetry variables this module decides by; the SDK reads the rest itself
    (`OTEL_BSP_*`, `OTEL_EXPORTER_OTLP_HEADERS`, `OTEL_RESOURCE_ATTRIBUTES`, ...)."""

    model_config = SettingsConfigDict(env_prefix="OTEL_", extra="ignore")

    sdk_disabled: bool = False
    traces_exporter: str = "otlp"
    exporter_otlp_endpoint: str = ""
    exporter_otlp_traces_endpoint: str = ""
    service_name: str = ""


def configure(service: str, settings: TracingSettings | None = None) -> bool:
    """Install the tracer provider, its exporter and the asyncpg instrumentation, once per process.

    Returns whether spans are exported. Root spans of database queries (the relay's polling, periodic
    jobs) are not sampled: alone, outside any request or event, they would each be a trace of one span.
    """
    global _provider, _exporting
    if _provider is not None:
        return True
    settings = settings or TracingSettings()
    exporter = _exporter(settings)
    if exporter is None:
        return False
    from opentelemetry.instrumentation.asyncpg import AsyncPGInstrumentor
    from opentelemetry.sdk.resources import SERVICE_NAME, Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    provider = TracerProvider(
        resource=Resource.create({SERVICE_NAME: settings.service_name or service}),
        sampler=ParentBased(root=_EntrySampler()),
    )
    provider.add_span_processor(BatchSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    AsyncPGInstrumentor().instrument()  # type: ignore[no-untyped-call]
    _provider, _exporting = provider, True
    log.info("exporting traces (%s)", type(exporter).__name__)
    return True


def instrument_app(app: Any) -> None:
    """Server spans for the app's requests (taking the caller's `traceparent`), when spans are exported."""
    if _provider is None:
        return
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

    # Probes and scrapes would be most of the traces; receive/send spans per ASGI message add nothing here.
    FastAPIInstrumentor.instrument_app(app, excluded_urls="/healthz,/readyz,/metrics", exclude_spans=["receive", "send"])


def shutdown() -> None:
    """Export what is still queued."""
    if _provider is not None:
        _provider.force_flush(timeout_millis=5000)


def _exporter(settings: TracingSettings) -> Any:
    if settings.sdk_disabled:
        return None
    chosen = {name.strip().lower() for name in settings.traces_exporter.split(",")} - {""}
    if "console" in chosen:
        from opentelemetry.sdk.trace.export import ConsoleSpanExporter

        return ConsoleSpanExporter()
    if "otlp" in chosen and (settings.exporter_otlp_traces_endpoint or settings.exporter_otlp_endpoint):
        # http/protobuf; the exporter reads the endpoint (appending /v1/traces), headers and timeout itself.
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        return OTLPSpanExporter()
    return None


class _EntrySampler(Sampler):
    """Samples a trace that starts where work enters a service (a request, a message); drops lone client spans."""

    def should_sample(self, parent_context: Any, trace_id: int, name: str, kind: SpanKind | None = None,
                      attributes: Any = None, links: Any = None, trace_state: Any = None) -> SamplingResult:
        entry = kind in (SpanKind.SERVER, SpanKind.CONSUMER, SpanKind.PRODUCER)
        return SamplingResult(Decision.RECORD_AND_SAMPLE if entry else Decision.DROP, attributes, trace_state)

    def get_description(self) -> str:
        return "EntrySampler"


def outbox_context(cause: UUID | None = None) -> TraceContext:
    """The trace context to store with an outbox row: its cause's, if that event is being applied, else the current span's."""
    if cause is not None and (caused := _causes.get().get(cause)) is not None:
        return caused
    if not _exporting:
        return _passed_on.get()
    return _carrier(otel_context.get_current())


def _carrier(context: Context) -> TraceContext:
    carrier: dict[str, str] = {}
    _W3C.inject(carrier, context=context)
    return carrier.get("traceparent"), carrier.get("tracestate")


def start_send(topic: str, key: str | None, traceparent: str | None, tracestate: str | None) -> Span | None:
    """The producer span of publishing one outbox row, child of the context stored with it (none when not exporting)."""
    if not _exporting:
        return None
    parent = _W3C.extract({"traceparent": traceparent, "tracestate": tracestate or ""}) if traceparent else Context()
    attributes = {"messaging.system": "kafka", "messaging.operation.type": "send", "messaging.operation.name": "send",
                  "messaging.destination.name": topic}
    if key is not None:
        attributes["messaging.kafka.message.key"] = key
    return _tracer.start_span(f"send {topic}", context=parent, kind=SpanKind.PRODUCER, attributes=attributes)


def message_headers(span: Span | None, headers: Mapping[str, str], stored: TraceContext) -> dict[str, str]:
    """`headers` carrying the send span's trace context, or the row's stored one when nothing is exported, in place
    of any they carried (a dead letter carries its original's)."""
    sent = dict(headers)
    if span is not None and span.get_span_context().is_valid:
        stored = _carrier(trace.set_span_in_context(span))
    traceparent, tracestate = stored
    if traceparent:
        sent.pop("tracestate", None)
        sent["traceparent"] = traceparent
        if tracestate:
            sent["tracestate"] = tracestate
    return sent


def end(span: Span | None, error: BaseException | None = None) -> None:
    if span is None:
        return
    if error is not None:
        span.record_exception(error)
        span.set_status(Status(StatusCode.ERROR, f"{type(error).__name__}: {error}"))
    span.end()


class ConsumerSpans:
    """The process spans of one batch: one per trace its messages belong to, child of the first such message's context
    (linked to the others). While the batch is applied, each event's span is what rows it causes are written into.
    When nothing is exported there are no spans, and each event passes on the context it came with."""

    def __init__(self, topic: str, group: str, messages: Sequence[tuple[ConsumerRecord[Any, Any], UUID]]) -> None:
        self._spans: list[Span] = []
        self._contexts: dict[UUID, Context] = {}
        self._carriers: dict[UUID, TraceContext] = {}
        by_trace: dict[int, Context] = {}
        for record, event_id in messages:
            incoming = _incoming(record)
            if not _exporting:
                if incoming[0] is not None:
                    self._carriers[event_id] = incoming
                continue
            parent = _W3C.extract({"traceparent": incoming[0] or "", "tracestate": incoming[1] or ""})
            parent_span = trace.get_current_span(parent).get_span_context()
            context = by_trace.get(parent_span.trace_id) if parent_span.is_valid else None
            if context is None:
                span = _tracer.start_span(f"process {topic}", context=parent, kind=SpanKind.CONSUMER, attributes={
                    "messaging.system": "kafka", "messaging.operation.type": "process", "messaging.operation.name": "process",
                    "messaging.destination.name": topic, "messaging.consumer.group.name": group,
                    "messaging.destination.partition.id": str(record.partition), "messaging.kafka.offset": record.offset,
                })
                self._spans.append(span)
                context = trace.set_span_in_context(span)
                if parent_span.is_valid:
                    by_trace[parent_span.trace_id] = context
            else:
                span = trace.get_current_span(context)
                if span.is_recording():
                    span.add_link(parent_span)
            self._contexts[event_id] = context
        carriers = {id(context): _carrier(context) for context in self._contexts.values()}
        self._carriers.update({event_id: carriers[id(context)] for event_id, context in self._contexts.items()})

    @contextmanager
    def applying(self, event_ids: Sequence[UUID]) -> Iterator[None]:
        """The block applies `event_ids`: their spans are their outbox rows' context, and when they share one
        span it is also the current one (the handler's database queries are its children)."""
        mine = {event_id: self._carriers[event_id] for event_id in event_ids if event_id in self._carriers}
        distinct = set(mine.values())
        shared = distinct.pop() if len(distinct) == 1 and len(mine) == len(event_ids) else None
        causes = _causes.set({**_causes.get(), **mine})
        passed_on = _passed_on.set(shared or _NONE)
        current = self._contexts.get(event_ids[0]) if shared is not None and event_ids else None
        token = otel_context.attach(current) if current is not None else None
        try:
            yield
        except BaseException as exc:
            for span in self._spans:
                span.record_exception(exc)
            raise
        finally:
            if token is not None:
                otel_context.detach(token)
            _passed_on.reset(passed_on)
            _causes.reset(causes)

    def end(self, error: BaseException | None = None) -> None:
        for span in self._spans:
            end(span, error)


def _incoming(record: ConsumerRecord[Any, Any]) -> TraceContext:
    traceparent = tracestate = None
    for name, value in record.headers or ():
        if name == "traceparent":
            traceparent = value.decode(errors="replace")
        elif name == "tracestate":
            tracestate = value.decode(errors="replace")
    return traceparent, tracestate
