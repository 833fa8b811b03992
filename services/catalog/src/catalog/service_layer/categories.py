"""Use cases of item categories: a tree whose attributes (with defaults) every item below it inherits."""

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from catalog.domain.attributes import chain_defaults, parse_value, reassign
from catalog.domain.errors import (
    AttributeBlockedError,
    CategoryCycleError,
    CategoryInUseError,
    MasterDataExistsError,
    NotFoundInCatalogError,
    UnknownReferenceError,
)
from catalog.domain.model import ItemCategory
from catalog.service_layer import items
from catalog.service_layer.unit_of_work import CatalogUnitOfWork


async def create_category(uow: CatalogUnitOfWork, category: ItemCategory) -> ItemCategory:
    repository = uow.categories
    if category.parent_code and await repository.get(category.parent_code) is None:
        raise UnknownReferenceError(f"parent category {category.parent_code} does not exist", parent_code=category.parent_code)
    await _check_attributes(uow, category, previous={})
    if not await repository.add(category):
        raise MasterDataExistsError(f"item category {category.code} already exists", code=category.code)
    return category


async def get_category(uow: CatalogUnitOfWork, code: str) -> ItemCategory:
    category = await uow.categories.get(code)
    if category is None:
        raise NotFoundInCatalogError(f"item category {code} does not exist", code=code)
    return category


async def list_categories(uow: CatalogUnitOfWork) -> list[ItemCategory]:
    return await uow.categories.all()


async def update_category(uow: CatalogUnitOfWork, code: str, changes: Mapping[str, Any]) -> ItemCategory:
    """Change a category's parent, description or attributes; every item below it follows its new chain."""
    repository = uow.categories
    before = await repository.get(code, for_update=True)
    if before is None:
        raise NotFoundInCatalogError(f"item category {code} does not exist", code=code)
    changed = replace(before, **changes)
    if changed.parent_code and changed.parent_code != before.parent_code:
        parent_chain = await repository.chain(changed.parent_code)
        if not parent_chain:
            raise UnknownReferenceError(f"parent category {changed.parent_code} does not exist", parent_code=changed.parent_code)
        if any(c.code == changed.code for c in parent_chain):
            raise CategoryCycleError(f"{changed.parent_code} is below {changed.code}; a category cannot move under itself")
    await _check_attributes(uow, changed, previous=before.attributes)
    subtree = await repository.subtree(changed.code)
    old = {code: chain_defaults(await repository.chain(code)) for code in subtree}
    await repository.update(changed)
    new = {code: chain_defaults(await repository.chain(code)) for code in subtree}
    await _follow_chains(uow, subtree, old, new)
    return changed


async def _follow_chains(
    uow: CatalogUnitOfWork, subtree: Sequence[str], old: dict[str, dict[str, str]], new: dict[str, dict[str, str]]
) -> None:
    changed_codes = [code for code in subtree if old[code] != new[code]]
    if not changed_codes:
        return
    for item_no, code in await uow.categories.items_in(changed_codes):
        item = await uow.items.get(item_no)
        assert item is not None
        attributes = reassign(item.attributes, old[code], new[code])
        if attributes == item.attributes:
            continue
        values = await items.resolve_attributes(uow, attributes, newly_assigned=set())
        item = replace(item, attributes={name: v.text for name, v in values.items()})
        await uow.items.replace_attribute_values(item_no, values)
        # The attribute set is part of the card, so its ETag (revision) moves too.
        await items.republish(uow, item)


async def delete_category(uow: CatalogUnitOfWork, code: str) -> None:
    repository = uow.categories
    if await repository.get(code, for_update=True) is None:
        raise NotFoundInCatalogError(f"item category {code} does not exist", code=code)
    if await repository.has_children(code):
        raise CategoryInUseError(f"item category {code} has child categories", code=code)
    if await repository.in_use(code):
        raise CategoryInUseError(f"item category {code} is used by items or templates", code=code)
    await repository.delete(code)


async def _check_attributes(uow: CatalogUnitOfWork, category: ItemCategory, previous: dict[str, str]) -> None:
    definitions = await uow.attributes.get_many(category.attributes)
    for name, default in category.attributes.items():
        definition = definitions.get(name)
        if definition is None:
            raise UnknownReferenceError(f"attribute {name} does not exist", attribute=name)
        if definition.blocked and name not in previous:
            raise AttributeBlockedError(f"attribute {name} is blocked", attribute=name)
        parse_value(definition, default)
