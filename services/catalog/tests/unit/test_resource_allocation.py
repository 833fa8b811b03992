"""Qualification and capacity rules of resource allocation, and the use cases on the in-memory unit of work."""

from datetime import date
from decimal import Decimal

import pytest

from inventory_contracts.catalog import CostingMethod, ItemType

from catalog.adapters.memory import InMemoryCatalogUnitOfWork
from catalog.domain.errors import (
    InsufficientCapacityError,
    InvalidPeriodError,
    InvalidServiceOrderError,
    LineAllocatedToOtherResourceError,
    MasterDataExistsError,
    ResourceNotQualifiedError,
    UnknownReferenceError,
)
from catalog.domain.model import Item
from catalog.domain.resource_allocation import (
    AllocationSourceType,
    AllocationStatus,
    Candidate,
    CodeDescription,
    Customer,
    Demand,
    ResourceSkill,
    ResourceSkillType,
    ServiceMasterKind,
    ServiceOrder,
    ServiceOrderLine,
    availability,
    qualification_failures,
    qualified,
)
from catalog.domain.resources import Resource, ResourceType
from catalog.service_layer import items, resource_allocation, resources

DAY = date(2027, 1, 25)


def tech(no: str, zone: str = "NORTH", capacity: str = "8", blocked: bool = False) -> Resource:
    return Resource(no, f"Technician {no}", ResourceType.PERSON, "HOUR", capacity_per_day=Decimal(capacity),
                    service_zone_code=zone, blocked=blocked)


def demand(skills: set[str], zone: str | None = "NORTH", hours: str = "3") -> Demand:
    return Demand(frozenset(skills), zone, DAY, Decimal(hours))


class TestQualification:
    def test_a_resource_needs_every_required_skill(self) -> None:
        needs = demand({"ELEC", "HVAC"})
        assert qualification_failures(Candidate(tech("R1"), frozenset({"ELEC", "HVAC", "PLUMB"}), Decimal(0)), needs) == []
        assert qualification_failures(Candidate(tech("R2"), frozenset({"ELEC"}), Decimal(0)), needs) == [
            "lacks skills HVAC"]

    def test_a_resource_must_be_in_the_customers_zone_when_there_is_one(self) -> None:
        south = Candidate(tech("R1", zone="SOUTH"), frozenset(), Decimal(0))
        assert qualification_failures(south, demand(set())) == ["is not in service zone NORTH"]
        assert qualification_failures(south, demand(set(), zone=None)) == []

    def test_a_blocked_resource_does_not_qualify(self) -> None:
        assert qualification_failures(Candidate(tech("R1", blocked=True), frozenset(), Decimal(0)), demand(set())) == [
            "is blocked"]

    def test_free_hours_are_capacity_less_allocated_and_must_cover_the_hours(self) -> None:
        exact = Candidate(tech("R1"), frozenset({"ELEC"}), Decimal("5"))
        short = Candidate(tech("R2"), frozenset({"ELEC"}), Decimal("5.00001"))
        assert exact.free_hours == Decimal("3")
        assert qualified([short, exact], demand({"ELEC"})) == [exact]

    def test_only_the_qualified_with_capacity_are_proposed_in_number_order(self) -> None:
        candidates = [
            Candidate(tech("R3"), frozenset({"ELEC"}), Decimal(0)),
            Candidate(tech("R1"), frozenset({"ELEC"}), Decimal(0)),
            Candidate(tech("R2"), frozenset(), Decimal(0)),
            Candidate(tech("R4", zone="SOUTH"), frozenset({"ELEC"}), Decimal(0)),
            Candidate(tech("R5", blocked=True), frozenset({"ELEC"}), Decimal(0)),
            Candidate(tech("R6", capacity="2"), frozenset({"ELEC"}), Decimal(0)),
        ]
        assert [c.resource.no for c in qualified(candidates, demand({"ELEC"}))] == ["R1", "R3"]

    def test_availability_lists_every_day_with_its_allocated_hours(self) -> None:
        days = availability(tech("R1"), {date(2027, 1, 26): Decimal("5.5")}, date(2027, 1, 25), date(2027, 1, 27))
        assert [(d.day.day, d.capacity, d.allocated_hours, d.available_hours) for d in days] == [
            (25, Decimal(8), Decimal(0), Decimal(8)),
            (26, Decimal(8), Decimal("5.5"), Decimal("2.5")),
            (27, Decimal(8), Decimal(0), Decimal(8)),
        ]


