"""Prometheus metrics of the ledger, beside servicekit's."""

from prometheus_client import Gauge

PENDING_VALUE_ENTRIES = Gauge(
    "inventory_ledger_pending_value_entries", "Value entries waiting for posting setup before they reach the G/L."
)
