"""Use cases of resource allocation: its master data, service orders, proposing, allocating and cancelling, and
a resource's availability per day. Each loads, decides with catalog.domain.resource_allocation, and writes."""

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from servicekit.pagination import decode_cursor, paginate

from catalog.domain.errors import (
    InsufficientCapacityError,
    InvalidPeriodError,
    InvalidServiceOrderError,
    LineAllocatedToOtherResourceError,
    MasterDataExistsError,
    NotFoundInCatalogError,
    ResourceNotQualifiedError,
    UnknownReferenceError,
)
from catalog.domain.resource_allocation import (
    AllocationSourceType,
    AllocationStatus,
    Candidate,
    CodeDescription,
    Customer,
    DayAvailability,
    Demand,
    ResourceAllocation,
    ResourceSkill,
    ResourceSkillType,
    ServiceMasterKind,
    ServiceOrder,
    ServiceOrderLine,
    availability,
    has_capacity,
    qualification_failures,
    qualified,
)
from catalog.domain.resources import Resource
from catalog.service_layer.resources import check_service_zone, get_resource
from catalog.service_layer.unit_of_work import CatalogUnitOfWork

MAX_AVAILABILITY_DAYS = 366


# Skill codes, service zones, service item groups ------------------------------------------------------------------

async def create_code(uow: CatalogUnitOfWork, kind: ServiceMasterKind, record: CodeDescription) -> CodeDescription:
    if not await uow.resource_allocation.add_code(kind, record):
        raise MasterDataExistsError(f"{kind.lower()} {record.code} exists already", code=record.code)
    return record


async def get_code(uow: CatalogUnitOfWork, kind: ServiceMasterKind, code: str) -> CodeDescription:
    record = await uow.resource_allocation.get_code(kind, code)
    if record is None:
        raise NotFoundInCatalogError(f"{kind.lower()} {code} does not exist", code=code)
    return record


async def list_codes(uow: CatalogUnitOfWork, kind: ServiceMasterKind) -> list[CodeDescription]:
    return await uow.resource_allocation.codes(kind)


async def update_code(uow: CatalogUnitOfWork, kind: ServiceMasterKind, code: str, description: str) -> CodeDescription:
    record = replace(await get_code(uow, kind, code), description=description)
    await uow.resource_allocation.update_code(kind, record)
    return record


# Customers ---------------------------------------------------------------------------------------------------------

async def create_customer(uow: CatalogUnitOfWork, customer: Customer) -> Customer:
    await check_service_zone(uow, customer.service_zone_code)
    if not await uow.resource_allocation.add_customer(customer):
        raise MasterDataExistsError(f"customer {customer.no} exists already", customer_no=customer.no)
    return customer


async def get_customer(uow: CatalogUnitOfWork, no: str, *, for_update: bool = False) -> Customer:
    customer = await uow.resource_allocation.get_customer(no, for_update=for_update)
    if customer is None:
        raise NotFoundInCatalogError(f"customer {no} does not exist", customer_no=no)
    return customer


async def list_customers(uow: CatalogUnitOfWork) -> list[Customer]:
    return await uow.resource_allocation.customers()


async def update_customer(uow: CatalogUnitOfWork, no: str, changes: dict[str, Any]) -> Customer:
    customer = replace(await get_customer(uow, no, for_update=True), **changes)
    await check_service_zone(uow, customer.service_zone_code)
    await uow.resource_allocation.update_customer(customer)
    return customer


# Resource skills ---------------------------------------------------------------------------------------------------

async def _check_skill_owner(uow: CatalogUnitOfWork, skill: ResourceSkill) -> None:
    owner: object | None
    if skill.type == ResourceSkillType.RESOURCE:
        owner = await uow.resources.get(skill.no)
    elif skill.type == ResourceSkillType.ITEM:
        owner = await uow.items.get(skill.no)
    else:
        owner = await uow.resource_allocation.get_code(ServiceMasterKind.SERVICE_ITEM_GROUPS, skill.no)
    if owner is None:
        raise UnknownReferenceError(f"{skill.type.lower()} {skill.no} does not exist", no=skill.no)
    if await uow.resource_allocation.get_code(ServiceMasterKind.SKILL_CODES, skill.skill_code) is None:
        raise UnknownReferenceError(f"skill code {skill.skill_code} does not exist", skill_code=skill.skill_code)


async def add_resource_skill(uow: CatalogUnitOfWork, skill: ResourceSkill) -> ResourceSkill:
    """Record that a resource has a skill, or that an item or a service item group requires it."""
    await _check_skill_owner(uow, skill)
    if not await uow.resource_allocation.add_skill(skill):
        raise MasterDataExistsError(f"{skill.type.lower()} {skill.no} has skill {skill.skill_code} already")
    return skill


