"""The services' logs as the launcher writes them (`<state>/logs/<instance>.log`): JSON lines, nothing above INFO
on a normal start, an access line per request, and one posting followed through the services by its correlation id."""

import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from devstack.stack import SERVICES
from inventory_contracts.topics import COSTING_VALUE_ENTRIES, WAREHOUSE_ITEM_ENTRIES
from support import System, separate_system, unique, wait_until

pytestmark = pytest.mark.system

FIELDS = {"ts", "service", "level", "logger", "message"}
LEVELS = {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}


@pytest.fixture(scope="module")
def fresh(system: System) -> Iterator[System]:
    """Four services of their own, so that their logs hold only their start and what this module does."""
    with separate_system(system.stack, "logs") as separate:
        yield separate


def log_lines(system: System, instance: str) -> list[dict[str, Any]]:
    path = Path(system.stack.state_dir) / "logs" / f"{instance}.log"
    lines = []
    for number, text in enumerate(path.read_text().splitlines(), 1):
        try:
            line = json.loads(text)
        except json.JSONDecodeError:
            raise AssertionError(f"{path}:{number} is not JSON: {text[:300]!r}") from None
        assert isinstance(line, dict) and FIELDS <= line.keys(), f"{path}:{number} lacks {FIELDS - set(line)}"
        assert line["service"] == instance and line["level"] in LEVELS, f"{path}:{number}: {text[:300]}"
        lines.append(line)
    return lines


def loud(lines: list[dict[str, Any]]) -> list[str]:
    return [f"{line['level']} {line['logger']}: {line['message']}" for line in lines if line["level"] not in ("DEBUG", "INFO")]


def test_every_line_is_json_and_a_normal_start_logs_nothing_above_info(fresh: System, system: System) -> None:
    # The session's services started on a fresh Kafka cluster (where the group coordinator is not there yet);
    # other tests may make them warn later, so only their start is looked at.
    for service in SERVICES:
        lines = log_lines(system, service)
        started = next(i for i, line in enumerate(lines) if line["message"] == "Application startup complete.")
        assert loud(lines[: started + 1]) == [], service
    time.sleep(3)  # some rounds of the reconciliations, rebalances of the groups
    for service in SERVICES:
        lines = log_lines(fresh, service)
        assert any(line["message"] == "Application startup complete." for line in lines)
        assert loud(lines) == [], service


def test_a_posting_is_followed_by_its_correlation_id_from_the_request_to_the_ledger(fresh: System) -> None:
    item_no = fresh.create_item()["item_no"]
    correlation_id = str(uuid.uuid4())
    response = fresh.http.post(fresh.url("warehouse", "/item-journal"), headers={"X-Correlation-ID": correlation_id}, json={
        "document_no": unique("LOG"), "lines": [{"item_no": item_no, "entry_type": "Purchase", "quantity": "2",
                                                 "unit_cost": "4.00", "posting_date": "2026-01-05", "location_code": "MAIN"}]})
    assert response.status_code == 201, response.text

    def about_the_posting(service: str) -> list[dict[str, Any]]:
        return [line for line in log_lines(fresh, service) if line.get("correlation_id") == correlation_id]

    # The access line is written once the response has gone out: it may reach the file just after the client has it.
    [access] = wait_until(lambda: [line for line in about_the_posting("warehouse") if line["logger"] == "servicekit.access"],
                          what="the access log line of the posting")
    assert (access["method"], access["path"], access["status"]) == ("POST", "/item-journal", 201)
    assert isinstance(access["duration_ms"], float) and 0 < access["duration_ms"] < 60_000

    for service, topic in (("costing", WAREHOUSE_ITEM_ENTRIES), ("ledger", COSTING_VALUE_ENTRIES)):
        consumed = wait_until(
            lambda: [line for line in about_the_posting(service) if line.get("topic") == fresh.topic(topic)],
            what=f"{service}'s line about the posting's events",
        )
        assert {line["item_no"] for line in consumed} == {item_no}, consumed
        assert all(uuid.UUID(line["causation_id"]) != uuid.UUID(correlation_id) for line in consumed), consumed
        assert consumed[0]["message"].startswith(f"consumed 1 from {fresh.topic(topic)}"), consumed


def test_periodic_jobs_log_no_line_per_round_neither_where_they_run_nor_where_they_call(fresh: System) -> None:
    time.sleep(2)  # several rounds of both reconciliations (every 0.5 s in the tests)
    for service in ("costing", "ledger"):
        lines = log_lines(fresh, service)
        assert [line["message"] for line in lines if line["logger"].startswith(("httpx", "httpcore"))] == []
        assert [line["message"] for line in lines if line["logger"].endswith("entrypoints.background")] == []
    # costing's reconciliation calls the warehouse, the ledger's calls costing
    for called, path in (("warehouse", "/reconciliation/quantities"), ("costing", "/inventory-valuation/by-posting-group")):
        assert [line for line in log_lines(fresh, called) if line.get("path") == path] == []


@pytest.mark.parametrize("service", SERVICES)
def test_a_service_that_refuses_its_configuration_says_why_in_a_json_line(service: str) -> None:
    """Without token verification configured a service does not start; its last words are a log line like any other."""
    environment = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/")}
    started = subprocess.run([sys.executable, "-m", service], env=environment, capture_output=True, text=True, timeout=60)
    assert started.returncode != 0
    lines = [json.loads(line) for line in started.stderr.splitlines() + started.stdout.splitlines() if line.strip()]
    assert lines, "it said nothing"
    (last,) = [line for line in lines if line["level"] == "CRITICAL"]
    assert last["service"] == service and "AUTH_ISSUER" in last["message"] and "Traceback" in last["exc"]