async def setup_service(uow: InMemoryCatalogUnitOfWork) -> None:
    """A customer in zone NORTH; item 1000 requires ELEC, service item group HEAT requires HVAC."""
    for kind, code in ((ServiceMasterKind.SERVICE_ZONES, "NORTH"), (ServiceMasterKind.SERVICE_ZONES, "SOUTH"),
                       (ServiceMasterKind.SKILL_CODES, "ELEC"), (ServiceMasterKind.SKILL_CODES, "HVAC"),
                       (ServiceMasterKind.SERVICE_ITEM_GROUPS, "HEAT")):
        await resource_allocation.create_code(uow, kind, CodeDescription(code))
    await items.create_item(uow, Item("1000", "Boiler", ItemType.INVENTORY, "PCS", CostingMethod.FIFO, "RESALE", "RETAIL"))
    await resource_allocation.create_customer(uow, Customer("C1", "Heating Ltd", "NORTH"))
    for r in (tech("R1"), tech("R2"), tech("R3", zone="SOUTH")):
        await resources.create_resource(uow, r)
    for skill in (ResourceSkill(ResourceSkillType.ITEM, "1000", "ELEC"),
                  ResourceSkill(ResourceSkillType.SERVICE_ITEM_GROUP, "HEAT", "HVAC"),
                  ResourceSkill(ResourceSkillType.RESOURCE, "R1", "ELEC"), ResourceSkill(ResourceSkillType.RESOURCE, "R1", "HVAC"),
                  ResourceSkill(ResourceSkillType.RESOURCE, "R2", "ELEC"),
                  ResourceSkill(ResourceSkillType.RESOURCE, "R3", "ELEC"), ResourceSkill(ResourceSkillType.RESOURCE, "R3", "HVAC")):
        await resource_allocation.add_resource_skill(uow, skill)
    await resource_allocation.create_service_order(uow, ServiceOrder("SO1", "C1", DAY, (
        ServiceOrderLine(10000, DAY, Decimal("5"), item_no="1000", service_item_group_code="HEAT"),
        ServiceOrderLine(20000, DAY, Decimal("2"), item_no="1000"),
    )))


