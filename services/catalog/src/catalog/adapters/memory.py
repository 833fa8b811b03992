"""In-memory fakes of the catalog's repositories and unit of work, with the semantics of the PostgreSQL adapters.

They share one `CatalogTables` (the database); `InMemoryCatalogUnitOfWork` records what it publishes in
`published`. For unit tests of the use cases: no I/O. Locks (`for_update`) mean nothing here: one task at a time.
"""

import copy
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from inventory_contracts import Envelope

from catalog.adapters.memory_assembly import InMemoryAssemblyRepository
from catalog.adapters.memory_resources import (
    InMemoryResourceAllocationRepository,
    InMemoryResourceRepository,
    ResourceTables,
)
from catalog.domain import ports
from catalog.domain.attributes import AttributeFilter, FilterOp
from catalog.domain.errors import UnknownReferenceError
from catalog.domain.model import (
    AttributeValue,
    Item,
    ItemAttribute,
    ItemCategory,
    ItemReference,
    ItemTemplate,
    ItemTrackingCode,
    NonstockItem,
    NonstockSetup,
    UnitOfMeasure,
)
from catalog.domain.search import ItemSearch


@dataclass
class CatalogTables:
    """The state of a catalog database."""

    items: dict[str, Item] = field(default_factory=dict)
    attribute_values: dict[str, dict[str, AttributeValue]] = field(default_factory=dict)
    units_of_measure: dict[str, str] = field(default_factory=dict)
    tracking_codes: dict[str, ItemTrackingCode] = field(default_factory=dict)
    attributes: dict[str, ItemAttribute] = field(default_factory=dict)
    categories: dict[str, ItemCategory] = field(default_factory=dict)
    templates: dict[str, ItemTemplate] = field(default_factory=dict)
    setup: NonstockSetup = NonstockSetup("Vendor Item No.", "", "", 5, 1)
    nonstock: dict[int, NonstockItem] = field(default_factory=dict)
    references: dict[int, ItemReference] = field(default_factory=dict)
    resource_tables: ResourceTables = field(default_factory=ResourceTables)


def _live(tables: CatalogTables) -> list[Item]:
    return [item for item in tables.items.values() if not item.deleted]


class InMemoryItemRepository:
    def __init__(self, tables: CatalogTables) -> None:
        self._tables = tables

    async def add(self, item: Item) -> Item | None:
        old = self._tables.items.get(item.item_no)
        if old is not None and not old.deleted:
            return None
        if old is not None:
            item = replace(item, revision=old.revision + 1, standard_cost_implementation_no=old.standard_cost_implementation_no)
        item = replace(item, deleted=False, has_ledger_entries=False)
        self._store(item)
        return item

    async def update(self, item: Item) -> None:
        old = self._tables.items[item.item_no]
        self._store(replace(item, has_ledger_entries=old.has_ledger_entries, deleted=old.deleted))

    def _store(self, item: Item) -> None:
        for unit in item.units_of_measure:
            self._tables.units_of_measure.setdefault(unit.code, "")
        self._tables.items[item.item_no] = replace(item, attributes={})

    async def mark_deleted(self, item_no: str, revision: int) -> None:
        item = self._tables.items[item_no]
        self._tables.items[item_no] = replace(item, deleted=True, blocked=True, revision=revision, item_category_code="",
                                              units_of_measure=(), variants=(), assembly_bom=())
        self._tables.attribute_values.pop(item_no, None)
        for reference_id in [i for i, r in self._tables.references.items() if r.item_no == item_no]:
            del self._tables.references[reference_id]

    async def replace_attribute_values(self, item_no: str, values: Mapping[str, AttributeValue]) -> None:
        self._tables.attribute_values[item_no] = dict(values)

    async def get(self, item_no: str, *, for_update: bool = False, include_deleted: bool = False) -> Item | None:
        item = self._tables.items.get(item_no)
        if item is None or (item.deleted and not include_deleted):
            return None
        return self._complete(item)

    def _complete(self, item: Item) -> Item:
        values = self._tables.attribute_values.get(item.item_no, {})
        return replace(item, attributes={name: values[name].text for name in sorted(values)})

    async def mark_has_ledger_entries(self, item_nos: Iterable[str]) -> None:
        for item_no in set(item_nos):
            item = self._tables.items.get(item_no)
            if item is not None:
                self._tables.items[item_no] = replace(item, has_ledger_entries=True)

    async def numbers_using_tracking_code(self, code: str) -> list[str]:
        return sorted(item.item_no for item in _live(self._tables) if item.item_tracking_code == code)

    async def search(self, search: ItemSearch) -> list[Item]:
        found = [item for item in _live(self._tables) if self._matches(item, search)]
        found.sort(key=lambda item: _sort_key(item, search.sort), reverse=search.descending)
        if search.after is not None:
            value, item_no = search.after
            # By item no. the position is the item no. alone, as the SQL compares it.
            position = (item_no, item_no) if search.sort == "item_no" else (value, item_no)
            found = [item for item in found
                     if (_sort_key(item, search.sort) < position if search.descending else _sort_key(item, search.sort) > position)]
        return [self._complete(item) for item in found[:search.limit]]

    def _matches(self, item: Item, search: ItemSearch) -> bool:
        if search.text and not any(search.text.lower() in text.lower() for text in (item.description, item.item_no)):
            return False
        if search.type is not None and item.type != search.type:
            return False
        if search.blocked is not None and item.blocked != search.blocked:
            return False
        if search.category_code is not None and item.item_category_code not in _subtree(self._tables, search.category_code):
            return False
        values = self._tables.attribute_values.get(item.item_no, {})
        return all(_holds(values.get(condition.attribute), condition) for condition in search.attribute_filters)


