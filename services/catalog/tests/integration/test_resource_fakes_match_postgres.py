"""The in-memory resource repositories answer as the PostgreSQL ones do: master data, skills, a service order,
proposals, allocations (made, refused, cancelled) and availability are played through the use cases on both units of
work, and what they read back is compared."""

from datetime import date
from decimal import Decimal
from typing import Any

import asyncpg

from inventory_contracts.catalog import CostingMethod, ItemType
from servicekit.errors import ServiceError

from catalog.adapters.memory import InMemoryCatalogUnitOfWork
from catalog.adapters.unit_of_work import PostgresCatalogUnitOfWork
from catalog.domain.model import Item
from catalog.domain.resource_allocation import (
    CodeDescription,
    Customer,
    ResourceSkill,
    ResourceSkillType,
    ServiceMasterKind,
    ServiceOrder,
    ServiceOrderLine,
)
from catalog.domain.resources import Resource, ResourceType
from catalog.service_layer import items, resource_allocation, resources
from catalog.service_layer.unit_of_work import CatalogUnitOfWork

DAY = date(2027, 3, 1)


async def play(uow: CatalogUnitOfWork) -> dict[str, Any]:
    for kind, code in ((ServiceMasterKind.SERVICE_ZONES, "RZ"), (ServiceMasterKind.SKILL_CODES, "RS1"),
                       (ServiceMasterKind.SKILL_CODES, "RS2"), (ServiceMasterKind.SERVICE_ITEM_GROUPS, "RG")):
        await resource_allocation.create_code(uow, kind, CodeDescription(code, f"{code} first"))
    await resource_allocation.update_code(uow, ServiceMasterKind.SKILL_CODES, "RS2", "second")
    await items.create_item(uow, Item("RI1", "Pump", ItemType.INVENTORY, "PCS", CostingMethod.FIFO, "RESALE", "RETAIL"))
    await resource_allocation.create_customer(uow, Customer("RC1", "Customer", "RZ"))
    for no, zone in (("RR1", "RZ"), ("RR2", "RZ"), ("RR3", "")):
        await resources.create_resource(uow, Resource(no, no, ResourceType.PERSON, "HOUR", Decimal("40"), Decimal("7.5"),
                                                      capacity_per_day=Decimal(8), service_zone_code=zone))
    await resources.update_resource(uow, "RR2", {"capacity_per_day": Decimal("4")})
    for type_, no, skill in ((ResourceSkillType.ITEM, "RI1", "RS1"), (ResourceSkillType.SERVICE_ITEM_GROUP, "RG", "RS2"),
                             (ResourceSkillType.RESOURCE, "RR1", "RS1"), (ResourceSkillType.RESOURCE, "RR1", "RS2"),
                             (ResourceSkillType.RESOURCE, "RR2", "RS1"), (ResourceSkillType.RESOURCE, "RR2", "RS2"),
                             (ResourceSkillType.RESOURCE, "RR3", "RS1")):
        await resource_allocation.add_resource_skill(uow, ResourceSkill(type_, no, skill))
    await resource_allocation.remove_resource_skill(uow, ResourceSkill(ResourceSkillType.RESOURCE, "RR3", "RS1"))
    await resource_allocation.create_service_order(uow, ServiceOrder("RSO1", "RC1", DAY, (
        ServiceOrderLine(2, DAY, Decimal("3"), item_no="RI1", service_item_group_code="RG", description="Pump repair"),
        ServiceOrderLine(1, DAY, Decimal("1")),
    )))
    first = await resource_allocation.allocate_to_service_line(uow, "RSO1", 2, "RR1", None, None)
    await resource_allocation.allocate_to_service_line(uow, "RSO1", 2, "RR1", DAY, Decimal("2.5"))
    await resource_allocation.allocate_to_assembly_line(uow, "RA1", 1, "RI1", "RR2", DAY, Decimal("4"))
    await resource_allocation.cancel_allocation(uow, first.entry_no)
    refusals = []
    for attempt in (lambda: resource_allocation.allocate_to_service_line(uow, "RSO1", 1, "RR2", None, None),
                    lambda: resource_allocation.allocate_to_service_line(uow, "RSO1", 1, "RR3", None, None)):
        try:
            async with uow.savepoint():
                await attempt()
        except ServiceError as refusal:
            refusals.append(refusal.slug)
    demand = await resource_allocation.service_line_demand(uow, "RSO1", 2, None, Decimal("1"))
    page, cursor = await resources.list_resources(uow, 2, None)
    return {
        "codes": [await resource_allocation.list_codes(uow, kind) for kind in ServiceMasterKind],
        "customers": await resource_allocation.list_customers(uow),
        "resources": [page, cursor, await resources.list_resources(uow, 2, cursor)],
        "skills": [await resource_allocation.list_resource_skills(uow, None, None),
                   await resource_allocation.list_resource_skills(uow, ResourceSkillType.RESOURCE, "RR1")],
        "order": await resource_allocation.get_service_order(uow, "RSO1"),
        "orders": await resource_allocation.list_service_orders(uow, 10, None),
        "proposal": [(c.resource.no, c.free_hours) for c in await resource_allocation.qualified_resources(uow, demand)],
        "allocations": [(a.source_type, a.source_no, a.source_line_no, a.parent_item_no, a.resource_no, a.allocation_date,
                         a.hours, a.status) for a in await resource_allocation.list_allocations(uow)],
        "active of RR1": len(await resource_allocation.list_allocations(uow, resource_no="RR1", status="Active")),
        "refusals": refusals,
        "availability": [await resource_allocation.resource_availability(uow, no, DAY, date(2027, 3, 2))
                         for no in ("RR1", "RR2")],
    }


async def test_the_resource_fakes_read_back_what_postgresql_reads_back(catalog_database: asyncpg.Connection) -> None:
    in_memory = await play(InMemoryCatalogUnitOfWork())
    async with catalog_database.transaction():
        stored = await play(PostgresCatalogUnitOfWork(catalog_database))
    for what in stored:
        assert in_memory[what] == stored[what], what
    assert stored["proposal"] == [("RR1", Decimal("5.5"))]
    assert stored["refusals"] == ["insufficient-capacity", "resource-not-qualified"]
    assert [d.available_hours for d in stored["availability"][0]] == [Decimal("5.5"), Decimal(8)]
