"""The item card's use cases against the in-memory unit of work."""

from decimal import Decimal
from typing import Any
from uuid import uuid4

import pytest

from inventory_contracts import STANDARD_COST_IMPLEMENTED_V1, new_envelope
from inventory_contracts.catalog import CostingMethod, ItemType, ItemUpserted
from inventory_contracts.costing import StandardCostImplemented
from inventory_contracts.topics import CATALOG_ITEMS

from catalog.adapters.memory import InMemoryCatalogUnitOfWork
from catalog.domain.errors import (
    AttributeBlockedError,
    CostingMethodLockedError,
    ItemExistsError,
    ItemHasLedgerEntriesError,
    ItemNotFoundError,
    PreconditionFailedError,
    PreconditionRequiredError,
    SpecificCostingNeedsSerialTrackingError,
    UnknownReferenceError,
)
from catalog.domain.model import AttributeType, Item, ItemAttribute, ItemCategory, ItemTrackingCode, ItemUnitOfMeasure
from catalog.service_layer import items


def card(item_no: str = "1000", **fields: Any) -> Item:
    return Item(**{"item_no": item_no, "description": "Bike", "type": ItemType.INVENTORY, "base_unit_of_measure": "PCS",
                   "costing_method": CostingMethod.FIFO, "inventory_posting_group": "RESALE",
                   "gen_prod_posting_group": "RETAIL", **fields})


def announced(uow: InMemoryCatalogUnitOfWork) -> list[ItemUpserted]:
    assert all(topic == CATALOG_ITEMS for topic, _ in uow.published)
    return [event.payload for _, event in uow.published]


async def with_attributes(uow: InMemoryCatalogUnitOfWork) -> None:
    await uow.attributes.add(ItemAttribute("Color", AttributeType.OPTION, options=("Red", "Blue")))
    await uow.attributes.add(ItemAttribute("Width", AttributeType.DECIMAL, unit_of_measure="CM"))
    await uow.categories.add(ItemCategory("BIKES", attributes={"Color": "Red"}))


class TestCreateItem:
    async def test_a_new_card_is_stored_with_its_base_unit_and_announced(self, uow: InMemoryCatalogUnitOfWork) -> None:
        created = await items.create_item(uow, card())
        assert created.revision == 1
        assert created.units_of_measure == (ItemUnitOfMeasure("PCS", Decimal(1)),)
        assert await items.get_item(uow, "1000") == created
        (event,) = announced(uow)
        assert event.item_no == "1000" and event.revision == 1 and event.item_tracking is None

    async def test_the_category_chain_gives_its_attributes_with_defaults(self, uow: InMemoryCatalogUnitOfWork) -> None:
        await with_attributes(uow)
        created = await items.create_item(uow, card(item_category_code="BIKES", attributes={"Width": "55.5"}))
        assert created.attributes == {"Color": "Red", "Width": "55.5"}
        assert (await items.get_item(uow, "1000")).attributes == {"Color": "Red", "Width": "55.5"}

    async def test_a_taken_number_is_refused(self, uow: InMemoryCatalogUnitOfWork) -> None:
        await items.create_item(uow, card())
        with pytest.raises(ItemExistsError):
            await items.create_item(uow, card())
        assert len(uow.published) == 1

    async def test_a_deleted_number_is_revived_with_a_higher_revision(self, uow: InMemoryCatalogUnitOfWork) -> None:
        await items.create_item(uow, card())
        await items.delete_item(uow, "1000", 1)
        revived = await items.create_item(uow, card(description="New bike"))
        assert revived.revision == 3 and not revived.deleted

    async def test_unknown_tracking_code_category_or_attribute_is_refused(self, uow: InMemoryCatalogUnitOfWork) -> None:
        for bad in (card(item_tracking_code="SN"), card(item_category_code="NONE"), card(attributes={"Nope": "1"})):
            with pytest.raises(UnknownReferenceError):
                await items.create_item(uow, bad)
        assert uow.published == []

    async def test_a_blocked_attribute_takes_no_new_value(self, uow: InMemoryCatalogUnitOfWork) -> None:
        await uow.attributes.add(ItemAttribute("Old", AttributeType.TEXT, blocked=True))
        with pytest.raises(AttributeBlockedError):
            await items.create_item(uow, card(attributes={"Old": "x"}))

    async def test_specific_costing_needs_serial_tracking(self, uow: InMemoryCatalogUnitOfWork) -> None:
        await uow.tracking_codes.upsert(ItemTrackingCode("LOT", lot_specific=True))
        with pytest.raises(SpecificCostingNeedsSerialTrackingError):
            await items.create_item(uow, card(costing_method=CostingMethod.SPECIFIC, item_tracking_code="LOT"))


