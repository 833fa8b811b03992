"""Scale-out: services in several processes on one database and one consumer group."""

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from support import System, unique

pytestmark = pytest.mark.system

DEVSTACK = Path(sys.executable).with_name("devstack")


@pytest.fixture
def second_warehouse(system: System) -> Iterator[str]:
    system.stack.start_service("warehouse-2")
    try:
        yield "warehouse-2"
    finally:
        system.stack.stop_service("warehouse-2")


def test_two_warehouse_processes_sell_scarce_stock_exactly_once(system: System, second_warehouse: str) -> None:
    item = system.create_item(prevent_negative_inventory="Yes")["item_no"]
    received = system.post(unique("R"), [{"item_no": item, "entry_type": "Purchase", "quantity": "10", "unit_cost": "3.00",
                                          "posting_date": "2026-06-01", "location_code": "MAIN"}])
    assert received.status_code == 201, received.text

    responses = system.sell_one_each_at_once(item, 50, ("warehouse", second_warehouse))
    accepted = [r for r in responses if r.status_code == 201]
    assert len(accepted) == 10 and sorted({r.status_code for r in responses}) == [201, 409], [r.status_code for r in responses]
    # Both processes decided sales (which one wins the item's lock first is up to timing, not to the test).
    assert {r.url.port for r in responses} == {system.stack.ports.services["warehouse"], system.stack.ports.services[second_warehouse]}
    assert system.quantity_on_hand(item) == 0

    system.wait_quiet()
    assert len(system.item_ledger_entries(item)) == 11
    assert len(system.value_entries(item)) == 11


@pytest.mark.chaos
@pytest.mark.timeout(1200)
def test_a_replica_of_each_service_killed_mid_run_loses_and_doubles_nothing() -> None:
    """Two processes each of warehouse, costing and ledger; one of each SIGKILLed while postings flow."""
    run = subprocess.run([str(DEVSTACK), "chaos", "--seed", "11", "--postings", "300", "--items", "8", "--faults", "2",
                          "--replicas", "2"], capture_output=True, text=True, timeout=1100)
    print(run.stdout[-6000:], run.stderr[-3000:])

    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-4000:]
    assert "FAILS" not in run.stdout and run.stdout.count("holds ") == 9
    for service in ("warehouse", "costing", "ledger"):
        assert f"fault: kill-replica {service}" in run.stdout, f"no process of {service} was killed"
