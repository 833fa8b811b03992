"""Use cases of catalog (nonstock) items and item references against the in-memory unit of work."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from inventory_contracts.catalog import CostingMethod, ItemType

from catalog.adapters.memory import InMemoryCatalogUnitOfWork
from catalog.domain.errors import (
    InvalidItemCardError,
    InvalidNumberError,
    ItemNotFoundError,
    MasterDataExistsError,
    NotFoundInCatalogError,
    ReferenceExistsError,
    UnknownReferenceError,
)
from catalog.domain.model import (
    Item,
    ItemReference,
    ItemTemplate,
    ItemUnitOfMeasure,
    ItemVariant,
    NonstockItem,
    NonstockSetup,
)
from catalog.service_layer import items, nonstock, references

TEMPLATE = ItemTemplate("RESALE", "RESALE", "RETAIL", costing_method=CostingMethod.AVERAGE)


def offer(vendor_item_no: str = "V-1", **fields: Any) -> NonstockItem:
    return NonstockItem(**{"entry_no": 0, "vendor_no": "V10", "vendor_item_no": vendor_item_no, "manufacturer_code": "",
                           "description": "Lamp", "unit_of_measure": "PCS", "item_template_code": "RESALE",
                           "negotiated_cost": Decimal("1.10"), "unit_price": Decimal("2.50"), **fields})


def card(item_no: str = "1000", **fields: Any) -> Item:
    return Item(**{"item_no": item_no, "description": "Bike", "type": ItemType.INVENTORY, "base_unit_of_measure": "PCS",
                   "costing_method": CostingMethod.FIFO, "inventory_posting_group": "RESALE",
                   "gen_prod_posting_group": "RETAIL", **fields})


class TestTemplatesAndSetup:
    async def test_a_template_is_put_and_listed(self, uow: InMemoryCatalogUnitOfWork) -> None:
        assert await nonstock.put_template(uow, TEMPLATE) == TEMPLATE
        assert await nonstock.list_templates(uow) == [TEMPLATE]

    async def test_a_template_naming_unknown_master_data_is_refused(self, uow: InMemoryCatalogUnitOfWork) -> None:
        with pytest.raises(UnknownReferenceError):
            await nonstock.put_template(uow, ItemTemplate("T", "RESALE", "RETAIL", item_category_code="NONE"))
        with pytest.raises(UnknownReferenceError):
            await nonstock.put_template(uow, ItemTemplate("T", "RESALE", "RETAIL", item_tracking_code="NONE"))
        assert await nonstock.list_templates(uow) == []

    async def test_the_setup_is_put_and_read(self, uow: InMemoryCatalogUnitOfWork) -> None:
        setup = NonstockSetup("Item No. Series", "", "NS", 5, 7)
        assert await nonstock.put_setup(uow, setup) == setup
        assert await nonstock.get_setup(uow) == setup


class TestNonstockItems:
    async def test_created_with_an_entry_no_and_read(self, uow: InMemoryCatalogUnitOfWork) -> None:
        await nonstock.put_template(uow, TEMPLATE)
        created = await nonstock.create_nonstock_item(uow, offer())
        assert created.entry_no == 1
        assert await nonstock.get_nonstock_item(uow, 1) == created

    async def test_refusals(self, uow: InMemoryCatalogUnitOfWork) -> None:
        with pytest.raises(UnknownReferenceError):
            await nonstock.create_nonstock_item(uow, offer())
        await nonstock.put_template(uow, TEMPLATE)
        await nonstock.create_nonstock_item(uow, offer())
        with pytest.raises(MasterDataExistsError):
            await nonstock.create_nonstock_item(uow, offer())
        with pytest.raises(NotFoundInCatalogError):
            await nonstock.get_nonstock_item(uow, 99)

    async def test_listed_in_pages_by_entry_no(self, uow: InMemoryCatalogUnitOfWork) -> None:
        await nonstock.put_template(uow, TEMPLATE)
        for n in range(5):
            await nonstock.create_nonstock_item(uow, offer(f"V-{n}"))
        first, cursor = await nonstock.list_nonstock_items(uow, 2, None)
        second, cursor = await nonstock.list_nonstock_items(uow, 2, cursor)
        last, end = await nonstock.list_nonstock_items(uow, 2, cursor)
        assert [n.entry_no for n in first + second + last] == [1, 2, 3, 4, 5] and end is None


class TestConvert:
    async def test_the_first_call_creates_the_item_and_a_vendor_reference(self, uow: InMemoryCatalogUnitOfWork) -> None:
        await nonstock.put_template(uow, TEMPLATE)
        await nonstock.create_nonstock_item(uow, offer())
        item, created = await nonstock.convert(uow, 1)
        assert created and item.item_no == "V-1" and item.costing_method == CostingMethod.AVERAGE
        assert item.standard_cost == Decimal("1.10") and item.nonstock_entry_no == 1
        assert (await nonstock.get_nonstock_item(uow, 1)).item_no == "V-1"
        (reference,) = await references.references_of(uow, "V-1")
        assert (reference.reference_type, reference.reference_type_no, reference.reference_no) == ("Vendor", "V10", "V-1")
        (_, event), = uow.published
        assert event.payload.created_from_nonstock_item

    async def test_a_second_call_returns_the_same_item(self, uow: InMemoryCatalogUnitOfWork) -> None:
        await nonstock.put_template(uow, TEMPLATE)
        await nonstock.create_nonstock_item(uow, offer())
        first, _ = await nonstock.convert(uow, 1)
        again, created = await nonstock.convert(uow, 1)
        assert not created and again == first and len(uow.published) == 1

    async def test_a_number_series_counts_up(self, uow: InMemoryCatalogUnitOfWork) -> None:
        await nonstock.put_template(uow, TEMPLATE)
        await nonstock.put_setup(uow, NonstockSetup("Item No. Series", "", "NS", 5, 7))
        for n in range(2):
            await nonstock.create_nonstock_item(uow, offer(f"V-{n}"))
        assert [(await nonstock.convert(uow, n))[0].item_no for n in (1, 2)] == ["NS00007", "NS00008"]
        assert (await nonstock.get_setup(uow)).no_series_next == 9

    async def test_a_number_the_format_cannot_make_is_refused(self, uow: InMemoryCatalogUnitOfWork) -> None:
        await nonstock.put_template(uow, TEMPLATE)
        await nonstock.create_nonstock_item(uow, offer("has space"))
        with pytest.raises(InvalidNumberError):
            await nonstock.convert(uow, 1)
        assert uow.published == [] and uow.tables.items == {}

    async def test_an_unknown_entry_is_not_found(self, uow: InMemoryCatalogUnitOfWork) -> None:
        with pytest.raises(NotFoundInCatalogError):
            await nonstock.convert(uow, 1)


async def bike(uow: InMemoryCatalogUnitOfWork) -> None:
    await items.create_item(uow, card(units_of_measure=(ItemUnitOfMeasure("BOX", Decimal(6)),),
                                      variants=(ItemVariant("RED", "Red bike"),)))


class TestReferences:
    async def test_added_listed_and_deleted(self, uow: InMemoryCatalogUnitOfWork) -> None:
        await bike(uow)
        added = await references.add_reference(uow, ItemReference("1000", "Bar Code", "4711"))
        assert added.id == 1 and added.unit_of_measure == "PCS"
        assert await references.references_of(uow, "1000") == [added]
        await references.delete_reference(uow, "1000", 1)
        assert await references.references_of(uow, "1000") == []

    async def test_refusals(self, uow: InMemoryCatalogUnitOfWork) -> None:
        with pytest.raises(ItemNotFoundError):
            await references.add_reference(uow, ItemReference("1000", "Bar Code", "4711"))
        await bike(uow)
        for bad in (ItemReference("1000", "Bar Code", "1", variant_code="BLUE"),
                    ItemReference("1000", "Bar Code", "1", unit_of_measure="PAL"),
                    ItemReference("1000", "Bar Code", "1", starting_date=date(2026, 2, 1), ending_date=date(2026, 1, 1))):
            with pytest.raises(InvalidItemCardError):
                await references.add_reference(uow, bad)
        await references.add_reference(uow, ItemReference("1000", "Bar Code", "4711"))
        with pytest.raises(ReferenceExistsError):
            await references.add_reference(uow, ItemReference("1000", "Bar Code", "4711", unit_of_measure="BOX"))
        with pytest.raises(NotFoundInCatalogError):
            await references.delete_reference(uow, "1000", 99)
        with pytest.raises(ItemNotFoundError):
            await references.references_of(uow, "NONE")

    async def test_a_lookup_gives_the_line_what_it_needs(self, uow: InMemoryCatalogUnitOfWork) -> None:
        await bike(uow)
        await references.add_reference(uow, ItemReference("1000", "Customer", "C-9", "C1", variant_code="RED",
                                                          unit_of_measure="BOX", ending_date=date(2026, 6, 30)))
        (match,) = await references.lookup(uow, "C-9", "Customer", "C1", date(2026, 6, 1))
        assert (match.item_no, match.variant_code, match.unit_of_measure, match.description) == ("1000", "RED", "BOX", "Red bike")
        with pytest.raises(NotFoundInCatalogError):
            await references.lookup(uow, "C-9", None, None, date(2026, 7, 1))