def _sort_key(item: Item, column: str) -> tuple[Any, str]:
    value = getattr(item, column)
    return (item.item_no if column == "item_no" else value), item.item_no


def _holds(value: AttributeValue | None, condition: AttributeFilter) -> bool:
    if value is None:
        return False
    match condition.op:
        case FilterOp.EQ:
            return value.text == condition.text
        case FilterOp.CONTAINS:
            return condition.text.lower() in value.text.lower()
        case FilterOp.BEGINS:
            return value.text.lower().startswith(condition.text.lower())
        case FilterOp.RANGE:
            typed: Decimal | date | None = value.day if isinstance(condition.low or condition.high, date) else value.number
            if typed is None:
                return False
            return ((condition.low is None or condition.low <= typed)  # type: ignore[operator]
                    and (condition.high is None or typed <= condition.high))  # type: ignore[operator]
    raise AssertionError(condition.op)  # pragma: no cover


def _subtree(tables: CatalogTables, code: str) -> list[str]:
    if code not in tables.categories:
        return []
    codes = [code]
    for child in sorted(c.code for c in tables.categories.values() if c.parent_code == code):
        codes += _subtree(tables, child)
    return codes


class InMemoryCategoryRepository:
    def __init__(self, tables: CatalogTables) -> None:
        self._tables = tables

    async def get(self, code: str, *, for_update: bool = False) -> ItemCategory | None:
        return self._tables.categories.get(code)

    async def all(self) -> list[ItemCategory]:
        return [self._tables.categories[code] for code in sorted(self._tables.categories)]

    async def chain(self, code: str) -> list[ItemCategory]:
        chain: list[ItemCategory] = []
        category = self._tables.categories.get(code)
        while category is not None and len(chain) <= 100:
            chain.insert(0, category)
            category = self._tables.categories.get(category.parent_code) if category.parent_code else None
        return chain

    async def subtree(self, code: str) -> list[str]:
        return _subtree(self._tables, code)

    async def add(self, category: ItemCategory) -> bool:
        if category.code in self._tables.categories:
            return False
        self._tables.categories[category.code] = replace(category, attributes=dict(category.attributes))
        return True

    async def update(self, category: ItemCategory) -> None:
        self._tables.categories[category.code] = replace(category, attributes=dict(category.attributes))

    async def delete(self, code: str) -> None:
        del self._tables.categories[code]

    async def has_children(self, code: str) -> bool:
        return any(c.parent_code == code for c in self._tables.categories.values())

    async def in_use(self, code: str) -> bool:
        return (any(item.item_category_code == code for item in _live(self._tables))
                or any(t.item_category_code == code for t in self._tables.templates.values()))

    async def items_in(self, codes: Sequence[str]) -> list[tuple[str, str]]:
        return sorted((item.item_no, item.item_category_code) for item in _live(self._tables) if item.item_category_code in codes)


