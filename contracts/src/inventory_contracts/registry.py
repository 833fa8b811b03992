"""Parsing of incoming events by (type, version), for consumers."""

import json
from collections.abc import Iterable
from importlib import resources
from typing import Any

from pydantic import ValidationError

from .envelope import Envelope, EventSpec


class UnknownEventError(ValueError):
    """The event's type or version is not one this consumer knows."""


class MalformedEventError(ValueError):
    """The message is not a JSON event at all."""


class EventRegistry:
    """The event schemas one consumer accepts on one topic."""

    def __init__(self, specs: Iterable[EventSpec]) -> None:
        self._specs = {(spec.type, spec.version): spec for spec in specs}

    def parse(self, raw: bytes) -> Envelope[Any]:
        """Decode and validate one message; raises ValueError (JSON, ValidationError, UnknownEventError)."""
        try:
            document = json.loads(raw)
        except ValueError as exc:
            raise MalformedEventError(f"not a JSON document: {exc}") from exc
        except RecursionError as exc:
            # Nested deeper than the parser recurses: never an event, and must not escape as a non-ValueError.
            raise MalformedEventError("not a JSON document: nested too deeply") from exc
        if not isinstance(document, dict):
            raise MalformedEventError("an event must be a JSON object")
        type_, version = document.get("type"), document.get("version")
        spec = self._specs.get((type_, version)) if isinstance(type_, str) and isinstance(version, int) else None
        if spec is None:
            raise UnknownEventError(f"unknown event type/version: {document.get('type')!r} v{document.get('version')!r}")
        return Envelope[spec.payload].model_validate(document)  # type: ignore[name-defined]


def example_path(spec: EventSpec) -> str:
    return f"{spec.type}.v{spec.version}.json"


def examples(spec: EventSpec) -> bytes:
    """The golden example message of `spec`, as it travels on the wire."""
    return (resources.files(__package__) / "examples" / example_path(spec)).read_bytes()


__all__ = ["EventRegistry", "MalformedEventError", "UnknownEventError", "ValidationError", "examples"]
