"""Use cases of the item card. Each runs in the caller's unit of work and announces the card through it."""

from collections.abc import Iterable, Mapping
from dataclasses import replace
from decimal import Decimal
from typing import Any

from inventory_contracts import ITEM_UPSERTED_V1, Envelope

from catalog.adapters.events import item_upserted
from catalog.domain import rules
from catalog.domain.attributes import chain_defaults, parse_value, reassign
from catalog.domain.errors import (
    AttributeBlockedError,
    InvalidItemCardError,
    ItemExistsError,
    ItemHasLedgerEntriesError,
    ItemNotFoundError,
    ItemUsedInAssemblyBomError,
    PreconditionFailedError,
    PreconditionRequiredError,
    UnknownReferenceError,
)
from catalog.domain.model import AttributeValue, Item, ItemTrackingCode
from catalog.service_layer.unit_of_work import CatalogUnitOfWork


async def create_item(uow: CatalogUnitOfWork, item: Item) -> Item:
    """Store a new item card and announce it. The category chain's attributes are added to the item's own."""
    tracking = await _tracking(uow, item.item_tracking_code)
    item = rules.validate_card(item, tracking)
    defaults = await _chain_defaults(uow, item.item_category_code)
    attributes = {**reassign({}, {}, defaults), **item.attributes}
    values = await resolve_attributes(uow, attributes, newly_assigned=set(item.attributes))
    item = replace(item, attributes={name: v.text for name, v in values.items()})
    stored = await uow.items.add(item)
    if stored is None:
        raise ItemExistsError(f"item {item.item_no} already exists", item_no=item.item_no)
    item = stored
    await uow.items.replace_attribute_values(item.item_no, values)
    await uow.publish(ITEM_UPSERTED_V1.topic, item_upserted(item, tracking))
    return item


async def get_item(uow: CatalogUnitOfWork, item_no: str) -> Item:
    item = await uow.items.get(item_no)
    if item is None:
        raise ItemNotFoundError(f"item {item_no} does not exist", item_no=item_no)
    return item


async def get_published_card(uow: CatalogUnitOfWork, item_no: str) -> tuple[Item, ItemTrackingCode | None]:
    """The card with its tracking code's rules: all that catalog.items.v1 announces of it."""
    item = await get_item(uow, item_no)
    return item, await _tracking(uow, item.item_tracking_code)


def parse_if_match(if_match: str | None) -> int:
    """The revision named by an If-Match header (`"7"` or `W/"7"`)."""
    if if_match is None:
        raise PreconditionRequiredError("send If-Match with the ETag of the card you changed")
    tag = if_match.strip().removeprefix("W/").strip('"')
    if not tag.isdigit():
        raise PreconditionFailedError(f"If-Match {if_match} is not an ETag of this card")
    return int(tag)


async def _locked(uow: CatalogUnitOfWork, item_no: str, expected_revision: int) -> Item:
    # The row lock makes the revision check and the write one step: a concurrent writer waits, then sees 412.
    item = await uow.items.get(item_no, for_update=True)
    if item is None:
        raise ItemNotFoundError(f"item {item_no} does not exist", item_no=item_no)
    if item.revision != expected_revision:
        raise PreconditionFailedError(
            f"item {item_no} changed since you read it (your revision {expected_revision}, now {item.revision}); "
            "read it again and reapply your change",
            item_no=item_no, current_revision=item.revision,
        )
    return item


async def update_item(uow: CatalogUnitOfWork, item_no: str, expected_revision: int, changes: Mapping[str, Any]) -> Item:
    """Apply `changes` (fields of the card; `attributes` merges, a null value removes) to the card read at `expected_revision`."""
    before = await _locked(uow, item_no, expected_revision)
    fields = {k: v for k, v in changes.items() if k != "attributes"}
    after = replace(before, **fields, revision=before.revision + 1)
    if "units_of_measure" not in changes and after.base_unit_of_measure != before.base_unit_of_measure:
        # The old base unit stays as an ordinary unit only if the caller lists it again.
        after = replace(after, units_of_measure=tuple(u for u in before.units_of_measure if u.code != before.base_unit_of_measure))
    tracking = await _tracking(uow, after.item_tracking_code)
    # Only a changed costing method must be one costing values; an old card keeps what it has.
    after = rules.validate_card(after, tracking, check_supported_method=after.costing_method != before.costing_method)
    rules.check_change(before, after)
    if after.units_of_measure != before.units_of_measure:
        await check_units_in_boms(uow, after)
    attributes = dict(before.attributes)
    if after.item_category_code != before.item_category_code:
        attributes = reassign(
            attributes,
            await _chain_defaults(uow, before.item_category_code),
            await _chain_defaults(uow, after.item_category_code),
        )
    newly_assigned = set()
    for name, value in (changes.get("attributes") or {}).items():
        if value is None:
            attributes.pop(name, None)
        else:
            attributes[name] = value
            if name not in before.attributes:
                newly_assigned.add(name)
    values = await resolve_attributes(uow, attributes, newly_assigned=newly_assigned)
    after = replace(after, attributes={name: v.text for name, v in values.items()})
    await uow.items.update(after)
    await uow.items.replace_attribute_values(item_no, values)
    await uow.publish(ITEM_UPSERTED_V1.topic, item_upserted(after, tracking))
    return after


