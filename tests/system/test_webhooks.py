"""Webhooks on the real stack: postings reach an HTTP receiver on the loopback, signed as Standard Webhooks, filtered,
retried with the same webhook-id, and a receiver that keeps failing gets its subscription disabled.

The session's webhooks retry after 0.3 s and 0.6 s and disable a subscription after 2 failed deliveries (conftest)."""

import base64
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from support import System, unique, wait_until

pytestmark = pytest.mark.system

POSTED = "warehouse.item-entry-posted"


class Receiver:
    """An HTTP receiver on the loopback: answers each path with the statuses queued for it (then 200), keeps every request."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.answers: dict[str, list[int]] = {}
        self.always: dict[str, int] = {}
        lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with lock:
                    queued = outer.answers.get(self.path) or []
                    status = queued.pop(0) if queued else outer.always.get(self.path, 200)
                    outer.requests.append({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()},
                                           "body": body, "status": status, "at": time.monotonic()})
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def to(self, path: str) -> list[dict[str, Any]]:
        return [request for request in self.requests if request["path"] == path]


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    running = Receiver()
    try:
        yield running
    finally:
        running.server.shutdown()
        running.server.server_close()


def subscribe(system: System, url: str, **fields: Any) -> dict[str, Any]:
    response = system.http.post(system.url("webhooks", "/subscriptions"), json={"url": url, "event_types": [POSTED], **fields})
    assert response.status_code == 201, response.text
    return dict(response.json())


def purchase(system: System, item_no: str, location_code: str = "MAIN", quantity: str = "3") -> None:
    response = system.post(unique("WH"), [{"item_no": item_no, "entry_type": "Purchase", "quantity": quantity,
                                           "posting_date": "2026-05-04", "location_code": location_code, "unit_cost": "2.00"}])
    assert response.status_code == 201, response.text


def deliveries(system: System, subscription_id: str) -> list[dict[str, Any]]:
    response = system.http.get(system.url("webhooks", f"/subscriptions/{subscription_id}/deliveries"))
    assert response.status_code == 200, response.text
    return list(response.json()["deliveries"])


def delivery(system: System, delivery_id: str) -> dict[str, Any]:
    response = system.http.get(system.url("webhooks", f"/deliveries/{delivery_id}"))
    assert response.status_code == 200, response.text
    return dict(response.json())


def expected_signature(secret: str, request: dict[str, Any]) -> str:
    """Computed here from the spec's words, not with the service's code: HMAC-SHA256 of `id.timestamp.body`."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{request['headers']['webhook-id']}.{request['headers']['webhook-timestamp']}.".encode() + request["body"]
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def test_a_posting_is_delivered_signed_and_logged(system: System, receiver: Receiver) -> None:
    item = system.create_item()["item_no"]
    created = subscribe(system, f"{receiver.base}/signed", item_no=item, description="shop")
    assert created["secret"].startswith("whsec_") and len(base64.b64decode(created["secret"][6:])) >= 24
    assert "secret" not in system.http.get(system.url("webhooks", f"/subscriptions/{created['id']}")).json()

    purchase(system, item)

    [request] = wait_until(lambda: receiver.to("/signed"), what="the delivery")
    assert request["headers"]["webhook-signature"] == expected_signature(created["secret"], request)
    assert request["headers"]["content-type"] == "application/json"
    assert abs(int(request["headers"]["webhook-timestamp"]) - time.time()) < 60
    event = json.loads(request["body"])
    assert event["type"] == POSTED and event["payload"]["item_no"] == item and Decimal(event["payload"]["quantity"]) == 3
    [logged] = wait_until(lambda: [d for d in deliveries(system, created["id"]) if d["status"] == "succeeded"], what="logged")
    assert logged["id"] == request["headers"]["webhook-id"] and logged["event_id"] == event["event_id"]
    detail = delivery(system, logged["id"])
    assert [(a["attempt_no"], a["status_code"], a["error"]) for a in detail["attempts"]] == [(1, 200, None)]
    assert detail["body"].encode() == request["body"]


def test_a_filter_by_item_and_location_lets_only_matching_events_through(system: System, receiver: Receiver) -> None:
    first, second = system.create_item()["item_no"], system.create_item()["item_no"]
    both = subscribe(system, f"{receiver.base}/both", item_no=first, location_code="EAST")
    item_only = subscribe(system, f"{receiver.base}/item", item_no=first)
    other = subscribe(system, f"{receiver.base}/other", item_no=second)

    purchase(system, first, "MAIN")
    purchase(system, first, "EAST")
    purchase(system, second, "EAST")

    # Once the unfiltered subscriptions have theirs, every event was consumed: the filtered one has all it gets.
    wait_until(lambda: len(deliveries(system, item_only["id"])) == 2 and len(deliveries(system, other["id"])) == 1,
               what="the events consumed")
    [only] = deliveries(system, both["id"])
    assert json.loads(delivery(system, only["id"])["body"])["payload"]["location_code"] == "EAST"
    wait_until(lambda: len(receiver.to("/both")) == 1 and len(receiver.to("/item")) == 2, what="sent")
    assert {json.loads(r["body"])["payload"]["location_code"] for r in receiver.to("/item")} == {"MAIN", "EAST"}


