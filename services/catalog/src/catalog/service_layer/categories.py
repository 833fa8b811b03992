"""Use cases of item categories, attributes, tracking codes and units of measure (master data)."""

from collections.abc import Sequence
from dataclasses import replace

import asyncpg

from inventory_contracts.catalog import CostingMethod

from catalog.adapters.repository import (
    AttributeRepository,
    CategoryRepository,
    ItemRepository,
    TrackingCodeRepository,
    UnitOfMeasureRepository,
)
from catalog.domain.attributes import chain_defaults, parse_value, reassign
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
from catalog.domain.model import AttributeType, ItemAttribute, ItemCategory, ItemTrackingCode
from catalog.service_layer import items


async def create_category(conn: asyncpg.Connection, category: ItemCategory) -> ItemCategory:
    repository = CategoryRepository(conn)
    if category.parent_code and await repository.get(category.parent_code) is None:
        raise UnknownReferenceError(f"parent category {category.parent_code} does not exist", parent_code=category.parent_code)
    await _check_attributes(conn, category, previous={})
    if not await repository.add(category):
        raise MasterDataExistsError(f"item category {category.code} already exists", code=category.code)
    return category


async def get_category(conn: asyncpg.Connection, code: str) -> ItemCategory:
    category = await CategoryRepository(conn).get(code)
    if category is None:
        raise NotFoundInCatalogError(f"item category {code} does not exist", code=code)
    return category


async def update_category(conn: asyncpg.Connection, changed: ItemCategory) -> ItemCategory:
    """Change a category's parent, description or attributes; every item below it follows its new chain."""
    repository = CategoryRepository(conn)
    before = await repository.get(changed.code, for_update=True)
    if before is None:
        raise NotFoundInCatalogError(f"item category {changed.code} does not exist", code=changed.code)
    if changed.parent_code and changed.parent_code != before.parent_code:
        parent_chain = await repository.chain(changed.parent_code)
        if not parent_chain:
            raise UnknownReferenceError(f"parent category {changed.parent_code} does not exist", parent_code=changed.parent_code)
        if any(c.code == changed.code for c in parent_chain):
            raise CategoryCycleError(f"{changed.parent_code} is below {changed.code}; a category cannot move under itself")
    await _check_attributes(conn, changed, previous=before.attributes)
    subtree = await repository.subtree(changed.code)
    old = {code: chain_defaults(await repository.chain(code)) for code in subtree}
    await repository.update(changed)
    new = {code: chain_defaults(await repository.chain(code)) for code in subtree}
    await _follow_chains(conn, subtree, old, new)
    return changed


async def _follow_chains(
    conn: asyncpg.Connection, subtree: Sequence[str], old: dict[str, dict[str, str]], new: dict[str, dict[str, str]]
) -> None:
    changed_codes = [code for code in subtree if old[code] != new[code]]
    if not changed_codes:
        return
    item_repository = ItemRepository(conn)
    for item_no, code in await CategoryRepository(conn).items_in(changed_codes):
        item = await item_repository.get(item_no)
        assert item is not None
        attributes = reassign(item.attributes, old[code], new[code])
        if attributes == item.attributes:
            continue
        values = await items.resolve_attributes(conn, attributes, newly_assigned=set())
        item = replace(item, attributes={name: v.text for name, v in values.items()})
        await item_repository.replace_attribute_values(item_no, values)
        # The attribute set is part of the card, so its ETag (revision) moves too.
        await items.republish(conn, item)


async def delete_category(conn: asyncpg.Connection, code: str) -> None:
    repository = CategoryRepository(conn)
    if await repository.get(code, for_update=True) is None:
        raise NotFoundInCatalogError(f"item category {code} does not exist", code=code)
    if await repository.has_children(code):
        raise CategoryInUseError(f"item category {code} has child categories", code=code)
    if await repository.in_use(code):
        raise CategoryInUseError(f"item category {code} is used by items or templates", code=code)
    await repository.delete(code)


async def _check_attributes(conn: asyncpg.Connection, category: ItemCategory, previous: dict[str, str]) -> None:
    definitions = await AttributeRepository(conn).get_many(category.attributes)
    for name, default in category.attributes.items():
        definition = definitions.get(name)
        if definition is None:
            raise UnknownReferenceError(f"attribute {name} does not exist", attribute=name)
        if definition.blocked and name not in previous:
            raise AttributeBlockedError(f"attribute {name} is blocked", attribute=name)
        parse_value(definition, default)


async def create_attribute(conn: asyncpg.Connection, attribute: ItemAttribute) -> ItemAttribute:
    _check_options(attribute)
    if not await AttributeRepository(conn).add(attribute):
        raise MasterDataExistsError(f"attribute {attribute.name} already exists", attribute=attribute.name)
    return attribute


async def update_attribute(conn: asyncpg.Connection, attribute: ItemAttribute) -> ItemAttribute:
    """Change unit, blocked and options; the type is fixed once values exist, so it never changes here."""
    repository = AttributeRepository(conn)
    before = await repository.get(attribute.name)
    if before is None:
        raise NotFoundInCatalogError(f"attribute {attribute.name} does not exist", attribute=attribute.name)
    attribute = replace(attribute, type=before.type)
    _check_options(attribute)
    removed = [o for o in before.options if o not in attribute.options]
    if removed and (used := await repository.option_in_use(attribute.name, removed)) is not None:
        raise InvalidAttributeValueError(f"option {used} of {attribute.name} is in use", attribute=attribute.name)
    await repository.update(attribute)
    return attribute


async def get_attribute(conn: asyncpg.Connection, name: str) -> ItemAttribute:
    attribute = await AttributeRepository(conn).get(name)
    if attribute is None:
        raise NotFoundInCatalogError(f"attribute {name} does not exist", attribute=name)
    return attribute


def _check_options(attribute: ItemAttribute) -> None:
    if attribute.type != AttributeType.OPTION and attribute.options:
        raise InvalidAttributeValueError(f"only Option attributes have options; {attribute.name} is {attribute.type}")
    if len(set(attribute.options)) != len(attribute.options) or any(not o.strip() for o in attribute.options):
        raise InvalidAttributeValueError(f"options of {attribute.name} must be distinct and not blank")
    if attribute.unit_of_measure and attribute.type not in (AttributeType.INTEGER, AttributeType.DECIMAL):
        raise InvalidAttributeValueError(f"only number attributes have a unit; {attribute.name} is {attribute.type}")


async def put_tracking_code(conn: asyncpg.Connection, code: ItemTrackingCode) -> ItemTrackingCode:
    """Create or change a tracking code; items using it are re-announced, since their events carry its rules."""
    await TrackingCodeRepository(conn).upsert(code)
    item_repository = ItemRepository(conn)
    for item_no in await item_repository.numbers_using_tracking_code(code.code):
        item = await item_repository.get(item_no, for_update=True)
        assert item is not None
        if item.costing_method == CostingMethod.SPECIFIC and not code.serial_specific:
            raise SpecificCostingNeedsSerialTrackingError(
                f"item {item_no} is costed Specific; its tracking code must stay serial-specific", item_no=item_no
            )
        await items.republish(conn, item)
    return code


async def put_unit_of_measure(conn: asyncpg.Connection, code: str, description: str) -> None:
    await UnitOfMeasureRepository(conn).upsert(code, description)
