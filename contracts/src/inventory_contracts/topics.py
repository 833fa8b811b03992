"""Topic names. The major version is part of the name; a deployment may prefix every name."""

from typing import Final

CATALOG_ITEMS: Final = "catalog.items.v1"
WAREHOUSE_ITEM_ENTRIES: Final = "warehouse.item-entries.v1"
WAREHOUSE_INVENTORY_SETUP: Final = "warehouse.inventory-setup.v1"
COSTING_VALUE_ENTRIES: Final = "costing.value-entries.v1"
COSTING_ITEM_COSTS: Final = "costing.item-costs.v1"
COSTING_RECONCILIATION: Final = "costing.reconciliation.v1"
COSTING_STANDARD_COSTS: Final = "costing.standard-costs.v1"
LEDGER_GL_ENTRIES: Final = "ledger.gl-entries.v1"
LEDGER_RECONCILIATION: Final = "ledger.reconciliation.v1"

STREAMS: Final = (
    CATALOG_ITEMS, WAREHOUSE_ITEM_ENTRIES, COSTING_VALUE_ENTRIES, LEDGER_GL_ENTRIES, LEDGER_RECONCILIATION, COSTING_ITEM_COSTS,
    WAREHOUSE_INVENTORY_SETUP, COSTING_RECONCILIATION, COSTING_STANDARD_COSTS,
)

# Fixed for the life of a topic: the partition of a key must never change once data is written.
PARTITIONS: Final = 4


def dead_letter(topic: str) -> str:
    """Dead-letter topic of `topic`."""
    return f"{topic}.dlq"


def all_topics() -> list[str]:
    """Every topic the system uses, dead-letter topics included (unprefixed)."""
    return [name for stream in STREAMS for name in (stream, dead_letter(stream))]


# Who publishes and who consumes each stream: the one declaration the Kafka ACLs are derived from
# (`inventory-admin init`), and what the tests check the services' own subscriptions against.
PUBLISHES: Final[dict[str, tuple[str, ...]]] = {
    "catalog": (CATALOG_ITEMS,),
    "warehouse": (WAREHOUSE_ITEM_ENTRIES, WAREHOUSE_INVENTORY_SETUP),
    "costing": (COSTING_VALUE_ENTRIES, COSTING_ITEM_COSTS, COSTING_RECONCILIATION, COSTING_STANDARD_COSTS),
    "ledger": (LEDGER_GL_ENTRIES, LEDGER_RECONCILIATION),
}
CONSUMES: Final[dict[str, tuple[str, ...]]] = {
    "catalog": (WAREHOUSE_ITEM_ENTRIES, COSTING_STANDARD_COSTS, COSTING_ITEM_COSTS),
    "warehouse": (CATALOG_ITEMS,),
    "costing": (WAREHOUSE_ITEM_ENTRIES, CATALOG_ITEMS, WAREHOUSE_INVENTORY_SETUP),
    "ledger": (COSTING_VALUE_ENTRIES,),
}


def writes(service: str) -> list[str]:
    """Topics `service` may write (unprefixed): what it publishes, their dead-letter topics, and the
    dead-letter topics of what it consumes (its inbox dead-letters a consumed event there)."""
    owned = [name for stream in PUBLISHES[service] for name in (stream, dead_letter(stream))]
    return owned + [dead_letter(stream) for stream in CONSUMES[service]]


def reads(service: str) -> list[str]:
    """Topics `service` may read (unprefixed): what it consumes."""
    return list(CONSUMES[service])
