"""What each service exposes on /metrics (request durations by route, consumer lag, outbox age), and the dashboard and
alert rules of deploy/observability, which must use only metrics the services expose."""

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.samples import Sample

from inventory_contracts.topics import COSTING_VALUE_ENTRIES, WAREHOUSE_ITEM_ENTRIES
from support import System, unique, wait_until

pytestmark = pytest.mark.system

SERVICES = ("catalog", "warehouse", "costing", "ledger")
OBSERVABILITY = Path(__file__).resolve().parents[2] / "deploy" / "observability"


def samples(system: System, service: str, name: str) -> list[Sample]:
    response = httpx.get(system.url(service, "/metrics"), timeout=10)
    assert response.status_code == 200, response.text
    return [s for family in text_string_to_metric_families(response.text) for s in family.samples if s.name == name]


def exposed_names(system: System) -> set[str]:
    """Every series name the services expose, also of metrics that have no series yet (a labelled one never set)."""
    suffixes = {"counter": ("_total", "_created"), "histogram": ("_bucket", "_count", "_sum", "_created"),
                "gauge": ("",), "summary": ("_count", "_sum", "_created"), "info": ("_info",)}
    names: set[str] = set()
    for service in SERVICES:
        for family in text_string_to_metric_families(httpx.get(system.url(service, "/metrics"), timeout=10).text):
            names |= {family.name + suffix for suffix in suffixes.get(family.type, ("",))}
            names |= {s.name for s in family.samples}
    return names


def post_receipt(system: System, item_no: str) -> None:
    response = system.post(unique("MET"), [{"item_no": item_no, "entry_type": "Purchase", "quantity": "3",
                                            "unit_cost": "4.00", "posting_date": "2026-02-10", "location_code": "MAIN"}])
    assert response.status_code == 201, response.text


def test_request_durations_are_counted_by_route_template_never_by_raw_path(system: System) -> None:
    item_no = system.create_item()["item_no"]
    route = "/items/{item_no}/quantity-on-hand"

    def count(status: str) -> float:
        return sum(s.value for s in samples(system, "warehouse", "inventory_http_request_duration_seconds_count")
                   if s.labels == {"method": "GET", "route": route, "status": status})

    before, refused_before = count("200"), count("401")
    assert system.http.get(system.url("warehouse", f"/items/{item_no}/quantity-on-hand")).status_code == 200
    # Refused by the token guard before routing: still counted under its route.
    assert httpx.get(system.url("warehouse", f"/items/{item_no}/quantity-on-hand")).status_code == 401
    assert system.http.get(system.url("warehouse", f"/no-such-place/{item_no}")).status_code == 404
    assert (count("200"), count("401")) == (before + 1, refused_before + 1)

    series = samples(system, "warehouse", "inventory_http_request_duration_seconds_bucket")
    assert not [s for s in series if item_no in s.labels["route"]]
    assert {s.labels["route"] for s in series if s.labels["status"] == "404"} >= {"unmatched"}
    assert any(s.labels.get("le") == "+Inf" and s.labels["route"] == route for s in series)


def test_consumer_lag_per_group_topic_and_partition_is_zero_once_idle(system: System) -> None:
    item_no = system.create_item()["item_no"]
    post_receipt(system, item_no)
    wait_until(lambda: system.value_entries(item_no), what="the receipt valued")
    system.wait_quiet()

    def lags(service: str, topic: str) -> dict[str, float]:
        return {s.labels["partition"]: s.value for s in samples(system, service, "inventory_consumer_lag")
                if s.labels["group"] == service and s.labels["topic"] == system.topic(topic)}

    for service, topic in (("costing", WAREHOUSE_ITEM_ENTRIES), ("catalog", WAREHOUSE_ITEM_ENTRIES),
                           ("ledger", COSTING_VALUE_ENTRIES)):
        assert wait_until(lambda: lags(service, topic) == {str(p): 0.0 for p in range(4)},
                          what=f"{service}'s lag on {topic} 0 on its 4 partitions"), lags(service, topic)


