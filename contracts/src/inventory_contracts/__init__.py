"""Integration events of the inventory platform."""

from .catalog import ITEM_UPSERTED_V1
from .costing import (
    ITEM_UNIT_COST_CHANGED_V1,
    QUANTITY_DIFFERENCE_FOUND_V1,
    STANDARD_COST_IMPLEMENTED_V1,
    VALUE_ENTRIES_POSTED_V1,
)
from .envelope import Envelope, EventSpec, Payload, new_envelope
from .ledger import GL_ENTRIES_POSTED_V1, RECONCILIATION_DIFFERENCE_FOUND_V1
from .registry import EventRegistry, UnknownEventError, examples
from .warehouse import INVENTORY_SETUP_CHANGED_V1, ITEM_ENTRY_INVOICED_V1, ITEM_ENTRY_POSTED_V1

ALL_EVENTS = (
    ITEM_UPSERTED_V1,
    ITEM_ENTRY_POSTED_V1,
    VALUE_ENTRIES_POSTED_V1,
    GL_ENTRIES_POSTED_V1,
    RECONCILIATION_DIFFERENCE_FOUND_V1,
    ITEM_UNIT_COST_CHANGED_V1,
    ITEM_ENTRY_INVOICED_V1,
    INVENTORY_SETUP_CHANGED_V1,
    QUANTITY_DIFFERENCE_FOUND_V1,
    STANDARD_COST_IMPLEMENTED_V1,
)

__all__ = [
    "ALL_EVENTS",
    "GL_ENTRIES_POSTED_V1",
    "INVENTORY_SETUP_CHANGED_V1",
    "ITEM_ENTRY_INVOICED_V1",
    "ITEM_ENTRY_POSTED_V1",
    "ITEM_UNIT_COST_CHANGED_V1",
    "ITEM_UPSERTED_V1",
    "QUANTITY_DIFFERENCE_FOUND_V1",
    "RECONCILIATION_DIFFERENCE_FOUND_V1",
    "STANDARD_COST_IMPLEMENTED_V1",
    "VALUE_ENTRIES_POSTED_V1",
    "Envelope",
    "EventRegistry",
    "EventSpec",
    "Payload",
    "UnknownEventError",
    "examples",
    "new_envelope",
]
