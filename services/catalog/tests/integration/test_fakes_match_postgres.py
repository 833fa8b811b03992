"""The in-memory fakes answer as the PostgreSQL repositories do: attributes, categories, item cards (created, changed,
deleted), references and searches by every condition and sort, page by page, are played through the use cases on
both units of work, and what the use cases read back is compared. The unit tests run on the fakes; this keeps them
honest."""

from datetime import date
from decimal import Decimal
from typing import Any

import asyncpg

from inventory_contracts.catalog import BomComponentType, CostingMethod, ItemType, ResourceUsageType

from catalog.adapters.memory import InMemoryCatalogUnitOfWork
from catalog.adapters.unit_of_work import PostgresCatalogUnitOfWork
from catalog.domain.model import (
    AssemblyBomLine,
    AttributeType,
    Item,
    ItemAttribute,
    ItemCategory,
    ItemReference,
    ItemUnitOfMeasure,
)
from catalog.domain.resources import Resource, ResourceType
from catalog.service_layer import assembly, attributes, categories, items, references, search
from catalog.service_layer.unit_of_work import CatalogUnitOfWork

D = Decimal
SEARCHES: list[dict[str, Any]] = [
    {}, {"text": "bike"}, {"text": "RED"}, {"type": ItemType.SERVICE}, {"category": "CTBIKES"}, {"category": "CTROAD"},
    {"blocked": True}, {"blocked": False}, {"attributes": ["CTWidth:range:5..20"]}, {"attributes": ["CTWidth:range:50.."]},
    {"attributes": ["CTWidth:range:..55"]}, {"attributes": ["CTColor:eq:Blue"]}, {"attributes": ["CTColor:eq:blue"]},
    {"attributes": ["CTColor:eq:Blue", "CTWidth:range:50.."]}, {"attributes": ["CTFrame:eq:CARBON"]},
    {"sort": "-unit_price"}, {"sort": "unit_price"}, {"sort": "description"}, {"sort": "-description"},
    {"sort": "-item_no", "text": "t"},
]


def card(item_no: str, **fields: Any) -> Item:
    return Item(**{"item_no": item_no, "description": "Bike", "type": ItemType.INVENTORY, "base_unit_of_measure": "PCS",
                   "costing_method": CostingMethod.FIFO, "inventory_posting_group": "RESALE",
                   "gen_prod_posting_group": "RETAIL", **fields})


async def every_page(uow: CatalogUnitOfWork, conditions: dict[str, Any]) -> list[list[str]]:
    pages, cursor = [], None
    while True:
        found, cursor = await search.search_items(uow, **conditions, cursor=cursor, limit=2)
        pages.append([item.item_no for item in found])
        if cursor is None:
            return pages


async def play(uow: CatalogUnitOfWork) -> dict[str, Any]:
    await attributes.create_attribute(uow, ItemAttribute("CTWidth", AttributeType.DECIMAL, "mm"))
    await attributes.create_attribute(uow, ItemAttribute("CTColor", AttributeType.OPTION, options=("Red", "Blue")))
    await attributes.create_attribute(uow, ItemAttribute("CTFrame", AttributeType.TEXT))
    await attributes.update_attribute(uow, "CTFrame", {"unit_of_measure": "", "blocked": False})
    await categories.create_category(uow, ItemCategory("CTBIKES", attributes={"CTFrame": "STEEL"}))
    await categories.create_category(uow, ItemCategory("CTROAD", "CTBIKES", "Road bikes"))
    await items.create_item(uow, card("CT1", description="Red lamp", unit_price=D(3), attributes={"CTWidth": "10"}))
    await items.create_item(uow, card("CT2", description="Road bike", unit_price=D("1.5"), item_category_code="CTROAD",
                                      attributes={"CTColor": "Blue", "CTWidth": "55"}))
    await items.create_item(uow, card("CT3", description="Service", type=ItemType.SERVICE, unit_price=D(2)))
    await items.create_item(uow, card("CT4", description="Touring bike", unit_price=D(2), item_category_code="CTBIKES",
                                      attributes={"CTFrame": "CARBON", "CTWidth": "20"}))
    await items.create_item(uow, card("CT5", description="Bell", unit_price=D("0.5")))
    await items.create_item(uow, card("CT6", description="to be deleted"))
    await items.update_item(uow, "CT5", 1, {"blocked": True, "description": "Bell, brass"})
    await items.delete_item(uow, "CT6", 1)
    await references.add_reference(uow, ItemReference("CT2", "Bar Code", "4000001", description="Road bike, boxed"))
    await references.add_reference(uow, ItemReference("CT4", "Vendor", "V-77", "V1", ending_date=date(2026, 6, 30)))
    return {
        "cards": [await items.get_item(uow, no) for no in ("CT1", "CT2", "CT3", "CT4", "CT5")],
        "attributes": [a for a in await attributes.list_attributes(uow) if a.name.startswith("CT")],
        "categories": [c for c in await categories.list_categories(uow) if c.code.startswith("CT")],
        "searches": [await every_page(uow, conditions) for conditions in SEARCHES],
        "references": [[(r.reference_type, r.reference_no) for r in await references.references_of(uow, no)]
                       for no in ("CT2", "CT4")],
        "lookups": [await references.lookup(uow, "4000001", None, None, None),
                    await references.lookup(uow, "V-77", "Vendor", "V1", date(2026, 6, 30))],
    }


