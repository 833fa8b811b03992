"""Use cases of categories, attributes, tracking codes and units of measure against the in-memory unit of work."""

from typing import Any

import pytest

from inventory_contracts.catalog import CostingMethod, ItemType

from catalog.adapters.memory import InMemoryCatalogUnitOfWork
from catalog.domain.errors import (
    AttributeBlockedError,
    CategoryCycleError,
    CategoryInUseError,
    InvalidAttributeValueError,
    MasterDataExistsError,
    NotFoundInCatalogError,
    SpecificCostingNeedsSerialTrackingError,
    UnknownReferenceError,
)
from catalog.domain.model import AttributeType, Item, ItemAttribute, ItemCategory, ItemTemplate, ItemTrackingCode, UnitOfMeasure
from catalog.service_layer import attributes, categories, items, master_data


def card(item_no: str = "1000", **fields: Any) -> Item:
    return Item(**{"item_no": item_no, "description": "Bike", "type": ItemType.INVENTORY, "base_unit_of_measure": "PCS",
                   "costing_method": CostingMethod.FIFO, "inventory_posting_group": "RESALE",
                   "gen_prod_posting_group": "RETAIL", **fields})


COLOR = ItemAttribute("Color", AttributeType.OPTION, options=("Red", "Blue"))


class TestCreateCategory:
    async def test_a_child_category_is_stored(self, uow: InMemoryCatalogUnitOfWork) -> None:
        await attributes.create_attribute(uow, COLOR)
        await categories.create_category(uow, ItemCategory("BIKES"))
        await categories.create_category(uow, ItemCategory("ROAD", "BIKES", "Road bikes", {"Color": "Red"}))
        assert await categories.get_category(uow, "ROAD") == ItemCategory("ROAD", "BIKES", "Road bikes", {"Color": "Red"})
        assert [c.code for c in await categories.list_categories(uow)] == ["BIKES", "ROAD"]

    async def test_refusals(self, uow: InMemoryCatalogUnitOfWork) -> None:
        await uow.attributes.add(ItemAttribute("Old", AttributeType.TEXT, blocked=True))
        await categories.create_category(uow, ItemCategory("BIKES"))
        with pytest.raises(MasterDataExistsError):
            await categories.create_category(uow, ItemCategory("BIKES"))
        with pytest.raises(UnknownReferenceError):
            await categories.create_category(uow, ItemCategory("ROAD", parent_code="NONE"))
        with pytest.raises(UnknownReferenceError):
            await categories.create_category(uow, ItemCategory("ROAD", attributes={"Nope": ""}))
        with pytest.raises(AttributeBlockedError):
            await categories.create_category(uow, ItemCategory("ROAD", attributes={"Old": ""}))

    async def test_a_default_must_fit_the_attribute(self, uow: InMemoryCatalogUnitOfWork) -> None:
        await attributes.create_attribute(uow, COLOR)
        with pytest.raises(InvalidAttributeValueError):
            await categories.create_category(uow, ItemCategory("BIKES", attributes={"Color": "Green"}))


class TestGetCategory:
    async def test_an_unknown_category_is_not_found(self, uow: InMemoryCatalogUnitOfWork) -> None:
        with pytest.raises(NotFoundInCatalogError):
            await categories.get_category(uow, "NONE")


class TestUpdateCategory:
    async def test_items_below_follow_the_new_chain_and_are_announced(self, uow: InMemoryCatalogUnitOfWork) -> None:
        await attributes.create_attribute(uow, COLOR)
        await categories.create_category(uow, ItemCategory("BIKES"))
        await categories.create_category(uow, ItemCategory("ROAD", "BIKES"))
        await items.create_item(uow, card(item_category_code="ROAD"))
        changed = await categories.update_category(uow, "BIKES", {"attributes": {"Color": "Blue"}, "description": "All"})
        assert changed.description == "All"
        item = await items.get_item(uow, "1000")
        assert item.attributes == {"Color": "Blue"} and item.revision == 2
        assert [event.payload.revision for _, event in uow.published] == [1, 2]

    async def test_a_change_that_moves_no_item_announces_nothing(self, uow: InMemoryCatalogUnitOfWork) -> None:
        await categories.create_category(uow, ItemCategory("BIKES"))
        await items.create_item(uow, card(item_category_code="BIKES"))
        await categories.update_category(uow, "BIKES", {"description": "Bicycles"})
        assert len(uow.published) == 1

    async def test_refusals(self, uow: InMemoryCatalogUnitOfWork) -> None:
        await categories.create_category(uow, ItemCategory("BIKES"))
        await categories.create_category(uow, ItemCategory("ROAD", "BIKES"))
        with pytest.raises(NotFoundInCatalogError):
            await categories.update_category(uow, "NONE", {"description": "x"})
        with pytest.raises(UnknownReferenceError):
            await categories.update_category(uow, "ROAD", {"parent_code": "NONE"})
        with pytest.raises(CategoryCycleError):
            await categories.update_category(uow, "BIKES", {"parent_code": "ROAD"})


