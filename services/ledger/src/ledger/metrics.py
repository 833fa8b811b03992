"""Prometheus metrics of the ledger, beside servicekit's."""

from prometheus_client import Gauge

PENDING_VALUE_ENTRIES = Gauge(
    "inventory_ledger_pending_value_entries", "Value entries waiting for posting setup before they reach the G/L."
)
RECONCILIATION_DIFFERENCE = Gauge(
    "inventory_reconciliation_difference",
    "G/L balance minus costing's inventory value per inventory account, when processing had caught up.",
    ["account_no"],
)
RECONCILIATION_CAUGHT_UP = Gauge(
    "inventory_reconciliation_caught_up", "1 when the last reconciliation found the ledger caught up with costing."
)
