"""`devstack chaos` with a short seed: postings under kills of services, PostgreSQL and Kafka, duplicates and
poison, and every invariant holds afterwards (the command starts a stack of its own)."""

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.system, pytest.mark.chaos]

DEVSTACK = Path(sys.executable).with_name("devstack")


@pytest.mark.timeout(1200)
def test_a_short_chaos_seed_loses_and_doubles_nothing_and_the_books_reconcile() -> None:
    run = subprocess.run([str(DEVSTACK), "chaos", "--seed", "7", "--postings", "250", "--items", "6", "--faults", "7"],
                         capture_output=True, text=True, timeout=1100)
    print(run.stdout[-6000:], run.stderr[-3000:])

    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-4000:]
    assert "FAILS" not in run.stdout and run.stdout.count("holds ") == 9
    for kind in ("kill-service", "kill-postgres", "kill-kafka", "duplicate", "poison"):
        assert f"fault: {kind}" in run.stdout, f"the seed struck no {kind}"
