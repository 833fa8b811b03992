"""Searching item cards against the in-memory unit of work."""

from decimal import Decimal
from typing import Any

import pytest

from inventory_contracts.catalog import CostingMethod, ItemType
from servicekit.pagination import InvalidCursorError

from catalog.adapters.memory import InMemoryCatalogUnitOfWork
from catalog.domain.errors import InvalidSearchError
from catalog.domain.model import AttributeType, Item, ItemAttribute, ItemCategory
from catalog.service_layer import items, search


def card(item_no: str, **fields: Any) -> Item:
    return Item(**{"item_no": item_no, "description": "Bike", "type": ItemType.INVENTORY, "base_unit_of_measure": "PCS",
                   "costing_method": CostingMethod.FIFO, "inventory_posting_group": "RESALE",
                   "gen_prod_posting_group": "RETAIL", **fields})


@pytest.fixture
async def stocked(uow: InMemoryCatalogUnitOfWork) -> InMemoryCatalogUnitOfWork:
    await uow.attributes.add(ItemAttribute("Width", AttributeType.DECIMAL))
    await uow.attributes.add(ItemAttribute("Color", AttributeType.OPTION, options=("Red", "Blue")))
    await uow.categories.add(ItemCategory("BIKES"))
    await uow.categories.add(ItemCategory("ROAD", "BIKES"))
    await items.create_item(uow, card("A1", description="Red lamp", unit_price=Decimal(3), attributes={"Width": "10"}))
    await items.create_item(uow, card("A2", description="Road bike", unit_price=Decimal(1), item_category_code="ROAD",
                                      attributes={"Color": "Blue", "Width": "55"}))
    await items.create_item(uow, card("A3", description="Service", type=ItemType.SERVICE, unit_price=Decimal(2)))
    return uow


async def numbers(uow: InMemoryCatalogUnitOfWork, **conditions: Any) -> list[str]:
    found, _ = await search.search_items(uow, **conditions)
    return [item.item_no for item in found]


async def test_conditions_all_hold(stocked: InMemoryCatalogUnitOfWork) -> None:
    assert await numbers(stocked, text="LAMP") == ["A1"]
    assert await numbers(stocked, type=ItemType.SERVICE) == ["A3"]
    assert await numbers(stocked, category="BIKES") == ["A2"]
    assert await numbers(stocked, attributes=["Width:range:5..20"]) == ["A1"]
    assert await numbers(stocked, attributes=["Color:eq:Blue", "Width:range:50.."]) == ["A2"]


async def test_sorted_and_paged_by_cursor(stocked: InMemoryCatalogUnitOfWork) -> None:
    first, cursor = await search.search_items(stocked, sort="-unit_price", limit=2)
    assert [i.item_no for i in first] == ["A1", "A3"] and cursor is not None
    rest, end = await search.search_items(stocked, sort="-unit_price", limit=2, cursor=cursor)
    assert [i.item_no for i in rest] == ["A2"] and end is None


async def test_refusals(stocked: InMemoryCatalogUnitOfWork) -> None:
    with pytest.raises(InvalidSearchError):
        await search.search_items(stocked, sort="price")
    with pytest.raises(InvalidSearchError):
        await search.search_items(stocked, attributes=["Nope:eq:1"])
    _, cursor = await search.search_items(stocked, sort="item_no", limit=1)
    with pytest.raises(InvalidCursorError):
        await search.search_items(stocked, sort="description", cursor=cursor)
