"""One posting is one trace: the warehouse's request, its outbox row's publication, costing's consumer and its own
publication, the ledger's consumer (and the catalog's), as the services export it over OTLP/HTTP to a receiver."""

import secrets
from dataclasses import dataclass
from typing import Any

import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.proto.trace.v1.trace_pb2 import Span as OtlpSpan

from support import System, unique, wait_until

pytestmark = pytest.mark.system

SERVER, CLIENT, PRODUCER, CONSUMER = (OtlpSpan.SPAN_KIND_SERVER, OtlpSpan.SPAN_KIND_CLIENT, OtlpSpan.SPAN_KIND_PRODUCER,
                                      OtlpSpan.SPAN_KIND_CONSUMER)


@dataclass(frozen=True)
class Span:
    service: str
    trace_id: str
    span_id: str
    parent_id: str
    name: str
    kind: int


def received(receiver: Any, trace_id: str) -> dict[str, Span]:
    """The spans of `trace_id` the services have exported so far, by span id."""
    spans: dict[str, Span] = {}
    for body in list(receiver.bodies):
        for resource_spans in ExportTraceServiceRequest.FromString(body).resource_spans:
            service = next(a.value.string_value for a in resource_spans.resource.attributes if a.key == "service.name")
            for scope_spans in resource_spans.scope_spans:
                for span in scope_spans.spans:
                    if span.trace_id.hex() == trace_id:
                        spans[span.span_id.hex()] = Span(service, trace_id, span.span_id.hex(), span.parent_span_id.hex(),
                                                         span.name, span.kind)
    return spans


def ancestry(spans: dict[str, Span], span: Span) -> list[Span]:
    """`span` and its parents, up to the first whose parent was not exported (the caller's)."""
    chain = [span]
    while chain[-1].parent_id in spans:
        chain.append(spans[chain[-1].parent_id])
    return chain


def test_one_posting_is_one_trace_from_the_request_to_the_ledger(system: System, trace_receiver: Any) -> None:
    item_no = system.create_item(costing_method="FIFO")["item_no"]
    # The caller's own trace: the warehouse's server span continues it.
    trace_id, caller_span = secrets.token_hex(16), secrets.token_hex(8)
    response = system.http.post(
        system.url("warehouse", "/item-journal"),
        json={"document_no": unique("TRACE"), "lines": [{
            "item_no": item_no, "entry_type": "Purchase", "quantity": "4", "unit_cost": "2.50",
            "posting_date": "2026-02-03", "location_code": "MAIN"}]},
        headers={"traceparent": f"00-{trace_id}-{caller_span}-01"},
    )
    assert response.status_code == 201, response.text

    def reached_the_ledger() -> tuple[dict[str, Span], Span] | None:
        spans = received(trace_receiver, trace_id)
        ledger = [s for s in spans.values() if s.service == "ledger" and s.kind == CONSUMER
                  and s.name.endswith("costing.value-entries.v1")]
        return (spans, ledger[0]) if ledger else None

    spans, ledger_process = wait_until(reached_the_ledger, what="the ledger's span of the posting's trace")
    chain = ancestry(spans, ledger_process)
    hops = [(s.service, s.kind, s.name.split(" ")[0]) for s in chain]
    assert hops == [
        ("ledger", CONSUMER, "process"),
        ("costing", PRODUCER, "send"),
        ("costing", CONSUMER, "process"),
        ("warehouse", PRODUCER, "send"),
        ("warehouse", SERVER, "POST"),
    ], chain
    assert chain[1].name.endswith("costing.value-entries.v1") and chain[3].name.endswith("warehouse.item-entries.v1")
    assert chain[-1].name == "POST /item-journal" and chain[-1].parent_id == caller_span

    # The catalog's consumer of the warehouse's events is in the same trace, child of the same publication.
    catalog = wait_until(lambda: [s for s in received(trace_receiver, trace_id).values()
                                  if s.service == "catalog" and s.kind == CONSUMER
                                  and s.name.endswith("warehouse.item-entries.v1")], what="the catalog's span")
    assert {s.parent_id for s in catalog} == {chain[3].span_id}
    # Handlers run in their process span: costing's queries for the posting are its children, and so are the warehouse's
    # queries of the request.
    spans = received(trace_receiver, trace_id)
    assert any(s.kind == CLIENT and s.parent_id == chain[2].span_id for s in spans.values())
    assert any(s.kind == CLIENT and s.service == "warehouse" and chain[-1] in ancestry(spans, s) for s in spans.values())
