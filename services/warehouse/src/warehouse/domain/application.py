from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from warehouse.domain.errors import ApplicationError

ZERO = Decimal(0)


@dataclass(frozen=True)
class OpenEntry:
    """An item ledger entry with remaining quantity: > 0 inbound, < 0 outbound (negative inventory)."""

    entry_no: int
    posting_date: date
    remaining_quantity: Decimal
    serial_no: str = ""
    lot_no: str = ""
    expiration_date: date | None = None


@dataclass(frozen=True)
class Application:
    inbound_entry_no: int
    outbound_entry_no: int
    quantity: Decimal


def apply_outbound(
    outbound_entry_no: int,
    quantity: Decimal,
    open_inbound: Sequence[OpenEntry],
    *,
    newest_first: bool = False,
) -> tuple[list[Application], Decimal]:
    """Apply an outbound quantity (< 0) to open inbound entries.

    Oldest first by (posting_date, entry_no); newest first for LIFO. Returns the
    applications and the quantity left unapplied (<= 0; 0 when fully covered).
    """
    if quantity >= ZERO:
        raise ApplicationError(f"outbound quantity must be negative, got {quantity}")
    if any(entry.remaining_quantity <= ZERO for entry in open_inbound):
        raise ApplicationError("open inbound entries must have positive remaining quantity")
    applications: list[Application] = []
    to_apply = -quantity
    for inbound in _in_posting_order(open_inbound, newest_first=newest_first):
        if to_apply == ZERO:
            break
        applied = min(inbound.remaining_quantity, to_apply)
        applications.append(Application(inbound.entry_no, outbound_entry_no, applied))
        to_apply -= applied
    return applications, -to_apply


def apply_inbound(
    inbound_entry_no: int,
    quantity: Decimal,
    open_outbound: Sequence[OpenEntry],
) -> tuple[list[Application], Decimal]:
    """Cover open outbound entries (negative inventory) with an inbound quantity (> 0), oldest first.

    Returns the applications and the inbound entry's remaining quantity (>= 0).
    """
    if quantity <= ZERO:
        raise ApplicationError(f"inbound quantity must be positive, got {quantity}")
    if any(entry.remaining_quantity >= ZERO for entry in open_outbound):
        raise ApplicationError("open outbound entries must have negative remaining quantity")
    applications: list[Application] = []
    remaining = quantity
    for outbound in _in_posting_order(open_outbound, newest_first=False):
        if remaining == ZERO:
            break
        applied = min(-outbound.remaining_quantity, remaining)
        applications.append(Application(inbound_entry_no, outbound.entry_no, applied))
        remaining -= applied
    return applications, remaining


def _in_posting_order(entries: Sequence[OpenEntry], *, newest_first: bool) -> list[OpenEntry]:
    return sorted(entries, key=lambda entry: (entry.posting_date, entry.entry_no), reverse=newest_first)
