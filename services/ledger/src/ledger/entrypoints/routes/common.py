"""What several route modules share: the problem response and the bookkeeping of value entries posted by a change."""

from typing import Any

from ledger.metrics import PENDING_VALUE_ENTRIES
from ledger.service_layer.posting import PostingSummary

PROBLEM: dict[str, Any] = {"content": {"application/problem+json": {}}}


def posted_pending(summary: PostingSummary) -> list[int]:
    """The value entries a setup change posted; the waiting ones' gauge follows."""
    PENDING_VALUE_ENTRIES.set(summary.pending_total)
    return summary.posted