async def check_units_in_boms(uow: CatalogUnitOfWork, item: Item) -> None:
    """A unit of the item that an assembly BOM names must stay on the card."""
    units = {u.code for u in item.units_of_measure}
    for parent, line in (await uow.assembly.uses_of([item.item_no])).get(item.item_no, []):
        if line.unit_of_measure_code not in units:
            raise InvalidItemCardError(
                f"the assembly BOM of item {parent} uses item {item.item_no} in unit {line.unit_of_measure_code}",
                item_no=item.item_no, parent_item_no=parent,
            )


async def delete_item(uow: CatalogUnitOfWork, item_no: str, expected_revision: int) -> None:
    """Delete a card that has never been posted; one with ledger entries must be blocked instead."""
    await uow.assembly.lock_boms()
    item = await _locked(uow, item_no, expected_revision)
    if item.has_ledger_entries:
        raise ItemHasLedgerEntriesError(f"item {item_no} has ledger entries; block it instead", item_no=item_no)
    parents = [parent for parent, _ in (await uow.assembly.uses_of([item_no])).get(item_no, [])]
    if parents:
        raise ItemUsedInAssemblyBomError(
            f"item {item_no} is a component in the assembly BOM of {', '.join(sorted(set(parents)))}",
            item_no=item_no, parents=sorted(set(parents)),
        )
    deleted = replace(item, deleted=True, blocked=True, revision=item.revision + 1, item_category_code="",
                      units_of_measure=(), variants=(), attributes={}, assembly_bom=())
    await uow.items.mark_deleted(item_no, deleted.revision)
    await uow.publish(ITEM_UPSERTED_V1.topic, item_upserted(deleted, None))


async def record_ledger_entries(uow: CatalogUnitOfWork, item_nos: Iterable[str]) -> None:
    """The warehouse posted entries of the items: from now on their costing methods are fixed."""
    await uow.items.mark_has_ledger_entries(item_nos)


async def implement_standard_cost(
    uow: CatalogUnitOfWork, item_no: str, standard_cost: Decimal, implementation_no: int, *, cause: Envelope[Any] | None = None
) -> None:
    """Costing implemented a new standard cost (its standard cost worksheet): the card takes it as a new revision.

    An implementation the card took already (or a later one) changes nothing, and neither does one of a card that
    no longer exists. The card's event carries the correlation of `cause`, the costing event it follows from.
    """
    item = await uow.items.get(item_no, for_update=True)
    if item is None or item.standard_cost_implementation_no >= implementation_no:
        return
    item = replace(item, standard_cost=standard_cost, standard_cost_implementation_no=implementation_no,
                   revision=item.revision + 1)
    await uow.items.update(item)
    tracking = await _tracking(uow, item.item_tracking_code)
    await uow.publish(ITEM_UPSERTED_V1.topic, item_upserted(item, tracking, cause=cause))


async def republish(uow: CatalogUnitOfWork, item: Item) -> Item:
    """Write the card again with a new revision (its master data changed) and announce it."""
    item = replace(item, revision=item.revision + 1)
    await uow.items.update(item)
    await uow.publish(ITEM_UPSERTED_V1.topic, item_upserted(item, await _tracking(uow, item.item_tracking_code)))
    return item


async def resolve_attributes(
    uow: CatalogUnitOfWork, attributes: Mapping[str, str], *, newly_assigned: set[str]
) -> dict[str, AttributeValue]:
    """Validate values by their attribute's type. A blocked attribute keeps old values but takes no new ones."""
    definitions = await uow.attributes.get_many(attributes)
    values = {}
    for name, raw in sorted(attributes.items()):
        definition = definitions.get(name)
        if definition is None:
            raise UnknownReferenceError(f"attribute {name} does not exist", attribute=name)
        if definition.blocked and name in newly_assigned:
            raise AttributeBlockedError(f"attribute {name} is blocked", attribute=name)
        values[name] = parse_value(definition, raw)
    return values


async def _tracking(uow: CatalogUnitOfWork, code: str) -> ItemTrackingCode | None:
    if not code:
        return None
    tracking = await uow.tracking_codes.get(code)
    if tracking is None:
        raise UnknownReferenceError(f"item tracking code {code} does not exist", item_tracking_code=code)
    return tracking


async def _chain_defaults(uow: CatalogUnitOfWork, category_code: str) -> dict[str, str]:
    if not category_code:
        return {}
    chain = await uow.categories.chain(category_code)
    if not chain:
        raise UnknownReferenceError(f"item category {category_code} does not exist", item_category_code=category_code)
    return chain_defaults(chain)
