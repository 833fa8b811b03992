"""The resource card against the in-memory unit of work."""

from decimal import Decimal

import pytest

from catalog.adapters.memory import InMemoryCatalogUnitOfWork
from catalog.domain.errors import ResourceExistsError, ResourceNotFoundError
from catalog.domain.resources import Resource, ResourceType, resource_unit_cost
from catalog.service_layer import resources


def person(no: str = "R1", **fields: object) -> Resource:
    return Resource(**{"no": no, "name": "Lina Townsend", "type": ResourceType.PERSON, "base_unit_of_measure": "HOUR",
                       **fields})  # type: ignore[arg-type]


class TestUnitCost:
    def test_indirect_cost_is_added_to_the_direct_unit_cost(self) -> None:
        assert resource_unit_cost(Decimal("60"), Decimal("10")) == Decimal("66.00000")

    def test_the_unit_cost_is_rounded_to_five_places(self) -> None:
        assert resource_unit_cost(Decimal("40.12345"), Decimal("12.5")) == Decimal("45.13888")

    def test_a_half_at_the_sixth_place_rounds_up(self) -> None:
        # 1.00005 * 1.1 = 1.100055 exactly: BC's nearest rounding takes it up, not to the even neighbour.
        assert resource_unit_cost(Decimal("1.00005"), Decimal("10")) == Decimal("1.10006")


class TestResourceCard:
    async def test_a_created_resource_is_read_back_with_its_unit_cost(self, uow: InMemoryCatalogUnitOfWork) -> None:
        await resources.create_resource(uow, person(direct_unit_cost=Decimal("60"), indirect_cost_pct=Decimal("10")))
        found = await resources.get_resource(uow, "R1")
        assert found.unit_cost == Decimal("66.00000")

    async def test_a_second_resource_with_the_same_number_is_refused(self, uow: InMemoryCatalogUnitOfWork) -> None:
        await resources.create_resource(uow, person())
        with pytest.raises(ResourceExistsError):
            await resources.create_resource(uow, person(name="Other"))

    async def test_changing_the_indirect_cost_changes_the_unit_cost(self, uow: InMemoryCatalogUnitOfWork) -> None:
        await resources.create_resource(uow, person(direct_unit_cost=Decimal("50")))
        changed = await resources.update_resource(uow, "R1", {"indirect_cost_pct": Decimal("20")})
        assert changed.unit_cost == Decimal("60.00000")
        assert (await resources.get_resource(uow, "R1")).indirect_cost_pct == Decimal("20")

    async def test_an_unknown_resource_is_not_found(self, uow: InMemoryCatalogUnitOfWork) -> None:
        with pytest.raises(ResourceNotFoundError):
            await resources.update_resource(uow, "NOPE", {"name": "x"})

    async def test_the_list_pages_in_number_order(self, uow: InMemoryCatalogUnitOfWork) -> None:
        for no in ("R3", "R1", "R2"):
            await resources.create_resource(uow, person(no))
        first, cursor = await resources.list_resources(uow, 2, None)
        assert [r.no for r in first] == ["R1", "R2"] and cursor
        rest, end = await resources.list_resources(uow, 2, cursor)
        assert [r.no for r in rest] == ["R3"] and end is None
