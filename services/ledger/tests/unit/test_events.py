from decimal import Decimal
from typing import Any
from uuid import UUID

from inventory_contracts import GL_ENTRIES_POSTED_V1, VALUE_ENTRIES_POSTED_V1, Envelope, EventRegistry, examples

from ledger.adapters.events import gl_entries_posted, value_entries_from_event
from ledger.domain.model import GLEntry
from ledger.domain.posting import ItemLedgerEntryType, ValueEntryType


def golden_event() -> Envelope[Any]:
    return EventRegistry([VALUE_ENTRIES_POSTED_V1]).parse(examples(VALUE_ENTRIES_POSTED_V1))


def test_golden_value_entries_event_becomes_received_value_entries() -> None:
    [received] = value_entries_from_event(golden_event())

    assert received.event_id == UUID("c3d2e1f0-1a2b-4c3d-8e4f-5a6b7c8d9e04")
    assert received.correlation_id == UUID("9e0c7f1a-6b2d-4c3e-8f4a-5b6c7d8e9f03")
    assert received.value_entry.item_no == "1000"
    assert received.value_entry.item_ledger_entry_type is ItemLedgerEntryType.SALE
    assert received.value_entry.entry_type is ValueEntryType.DIRECT_COST
    assert received.value_entry.cost_amount_actual == Decimal("-80.00")
    assert received.payload["location_code"] == "MAIN"


def test_gl_entries_posted_matches_the_golden_example() -> None:
    [received] = value_entries_from_event(golden_event())
    entries = [
        GLEntry(5, "2130", received.value_entry.posting_date, "SHIP-0001", "Item 1000 Sale", Decimal("-80.00"), 3, "1000"),
        GLEntry(6, "7290", received.value_entry.posting_date, "SHIP-0001", "Item 1000 Sale", Decimal("80.00"), 3, "1000"),
    ]

    event = gl_entries_posted(3, "1000", entries, received)
    golden = EventRegistry([GL_ENTRIES_POSTED_V1]).parse(examples(GL_ENTRIES_POSTED_V1))

    assert event.payload == golden.payload
    assert (event.type, event.version, event.key) == (golden.type, golden.version, golden.key)
    assert (event.causation_id, event.correlation_id) == (golden.causation_id, golden.correlation_id)
