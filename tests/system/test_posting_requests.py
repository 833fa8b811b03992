"""Postings by event: another system publishes posting requests on warehouse.posting-requests.v1 and learns each
result on warehouse.posting-replies.v1, exactly once, as the HTTP API would have answered, also through a kill."""

import json
import time
import uuid
from collections import Counter
from datetime import UTC, datetime
from typing import Any

import pytest

from inventory_contracts.topics import WAREHOUSE_POSTING_REPLIES, WAREHOUSE_POSTING_REQUESTS
from support import System, unique, wait_until

pytestmark = pytest.mark.system


def request(request_id: str, operation: str, body: dict[str, Any], *, event_id: str | None = None) -> bytes:
    return json.dumps({
        "event_id": event_id or str(uuid.uuid4()), "type": "warehouse.posting-requested", "version": 1,
        "occurred_at": datetime.now(UTC).isoformat(), "producer": "sales", "key": request_id,
        "correlation_id": str(uuid.uuid4()), "causation_id": None,
        "payload": {"request_id": request_id, "operation": operation, "body": body, "requested_by": "sales"},
    }).encode()


def journal(document_no: str, item_no: str, entry_type: str, quantity: str, **extra: str) -> dict[str, Any]:
    line = {"item_no": item_no, "entry_type": entry_type, "quantity": quantity, "posting_date": "2026-03-02",
            "location_code": "MAIN", **extra}
    return {"document_no": document_no, "lines": [line]}


def answers(system: System, key: str) -> list[dict[str, Any]]:
    return [json.loads(r.value)["payload"] for r in system.records(WAREHOUSE_POSTING_REPLIES, key=key)]


def answered(system: System, key: str, count: int = 1) -> list[dict[str, Any]]:
    return wait_until(lambda: (found := answers(system, key)) and len(found) >= count and found,
                      timeout=60, what=f"{count} answer(s) to {key}")


def test_a_request_posts_once_and_its_answer_names_the_entries_a_repeat_gets_the_same_answer(system: System) -> None:
    item = system.create_item(unique("PRQ"))["item_no"]
    key = unique("RQ")
    body = journal(key, item, "Purchase", "5", unit_cost="4.00")
    system.publish(WAREHOUSE_POSTING_REQUESTS, [(key.encode(), request(key, "/item-journal", body))])
    (first,) = answered(system, key)
    assert first["outcome"] == "posted" and first["status"] == 201 and first["request_id"] == key, first["problem"]
    entry_nos = [e["entry_no"] for e in first["result"]["entries"]]
    assert [e["entry_no"] for e in system.item_ledger_entries(item)] == entry_nos

    system.publish(WAREHOUSE_POSTING_REQUESTS, [(key.encode(), request(key, "/item-journal", body))])
    first_again, second = answered(system, key, 2)
    assert first_again == first
    assert second["outcome"] == "posted" and [e["entry_no"] for e in second["result"]["entries"]] == entry_nos
    assert len(system.item_ledger_entries(item)) == 1, "the repeat posted nothing"

    http = system.post(key, body["lines"], idempotency_key=key)
    assert http.status_code == 201 and http.headers.get("Idempotent-Replayed") == "true", "one key for both ways in"


def test_a_refused_request_is_answered_with_the_problem_the_http_api_gives(system: System) -> None:
    item = system.create_item(unique("PRQ"), prevent_negative_inventory="Yes")["item_no"]
    key = unique("RQ")
    body = journal(key, item, "Sale", "3")
    system.publish(WAREHOUSE_POSTING_REQUESTS, [(key.encode(), request(key, "/item-journal", body))])
    (answer,) = answered(system, key)
    http = system.post(f"{key}H", body["lines"])
    assert answer["outcome"] == "refused" and answer["status"] == http.status_code and 400 <= http.status_code < 500
    assert answer["problem"]["type"] == http.json()["type"]
    assert answer["result"] is None and system.item_ledger_entries(item) == []

    schema_key = unique("RQ")
    system.publish(WAREHOUSE_POSTING_REQUESTS, [(schema_key.encode(), request(schema_key, "/item-journal", {"lines": "x"}))])
    (invalid,) = answered(system, schema_key)
    assert invalid["outcome"] == "refused" and invalid["status"] == 422 and invalid["problem"]["status"] == 422

    elsewhere = unique("RQ")
    system.publish(WAREHOUSE_POSTING_REQUESTS, [(elsewhere.encode(), request(elsewhere, "/inventory-setup", {}))])
    (not_a_posting,) = answered(system, elsewhere)
    assert not_a_posting["outcome"] == "refused" and not_a_posting["status"] in (403, 404, 405)


def test_a_malformed_request_is_answered_never_silent(system: System) -> None:
    garbage, unreadable_operation = unique("RQ"), unique("RQ")
    system.publish(WAREHOUSE_POSTING_REQUESTS, [
        (garbage.encode(), b"\xff not json"),
        (unreadable_operation.encode(), request(unreadable_operation, "http://elsewhere/item-journal", {})),
    ])
    (first,) = answered(system, garbage)
    assert first["outcome"] == "refused" and first["status"] == 400 and first["request_id"] is None
    assert first["problem"]["type"] == "/problems/malformed-request"
    assert first["request_partition"] is not None and first["request_offset"] is not None
    (second,) = answered(system, unreadable_operation)
    assert second["request_id"] == unreadable_operation and second["problem"]["type"] == "/problems/malformed-request"


def test_requests_through_a_warehouse_kill_are_posted_and_answered_exactly_once(system: System) -> None:
    items = [system.create_item(unique("PRK"))["item_no"] for _ in range(4)]
    run = unique("K")
    keys = [f"{run}-{i:03d}" for i in range(120)]
    messages = [(key.encode(), request(key, "/item-journal", journal(key, items[i % 4], "Purchase", "1", unit_cost="2.00")))
                for i, key in enumerate(keys)]

    # A third of the requests reach a running warehouse, a third arrive while it is killed (SIGKILL, in the middle of
    # applying what it has), and the rest after it started again.
    for start in range(0, len(messages), 10):
        if start == 40:
            system.stack.kill_service("warehouse")
        if start == 80:
            system.stack.start_service("warehouse")
        system.publish(WAREHOUSE_POSTING_REQUESTS, messages[start:start + 10])
        time.sleep(0.05)

    def all_answered() -> dict[str, list[dict[str, Any]]] | None:
        found: dict[str, list[dict[str, Any]]] = {}
        for record in system.records(WAREHOUSE_POSTING_REPLIES):
            payload = json.loads(record.value)["payload"]
            if isinstance(payload.get("request_id"), str) and payload["request_id"].startswith(f"{run}-"):
                found.setdefault(payload["request_id"], []).append(payload)
        return found if len(found) == len(keys) else None

    replies = wait_until(all_answered, timeout=180, what="every request answered")
    assert Counter(len(r) for r in replies.values()) == Counter({1: len(keys)}), "each request answered once"
    assert all(r[0]["outcome"] == "posted" for r in replies.values())
    entries = [e for item in items for e in system.item_ledger_entries(item) if e["document_no"].startswith(f"{run}-")]
    assert sorted(e["document_no"] for e in entries) == sorted(keys), "each request posted once"
    assert {e["entry_no"] for e in entries} == {r[0]["result"]["entries"][0]["entry_no"] for r in replies.values()}
