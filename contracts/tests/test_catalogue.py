"""The event catalogue covers every topic and event, and the committed file is what the contracts generate."""

from inventory_contracts import ALL_EVENTS
from inventory_contracts.catalogue import catalogue, default_path, main, markdown
from inventory_contracts.topics import STREAMS


def test_every_topic_and_event_is_listed_with_its_schema() -> None:
    cat = catalogue()
    assert {t.name for t in cat.topics} == set(STREAMS)
    listed = {(e.type, e.version): e for t in cat.topics for e in t.events}
    assert set(listed) == {(spec.type, spec.version) for spec in ALL_EVENTS}
    for spec in ALL_EVENTS:
        entry = listed[(spec.type, spec.version)]
        assert entry.topic == spec.topic
        payload_fields = set(spec.payload.model_fields)
        schema_defs = entry.schema["$defs"][spec.payload.__name__]["properties"]
        assert set(schema_defs) == payload_fields
        assert entry.example["type"] == spec.type and entry.example["version"] == spec.version


def test_markdown_names_every_event_and_the_rules() -> None:
    text = markdown(catalogue())
    for spec in ALL_EVENTS:
        assert f"## {spec.type} v{spec.version}" in text
    assert "## Rules for evolving the contracts" in text


def test_committed_catalogue_is_current() -> None:
    assert main(["--check", str(default_path())]) == 0, "run `make asyncapi` and commit contracts/EVENTS.md"
