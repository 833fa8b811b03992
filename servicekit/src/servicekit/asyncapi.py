"""Writes each service's AsyncAPI document, generated from its FastStream broker, beside its code.

`python -m servicekit.asyncapi [--check]`: with --check, fail when a committed document drifted.
"""

import importlib
import sys
from pathlib import Path

from .settings import ServiceSettings

SERVICES = ("catalog", "warehouse", "costing", "ledger")
DOCUMENT_SETTINGS = dict(
    database_url="postgresql://unused/unused", kafka_bootstrap_servers="localhost:9092", topic_prefix="",
    http_host="127.0.0.1", http_port=0,
)


def document(service: str) -> str:
    bootstrap = importlib.import_module(f"{service}.bootstrap")
    runtime = bootstrap.build_runtime(ServiceSettings(service=service, **DOCUMENT_SETTINGS))
    return str(runtime.asyncapi_yaml())


def document_path(service: str) -> Path:
    package = importlib.import_module(service)
    return Path(package.__file__).resolve().parents[2] / "asyncapi.yaml"  # type: ignore[arg-type]


def main(argv: list[str]) -> int:
    check = "--check" in argv
    drifted = []
    for service in SERVICES:
        path, text = document_path(service), document(service)
        if check:
            if not path.exists() or path.read_text() != text:
                drifted.append(str(path))
        else:
            path.write_text(text)
            print(f"wrote {path}")
    if drifted:
        print("AsyncAPI documents out of date (run `make asyncapi`): " + ", ".join(drifted), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