async def remove_resource_skill(uow: CatalogUnitOfWork, skill: ResourceSkill) -> None:
    if not await uow.resource_allocation.remove_skill(skill):
        raise NotFoundInCatalogError(f"{skill.type.lower()} {skill.no} has no skill {skill.skill_code}")


async def list_resource_skills(uow: CatalogUnitOfWork, type: ResourceSkillType | None,
                               no: str | None) -> list[ResourceSkill]:
    return await uow.resource_allocation.skills(type, no)


async def _skill_codes(uow: CatalogUnitOfWork, type: ResourceSkillType, no: str) -> frozenset[str]:
    return frozenset(s.skill_code for s in await uow.resource_allocation.skills(type, no)) if no else frozenset()


# Service orders ----------------------------------------------------------------------------------------------------

async def create_service_order(uow: CatalogUnitOfWork, order: ServiceOrder) -> ServiceOrder:
    """Create the order, its lines in line number order."""
    order = replace(order, lines=tuple(sorted(order.lines, key=lambda line: line.line_no)))
    await get_customer(uow, order.customer_no)
    numbers = [line.line_no for line in order.lines]
    if len(set(numbers)) != len(numbers):
        raise InvalidServiceOrderError(f"service order {order.no} has a line number twice")
    for line in order.lines:
        if line.item_no and await uow.items.get(line.item_no) is None:
            raise UnknownReferenceError(f"line {line.line_no}: item {line.item_no} does not exist", item_no=line.item_no)
        if line.service_item_group_code and await uow.resource_allocation.get_code(
                ServiceMasterKind.SERVICE_ITEM_GROUPS, line.service_item_group_code) is None:
            raise UnknownReferenceError(f"line {line.line_no}: service item group {line.service_item_group_code} "
                                        "does not exist", service_item_group_code=line.service_item_group_code)
    if not await uow.resource_allocation.add_service_order(order):
        raise MasterDataExistsError(f"service order {order.no} exists already", service_order_no=order.no)
    return order


async def get_service_order(uow: CatalogUnitOfWork, no: str) -> ServiceOrder:
    order = await uow.resource_allocation.get_service_order(no)
    if order is None:
        raise NotFoundInCatalogError(f"service order {no} does not exist", service_order_no=no)
    return order


async def list_service_orders(uow: CatalogUnitOfWork, limit: int,
                              cursor: str | None) -> tuple[list[ServiceOrder], str | None]:
    after = decode_cursor(cursor) or ""
    found = await uow.resource_allocation.service_orders_after(str(after), limit + 1)
    return paginate(found, limit, lambda order: order.no)


async def _service_line(uow: CatalogUnitOfWork, no: str, line_no: int) -> tuple[ServiceOrder, ServiceOrderLine]:
    order = await get_service_order(uow, no)
    line = order.line(line_no)
    if line is None:
        raise NotFoundInCatalogError(f"service order {no} has no line {line_no}", service_order_no=no, line_no=line_no)
    return order, line


# Demands: what a line asks of a resource ---------------------------------------------------------------------------

async def service_line_demand(uow: CatalogUnitOfWork, no: str, line_no: int, day: date | None,
                              hours: Decimal | None) -> Demand:
    """The skills of the line's item and service item group, the customer's zone, the day (default: the needed date)
    and the hours (default: the hours needed)."""
    order, line = await _service_line(uow, no, line_no)
    customer = await get_customer(uow, order.customer_no)
    skills = (await _skill_codes(uow, ResourceSkillType.ITEM, line.item_no)
              | await _skill_codes(uow, ResourceSkillType.SERVICE_ITEM_GROUP, line.service_item_group_code))
    return Demand(skills, customer.service_zone_code or None, day or line.needed_date,
                  hours if hours is not None else line.hours_needed)


async def assembly_line_demand(uow: CatalogUnitOfWork, parent_item_no: str, day: date, hours: Decimal) -> Demand:
    """The skills of the assembled (parent) item, in any zone."""
    if await uow.items.get(parent_item_no) is None:
        raise UnknownReferenceError(f"item {parent_item_no} does not exist", item_no=parent_item_no)
    return Demand(await _skill_codes(uow, ResourceSkillType.ITEM, parent_item_no), None, day, hours)


async def _candidate(uow: CatalogUnitOfWork, resource: Resource, day: date) -> Candidate:
    allocated = await uow.resource_allocation.allocated_hours(day, day, [resource.no])
    return Candidate(resource, await _skill_codes(uow, ResourceSkillType.RESOURCE, resource.no),
                     allocated.get((resource.no, day), Decimal(0)))


