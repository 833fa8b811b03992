"""In-memory fakes of the resource repositories, with the semantics of the PostgreSQL adapters."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from catalog.domain.resource_allocation import (
    AllocationSourceType,
    AllocationStatus,
    CodeDescription,
    Customer,
    ResourceAllocation,
    ResourceSkill,
    ResourceSkillType,
    ServiceMasterKind,
    ServiceOrder,
)
from catalog.domain.resources import Resource


@dataclass
class ResourceTables:
    resources: dict[str, Resource] = field(default_factory=dict)
    codes: dict[ServiceMasterKind, dict[str, CodeDescription]] = field(default_factory=lambda: defaultdict(dict))
    customers: dict[str, Customer] = field(default_factory=dict)
    skills: set[ResourceSkill] = field(default_factory=set)
    service_orders: dict[str, ServiceOrder] = field(default_factory=dict)
    allocations: dict[int, ResourceAllocation] = field(default_factory=dict)


class InMemoryResourceRepository:
    def __init__(self, tables: ResourceTables) -> None:
        self._tables = tables

    async def add(self, resource: Resource) -> bool:
        if resource.no in self._tables.resources:
            return False
        self._tables.resources[resource.no] = resource
        return True

    async def get(self, no: str, *, for_update: bool = False) -> Resource | None:
        return self._tables.resources.get(no)

    async def update(self, resource: Resource) -> None:
        self._tables.resources[resource.no] = resource

    async def list_after(self, after: str, limit: int) -> list[Resource]:
        return [r for r in await self.all() if r.no > after][:limit]

    async def all(self) -> list[Resource]:
        return [self._tables.resources[no] for no in sorted(self._tables.resources)]


class InMemoryResourceAllocationRepository:
    def __init__(self, tables: ResourceTables) -> None:
        self._tables = tables

    async def add_code(self, kind: ServiceMasterKind, record: CodeDescription) -> bool:
        if record.code in self._tables.codes[kind]:
            return False
        self._tables.codes[kind][record.code] = record
        return True

    async def get_code(self, kind: ServiceMasterKind, code: str) -> CodeDescription | None:
        return self._tables.codes[kind].get(code)

    async def codes(self, kind: ServiceMasterKind) -> list[CodeDescription]:
        return [self._tables.codes[kind][code] for code in sorted(self._tables.codes[kind])]

    async def update_code(self, kind: ServiceMasterKind, record: CodeDescription) -> None:
        self._tables.codes[kind][record.code] = record

    async def add_customer(self, customer: Customer) -> bool:
        if customer.no in self._tables.customers:
            return False
        self._tables.customers[customer.no] = customer
        return True

    async def get_customer(self, no: str, *, for_update: bool = False) -> Customer | None:
        return self._tables.customers.get(no)

    async def customers(self) -> list[Customer]:
        return [self._tables.customers[no] for no in sorted(self._tables.customers)]

    async def update_customer(self, customer: Customer) -> None:
        self._tables.customers[customer.no] = customer

    async def add_skill(self, skill: ResourceSkill) -> bool:
        if skill in self._tables.skills:
            return False
        self._tables.skills.add(skill)
        return True

    async def remove_skill(self, skill: ResourceSkill) -> bool:
        if skill not in self._tables.skills:
            return False
        self._tables.skills.discard(skill)
        return True

    async def skills(self, type: ResourceSkillType | None = None, no: str | None = None) -> list[ResourceSkill]:
        found = [s for s in self._tables.skills if (type is None or s.type == type) and (no is None or s.no == no)]
        return sorted(found, key=lambda s: (str(s.type), s.no, s.skill_code))

    async def add_service_order(self, order: ServiceOrder) -> bool:
        if order.no in self._tables.service_orders:
            return False
        self._tables.service_orders[order.no] = order
        return True

    async def get_service_order(self, no: str) -> ServiceOrder | None:
        return self._tables.service_orders.get(no)

    async def service_orders_after(self, after: str, limit: int) -> list[ServiceOrder]:
        orders = self._tables.service_orders
        return [orders[no] for no in sorted(orders) if no > after][:limit]

    async def lock_source_line(self, source_type: AllocationSourceType, source_no: str, source_line_no: int) -> None:
        return None

    async def add_allocation(self, allocation: ResourceAllocation) -> ResourceAllocation:
        stored = replace(allocation, entry_no=max(self._tables.allocations, default=0) + 1)
        self._tables.allocations[stored.entry_no] = stored
        return stored

    async def get_allocation(self, entry_no: int, *, for_update: bool = False) -> ResourceAllocation | None:
        return self._tables.allocations.get(entry_no)

    async def set_allocation_status(self, entry_no: int, status: AllocationStatus) -> None:
        self._tables.allocations[entry_no] = replace(self._tables.allocations[entry_no], status=status)

    async def allocations(self, *, resource_no: str | None = None, source_type: AllocationSourceType | None = None,
                          source_no: str | None = None, source_line_no: int | None = None,
                          status: AllocationStatus | None = None) -> list[ResourceAllocation]:
        wanted = {"resource_no": resource_no, "source_type": source_type, "source_no": source_no,
                  "source_line_no": source_line_no, "status": status}
        return [a for _, a in sorted(self._tables.allocations.items())
                if all(value is None or getattr(a, name) == value for name, value in wanted.items())]

    async def allocated_hours(self, first: date, last: date,
                              resource_nos: Sequence[str] | None = None) -> dict[tuple[str, date], Decimal]:
        hours: dict[tuple[str, date], Decimal] = defaultdict(Decimal)
        for a in self._tables.allocations.values():
            if (a.status == AllocationStatus.ACTIVE and first <= a.allocation_date <= last
                    and (resource_nos is None or a.resource_no in resource_nos)):
                hours[(a.resource_no, a.allocation_date)] += a.hours
        return dict(hours)
