"""The webhooks in a deployment: open health, tokens and scopes on their API, and README's example's events queued
for a subscription and POSTed across the deployment's network."""

from typing import Any

import httpx

from readme_example import Deployment
from support import wait_until

# Any address the webhooks' container reaches: the catalog's API, which answers an unauthenticated POST with a 4xx.
RECEIVER = "http://catalog:8001/inventory-events"


def subscribe(deployment: Deployment, http: httpx.Client, token_without_webhook_scopes: str) -> str:
    """A subscription to the item entries of README's item 2000; its id."""
    webhooks = deployment.url("webhooks")
    assert httpx.get(f"{webhooks}/healthz", timeout=10).status_code == 200
    assert httpx.get(f"{webhooks}/subscriptions", timeout=10).status_code == 401
    other_scope = {"Authorization": f"Bearer {token_without_webhook_scopes}"}
    assert httpx.get(f"{webhooks}/subscriptions", headers=other_scope, timeout=10).status_code == 403
    created = http.post(f"{webhooks}/subscriptions", json={
        "url": RECEIVER, "event_types": ["warehouse.item-entry-posted"], "item_no": "2000"})
    assert created.status_code == 201, created.text
    assert created.json()["secret"].startswith("whsec_")
    listed = http.get(f"{webhooks}/subscriptions")
    assert listed.status_code == 200 and [s["id"] for s in listed.json()["subscriptions"]] == [created.json()["id"]]
    return str(created.json()["id"])


def sent(deployment: Deployment, http: httpx.Client, subscription_id: str) -> list[dict[str, Any]]:
    """After README's example: its three item entries (two receipts, one sale), each delivered to the receiver, which
    answered; the deliveries' details."""
    webhooks = deployment.url("webhooks")

    def attempted() -> list[dict[str, Any]] | None:
        deliveries = http.get(f"{webhooks}/subscriptions/{subscription_id}/deliveries").json()["deliveries"]
        details = [http.get(f"{webhooks}/deliveries/{d['id']}").json() for d in deliveries]
        return details if len(details) >= 3 and all(d["attempts"] for d in details) else None

    details: list[dict[str, Any]] = wait_until(attempted, 90, "three deliveries attempted by the webhooks")
    assert len(details) == 3 and {d["event_type"] for d in details} == {"warehouse.item-entry-posted"}
    assert all('"item_no":"2000"' in d["body"].replace(" ", "") for d in details)
    first_attempts = [d["attempts"][0] for d in details]
    assert all(a["error"] is None and 400 <= a["status_code"] < 500 for a in first_attempts), first_attempts
    return details
