"""One posting can be followed across the services by its correlation id: the request's, answered in the
response and carried by every event it causes, from the warehouse's item entry through costing's value
entries to the ledger's G/L entries."""

import json
import uuid
from typing import Any

import pytest

from inventory_contracts.topics import COSTING_VALUE_ENTRIES, LEDGER_GL_ENTRIES, WAREHOUSE_ITEM_ENTRIES
from support import System, unique, wait_until

pytestmark = pytest.mark.system


def receipt(system: System, item_no: str, headers: dict[str, str]) -> tuple[str, list[int]]:
    """Post a purchase receipt; the correlation id answered and the item entry nos posted."""
    body = {"document_no": unique("CORR"), "lines": [{
        "item_no": item_no, "entry_type": "Purchase", "quantity": "3", "unit_cost": "7.00",
        "posting_date": "2026-01-05", "location_code": "MAIN",
    }]}
    response = system.http.post(system.url("warehouse", "/purchase-receipts"), json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.headers["X-Correlation-ID"], [entry["entry_no"] for entry in response.json()["entries"]]


def events(system: System, topic: str, item_no: str) -> list[dict[str, Any]]:
    return [json.loads(record.value) for record in system.records(topic, key=item_no)]


def posting_events(system: System, item_no: str, entry_nos: list[int]) -> dict[str, list[dict[str, Any]]]:
    """The events of one posting, hop by hop: its item entries, their value entries, and the G/L entries of those."""
    item_entries = [e for e in events(system, WAREHOUSE_ITEM_ENTRIES, item_no)
                    if e["type"] == "warehouse.item-entry-posted" and e["payload"]["entry_no"] in entry_nos]
    value_entries = [e for e in events(system, COSTING_VALUE_ENTRIES, item_no)
                     if any(v["item_ledger_entry_no"] in entry_nos for v in e["payload"]["value_entries"])]
    value_entry_nos = {v["entry_no"] for e in value_entries for v in e["payload"]["value_entries"]}
    gl_entries = [e for e in events(system, LEDGER_GL_ENTRIES, item_no)
                  if any(g["value_entry_no"] in value_entry_nos for g in e["payload"]["gl_entries"])]
    return {"item entries": item_entries, "value entries": value_entries, "G/L entries": gl_entries}


def assert_carried(system: System, item_no: str, entry_nos: list[int], correlation_id: str) -> None:
    def every_hop_posted() -> Any:
        found = posting_events(system, item_no, entry_nos)
        return all(found.values()) and found

    found = wait_until(every_hop_posted, timeout=60, what=f"the events of the posting of {item_no} on every topic")
    carried = {hop: [e["correlation_id"] for e in hop_events] for hop, hop_events in found.items()}
    assert carried == {hop: [correlation_id] * len(hop_events) for hop, hop_events in found.items()}, (
        f"the correlation id {correlation_id} was dropped at: "
        + ", ".join(hop for hop, ids in carried.items() if set(ids) != {correlation_id})
    )


def test_a_posting_carries_the_requests_correlation_id_to_the_ledger(system: System) -> None:
    item_no = system.create_item()["item_no"]
    given = str(uuid.uuid4())
    answered, entry_nos = receipt(system, item_no, {"X-Correlation-ID": given})
    assert answered == given
    assert_carried(system, item_no, entry_nos, given)


def test_a_posting_without_one_takes_the_trace_id_or_a_new_id_that_every_event_carries(system: System) -> None:
    item_no = system.create_item()["item_no"]
    trace_id = uuid.uuid4().hex
    answered, entry_nos = receipt(system, item_no, {"traceparent": f"00-{trace_id}-b7ad6b7169203331-01"})
    assert answered == str(uuid.UUID(trace_id))
    assert_carried(system, item_no, entry_nos, answered)
    other, more = receipt(system, item_no, {})
    assert other != answered
    assert_carried(system, item_no, more, other)
