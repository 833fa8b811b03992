"""Prometheus metrics every service exposes on /metrics."""

from prometheus_client import Counter, Gauge

POSTINGS = Counter("inventory_postings_total", "Documents or lines posted through the HTTP API.", ["kind"])
EVENTS_CONSUMED = Counter(
    "inventory_events_consumed_total", "Events taken from Kafka, by outcome.", ["topic", "outcome"]
)
EVENTS_PUBLISHED = Counter("inventory_events_published_total", "Events the outbox relay published.", ["topic"])
DEAD_LETTERS = Counter("inventory_dead_letters_total", "Messages sent to a dead-letter topic.", ["topic"])
OUTBOX_BACKLOG = Gauge("inventory_outbox_backlog", "Outbox rows not yet published.")
OUTBOX_FAILED = Counter(
    "inventory_outbox_failed_total", "Outbox rows the broker refused for good, moved to outbox_failed.", ["topic"]
)
