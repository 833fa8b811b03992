"""Item references: customer, vendor and bar code numbers that stand for an item on a document line."""

from dataclasses import dataclass, replace
from datetime import date

from catalog.domain.errors import InvalidItemCardError, NotFoundInCatalogError, ReferenceExistsError
from catalog.domain.model import ItemReference
from catalog.service_layer.items import get_item
from catalog.service_layer.unit_of_work import CatalogUnitOfWork


@dataclass(frozen=True)
class ReferenceMatch:
    """What a document line needs from a reference."""

    item_no: str
    variant_code: str
    unit_of_measure: str
    description: str
    reference_type: str
    reference_type_no: str


async def add_reference(uow: CatalogUnitOfWork, reference: ItemReference) -> ItemReference:
    item = await get_item(uow, reference.item_no)
    if reference.starting_date and reference.ending_date and reference.starting_date > reference.ending_date:
        raise InvalidItemCardError("the reference's starting date is after its ending date")
    if reference.variant_code and reference.variant_code not in {v.code for v in item.variants}:
        raise InvalidItemCardError(f"item {item.item_no} has no variant {reference.variant_code}")
    unit = reference.unit_of_measure or item.base_unit_of_measure
    if unit not in {u.code for u in item.units_of_measure}:
        raise InvalidItemCardError(f"item {item.item_no} has no unit of measure {unit}")
    reference = replace(reference, unit_of_measure=unit)
    reference_id = await uow.references.add(reference)
    if reference_id is None:
        raise ReferenceExistsError(
            f"{reference.reference_type} reference {reference.reference_no} of {reference.reference_type_no or 'no one'} "
            "already exists"
        )
    return replace(reference, id=reference_id)


async def references_of(uow: CatalogUnitOfWork, item_no: str) -> list[ItemReference]:
    await get_item(uow, item_no)
    return await uow.references.of_item(item_no)


async def delete_reference(uow: CatalogUnitOfWork, item_no: str, reference_id: int) -> None:
    if not await uow.references.delete(item_no, reference_id):
        raise NotFoundInCatalogError(f"item {item_no} has no reference {reference_id}")


async def lookup(
    uow: CatalogUnitOfWork, reference_no: str, reference_type: str | None, reference_type_no: str | None, on: date | None
) -> list[ReferenceMatch]:
    """Every valid match of a reference no.; the description is the reference's, else the item's (or variant's)."""
    found = await uow.references.lookup(reference_no, reference_type, reference_type_no, on)
    matches = []
    for reference in found:
        item = await get_item(uow, reference.item_no)
        variant = next((v for v in item.variants if v.code == reference.variant_code), None)
        description = reference.description or (variant.description if variant and variant.description else item.description)
        matches.append(ReferenceMatch(
            item.item_no, reference.variant_code, reference.unit_of_measure, description,
            reference.reference_type, reference.reference_type_no,
        ))
    if not matches:
        raise NotFoundInCatalogError(f"no item reference {reference_no} matches", reference_no=reference_no)
    return matches
