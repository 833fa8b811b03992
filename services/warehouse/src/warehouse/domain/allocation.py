"""Allocation of short stock among open demand, as Business Central's reservation worksheet allocates.

The worksheet holds, for an item at a location, the open demand lines not yet reserved and what is available
(on-hand stock nobody reserved). An allocation policy proposes how much each line gets:

- Basic: when the available quantity covers every line, each gets what it wants; when it does not, nothing is
  allocated (the conflict is left to a person or to another policy).
- By Priority (Business Central's By Customer Priority): lines by priority, the highest number first (0, no
  priority, last), then by due date; each line gets all it wants while the stock lasts. The first line the rest
  cannot fill ends the allocation: no line of a lower priority or a later date gets ahead of it.
- Equally: the lines in order of what they want, smallest first; each gets an equal share of what is left among
  the lines not yet served, at most what it wants, rounded down to the decimals of what it wants (whole units for a
  whole quantity). What a small line does not need is so shared among the larger ones after it.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_FLOOR, Decimal
from enum import StrEnum

from inventory_contracts.limits import QUANTITY_QUANTUM

from warehouse.domain.application import ZERO
from warehouse.domain.ledger_state import Demand


class AllocationPolicy(StrEnum):
    BASIC = "Basic"
    BY_PRIORITY = "By Priority"
    EQUALLY = "Equally"


@dataclass(frozen=True)
class DemandToAllocate:
    demand: Demand
    wanted: Decimal
    """What the line still wants reserved (> 0)."""
    due_date: date | None = None
    priority: int = 0
    """The higher the number, the sooner the line is served; 0 is none."""


@dataclass(frozen=True)
class Allocated:
    line: DemandToAllocate
    quantity: Decimal


def allocate(available: Decimal, lines: Sequence[DemandToAllocate], policy: AllocationPolicy) -> list[Allocated]:
    """How much of `available` each line gets under `policy`, in the worksheet's order (by_due)."""
    ordered = sorted(lines, key=_by_due)
    if policy is AllocationPolicy.BASIC:
        enough = sum((l.wanted for l in ordered), ZERO) <= available
        return [Allocated(l, l.wanted if enough else ZERO) for l in ordered]
    if policy is AllocationPolicy.BY_PRIORITY:
        given: dict[int, Decimal] = {}
        left = max(available, ZERO)
        for i, l in sorted(enumerate(ordered), key=lambda p: (-p[1].priority, p[0])):
            if l.wanted > left:
                break
            given[i] = l.wanted
            left -= l.wanted
        return [Allocated(l, given.get(i, ZERO)) for i, l in enumerate(ordered)]
    return [Allocated(l, q) for l, q in zip(ordered, _equally(available, [l.wanted for l in ordered]), strict=True)]


def _equally(available: Decimal, wanted: Sequence[Decimal]) -> list[Decimal]:
    given = [ZERO] * len(wanted)
    left = max(available, ZERO)
    order = sorted(range(len(wanted)), key=lambda i: (wanted[i], i))
    for served, i in enumerate(order):
        share = min(left / (len(order) - served), wanted[i])
        given[i] = share.quantize(_precision(wanted[i]), rounding=ROUND_FLOOR)
        left -= given[i]
    return given


def _precision(quantity: Decimal) -> Decimal:
    """The smallest step `quantity` is written in: 1 for whole numbers, 0.1 for 2.5, at most QUANTITY_QUANTUM."""
    exponent = quantity.normalize().as_tuple().exponent
    assert isinstance(exponent, int)
    return max(Decimal(1).scaleb(min(exponent, 0)), QUANTITY_QUANTUM)


def _by_due(line: DemandToAllocate) -> tuple[bool, date, str, str, int]:
    d = line.demand
    return (line.due_date is None, line.due_date or date.min, d.source_type, d.source_id, d.source_line_no)
