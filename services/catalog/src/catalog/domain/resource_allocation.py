"""Which resources may be allocated to a line, and how many hours each has free on a day. Pure logic: no I/O.

A resource qualifies for a line when it has every skill the line requires (those of its item and of its service
item group), is in the customer's service zone (when the customer has one), is not blocked, and has at least the
hours needed free on the day: its capacity per day minus its active allocations that day.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from catalog.domain.resources import Resource


class ResourceSkillType(StrEnum):
    """Whose skill a resource skill is: a resource has it, an item or a service item group requires it."""

    RESOURCE = "Resource"
    ITEM = "Item"
    SERVICE_ITEM_GROUP = "Service Item Group"


class AllocationSourceType(StrEnum):
    SERVICE_ORDER = "Service Order"
    ASSEMBLY = "Assembly"


class AllocationStatus(StrEnum):
    ACTIVE = "Active"
    CANCELED = "Canceled"


class ServiceMasterKind(StrEnum):
    """The master data that is a code and a description."""

    SKILL_CODES = "Skill code"
    SERVICE_ZONES = "Service zone"
    SERVICE_ITEM_GROUPS = "Service item group"


@dataclass(frozen=True)
class CodeDescription:
    """A skill code, a service zone or a service item group."""

    code: str
    description: str = ""


@dataclass(frozen=True)
class Customer:
    no: str
    name: str
    service_zone_code: str = ""


@dataclass(frozen=True)
class ResourceSkill:
    type: ResourceSkillType
    no: str
    skill_code: str


@dataclass(frozen=True)
class ServiceOrderLine:
    line_no: int
    needed_date: date
    hours_needed: Decimal
    item_no: str = ""
    service_item_group_code: str = ""
    description: str = ""


@dataclass(frozen=True)
class ServiceOrder:
    no: str
    customer_no: str
    order_date: date
    lines: tuple[ServiceOrderLine, ...] = ()

    def line(self, line_no: int) -> ServiceOrderLine | None:
        return next((line for line in self.lines if line.line_no == line_no), None)


@dataclass(frozen=True)
class ResourceAllocation:
    entry_no: int
    source_type: AllocationSourceType
    source_no: str
    source_line_no: int
    resource_no: str
    allocation_date: date
    hours: Decimal
    status: AllocationStatus = AllocationStatus.ACTIVE
    parent_item_no: str = ""


@dataclass(frozen=True)
class Demand:
    """What a line asks of a resource: its skills, the zone it must be in (None: any), the day and the hours."""

    required_skills: frozenset[str]
    service_zone_code: str | None
    day: date
    hours: Decimal


@dataclass(frozen=True)
class Candidate:
    """A resource with its skills and the hours of its active allocations on the demand's day."""

    resource: Resource
    skills: frozenset[str]
    allocated_hours: Decimal

    @property
    def free_hours(self) -> Decimal:
        return self.resource.capacity_per_day - self.allocated_hours


def qualification_failures(candidate: Candidate, demand: Demand) -> list[str]:
    """Why `candidate` may not take the line at all (empty when it may): missing skills, wrong zone, blocked."""
    failures = []
    missing = demand.required_skills - candidate.skills
    if missing:
        failures.append(f"lacks skills {', '.join(sorted(missing))}")
    if demand.service_zone_code is not None and candidate.resource.service_zone_code != demand.service_zone_code:
        failures.append(f"is not in service zone {demand.service_zone_code or '(none)'}")
    if candidate.resource.blocked:
        failures.append("is blocked")
    return failures


def has_capacity(candidate: Candidate, demand: Demand) -> bool:
    return candidate.free_hours >= demand.hours


def qualified(candidates: Iterable[Candidate], demand: Demand) -> list[Candidate]:
    """The candidates that qualify and have the hours free, in resource number order."""
    return sorted(
        (c for c in candidates if not qualification_failures(c, demand) and has_capacity(c, demand)),
        key=lambda c: c.resource.no,
    )


@dataclass(frozen=True)
class DayAvailability:
    day: date
    capacity: Decimal
    allocated_hours: Decimal

    @property
    def available_hours(self) -> Decimal:
        return self.capacity - self.allocated_hours


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def availability(resource: Resource, allocated: Mapping[date, Decimal], first: date, last: date) -> list[DayAvailability]:
    """Capacity, allocated and available hours of each day from `first` to `last` (every day has the same capacity)."""
    return [DayAvailability(day, resource.capacity_per_day, allocated.get(day, Decimal(0))) for day in days(first, last)]