class TestGetItem:
    async def test_an_unknown_item_is_not_found(self, uow: InMemoryCatalogUnitOfWork) -> None:
        with pytest.raises(ItemNotFoundError):
            await items.get_item(uow, "NONE")


class TestParseIfMatch:
    def test_strong_and_weak_etags_name_the_revision(self) -> None:
        assert items.parse_if_match('"7"') == 7 and items.parse_if_match('W/"7"') == 7

    def test_a_missing_header_is_required_and_a_foreign_one_fails(self) -> None:
        with pytest.raises(PreconditionRequiredError):
            items.parse_if_match(None)
        with pytest.raises(PreconditionFailedError):
            items.parse_if_match('"abc"')


class TestUpdateItem:
    async def test_a_change_makes_a_new_revision_and_is_announced(self, uow: InMemoryCatalogUnitOfWork) -> None:
        await items.create_item(uow, card())
        updated = await items.update_item(uow, "1000", 1, {"description": "Red bike", "unit_price": Decimal("9.5")})
        assert updated.revision == 2 and updated.description == "Red bike"
        assert (await items.get_item(uow, "1000")).unit_price == Decimal("9.5")
        assert [e.revision for e in announced(uow)] == [1, 2]

    async def test_a_stale_revision_fails_and_changes_nothing(self, uow: InMemoryCatalogUnitOfWork) -> None:
        await items.create_item(uow, card())
        await items.update_item(uow, "1000", 1, {"description": "Red bike"})
        with pytest.raises(PreconditionFailedError):
            await items.update_item(uow, "1000", 1, {"description": "Blue bike"})
        assert (await items.get_item(uow, "1000")).description == "Red bike"

    async def test_an_unknown_item_is_not_found(self, uow: InMemoryCatalogUnitOfWork) -> None:
        with pytest.raises(ItemNotFoundError):
            await items.update_item(uow, "NONE", 1, {"description": "x"})

    async def test_the_costing_method_is_locked_once_posted(self, uow: InMemoryCatalogUnitOfWork) -> None:
        await items.create_item(uow, card())
        await items.record_ledger_entries(uow, ["1000"])
        with pytest.raises(CostingMethodLockedError):
            await items.update_item(uow, "1000", 1, {"costing_method": CostingMethod.AVERAGE})

    async def test_attributes_merge_and_a_null_removes_one(self, uow: InMemoryCatalogUnitOfWork) -> None:
        await with_attributes(uow)
        await items.create_item(uow, card(attributes={"Color": "Blue", "Width": "3"}))
        updated = await items.update_item(uow, "1000", 1, {"attributes": {"Width": None, "Color": "Red"}})
        assert updated.attributes == {"Color": "Red"}

    async def test_a_new_category_swaps_the_chain_attributes(self, uow: InMemoryCatalogUnitOfWork) -> None:
        await with_attributes(uow)
        await uow.categories.add(ItemCategory("FRAMES", attributes={"Width": "10"}))
        await items.create_item(uow, card(item_category_code="BIKES"))
        updated = await items.update_item(uow, "1000", 1, {"item_category_code": "FRAMES"})
        assert updated.attributes == {"Width": "10"}


