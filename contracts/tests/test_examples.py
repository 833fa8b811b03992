"""Golden examples: every example parses under its own schema and round-trips unchanged in meaning."""

import json

import pytest

from inventory_contracts import ALL_EVENTS, EventRegistry, EventSpec, examples
from inventory_contracts.registry import UnknownEventError
from inventory_contracts.topics import all_topics


@pytest.mark.parametrize("spec", ALL_EVENTS, ids=lambda s: f"{s.type}.v{s.version}")
def test_golden_example_parses_and_round_trips(spec: EventSpec) -> None:
    raw = examples(spec)
    event = EventRegistry([spec]).parse(raw)
    assert (event.type, event.version) == (spec.type, spec.version)
    again = EventRegistry([spec]).parse(event.model_dump_json().encode())
    assert again == event


@pytest.mark.parametrize("spec", ALL_EVENTS, ids=lambda s: f"{s.type}.v{s.version}")
def test_consumers_ignore_unknown_fields(spec: EventSpec) -> None:
    document = json.loads(examples(spec))
    document["added_later"] = True
    document["payload"]["also_added_later"] = {"x": 1}
    assert EventRegistry([spec]).parse(json.dumps(document).encode()).event_id


def test_unknown_version_is_refused() -> None:
    spec = ALL_EVENTS[0]
    document = json.loads(examples(spec))
    document["version"] = 2
    with pytest.raises(UnknownEventError, match="unknown event type/version"):
        EventRegistry([spec]).parse(json.dumps(document).encode())


def test_every_topic_has_a_dead_letter_topic() -> None:
    topics = set(all_topics())
    assert {spec.topic for spec in ALL_EVENTS} <= topics
    assert all(f"{spec.topic}.dlq" in topics for spec in ALL_EVENTS)


def test_every_topic_has_a_retention() -> None:
    from inventory_contracts.topics import STREAMS, topic_config

    for topic in all_topics():
        assert topic_config(topic)["cleanup.policy"] in ("delete", "compact")
    assert all(topic_config(f"{stream}.dlq")["retention.ms"] == "-1" for stream in STREAMS)