async def qualified_resources(uow: CatalogUnitOfWork, demand: Demand) -> list[Candidate]:
    """The resources that may take the demand, each with its free hours on the day."""
    resources = await uow.resources.all()
    allocated = await uow.resource_allocation.allocated_hours(demand.day, demand.day)
    skills: dict[str, set[str]] = {r.no: set() for r in resources}
    for skill in await uow.resource_allocation.skills(ResourceSkillType.RESOURCE):
        skills.get(skill.no, set()).add(skill.skill_code)
    candidates = [Candidate(r, frozenset(skills[r.no]), allocated.get((r.no, demand.day), Decimal(0))) for r in resources]
    return qualified(candidates, demand)


# Allocating --------------------------------------------------------------------------------------------------------

async def allocate(uow: CatalogUnitOfWork, demand: Demand, allocation: ResourceAllocation) -> ResourceAllocation:
    """Record an active allocation of the demand's hours on its day, if the resource qualifies and has them free.

    The line is locked first, then the resource's row: two allocations to one line, or of one resource, wait for
    each other, so two resources cannot both take a line and two lines cannot both take a resource's last free hours.
    """
    await uow.resource_allocation.lock_source_line(allocation.source_type, allocation.source_no, allocation.source_line_no)
    resource = await get_resource(uow, allocation.resource_no, for_update=True)
    others = [a for a in await uow.resource_allocation.allocations(
        source_type=allocation.source_type, source_no=allocation.source_no, source_line_no=allocation.source_line_no,
        status=AllocationStatus.ACTIVE) if a.resource_no != resource.no]
    if others:
        raise LineAllocatedToOtherResourceError(
            f"{allocation.source_type} {allocation.source_no} line {allocation.source_line_no} is allocated to "
            f"resource {others[0].resource_no} (entry {others[0].entry_no}); cancel that first",
            entry_no=others[0].entry_no)
    candidate = await _candidate(uow, resource, demand.day)
    failures = qualification_failures(candidate, demand)
    if failures:
        raise ResourceNotQualifiedError(f"resource {resource.no} {'; '.join(failures)}", resource_no=resource.no)
    if not has_capacity(candidate, demand):
        raise InsufficientCapacityError(
            f"resource {resource.no} has {candidate.free_hours} hours free on {demand.day}, not {demand.hours}",
            resource_no=resource.no, free_hours=str(candidate.free_hours))
    return await uow.resource_allocation.add_allocation(
        replace(allocation, allocation_date=demand.day, hours=demand.hours, status=AllocationStatus.ACTIVE))


async def allocate_to_service_line(uow: CatalogUnitOfWork, no: str, line_no: int, resource_no: str, day: date | None,
                                   hours: Decimal | None) -> ResourceAllocation:
    demand = await service_line_demand(uow, no, line_no, day, hours)
    return await allocate(uow, demand, ResourceAllocation(
        0, AllocationSourceType.SERVICE_ORDER, no, line_no, resource_no, demand.day, demand.hours))


async def allocate_to_assembly_line(uow: CatalogUnitOfWork, no: str, line_no: int, parent_item_no: str,
                                    resource_no: str, day: date, hours: Decimal) -> ResourceAllocation:
    demand = await assembly_line_demand(uow, parent_item_no, day, hours)
    return await allocate(uow, demand, ResourceAllocation(
        0, AllocationSourceType.ASSEMBLY, no, line_no, resource_no, day, hours, parent_item_no=parent_item_no))


async def get_allocation(uow: CatalogUnitOfWork, entry_no: int, *, for_update: bool = False) -> ResourceAllocation:
    allocation = await uow.resource_allocation.get_allocation(entry_no, for_update=for_update)
    if allocation is None:
        raise NotFoundInCatalogError(f"resource allocation {entry_no} does not exist", entry_no=entry_no)
    return allocation


async def cancel_allocation(uow: CatalogUnitOfWork, entry_no: int) -> ResourceAllocation:
    """Cancel an allocation: its hours are free again. Cancelling a cancelled allocation changes nothing."""
    allocation = await get_allocation(uow, entry_no, for_update=True)
    if allocation.status != AllocationStatus.CANCELED:
        await uow.resource_allocation.set_allocation_status(entry_no, AllocationStatus.CANCELED)
    return replace(allocation, status=AllocationStatus.CANCELED)


async def list_allocations(uow: CatalogUnitOfWork, **filters: Any) -> list[ResourceAllocation]:
    return await uow.resource_allocation.allocations(**filters)


# Availability ------------------------------------------------------------------------------------------------------

async def resource_availability(uow: CatalogUnitOfWork, no: str, first: date, last: date) -> list[DayAvailability]:
    if last < first:
        raise InvalidPeriodError(f"the period ends ({last}) before it starts ({first})")
    if (last - first).days + 1 > MAX_AVAILABILITY_DAYS:
        raise InvalidPeriodError(f"a period of at most {MAX_AVAILABILITY_DAYS} days at once")
    resource = await get_resource(uow, no)
    allocated = await uow.resource_allocation.allocated_hours(first, last, [no])
    return availability(resource, {day: hours for (_, day), hours in allocated.items()}, first, last)
