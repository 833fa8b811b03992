"""Use cases of item attributes: the definitions (type, unit, options) that item values and category defaults follow."""

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from catalog.domain.attributes import check_definition
from catalog.domain.errors import InvalidAttributeValueError, MasterDataExistsError, NotFoundInCatalogError
from catalog.domain.model import ItemAttribute
from catalog.service_layer.unit_of_work import CatalogUnitOfWork


async def create_attribute(uow: CatalogUnitOfWork, attribute: ItemAttribute) -> ItemAttribute:
    check_definition(attribute)
    if not await uow.attributes.add(attribute):
        raise MasterDataExistsError(f"attribute {attribute.name} already exists", attribute=attribute.name)
    return attribute


async def update_attribute(uow: CatalogUnitOfWork, name: str, changes: Mapping[str, Any]) -> ItemAttribute:
    """Change unit, blocked and options; the type is fixed once values exist, so it never changes here.

    An option still used by an item's value or a category's default cannot be removed.
    """
    before = await get_attribute(uow, name)
    attribute = replace(before, **{**changes, "type": before.type})
    check_definition(attribute)
    removed = [o for o in before.options if o not in attribute.options]
    if removed and (used := await uow.attributes.option_in_use(name, removed)) is not None:
        raise InvalidAttributeValueError(f"option {used} of {name} is in use", attribute=name)
    await uow.attributes.update(attribute)
    return attribute


async def get_attribute(uow: CatalogUnitOfWork, name: str) -> ItemAttribute:
    attribute = await uow.attributes.get(name)
    if attribute is None:
        raise NotFoundInCatalogError(f"attribute {name} does not exist", attribute=name)
    return attribute


async def list_attributes(uow: CatalogUnitOfWork) -> list[ItemAttribute]:
    return await uow.attributes.all()