class InMemoryAttributeRepository:
    def __init__(self, tables: CatalogTables) -> None:
        self._tables = tables

    async def get_many(self, names: Iterable[str]) -> dict[str, ItemAttribute]:
        return {name: self._tables.attributes[name] for name in names if name in self._tables.attributes}

    async def get(self, name: str) -> ItemAttribute | None:
        return self._tables.attributes.get(name)

    async def all(self) -> list[ItemAttribute]:
        return [self._tables.attributes[name] for name in sorted(self._tables.attributes)]

    async def add(self, attribute: ItemAttribute) -> bool:
        if attribute.name in self._tables.attributes:
            return False
        self._tables.attributes[attribute.name] = attribute
        return True

    async def update(self, attribute: ItemAttribute) -> None:
        old = self._tables.attributes[attribute.name]
        self._tables.attributes[attribute.name] = replace(attribute, type=old.type)

    async def option_in_use(self, name: str, removed: Sequence[str]) -> str | None:
        for values in self._tables.attribute_values.values():
            if name in values and values[name].text in removed:
                return values[name].text
        for category in self._tables.categories.values():
            if category.attributes.get(name) in removed:
                return category.attributes[name]
        return None


class InMemoryTrackingCodeRepository:
    def __init__(self, tables: CatalogTables) -> None:
        self._tables = tables

    async def get(self, code: str) -> ItemTrackingCode | None:
        return self._tables.tracking_codes.get(code)

    async def all(self) -> list[ItemTrackingCode]:
        return [self._tables.tracking_codes[code] for code in sorted(self._tables.tracking_codes)]

    async def upsert(self, code: ItemTrackingCode) -> None:
        self._tables.tracking_codes[code.code] = code


class InMemoryUnitOfMeasureRepository:
    def __init__(self, tables: CatalogTables) -> None:
        self._tables = tables

    async def all(self) -> list[UnitOfMeasure]:
        return [UnitOfMeasure(code, self._tables.units_of_measure[code]) for code in sorted(self._tables.units_of_measure)]

    async def upsert(self, unit: UnitOfMeasure) -> None:
        self._tables.units_of_measure[unit.code] = unit.description


class InMemoryNonstockRepository:
    def __init__(self, tables: CatalogTables) -> None:
        self._tables = tables

    async def template(self, code: str) -> ItemTemplate | None:
        return self._tables.templates.get(code)

    async def templates(self) -> list[ItemTemplate]:
        return [self._tables.templates[code] for code in sorted(self._tables.templates)]

    async def upsert_template(self, template: ItemTemplate) -> None:
        if template.item_category_code and template.item_category_code not in self._tables.categories:
            raise UnknownReferenceError(f"item template {template.code}: item category {template.item_category_code} does not exist")
        if template.item_tracking_code and template.item_tracking_code not in self._tables.tracking_codes:
            raise UnknownReferenceError(
                f"item template {template.code}: item tracking code {template.item_tracking_code} does not exist"
            )
        self._tables.templates[template.code] = template

    async def setup(self, *, for_update: bool = False) -> NonstockSetup:
        return self._tables.setup

    async def save_setup(self, setup: NonstockSetup) -> None:
        self._tables.setup = setup

    async def add(self, nonstock: NonstockItem) -> int | None:
        key = (nonstock.vendor_no, nonstock.vendor_item_no, nonstock.manufacturer_code)
        if any((n.vendor_no, n.vendor_item_no, n.manufacturer_code) == key for n in self._tables.nonstock.values()):
            return None
        entry_no = max(self._tables.nonstock, default=0) + 1
        self._tables.nonstock[entry_no] = replace(nonstock, entry_no=entry_no, item_no="")
        return entry_no

    async def get(self, entry_no: int, *, for_update: bool = False) -> NonstockItem | None:
        return self._tables.nonstock.get(entry_no)

    async def list_after(self, after: int, limit: int) -> list[NonstockItem]:
        return [self._tables.nonstock[n] for n in sorted(self._tables.nonstock) if n > after][:limit]

    async def set_item_no(self, entry_no: int, item_no: str) -> None:
        self._tables.nonstock[entry_no] = replace(self._tables.nonstock[entry_no], item_no=item_no)


