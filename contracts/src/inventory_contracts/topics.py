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
WAREHOUSE_POSTING_REQUESTS: Final = "warehouse.posting-requests.v1"
WAREHOUSE_POSTING_REPLIES: Final = "warehouse.posting-replies.v1"

STREAMS: Final = (
    CATALOG_ITEMS, WAREHOUSE_ITEM_ENTRIES, COSTING_VALUE_ENTRIES, LEDGER_GL_ENTRIES, LEDGER_RECONCILIATION, COSTING_ITEM_COSTS,
    WAREHOUSE_INVENTORY_SETUP, COSTING_RECONCILIATION, COSTING_STANDARD_COSTS, WAREHOUSE_POSTING_REQUESTS,
    WAREHOUSE_POSTING_REPLIES,
)

# Fixed for the life of a topic: the partition of a key must never change once data is written.
PARTITIONS: Final = 4

_DAY_MS: Final = 24 * 60 * 60 * 1000

# How long each topic keeps its records. Facts that other services derive their state from are kept forever, so a
# lost database can be rebuilt from the log; a topic whose every record states the whole of its key's state keeps
# the latest record per key (compaction), each record readable for a week first; signals raised again while they hold
# are kept 30 days. Dead-letter topics keep every record until it is replayed and purged.
KEEP_FOREVER: Final = {"cleanup.policy": "delete", "retention.ms": "-1", "retention.bytes": "-1"}
LATEST_PER_KEY: Final = {"cleanup.policy": "compact", "min.compaction.lag.ms": str(7 * _DAY_MS)}
SIGNALS: Final = {"cleanup.policy": "delete", "retention.ms": str(30 * _DAY_MS)}
RETENTION: Final[dict[str, dict[str, str]]] = {
    CATALOG_ITEMS: LATEST_PER_KEY,
    WAREHOUSE_ITEM_ENTRIES: KEEP_FOREVER,
    WAREHOUSE_INVENTORY_SETUP: LATEST_PER_KEY,
    COSTING_VALUE_ENTRIES: KEEP_FOREVER,
    COSTING_ITEM_COSTS: LATEST_PER_KEY,
    COSTING_RECONCILIATION: SIGNALS,
    COSTING_STANDARD_COSTS: KEEP_FOREVER,
    LEDGER_GL_ENTRIES: KEEP_FOREVER,
    LEDGER_RECONCILIATION: SIGNALS,
    WAREHOUSE_POSTING_REQUESTS: SIGNALS,
    WAREHOUSE_POSTING_REPLIES: SIGNALS,
}


def topic_config(topic: str) -> dict[str, str]:
    """The Kafka topic configuration of `topic` (unprefixed, dead-letter topics included)."""
    if topic.endswith(".dlq"):
        return dict(KEEP_FOREVER)
    return dict(RETENTION[topic])


def retention_summary(topic: str) -> str:
    """`topic`'s retention in words."""
    config = topic_config(topic)
    if config == KEEP_FOREVER:
        return "every record, forever"
    if config["cleanup.policy"] == "compact":
        return "the latest record per key (compacted after 7 days)"
    return f"{int(config['retention.ms']) // _DAY_MS} days"


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
    "warehouse": (WAREHOUSE_ITEM_ENTRIES, WAREHOUSE_INVENTORY_SETUP, WAREHOUSE_POSTING_REPLIES),
    "costing": (COSTING_VALUE_ENTRIES, COSTING_ITEM_COSTS, COSTING_RECONCILIATION, COSTING_STANDARD_COSTS),
    "ledger": (LEDGER_GL_ENTRIES, LEDGER_RECONCILIATION),
    "webhooks": (),
}
# Topics other systems publish to, with who they are.
OUTSIDE_PRODUCERS: Final[dict[str, str]] = {
    WAREHOUSE_POSTING_REQUESTS: "other systems (sales, purchasing, shops)",
}
CONSUMES: Final[dict[str, tuple[str, ...]]] = {
    "catalog": (WAREHOUSE_ITEM_ENTRIES, COSTING_STANDARD_COSTS, COSTING_ITEM_COSTS),
    "warehouse": (CATALOG_ITEMS, WAREHOUSE_POSTING_REQUESTS),
    "costing": (WAREHOUSE_ITEM_ENTRIES, CATALOG_ITEMS, WAREHOUSE_INVENTORY_SETUP),
    "ledger": (COSTING_VALUE_ENTRIES,),
    # Every public stream, delivered over HTTP to systems without Kafka; the posting requests and replies are one
    # system's conversation with the warehouse, not facts to broadcast.
    "webhooks": tuple(s for s in STREAMS if s not in (WAREHOUSE_POSTING_REQUESTS, WAREHOUSE_POSTING_REPLIES)),
}


def writes(service: str) -> list[str]:
    """Topics `service` may write (unprefixed): what it publishes, their dead-letter topics, and the
    dead-letter topics of what it consumes (its inbox dead-letters a consumed event there)."""
    owned = [name for stream in PUBLISHES[service] for name in (stream, dead_letter(stream))]
    return owned + [dead_letter(stream) for stream in CONSUMES[service]]


def reads(service: str) -> list[str]:
    """Topics `service` may read (unprefixed): what it consumes."""
    return list(CONSUMES[service])
