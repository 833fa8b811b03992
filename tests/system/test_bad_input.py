"""Bad input: a clear problem response and nothing written; poison messages go to the dead-letter topic."""

import asyncio
import json
import uuid
from typing import Any

import pytest
from aiokafka import AIOKafkaProducer

from inventory_contracts import ITEM_ENTRY_POSTED_V1, ITEM_UPSERTED_V1, VALUE_ENTRIES_POSTED_V1, EventSpec, examples
from support import System, consumers_of, unique, wait_until

pytestmark = pytest.mark.system

DAY = "2026-03-02"


def purchase(item_no: str, quantity: str, unit_cost: str = "5.00") -> dict[str, Any]:
    return {"item_no": item_no, "entry_type": "Purchase", "quantity": quantity, "unit_cost": unit_cost,
            "posting_date": DAY, "location_code": "MAIN"}


def sale(item_no: str, quantity: str) -> dict[str, Any]:
    return {"item_no": item_no, "entry_type": "Sale", "quantity": quantity, "posting_date": DAY, "location_code": "MAIN"}


def assert_problem(response: Any, status: int, problem_type: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = dict(response.json())
    assert body["type"] == f"/problems/{problem_type}"
    assert body["status"] == status and body["title"] and body["detail"]
    return body


class TestRefusedPostings:
    def test_unknown_item_is_refused(self, system: System) -> None:
        body = assert_problem(system.post(unique("D"), [purchase("NO-SUCH-ITEM", "1")]), 422, "unknown-item")
        assert "NO-SUCH-ITEM" in body["detail"]

    @pytest.mark.parametrize(
        "card, line_kind, problem_type",
        [
            ({"blocked": True}, "purchase", "item-blocked"),
            ({"blocked": True}, "sale", "item-blocked"),
            ({"sales_blocked": True}, "sale", "item-blocked"),
            ({"purchasing_blocked": True}, "purchase", "item-blocked"),
            ({"type": "Non-Inventory"}, "purchase", "not-an-inventory-item"),
            ({"type": "Service"}, "purchase", "not-an-inventory-item"),
        ],
    )
    def test_item_that_may_not_take_the_posting_is_refused(
        self, system: System, card: dict[str, Any], line_kind: str, problem_type: str
    ) -> None:
        item = system.create_item(**card)["item_no"]
        line = purchase(item, "1") if line_kind == "purchase" else sale(item, "1")
        assert_problem(system.post(unique("D"), [line]), 422, problem_type)
        assert system.item_ledger_entries(item) == []

    def test_sales_blocked_item_can_still_be_purchased(self, system: System) -> None:
        item = system.create_item(sales_blocked=True)["item_no"]
        assert system.post(unique("D"), [purchase(item, "2")]).status_code == 201

    @pytest.mark.parametrize("quantity", ["0", "-3"])
    def test_zero_or_negative_quantity_is_refused(self, system: System, quantity: str) -> None:
        item = system.create_item()["item_no"]
        body = assert_problem(system.post(unique("D"), [purchase(item, quantity)]), 422, "invalid-journal-line")
        assert "positive" in body["detail"]

    def test_sale_beyond_stock_is_refused_when_negative_inventory_is_prevented(self, system: System) -> None:
        item = system.create_item(prevent_negative_inventory="Yes")["item_no"]
        assert system.post(unique("D"), [purchase(item, "4")]).status_code == 201
        body = assert_problem(system.post(unique("D"), [sale(item, "5")]), 409, "insufficient-inventory")
        assert body["on_hand"] == "4.00000"
        assert system.quantity_on_hand(item) == 4

    def test_a_refused_line_writes_nothing_of_its_document(self, system: System) -> None:
        item = system.create_item()["item_no"]
        response = system.post(unique("D"), [purchase(item, "10"), sale(item, "3"), sale(item, "8")])
        assert_problem(response, 409, "insufficient-inventory")
        assert system.item_ledger_entries(item) == []
        system.wait_quiet()
        assert system.value_entries(item) == []

    def test_malformed_request_gets_a_problem_response(self, system: System) -> None:
        response = system.http.post(system.url("warehouse", "/item-journal"), content=b"{not json",
                                    headers={"content-type": "application/json"})
        assert_problem(response, 422, "invalid-request")
        response = system.http.post(system.url("warehouse", "/item-journal"), json={"document_no": "X", "lines": []})
        body = assert_problem(response, 422, "invalid-request")
        assert body["errors"][0]["location"] == ["body", "lines"]

    def test_inbound_line_without_unit_cost_is_refused(self, system: System) -> None:
        item = system.create_item()["item_no"]
        line = purchase(item, "1")
        del line["unit_cost"]
        assert_problem(system.post(unique("D"), [line]), 422, "invalid-journal-line")

    def test_duplicate_item_is_a_conflict(self, system: System) -> None:
        item = system.create_item()
        response = system.http.post(system.url("catalog", "/items"), json={k: v for k, v in item.items() if k != "revision"})
        assert_problem(response, 409, "item-exists")

    def test_unknown_item_card_is_not_found(self, system: System) -> None:
        assert_problem(system.http.get(system.url("catalog", "/items/NOPE")), 404, "item-not-found")


class TestIdempotentPosting:
    def test_a_retried_posting_returns_the_first_result_and_posts_once(self, system: System) -> None:
        item = system.create_item()["item_no"]
        key = str(uuid.uuid4())
        first = system.post("R-IDEM", [purchase(item, "3")], idempotency_key=key)
        again = system.post("R-IDEM", [purchase(item, "3")], idempotency_key=key)
        assert first.status_code == again.status_code == 201
        assert again.json() == first.json()
        assert again.headers["Idempotent-Replayed"] == "true"
        assert len(system.item_ledger_entries(item)) == 1

    def test_a_key_reused_for_another_request_is_refused(self, system: System) -> None:
        item = system.create_item()["item_no"]
        key = str(uuid.uuid4())
        assert system.post("R-A", [purchase(item, "3")], idempotency_key=key).status_code == 201
        assert_problem(system.post("R-B", [purchase(item, "4")], idempotency_key=key), 422, "idempotency-key-reused")


def _poison(spec: EventSpec) -> list[tuple[str, bytes]]:
    good = json.loads(examples(spec))
    unknown_version = {**good, "event_id": str(uuid.uuid4()), "version": 99}
    invalid_payload = {**good, "event_id": str(uuid.uuid4()), "payload": {"item_no": "1000"}}
    return [
        ("not JSON", b"\x00\x01 this is not json"),
        ("unknown version", json.dumps(unknown_version).encode()),
        ("failed validation", json.dumps(invalid_payload).encode()),
    ]


@pytest.mark.parametrize("spec", [ITEM_UPSERTED_V1, ITEM_ENTRY_POSTED_V1, VALUE_ENTRIES_POSTED_V1], ids=lambda s: s.topic)
def test_poison_messages_are_dead_lettered_and_processing_goes_on(system: System, spec: EventSpec) -> None:
    marker = unique("POISON")
    poison = _poison(spec)
    system.publish(spec.topic, [(marker.encode(), value) for _, value in poison])

    # What follows the poison on the same partition (same key) is still processed.
    item = system.create_item(marker)["item_no"]
    assert system.post(unique("D"), [purchase(item, "2", "7.50")]).status_code == 201
    system.wait_quiet()
    (value_entry,) = system.value_entries(item)
    assert value_entry["cost_amount_actual"] == "15.00"
    assert len(system.gl_entries(value_entry_no=value_entry["entry_no"])) == 2

    # Found by their key, which no other test uses: records come in partition order, not in the order written.
    letters = [r for r in system.dead_letters(f"{spec.topic}.dlq") if r.key == marker.encode()]
    by_group: dict[str, list[Any]] = {}
    for record in letters:
        by_group.setdefault(dict(record.headers)["dlq-consumer-group"].decode(), []).append(record)
    # Every consumer of the topic dead-letters each poison message once, in order.
    assert sorted(by_group) == sorted(system.topic(service) for service in consumers_of(spec.topic))
    for records in by_group.values():
        assert [r.value for r in records] == [value for _, value in poison]
    reasons = [dict((k, v.decode()) for k, v in r.headers) for r in next(iter(by_group.values()))]
    for headers in reasons:
        assert headers["dlq-origin-topic"] == spec.topic
        assert int(headers["dlq-origin-offset"]) >= 0
    assert "not a JSON document" in reasons[0]["dlq-reason"]
    assert "unknown event type/version" in reasons[1]["dlq-reason"]
    assert "validation error" in reasons[2]["dlq-reason"]


def test_a_duplicate_event_is_applied_once(system: System) -> None:
    item = system.create_item()["item_no"]
    assert system.post(unique("D"), [purchase(item, "5", "2.00")]).status_code == 201
    system.wait_quiet()
    (value_entry,) = system.value_entries(item)
    (record,) = system.records(ITEM_ENTRY_POSTED_V1.topic, key=item)

    system.publish(ITEM_ENTRY_POSTED_V1.topic, [(record.key, record.value)] * 2)
    system.wait_quiet()

    assert system.value_entries(item) == [value_entry]
    assert len(system.gl_entries(value_entry_no=value_entry["entry_no"])) == 2


def test_a_dead_letter_replayed_by_command_is_applied(system: System) -> None:
    from servicekit import dlq

    item_no = unique("REPLAY")
    event = json.loads(examples(ITEM_UPSERTED_V1))
    event.update(event_id=str(uuid.uuid4()), key=item_no)
    event["payload"].update(item_no=item_no)
    dead_letter_topic = "catalog.items.v1.dlq"
    before = len(system.dead_letters(dead_letter_topic))

    async def dead_letter() -> None:
        producer = AIOKafkaProducer(bootstrap_servers=system.stack.bootstrap_servers, acks="all", **system.stack.kafka_client_options())
        await producer.start()
        try:
            await producer.send_and_wait(
                system.topic(dead_letter_topic), json.dumps(event).encode(), key=item_no.encode(),
                headers=[("dlq-origin-topic", b"catalog.items.v1"), ("dlq-reason", b"simulated")],
            )
        finally:
            await producer.stop()

    asyncio.run(dead_letter())
    replayed = asyncio.run(dlq.replay(system.stack.bootstrap_servers, dead_letter_topic, system.stack.topic_prefix, system.stack.kafka_auth)).replayed
    assert replayed >= 1
    wait_until(
        lambda: system.http.get(system.url("warehouse", f"/items/{item_no}/quantity-on-hand")).status_code == 200,
        what="replayed item in the warehouse replica",
    )
    system.wait_quiet()
    # Whatever else was replayed was poison: every consumer dead-letters it again, once, for a later replay.
    consumers = len(consumers_of("catalog.items.v1"))
    assert len(system.dead_letters(dead_letter_topic)) == before + 1 + consumers * (replayed - 1)