class TestAllocatingToAServiceOrder:
    async def test_only_resources_with_the_items_and_the_groups_skills_in_the_zone_are_proposed(
            self, uow: InMemoryCatalogUnitOfWork) -> None:
        await setup_service(uow)
        needs = await resource_allocation.service_line_demand(uow, "SO1", 10000, None, None)
        assert needs == Demand(frozenset({"ELEC", "HVAC"}), "NORTH", DAY, Decimal("5"))
        assert [c.resource.no for c in await resource_allocation.qualified_resources(uow, needs)] == ["R1"]
        line_2 = await resource_allocation.service_line_demand(uow, "SO1", 20000, None, None)
        assert [c.resource.no for c in await resource_allocation.qualified_resources(uow, line_2)] == ["R1", "R2"]

    async def test_an_allocation_takes_the_hours_and_a_cancelled_one_gives_them_back(
            self, uow: InMemoryCatalogUnitOfWork) -> None:
        await setup_service(uow)
        first = await resource_allocation.allocate_to_service_line(uow, "SO1", 10000, "R1", None, None)
        assert (first.resource_no, first.hours, first.status) == ("R1", Decimal("5"), AllocationStatus.ACTIVE)
        line_2 = await resource_allocation.service_line_demand(uow, "SO1", 20000, None, Decimal("3.5"))
        proposed = {c.resource.no: c.free_hours for c in await resource_allocation.qualified_resources(uow, line_2)}
        assert proposed == {"R2": Decimal("8")}  # R1 has 3 hours left, fewer than 3.5
        with pytest.raises(InsufficientCapacityError):
            await resource_allocation.allocate_to_service_line(uow, "SO1", 20000, "R1", None, Decimal("3.5"))
        await resource_allocation.cancel_allocation(uow, first.entry_no)
        again = await resource_allocation.allocate_to_service_line(uow, "SO1", 20000, "R1", None, Decimal("8"))
        assert again.hours == Decimal("8")

    async def test_an_unqualified_resource_is_refused_with_the_reasons(self, uow: InMemoryCatalogUnitOfWork) -> None:
        await setup_service(uow)
        with pytest.raises(ResourceNotQualifiedError, match="lacks skills HVAC"):
            await resource_allocation.allocate_to_service_line(uow, "SO1", 10000, "R2", None, None)
        with pytest.raises(ResourceNotQualifiedError, match="not in service zone NORTH"):
            await resource_allocation.allocate_to_service_line(uow, "SO1", 10000, "R3", None, None)
        await resources.update_resource(uow, "R1", {"blocked": True})
        with pytest.raises(ResourceNotQualifiedError, match="blocked"):
            await resource_allocation.allocate_to_service_line(uow, "SO1", 10000, "R1", None, None)
        assert await resource_allocation.list_allocations(uow) == []

    async def test_a_line_takes_one_resource_at_a_time(self, uow: InMemoryCatalogUnitOfWork) -> None:
        await setup_service(uow)
        await resource_allocation.allocate_to_service_line(uow, "SO1", 20000, "R1", None, Decimal("1"))
        await resource_allocation.allocate_to_service_line(uow, "SO1", 20000, "R1", date(2027, 1, 26), Decimal("1"))
        with pytest.raises(LineAllocatedToOtherResourceError):
            await resource_allocation.allocate_to_service_line(uow, "SO1", 20000, "R2", None, None)

    async def test_a_service_order_names_what_exists(self, uow: InMemoryCatalogUnitOfWork) -> None:
        await setup_service(uow)
        line = ServiceOrderLine(10000, DAY, Decimal("1"), item_no="NOPE")
        with pytest.raises(UnknownReferenceError):
            await resource_allocation.create_service_order(uow, ServiceOrder("SO2", "C1", DAY, (line,)))
        twice = ServiceOrderLine(10000, DAY, Decimal("1"))
        with pytest.raises(InvalidServiceOrderError):
            await resource_allocation.create_service_order(uow, ServiceOrder("SO2", "C1", DAY, (twice, twice)))
        with pytest.raises(MasterDataExistsError):
            await resource_allocation.create_service_order(uow, ServiceOrder("SO1", "C1", DAY, (twice,)))

    async def test_skills_name_existing_codes_and_owners(self, uow: InMemoryCatalogUnitOfWork) -> None:
        await setup_service(uow)
        with pytest.raises(UnknownReferenceError):
            await resource_allocation.add_resource_skill(uow, ResourceSkill(ResourceSkillType.RESOURCE, "R1", "WELD"))
        with pytest.raises(UnknownReferenceError):
            await resource_allocation.add_resource_skill(uow, ResourceSkill(ResourceSkillType.ITEM, "NOPE", "ELEC"))
        with pytest.raises(UnknownReferenceError):
            await resources.create_resource(uow, tech("R9", zone="WEST"))


class TestAllocatingToAnAssemblyLine:
    async def test_the_parent_items_skills_are_required_in_any_zone(self, uow: InMemoryCatalogUnitOfWork) -> None:
        await setup_service(uow)
        needs = await resource_allocation.assembly_line_demand(uow, "1000", DAY, Decimal("6"))
        assert needs.service_zone_code is None
        assert [c.resource.no for c in await resource_allocation.qualified_resources(uow, needs)] == ["R1", "R2", "R3"]
        made = await resource_allocation.allocate_to_assembly_line(uow, "A-1", 10000, "1000", "R3", DAY, Decimal("6"))
        assert (made.source_type, made.source_no, made.source_line_no, made.parent_item_no) == (
            AllocationSourceType.ASSEMBLY, "A-1", 10000, "1000")
        with pytest.raises(InsufficientCapacityError):
            await resource_allocation.allocate_to_assembly_line(uow, "A-2", 10000, "1000", "R3", DAY, Decimal("2.5"))


class TestAvailability:
    async def test_cancelled_allocations_do_not_count(self, uow: InMemoryCatalogUnitOfWork) -> None:
        await setup_service(uow)
        kept = await resource_allocation.allocate_to_service_line(uow, "SO1", 10000, "R1", None, Decimal("2"))
        dropped = await resource_allocation.allocate_to_service_line(uow, "SO1", 10000, "R1", None, Decimal("4"))
        await resource_allocation.cancel_allocation(uow, dropped.entry_no)
        days = await resource_allocation.resource_availability(uow, "R1", DAY, DAY)
        assert [(d.allocated_hours, d.available_hours) for d in days] == [(kept.hours, Decimal("6"))]

    async def test_a_period_that_ends_before_it_starts_is_refused(self, uow: InMemoryCatalogUnitOfWork) -> None:
        await setup_service(uow)
        with pytest.raises(InvalidPeriodError):
            await resource_allocation.resource_availability(uow, "R1", DAY, date(2027, 1, 1))