async def test_the_fakes_read_back_what_postgresql_reads_back(catalog_database: asyncpg.Connection) -> None:
    in_memory = await play(InMemoryCatalogUnitOfWork())
    async with catalog_database.transaction():
        stored = await play(PostgresCatalogUnitOfWork(catalog_database))
    for what in stored:
        assert in_memory[what] == stored[what], what
    assert stored["searches"][0] == [["CT1", "CT2"], ["CT3", "CT4"], ["CT5"]]


async def play_assembly(uow: CatalogUnitOfWork) -> dict[str, Any]:
    """Assembly BOMs: where-used (a deleted parent uses nothing), costing's unit costs (the later sequence wins),
    resources named by a BOM, and what the use cases built on them read back."""
    for no in ("AS1", "AS2", "AS3", "AS4", "AS5"):
        await items.create_item(uow, card(no, units_of_measure=(ItemUnitOfMeasure("BOX", D(10)),)))
    await uow.resources.add(Resource("ASR", "Fitter", ResourceType.PERSON, "HOUR", D(20), D(10)))
    await uow.assembly.set_unit_cost("AS3", D("1.5"), 2)
    await uow.assembly.set_unit_cost("AS3", D("9"), 1)
    await assembly.replace_assembly_bom(uow, "AS2", 1, [
        AssemblyBomLine(10, BomComponentType.ITEM, "AS3", quantity_per=D("0.5"), unit_of_measure_code="BOX"),
        AssemblyBomLine(20, BomComponentType.RESOURCE, "ASR", quantity_per=D(1), resource_usage_type=ResourceUsageType.FIXED),
        AssemblyBomLine(30, BomComponentType.TEXT, description="note"),
    ])
    await assembly.replace_assembly_bom(uow, "AS1", 1, [AssemblyBomLine(10, BomComponentType.ITEM, "AS2", quantity_per=D(2)),
                                                        AssemblyBomLine(20, BomComponentType.ITEM, "AS3", quantity_per=D(1))])
    await assembly.replace_assembly_bom(uow, "AS5", 1, [AssemblyBomLine(10, BomComponentType.ITEM, "AS3", quantity_per=D(1))])
    await items.delete_item(uow, "AS5", 2)
    rolled = await assembly.calculate_standard_cost(uow, "AS1", all_levels=True)
    return {
        "cards": [await items.get_item(uow, no) for no in ("AS1", "AS2", "AS3")],
        "tree": await assembly.bom_tree(uow, "AS1"),
        "where_used": await assembly.where_used(uow, "AS3"),
        "uses": await uow.assembly.uses_of(["AS2", "AS3", "AS4"]),
        "resources": await uow.assembly.resources(["ASR", "NONE"]),
        "rolled": (rolled.updated, rolled.shares),
    }


async def test_the_assembly_fakes_read_back_what_postgresql_reads_back(catalog_database: asyncpg.Connection) -> None:
    in_memory = await play_assembly(InMemoryCatalogUnitOfWork())
    async with catalog_database.transaction():
        stored = await play_assembly(PostgresCatalogUnitOfWork(catalog_database))
    for what in stored:
        assert in_memory[what] == stored[what], what
    assert [e.item_no for e in stored["where_used"]] == ["AS1", "AS2", "AS1"]
    assert stored["cards"][2].unit_cost == D("1.5")
    # AS2: 5 x 1.50 = 7.50 material + 20.00 capacity + 2.00 capacity overhead (one fixed hour, lot of 1) = 29.50;
    # AS1: 2 x 29.50 + 1.50.
    assert [c.standard_cost for c in stored["cards"][:2]] == [D("60.5"), D("29.5")]
