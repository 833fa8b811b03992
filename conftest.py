"""Session fixtures: the real infrastructure and the four services, started by deploy/local's launcher."""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

# Imported before collection: in importlib mode the project folder servicekit/ would otherwise pass for the package.
import servicekit  # noqa: F401
from devstack.stack import Ports, Stack, StackError
from support import System

REPO = Path(__file__).resolve().parent


@pytest.fixture(scope="session")
def stack() -> Iterator[Stack]:
    """Kafka and PostgreSQL of our own (or the servers named by KAFKA_BOOTSTRAP_SERVERS / DATABASE_URL)."""
    state = REPO / ".state" / f"test-{os.getpid()}"
    for attempt in (1, 2):
        # Free ports are picked before the servers bind them; a second try covers one taken meanwhile.
        # Fast PostgreSQL settings, asked for explicitly: every other way of running the system is durable.
        launched = Stack(state, Ports.free(), durable_postgres=False)
        try:
            launched.start_infrastructure()
            break
        except StackError as exc:
            if attempt == 2:
                pytest.fail(
                    f"the test infrastructure did not start (these tests need a real Kafka and PostgreSQL): {exc}",
                    pytrace=False,
                )
            print(f"infrastructure start failed, trying again: {exc}")
            shutil.rmtree(state, ignore_errors=True)
    try:
        yield launched
    finally:
        launched.stop()
        if not os.environ.get("KEEP_TEST_STATE"):
            shutil.rmtree(state, ignore_errors=True)


@pytest.fixture(scope="session")
def system(stack: Stack) -> Iterator[System]:
    """The four services running as processes on the session's infrastructure."""
    os.environ.setdefault("LEDGER_RECONCILE_SECONDS", "0.5")
    os.environ.setdefault("COSTING_RECONCILE_SECONDS", "0.5")
    os.environ.setdefault("COSTING_RECONCILE_SETTLE_SECONDS", "5")
    try:
        stack.start_services()
    except StackError as exc:
        pytest.fail(f"the services did not start: {exc}", pytrace=False)
    with System(stack) as running:
        yield running
