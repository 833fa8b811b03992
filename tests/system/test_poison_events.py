"""Events that cannot be parsed, dead letters too big for the broker, outbox rows it refuses, and repeated business events."""

import json
import uuid
from decimal import Decimal
from typing import Any

import pytest

from inventory_contracts import ITEM_ENTRY_INVOICED_V1, ITEM_ENTRY_POSTED_V1
from support import System, consumers_of, unique, wait_until

pytestmark = pytest.mark.system

DAY = "2026-03-02"


def purchase(item_no: str, quantity: str = "2", unit_cost: str = "7.50") -> dict[str, Any]:
    return {"item_no": item_no, "entry_type": "Purchase", "quantity": quantity, "unit_cost": unit_cost,
            "posting_date": DAY, "location_code": "MAIN"}


def consumed(system: System, service: str, topic: str, outcome: str) -> float:
    """A service's inventory_events_consumed_total for one topic and outcome."""
    text = system.http.get(system.url(service, "/metrics")).text
    for line in text.splitlines():
        if line.startswith("inventory_events_consumed_total{") and f'outcome="{outcome}"' in line and f'topic="{topic}"' in line:
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_unparseable_events_of_any_depth_encoding_or_size_are_dead_lettered_and_the_partition_moves_on(system: System) -> None:
    topic = "catalog.items.v1"
    marker = unique("POISON")
    poison = {
        "deep": b"[" * 100_000 + b"]" * 100_000,
        "not utf-8": b'{"type": "catalog.item-upserted", "payload": "\xff\xfe\xfa"}',
        "0.9 MiB": json.dumps({"type": "catalog.item-upserted", "version": 1, "padding": "x" * (900 * 1024)}).encode(),
        "just under 1 MiB": json.dumps({"padding": "y" * (1024 * 1024 - 9 * 1024)}).encode(),
    }
    system.publish(topic, [(marker.encode(), value) for value in poison.values()])

    # An item created afterwards, with the same key so on the same partition, still reaches every service.
    item = system.create_item(marker)["item_no"]
    assert system.post(unique("D"), [purchase(item)]).status_code == 201
    system.wait_quiet()
    (value_entry,) = system.value_entries(item)
    assert value_entry["cost_amount_actual"] == "15.00"
    assert len(system.gl_entries(value_entry_no=value_entry["entry_no"])) == 2

    # Found by their key, which no other test uses: records come in partition order, not in the order written.
    letters = [r for r in system.dead_letters(f"{topic}.dlq") if r.key == marker.encode()]
    groups = sorted(system.topic(service) for service in consumers_of(topic))
    assert len(letters) == len(poison) * len(groups)
    by_group: dict[str, list[Any]] = {}
    for record in letters:
        headers = {k: v.decode() for k, v in record.headers}
        by_group.setdefault(headers["dlq-consumer-group"], []).append((record, headers))
    assert sorted(by_group) == groups
    for records in by_group.values():
        (deep, _), (not_utf8, _), (large, large_headers), (largest, largest_headers) = records
        assert "nested too deeply" in dict((k, v.decode()) for k, v in deep.headers)["dlq-reason"]
        assert not_utf8.value == poison["not utf-8"]
        for record, headers in ((large, large_headers), (largest, largest_headers)):
            # Too big to dead-letter whole: shortened to what identifies it.
            assert headers["dlq-shortened"] == "true"
            assert headers["dlq-origin-topic"] == topic and int(headers["dlq-origin-offset"]) >= 0
            summary = json.loads(record.value)
            assert summary["original_sha256"] == headers["dlq-original-sha256"]
            assert summary["reason"] and summary["origin_topic"] == topic
        import hashlib

        assert json.loads(largest.value)["original_sha256"] == hashlib.sha256(poison["just under 1 MiB"]).hexdigest()


def test_an_outbox_row_the_broker_refuses_is_set_aside_and_the_relay_goes_on(system: System) -> None:
    marker = unique("HUGE")
    system.sql("warehouse", "INSERT INTO outbox (topic, key, value, headers) VALUES ($1, $2, $3, '{}')",
               "warehouse.item-entries.v1", marker, b"z" * (2 * 1024 * 1024))
    wait_until(lambda: system.sql("warehouse", "SELECT 1 FROM outbox_failed WHERE key = $1", marker),
               what="the oversize row in outbox_failed")
    (failed,) = system.sql("warehouse", "SELECT error FROM outbox_failed WHERE key = $1", marker)
    assert "MessageSizeTooLarge" in failed["error"] or "TooLarge" in failed["error"]
    assert not system.sql("warehouse", "SELECT 1 FROM outbox WHERE key = $1", marker)
    metrics = system.http.get(system.url("warehouse", "/metrics")).text
    assert "inventory_outbox_failed_total{" in metrics

    item = system.create_item()["item_no"]
    assert system.post(unique("D"), [purchase(item)]).status_code == 201
    system.wait_quiet()
    assert len(system.value_entries(item)) == 1


