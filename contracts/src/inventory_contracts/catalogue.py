"""The event catalogue: every topic, its events and their JSON Schemas, generated from the contracts.

`python -m inventory_contracts.catalogue [--check] [PATH]` writes it as Markdown (contracts/EVENTS.md by default);
with --check it fails when the committed file drifted. The console renders the same `catalogue()` as a page.
"""

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import ALL_EVENTS
from .envelope import Envelope, EventSpec
from .registry import examples
from .topics import CONSUMES, OUTSIDE_PRODUCERS, PARTITIONS, PUBLISHES, STREAMS, dead_letter, retention_summary

EVOLUTION_RULES = (
    "A topic's major version is part of its name (`.v1`); an event's is its `version` field. Both change together "
    "only for a breaking change, which is published on a new topic beside the old one until every consumer moved.",
    "Within a version a change may only add optional fields (with a default) or loosen a limit. It may never "
    "remove or rename a field, change a field's type or meaning, or make an optional field required.",
    "A consumer refuses an enum value it does not know (to the dead-letter topic), so a producer publishes a new "
    "enum value only once every consumer of the topic runs a version that knows it.",
    "Consumers ignore fields they do not know (`extra=ignore`), so an older consumer reads a newer event; a field "
    "added within a version is documented as such in its description.",
    "An event a consumer cannot parse, or whose type or version it does not know, goes to the topic's dead-letter "
    "topic (`<topic>.dlq`) with the reason; it never stops the consumer.",
    "The key is the item no. for item-scoped events, so that every event of one item is on one partition and is "
    "handled in order. The number of partitions of a topic never changes once data is written.",
    "Every event has a golden example in inventory_contracts/examples; the contract tests parse every example with "
    "every consumer's registry, and the AsyncAPI documents and this catalogue are generated and checked current.",
)


@dataclass(frozen=True)
class EventEntry:
    type: str
    version: int
    topic: str
    summary: str
    description: str
    schema: dict[str, Any]
    example: dict[str, Any]

    @property
    def anchor(self) -> str:
        return f"{self.type}-v{self.version}".replace(".", "-")


@dataclass(frozen=True)
class TopicEntry:
    name: str
    producer: str
    consumers: tuple[str, ...]
    partitions: int
    retention: str
    dead_letter: str
    events: tuple[EventEntry, ...]


@dataclass(frozen=True)
class Catalogue:
    topics: tuple[TopicEntry, ...]
    rules: tuple[str, ...]


def _event(spec: EventSpec) -> EventEntry:
    doc = (spec.payload.__doc__ or "").strip()
    summary, _, rest = doc.partition("\n\n")
    return EventEntry(
        type=spec.type,
        version=spec.version,
        topic=spec.topic,
        summary=" ".join(summary.split()),
        description=" ".join(rest.split()),
        schema=Envelope[spec.payload].model_json_schema(),  # type: ignore[name-defined]
        example=json.loads(examples(spec)),
    )


def catalogue() -> Catalogue:
    producers = {topic: service for service, topics in PUBLISHES.items() for topic in topics} | OUTSIDE_PRODUCERS
    topics = tuple(
        TopicEntry(
            name=topic,
            producer=producers[topic],
            consumers=tuple(service for service, consumed in CONSUMES.items() if topic in consumed),
            partitions=PARTITIONS,
            retention=retention_summary(topic),
            dead_letter=dead_letter(topic),
            events=tuple(_event(spec) for spec in ALL_EVENTS if spec.topic == topic),
        )
        for topic in sorted(STREAMS)
    )
    return Catalogue(topics=topics, rules=EVOLUTION_RULES)


def markdown(cat: Catalogue) -> str:
    lines = [
        "# Event catalogue",
        "",
        "Generated from the contracts (`make asyncapi` writes it; a test fails when it drifts). Every event travels in "
        "the same envelope (`event_id`, `type`, `version`, `occurred_at`, `producer`, `key`, `correlation_id`, "
        "`causation_id`, `payload`); the schemas below are the whole message.",
        "",
        "## Topics",
        "",
        "| Topic | Producer | Consumers | Partitions | Keeps | Dead letters | Events |",
        "|---|---|---|---|---|---|---|",
    ]
    for t in cat.topics:
        events = ", ".join(f"[{e.type} v{e.version}](#{e.anchor})" for e in t.events)
        lines.append(f"| `{t.name}` | {t.producer} | {', '.join(t.consumers) or 'none in the system'} | {t.partitions} "
                     f"| {t.retention} | `{t.dead_letter}` (every record, until purged) | {events} |")
    lines += ["", "## Rules for evolving the contracts", ""]
    lines += [f"- {rule}" for rule in cat.rules]
    for t in cat.topics:
        for e in t.events:
            lines += [
                "",
                f'<a id="{e.anchor}"></a>',
                f"## {e.type} v{e.version}",
                "",
                f"Topic `{e.topic}`, published by {t.producer}. {e.summary}",
            ]
            if e.description:
                lines += ["", e.description]
            lines += [
                "",
                "<details><summary>JSON Schema</summary>",
                "",
                "```json",
                json.dumps(e.schema, indent=2, sort_keys=True),
                "```",
                "",
                "</details>",
                "",
                "Example:",
                "",
                "```json",
                json.dumps(e.example, indent=2),
                "```",
            ]
    return "\n".join(lines) + "\n"


def default_path() -> Path:
    return Path(__file__).resolve().parents[2] / "EVENTS.md"


def main(argv: list[str]) -> int:
    check = "--check" in argv
    paths = [a for a in argv if not a.startswith("--")]
    path = Path(paths[0]) if paths else default_path()
    text = markdown(catalogue())
    if check:
        if not path.exists() or path.read_text() != text:
            print(f"event catalogue out of date (run `make asyncapi`): {path}", file=sys.stderr)
            return 1
        return 0
    path.write_text(text)
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
