"""Allocation of short stock among open demand, as Business Central's reservation worksheet allocates.

The worksheet holds, for an item at a location, the open demand lines not yet reserved and what is available
(on-hand stock nobody reserved). An allocation policy proposes how much each line gets:

- Basic: when the available quantity covers every line, each gets what it wants; when it does not, nothing is
  allocated (the conflict is left to a person or to another policy).
- By Priority: lines by priority (1 first, then 2, ...; 0 is no priority and comes last), then by due date, each
  filled in full before the next gets anything.
- Equally: the available quantity is divided equally among the lines; what a line does not need goes back to be
  divided among the others. Whole units are divided when every quantity is whole; a remainder smaller than one
  share per line goes one unit at a time to the earliest lines.
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
    """1 is the highest; 0 is none."""


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
        for i, l in sorted(enumerate(ordered), key=lambda p: (p[1].priority == 0, p[1].priority, p[0])):
            given[i] = min(l.wanted, left)
            left -= given[i]
        return [Allocated(l, given[i]) for i, l in enumerate(ordered)]
    return [Allocated(l, q) for l, q in zip(ordered, _equally(available, [l.wanted for l in ordered]), strict=True)]


def _equally(available: Decimal, wanted: Sequence[Decimal]) -> list[Decimal]:
    whole = all(q == q.to_integral_value() for q in [available, *wanted])
    step = Decimal(1) if whole else QUANTITY_QUANTUM
    given = [ZERO] * len(wanted)
    left = max(available, ZERO)
    while left >= step:
        needing = [i for i, q in enumerate(wanted) if given[i] < q]
        if not needing:
            break
        share = (left / len(needing) / step).to_integral_value(rounding=ROUND_FLOOR) * step
        if share == 0:
            # Less than one step each: one step at a time to the earliest lines.
            for i in needing:
                if left < step:
                    break
                given[i] += step
                left -= step
            break
        for i in needing:
            take = min(share, wanted[i] - given[i])
            given[i] += take
            left -= take
    return given


def _by_due(line: DemandToAllocate) -> tuple[bool, date, str, str, int]:
    d = line.demand
    return (line.due_date is None, line.due_date or date.min, d.source_type, d.source_id, d.source_line_no)