def test_an_item_entry_repeated_under_new_event_ids_is_skipped_as_a_duplicate(system: System) -> None:
    topic = ITEM_ENTRY_POSTED_V1.topic
    item = system.create_item()["item_no"]
    assert system.post(unique("D"), [purchase(item, "5", "2.00")]).status_code == 201
    system.wait_quiet()
    (value_entry,) = system.value_entries(item)
    (record,) = system.records(topic, key=item)
    dead_letters = system.dead_letter_counts()
    duplicates = consumed(system, "costing", topic, "duplicate")

    event = json.loads(record.value)
    repeats = []
    for _ in range(2):
        event["event_id"] = str(uuid.uuid4())
        repeats.append((record.key, json.dumps(event).encode()))
    system.publish(topic, repeats)
    system.wait_quiet()

    assert system.value_entries(item) == [value_entry]
    assert len(system.gl_entries(value_entry_no=value_entry["entry_no"])) == 2
    assert system.dead_letter_counts() == dead_letters
    assert consumed(system, "costing", topic, "duplicate") == duplicates + 2


def test_an_invoice_line_repeated_under_new_event_ids_is_invoiced_once(system: System) -> None:
    topic = ITEM_ENTRY_INVOICED_V1.topic
    item = system.create_item()["item_no"]
    receipt = system.http.post(system.url("warehouse", "/purchase-receipts"), json={"document_no": unique("R"), "lines": [
        {**purchase(item, "10", "5.00"), "line_no": 10000}]})
    assert receipt.status_code == 201, receipt.text
    (entry,) = receipt.json()["entries"]
    invoice = system.http.post(system.url("warehouse", "/purchase-invoices"), json={
        "document_no": unique("PI"), "posting_date": DAY, "lines": [{"entry_no": entry["entry_no"], "quantity": "4", "unit_cost": "6.00"}]})
    assert invoice.status_code == 201, invoice.text
    system.wait_quiet()
    value_entries = system.value_entries(item)
    (record,) = [r for r in system.records(topic, key=item) if json.loads(r.value)["type"] == ITEM_ENTRY_INVOICED_V1.type]
    dead_letters = system.dead_letter_counts()
    duplicates = consumed(system, "costing", topic, "duplicate")

    event = json.loads(record.value)
    assert event["payload"]["invoice_entry_no"] is not None
    repeats = []
    for _ in range(2):
        event["event_id"] = str(uuid.uuid4())
        repeats.append((record.key, json.dumps(event).encode()))
    system.publish(topic, repeats)
    system.wait_quiet()

    # Invoiced once: 6 of the 10 still at expected cost 5.00, 4 at actual cost 6.00.
    assert system.value_entries(item) == value_entries
    assert sum(Decimal(v["cost_amount_expected"]) for v in value_entries) == Decimal("30.00")
    assert sum(Decimal(v["cost_amount_actual"]) for v in value_entries) == Decimal("24.00")
    assert system.dead_letter_counts() == dead_letters
    assert consumed(system, "costing", topic, "duplicate") == duplicates + 2


def test_value_entries_repeated_under_a_new_event_id_are_skipped_by_the_ledger(system: System) -> None:
    topic = "costing.value-entries.v1"
    item = system.create_item()["item_no"]
    assert system.post(unique("D"), [purchase(item, "3", "4.00")]).status_code == 201
    system.wait_quiet()
    (value_entry,) = system.value_entries(item)
    (record,) = system.records(topic, key=item)
    dead_letters = system.dead_letter_counts()
    duplicates = consumed(system, "ledger", topic, "duplicate")

    event = json.loads(record.value)
    event["event_id"] = str(uuid.uuid4())
    system.publish(topic, [(record.key, json.dumps(event).encode())])
    system.wait_quiet()

    assert len(system.gl_entries(value_entry_no=value_entry["entry_no"])) == 2
    assert system.dead_letter_counts() == dead_letters
    assert consumed(system, "ledger", topic, "duplicate") == duplicates + 1