def test_outbox_age_and_backlog_are_exposed_and_zero_once_published(system: System) -> None:
    post_receipt(system, system.create_item()["item_no"])
    system.wait_quiet()
    for service in SERVICES:
        assert [s.value for s in samples(system, service, "inventory_outbox_oldest_age_seconds")] == [0.0], service
        assert [s.value for s in samples(system, service, "inventory_outbox_backlog")] == [0.0], service


def expressions(value: Any) -> list[str]:
    """Every PromQL expression in a Grafana dashboard (`expr` of its targets) or a rule file (`expr` of its rules)."""
    if isinstance(value, dict):
        return [e for key, item in value.items() for e in ([item] if key == "expr" else expressions(item))]
    if isinstance(value, list):
        return [e for item in value for e in expressions(item)]
    return []


def test_dashboard_and_alert_rules_use_only_metrics_the_services_expose(system: System) -> None:
    dashboard = json.loads((OBSERVABILITY / "grafana-dashboard.json").read_text())
    rules = yaml.safe_load((OBSERVABILITY / "alerts.yml").read_text())
    used = {name for expr in expressions(dashboard) + expressions(rules) for name in re.findall(r"\binventory_[a-z0-9_]+", expr)}
    assert used - exposed_names(system) == set()

    dashboard_metrics = {n for e in expressions(dashboard) for n in re.findall(r"\binventory_[a-z0-9_]+", e)}
    assert dashboard_metrics >= {
        "inventory_http_request_duration_seconds_count", "inventory_http_request_duration_seconds_bucket",
        "inventory_consumer_lag", "inventory_outbox_oldest_age_seconds", "inventory_outbox_backlog",
        "inventory_dead_letters_total", "inventory_postings_total", "inventory_reconciliation_difference",
    }
    assert {rule["alert"] for group in rules["groups"] for rule in group["rules"]} >= {
        "InventoryReconciliationDifference", "InventoryDeadLettersGrowing", "InventoryConsumerLagGrowing",
        "InventoryOutboxAgeHigh",
    }


def promtool() -> str:
    found = shutil.which("promtool")
    assert found, "promtool (Debian's package prometheus) is needed to check deploy/observability"
    return found


def test_prometheus_config_and_rules_are_valid_and_alerts_fire_as_their_tests_say() -> None:
    for command in (["check", "config", "prometheus.yml"], ["test", "rules", "alerts.test.yml"]):
        result = subprocess.run([promtool(), *command], cwd=OBSERVABILITY, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stdout + result.stderr


def test_dashboard_queries_are_valid_promql(tmp_path: Path) -> None:
    """promtool has no query check of its own: the dashboard's queries become recording rules, which it parses."""
    dashboard = json.loads((OBSERVABILITY / "grafana-dashboard.json").read_text())
    queries = [e.replace("$__rate_interval", "5m").replace("$service", ".*") for e in expressions(dashboard)]
    assert len(queries) >= 10
    rules = {"groups": [{"name": "dashboard", "rules": [{"record": f"dashboard:query{i}", "expr": q}
                                                        for i, q in enumerate(queries)]}]}
    (tmp_path / "dashboard.rules.yml").write_text(yaml.safe_dump(rules))
    result = subprocess.run([promtool(), "check", "rules", "dashboard.rules.yml"], cwd=tmp_path, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_consumed_topic_has_its_dead_letter_count_from_the_start(system: System) -> None:
    """A counter that appears only at its first increment starts at 1: `increase()` would never see the first dead
    letter, and the dead-letter alert would miss it."""
    found = {s.labels["topic"]: s.value for s in samples(system, "costing", "inventory_dead_letters_total")}
    assert f"{WAREHOUSE_ITEM_ENTRIES}.dlq" in found, found
    consumed = {(s.labels["topic"], s.labels["outcome"]) for s in samples(system, "ledger", "inventory_events_consumed_total")}
    assert (COSTING_VALUE_ENTRIES, "dead_lettered") in consumed, consumed