class InMemoryReferenceRepository:
    def __init__(self, tables: CatalogTables) -> None:
        self._tables = tables

    async def add(self, reference: ItemReference) -> int | None:
        key = (reference.reference_type, reference.reference_type_no, reference.reference_no)
        if any((r.reference_type, r.reference_type_no, r.reference_no) == key for r in self._tables.references.values()):
            return None
        reference_id = max(self._tables.references, default=0) + 1
        self._tables.references[reference_id] = replace(reference, id=reference_id)
        return reference_id

    async def of_item(self, item_no: str) -> list[ItemReference]:
        return [r for _, r in sorted(self._tables.references.items()) if r.item_no == item_no]

    async def delete(self, item_no: str, reference_id: int) -> bool:
        reference = self._tables.references.get(reference_id)
        if reference is None or reference.item_no != item_no:
            return False
        del self._tables.references[reference_id]
        return True

    async def lookup(self, reference_no: str, reference_type: str | None, reference_type_no: str | None,
                     on: date | None) -> list[ItemReference]:
        found = [
            r for r in self._tables.references.values()
            if r.reference_no == reference_no
            and reference_type in (None, r.reference_type) and reference_type_no in (None, r.reference_type_no)
            and (on is None or ((r.starting_date is None or r.starting_date <= on) and (r.ending_date is None or r.ending_date >= on)))
        ]
        return sorted(found, key=lambda r: (r.reference_type, r.reference_type_no, r.id))


class InMemoryCatalogUnitOfWork:
    """A unit of work over `tables` (a fresh database when none is given); `published` holds (topic, event) in order."""

    def __init__(self, tables: CatalogTables | None = None) -> None:
        self.tables = tables or CatalogTables()
        self.published: list[tuple[str, Envelope[Any]]] = []
        self.items: ports.ItemRepository = InMemoryItemRepository(self.tables)
        self.categories: ports.CategoryRepository = InMemoryCategoryRepository(self.tables)
        self.attributes: ports.AttributeRepository = InMemoryAttributeRepository(self.tables)
        self.tracking_codes: ports.TrackingCodeRepository = InMemoryTrackingCodeRepository(self.tables)
        self.units_of_measure: ports.UnitOfMeasureRepository = InMemoryUnitOfMeasureRepository(self.tables)
        self.nonstock: ports.NonstockRepository = InMemoryNonstockRepository(self.tables)
        self.references: ports.ReferenceRepository = InMemoryReferenceRepository(self.tables)
        self.assembly = InMemoryAssemblyRepository(self.tables)
        self.resources: ports.ResourceRepository = InMemoryResourceRepository(self.tables.resource_tables)
        self.resource_allocation: ports.ResourceAllocationRepository = InMemoryResourceAllocationRepository(
            self.tables.resource_tables
        )

    async def publish(self, topic: str, event: Envelope[Any]) -> None:
        self.published.append((topic, event))

    @asynccontextmanager
    async def savepoint(self) -> AsyncIterator[None]:
        """Undoes, if the block raises, what it changed in the tables and what it published."""
        saved, published = copy.deepcopy(self.tables.__dict__), len(self.published)
        try:
            yield
        except BaseException:
            self.tables.__dict__.update(saved)
            del self.published[published:]
            raise