class TestDeleteCategory:
    async def test_an_unused_category_is_deleted(self, uow: InMemoryCatalogUnitOfWork) -> None:
        await categories.create_category(uow, ItemCategory("BIKES"))
        await categories.delete_category(uow, "BIKES")
        assert await categories.list_categories(uow) == []

    async def test_refused_while_a_child_an_item_or_a_template_uses_it(self, uow: InMemoryCatalogUnitOfWork) -> None:
        with pytest.raises(NotFoundInCatalogError):
            await categories.delete_category(uow, "NONE")
        await categories.create_category(uow, ItemCategory("BIKES"))
        await categories.create_category(uow, ItemCategory("ROAD", "BIKES"))
        with pytest.raises(CategoryInUseError):
            await categories.delete_category(uow, "BIKES")
        await items.create_item(uow, card(item_category_code="ROAD"))
        with pytest.raises(CategoryInUseError):
            await categories.delete_category(uow, "ROAD")
        await uow.nonstock.upsert_template(ItemTemplate("T", "RESALE", "RETAIL", item_category_code="BIKES"))
        await categories.create_category(uow, ItemCategory("MTB"))
        await uow.nonstock.upsert_template(ItemTemplate("T", "RESALE", "RETAIL", item_category_code="MTB"))
        with pytest.raises(CategoryInUseError):
            await categories.delete_category(uow, "MTB")


class TestAttributes:
    async def test_created_listed_and_read(self, uow: InMemoryCatalogUnitOfWork) -> None:
        width = ItemAttribute("Width", AttributeType.DECIMAL, unit_of_measure="CM")
        await attributes.create_attribute(uow, width)
        await attributes.create_attribute(uow, COLOR)
        assert await attributes.list_attributes(uow) == [COLOR, width]
        assert await attributes.get_attribute(uow, "Width") == width

    async def test_refusals(self, uow: InMemoryCatalogUnitOfWork) -> None:
        await attributes.create_attribute(uow, COLOR)
        with pytest.raises(MasterDataExistsError):
            await attributes.create_attribute(uow, COLOR)
        with pytest.raises(InvalidAttributeValueError):
            await attributes.create_attribute(uow, ItemAttribute("Note", AttributeType.TEXT, options=("a",)))
        with pytest.raises(InvalidAttributeValueError):
            await attributes.create_attribute(uow, ItemAttribute("Size", AttributeType.OPTION, options=("S", "S")))
        with pytest.raises(InvalidAttributeValueError):
            await attributes.create_attribute(uow, ItemAttribute("Note", AttributeType.TEXT, unit_of_measure="CM"))
        with pytest.raises(NotFoundInCatalogError):
            await attributes.get_attribute(uow, "NONE")

    async def test_an_update_keeps_the_type(self, uow: InMemoryCatalogUnitOfWork) -> None:
        await attributes.create_attribute(uow, COLOR)
        updated = await attributes.update_attribute(uow, "Color", {"options": ("Red", "Blue", "Green"), "blocked": True})
        assert updated == ItemAttribute("Color", AttributeType.OPTION, "", True, ("Red", "Blue", "Green"))
        assert await attributes.get_attribute(uow, "Color") == updated

    async def test_an_option_in_use_cannot_be_removed(self, uow: InMemoryCatalogUnitOfWork) -> None:
        await attributes.create_attribute(uow, COLOR)
        await items.create_item(uow, card(attributes={"Color": "Blue"}))
        with pytest.raises(InvalidAttributeValueError, match="Blue"):
            await attributes.update_attribute(uow, "Color", {"options": ("Red",)})
        await categories.create_category(uow, ItemCategory("BIKES", attributes={"Color": "Red"}))
        with pytest.raises(InvalidAttributeValueError, match="Red"):
            await attributes.update_attribute(uow, "Color", {"options": ("Blue",)})
        with pytest.raises(NotFoundInCatalogError):
            await attributes.update_attribute(uow, "NONE", {"blocked": True})


class TestTrackingCodes:
    async def test_a_changed_code_re_announces_its_items(self, uow: InMemoryCatalogUnitOfWork) -> None:
        await master_data.put_tracking_code(uow, ItemTrackingCode("SN", serial_specific=True))
        await items.create_item(uow, card(item_tracking_code="SN"))
        await master_data.put_tracking_code(uow, ItemTrackingCode("SN", "Serials", serial_specific=True, lot_specific=True))
        (_, first), (_, second) = uow.published
        assert second.payload.revision == 2 and second.payload.item_tracking is not None
        assert second.payload.item_tracking.lot_specific
        assert [t.description for t in await master_data.list_tracking_codes(uow)] == ["Serials"]

    async def test_an_item_costed_specific_keeps_serial_tracking(self, uow: InMemoryCatalogUnitOfWork) -> None:
        await master_data.put_tracking_code(uow, ItemTrackingCode("SN", serial_specific=True))
        await items.create_item(uow, card(costing_method=CostingMethod.SPECIFIC, item_tracking_code="SN"))
        with pytest.raises(SpecificCostingNeedsSerialTrackingError):
            await master_data.put_tracking_code(uow, ItemTrackingCode("SN", lot_specific=True))


class TestUnitsOfMeasure:
    async def test_put_and_listed_with_the_units_items_use(self, uow: InMemoryCatalogUnitOfWork) -> None:
        await items.create_item(uow, card())
        assert await master_data.put_unit_of_measure(uow, UnitOfMeasure("BOX", "Box")) == UnitOfMeasure("BOX", "Box")
        assert await master_data.list_units_of_measure(uow) == [UnitOfMeasure("BOX", "Box"), UnitOfMeasure("PCS", "")]
