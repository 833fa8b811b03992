"""Session fixtures: the real infrastructure and the four services, started by deploy/local's launcher."""

import os
import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
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


class TraceReceiver:
    """An OTLP/HTTP trace receiver on the loopback: keeps each export request's body (decoded when a test asks)."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []
        received = self.bodies

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                received.append(self.rfile.read(int(self.headers.get("Content-Length", 0))))
                self.send_response(200)
                self.send_header("Content-Type", "application/x-protobuf")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="session")
def trace_receiver() -> Iterator[TraceReceiver]:
    """Where the session's services export their spans (tests/system/test_tracing.py reads them)."""
    receiver = TraceReceiver()
    try:
        yield receiver
    finally:
        receiver.close()


@pytest.fixture(scope="session")
def system(stack: Stack, trace_receiver: TraceReceiver) -> Iterator[System]:
    """The four services running as processes on the session's infrastructure, exporting spans to `trace_receiver`."""
    os.environ["OTEL_EXPORTER_OTLP_ENDPOINT"] = trace_receiver.endpoint
    os.environ["OTEL_TRACES_EXPORTER"] = "otlp"
    os.environ["OTEL_BSP_SCHEDULE_DELAY"] = "100"
    os.environ.setdefault("LEDGER_RECONCILE_SECONDS", "0.5")
    os.environ.setdefault("COSTING_RECONCILE_SECONDS", "0.5")
    os.environ.setdefault("COSTING_RECONCILE_SETTLE_SECONDS", "5")
    # Retries in fractions of a second and a subscription disabled after two failed deliveries: the webhook tests
    # see a whole schedule run out in seconds.
    os.environ.setdefault("WEBHOOKS_RETRY_SECONDS", "0.3,0.6")
    os.environ.setdefault("WEBHOOKS_DISABLE_AFTER_FAILED_DELIVERIES", "2")
    os.environ.setdefault("WEBHOOKS_POLL_SECONDS", "0.1")
    try:
        stack.start_services()
        stack.start_webhooks()
    except StackError as exc:
        pytest.fail(f"the services did not start: {exc}", pytrace=False)
    with System(stack) as running:
        yield running