class TestDeleteItem:
    async def test_a_card_never_posted_becomes_a_blocked_tombstone(self, uow: InMemoryCatalogUnitOfWork) -> None:
        await items.create_item(uow, card())
        await items.delete_item(uow, "1000", 1)
        with pytest.raises(ItemNotFoundError):
            await items.get_item(uow, "1000")
        deleted = announced(uow)[-1]
        assert deleted.deleted and deleted.blocked and deleted.revision == 2 and deleted.blocked_reason == "deleted"

    async def test_a_posted_item_must_be_blocked_instead(self, uow: InMemoryCatalogUnitOfWork) -> None:
        await items.create_item(uow, card())
        await items.record_ledger_entries(uow, ["1000"])
        with pytest.raises(ItemHasLedgerEntriesError):
            await items.delete_item(uow, "1000", 1)

    async def test_a_stale_revision_fails(self, uow: InMemoryCatalogUnitOfWork) -> None:
        await items.create_item(uow, card())
        with pytest.raises(PreconditionFailedError):
            await items.delete_item(uow, "1000", 2)


class TestRecordLedgerEntry:
    async def test_the_item_learns_it_has_entries_without_a_new_revision(self, uow: InMemoryCatalogUnitOfWork) -> None:
        await items.create_item(uow, card())
        await items.record_ledger_entries(uow, ["1000"])
        item = await items.get_item(uow, "1000")
        assert item.has_ledger_entries and item.revision == 1 and len(uow.published) == 1

    async def test_an_unknown_item_changes_nothing(self, uow: InMemoryCatalogUnitOfWork) -> None:
        await items.record_ledger_entries(uow, ["NONE"])
        assert uow.tables.items == {}


class TestImplementStandardCost:
    def cause(self, implementation_no: int) -> Any:
        return new_envelope(STANDARD_COST_IMPLEMENTED_V1, StandardCostImplemented.model_construct(
            item_no="1000", standard_cost=Decimal("4.2"), implementation_no=implementation_no,
        ), producer="costing", key="1000", correlation_id=uuid4())

    async def test_the_card_takes_the_cost_as_a_new_revision(self, uow: InMemoryCatalogUnitOfWork) -> None:
        await items.create_item(uow, card(costing_method=CostingMethod.STANDARD))
        cause = self.cause(3)
        await items.implement_standard_cost(uow, "1000", Decimal("4.2"), 3, cause=cause)
        item = await items.get_item(uow, "1000")
        assert item.standard_cost == Decimal("4.2") and item.standard_cost_implementation_no == 3 and item.revision == 2
        _, event = uow.published[-1]
        assert event.payload.standard_cost == Decimal("4.2")
        assert event.correlation_id == cause.correlation_id and event.causation_id == cause.event_id

    async def test_an_implementation_taken_already_changes_nothing(self, uow: InMemoryCatalogUnitOfWork) -> None:
        await items.create_item(uow, card(costing_method=CostingMethod.STANDARD))
        await items.implement_standard_cost(uow, "1000", Decimal("4.2"), 3)
        await items.implement_standard_cost(uow, "1000", Decimal("5"), 3)
        await items.implement_standard_cost(uow, "1000", Decimal("5"), 2)
        assert (await items.get_item(uow, "1000")).standard_cost == Decimal("4.2") and len(uow.published) == 2

    async def test_an_unknown_item_changes_nothing(self, uow: InMemoryCatalogUnitOfWork) -> None:
        await items.implement_standard_cost(uow, "NONE", Decimal("5"), 1)
        assert uow.published == []


class TestRepublish:
    async def test_the_card_is_written_again_with_a_new_revision(self, uow: InMemoryCatalogUnitOfWork) -> None:
        created = await items.create_item(uow, card())
        republished = await items.republish(uow, created)
        assert republished.revision == 2 and (await items.get_item(uow, "1000")).revision == 2
        assert [e.revision for e in announced(uow)] == [1, 2]


class TestSavepoint:
    async def test_a_refused_row_undoes_only_itself(self, uow: InMemoryCatalogUnitOfWork) -> None:
        async with uow.savepoint():
            await items.create_item(uow, card("A"))
        with pytest.raises(UnknownReferenceError):
            async with uow.savepoint():
                await items.create_item(uow, card("B"))
                await items.create_item(uow, card("C", item_category_code="NONE"))
        assert sorted(uow.tables.items) == ["A"] and [e.item_no for e in announced(uow)] == ["A"]