def test_a_failed_attempt_is_retried_with_the_same_webhook_id(system: System, receiver: Receiver) -> None:
    item = system.create_item()["item_no"]
    receiver.answers["/flaky"] = [500]
    created = subscribe(system, f"{receiver.base}/flaky", item_no=item)

    purchase(system, item)

    first, second = wait_until(lambda: receiver.to("/flaky")[:2] if len(receiver.to("/flaky")) >= 2 else None, what="retry")
    assert (first["status"], second["status"]) == (500, 200)
    assert first["headers"]["webhook-id"] == second["headers"]["webhook-id"]
    assert second["at"] - first["at"] >= 0.25  # the schedule's first wait
    assert second["headers"]["webhook-signature"] == expected_signature(created["secret"], second)
    [logged] = deliveries(system, created["id"])
    detail = wait_until(lambda: (found := delivery(system, logged["id"]))["status"] == "succeeded" and found, what="settled")
    assert [a["status_code"] for a in detail["attempts"]] == [500, 200]
    assert all(a["duration_ms"] >= 0 for a in detail["attempts"])


def test_a_receiver_that_keeps_failing_gets_its_subscription_disabled_until_enabled_again(
    system: System, receiver: Receiver
) -> None:
    item = system.create_item()["item_no"]
    receiver.always["/down"] = 503
    created = subscribe(system, f"{receiver.base}/down", item_no=item)
    url = system.url("webhooks", f"/subscriptions/{created['id']}")

    purchase(system, item)
    purchase(system, item)

    disabled = wait_until(lambda: (found := system.http.get(url).json())["enabled"] is False and found, what="disabled")
    assert disabled["disabled_reason"] == "2 consecutive deliveries failed every attempt"
    logged = deliveries(system, created["id"])
    assert sorted(d["status"] for d in logged) == ["failed", "failed"]
    for failed in logged:  # the first attempt and the two of the schedule
        assert [a["status_code"] for a in delivery(system, failed["id"])["attempts"]] == [503, 503, 503]
    assert len(receiver.to("/down")) == 6

    # While disabled nothing is queued for new events, and a delivery sent again waits.
    purchase(system, item, quantity="1")
    retried = system.http.post(system.url("webhooks", f"/deliveries/{logged[0]['id']}/retry"))
    assert retried.status_code == 202 and retried.json()["status"] == "pending"
    time.sleep(1.5)
    assert len(receiver.to("/down")) == 6 and len(deliveries(system, created["id"])) == 2

    del receiver.always["/down"]
    enabled = system.http.patch(url, json={"enabled": True})
    assert enabled.status_code == 200 and enabled.json()["disabled_reason"] is None
    wait_until(lambda: len(receiver.to("/down")) == 7, what="the delivery resumed")
    assert receiver.to("/down")[-1]["headers"]["webhook-id"] == logged[0]["id"]
    detail = wait_until(lambda: (found := delivery(system, logged[0]["id"]))["status"] == "succeeded" and found, what="ok")
    assert [a["status_code"] for a in detail["attempts"]] == [503, 503, 503, 200]
    assert system.http.get(url).json()["failed_deliveries_in_row"] == 0


@pytest.mark.parametrize("body, problem", [
    ({"url": "ftp://example.com/x", "event_types": [POSTED]}, "invalid-request"),
    ({"url": "not a url", "event_types": [POSTED]}, "invalid-request"),
    ({"url": "http://127.0.0.1:9/x", "event_types": []}, "invalid-request"),
    ({"url": "http://127.0.0.1:9/x", "event_types": ["warehouse.no-such-event"]}, "unknown-event-type"),
    ({"url": "http://127.0.0.1:9/x", "event_types": ["warehouse.posting-requested"]}, "unknown-event-type"),
    ({"url": "http://127.0.0.1:9/x", "event_types": [POSTED], "secret": "mine"}, "invalid-request"),
])
def test_bad_subscriptions_are_refused_with_problem_details(system: System, body: dict[str, Any], problem: str) -> None:
    before = system.http.get(system.url("webhooks", "/subscriptions"), params={"limit": 1000}).json()["subscriptions"]
    response = system.http.post(system.url("webhooks", "/subscriptions"), json=body)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == f"/problems/{problem}"
    after = system.http.get(system.url("webhooks", "/subscriptions"), params={"limit": 1000}).json()["subscriptions"]
    assert len(after) == len(before)


def test_unknown_ids_are_404_and_a_deleted_subscription_is_gone(system: System) -> None:
    assert system.http.get(system.url("webhooks", "/deliveries/msg_nothing")).status_code == 404
    assert system.http.post(system.url("webhooks", "/deliveries/msg_nothing/retry")).status_code == 404
    missing = "00000000-0000-4000-8000-000000000000"
    assert system.http.patch(system.url("webhooks", f"/subscriptions/{missing}"), json={"enabled": False}).status_code == 404
    created = subscribe(system, "http://127.0.0.1:9/gone")
    changed = system.http.patch(system.url("webhooks", f"/subscriptions/{created['id']}"),
                                json={"event_types": ["catalog.item-upserted"], "description": "items"})
    assert changed.status_code == 200 and changed.json()["event_types"] == ["catalog.item-upserted"]
    assert system.http.delete(system.url("webhooks", f"/subscriptions/{created['id']}")).status_code == 204
    assert system.http.get(system.url("webhooks", f"/subscriptions/{created['id']}")).status_code == 404


def test_the_api_needs_the_webhooks_scopes(system: System) -> None:
    reader = {"Authorization": f"Bearer {system.stack.issuer.token(['webhooks:read'])}"}
    other = {"Authorization": f"Bearer {system.stack.issuer.token(['inventory:read', 'inventory:post'])}"}
    url = system.url("webhooks", "/subscriptions")
    body = {"url": "http://127.0.0.1:9/x", "event_types": [POSTED]}
    assert system.http.get(url, headers=reader).status_code == 200
    refused = system.http.post(url, json=body, headers=reader)
    assert refused.status_code == 403 and "webhooks:admin" in refused.text
    assert system.http.get(url, headers=other).status_code == 403
    assert system.http.get(url, headers={"Authorization": ""}).status_code == 401
