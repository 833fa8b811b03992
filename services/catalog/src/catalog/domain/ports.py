"""The repositories the catalog's use cases need. The PostgreSQL adapters and the in-memory fakes implement them.

Every repository works inside the caller's unit of work (one transaction). `for_update` locks what it reads
until that transaction ends: a use case that checks and then writes reads with it, so that a concurrent
writer waits instead of writing between the check and the write.
"""

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Protocol

from catalog.domain.assembly import ResourceCost
from catalog.domain.model import (
    AssemblyBomLine,
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
from catalog.domain.resource_allocation import (
    AllocationSourceType,
    AllocationStatus,
    CodeDescription,
    Customer,
    ResourceAllocation,
    ResourceSkill,
    ResourceSkillType,
    ServiceMasterKind,
    ServiceOrder,
)
from catalog.domain.resources import Resource
from catalog.domain.search import ItemSearch


class ItemRepository(Protocol):
    """Item cards with their units, variants and attribute values. A deleted card stays as a tombstone."""

    async def add(self, item: Item) -> Item | None:
        """Insert `item` (or revive a deleted card of that no.); as stored, or None when the number is taken.

        A revived card keeps its revision count and the last standard cost implementation it took: the replicas
        know them, and would take a lower one for an older card.
        """

    async def update(self, item: Item) -> None:
        """Write the whole card but its attribute values; `item.revision` is the new revision."""

    async def mark_deleted(self, item_no: str, revision: int) -> None:
        """Make the card a tombstone at `revision` (blocked, no category), dropping its units, variants, values, references."""

    async def replace_attribute_values(self, item_no: str, values: Mapping[str, AttributeValue]) -> None: ...

    async def get(self, item_no: str, *, for_update: bool = False, include_deleted: bool = False) -> Item | None: ...

    async def mark_has_ledger_entries(self, item_nos: Iterable[str]) -> None: ...

    async def numbers_using_tracking_code(self, code: str) -> list[str]:
        """The live items of the tracking code, in item no. order."""

    async def search(self, search: ItemSearch) -> list[Item]:
        """Up to `search.limit` live cards matching every condition, in the search's order, after its position."""


class CategoryRepository(Protocol):
    """The item category tree, each category with its attributes (name -> default value)."""

    async def get(self, code: str, *, for_update: bool = False) -> ItemCategory | None: ...

    async def all(self) -> list[ItemCategory]: ...

    async def chain(self, code: str) -> list[ItemCategory]:
        """The category and its ancestors, root first (empty when it does not exist)."""

    async def subtree(self, code: str) -> list[str]:
        """The codes of the category and all its descendants."""

    async def add(self, category: ItemCategory) -> bool:
        """False when the code is taken."""

    async def update(self, category: ItemCategory) -> None: ...

    async def delete(self, code: str) -> None: ...

    async def has_children(self, code: str) -> bool: ...

    async def in_use(self, code: str) -> bool:
        """Whether a live item or a template names the category."""

    async def items_in(self, codes: Sequence[str]) -> list[tuple[str, str]]:
        """(item no., category code) of the live items in `codes`, locked for update in item order."""


class AttributeRepository(Protocol):
    async def get_many(self, names: Iterable[str]) -> dict[str, ItemAttribute]:
        """The attributes of `names` that exist, by name."""

    async def get(self, name: str) -> ItemAttribute | None: ...

    async def all(self) -> list[ItemAttribute]: ...

    async def add(self, attribute: ItemAttribute) -> bool:
        """False when the name is taken."""

    async def update(self, attribute: ItemAttribute) -> None: ...

    async def option_in_use(self, name: str, removed: Sequence[str]) -> str | None:
        """One of the `removed` options that an item's value or a category's default still uses, if any."""


class TrackingCodeRepository(Protocol):
    async def get(self, code: str) -> ItemTrackingCode | None: ...

    async def all(self) -> list[ItemTrackingCode]: ...

    async def upsert(self, code: ItemTrackingCode) -> None: ...


class UnitOfMeasureRepository(Protocol):
    async def all(self) -> list[UnitOfMeasure]: ...

    async def upsert(self, unit: UnitOfMeasure) -> None: ...


class NonstockRepository(Protocol):
    """Catalog (nonstock) items, the templates they convert by and the numbering setup."""

    async def template(self, code: str) -> ItemTemplate | None: ...

    async def templates(self) -> list[ItemTemplate]: ...

    async def upsert_template(self, template: ItemTemplate) -> None:
        """Raises UnknownReferenceError if the template names a category or tracking code that does not exist."""

    async def setup(self, *, for_update: bool = False) -> NonstockSetup: ...

    async def save_setup(self, setup: NonstockSetup) -> None: ...

    async def add(self, nonstock: NonstockItem) -> int | None:
        """The new entry no., or None when the vendor already has that vendor item no. (and manufacturer)."""

    async def get(self, entry_no: int, *, for_update: bool = False) -> NonstockItem | None: ...

    async def list_after(self, after: int, limit: int) -> list[NonstockItem]:
        """Up to `limit` catalog items with an entry no. above `after`, in entry no. order."""

    async def set_item_no(self, entry_no: int, item_no: str) -> None: ...


class ReferenceRepository(Protocol):
    async def add(self, reference: ItemReference) -> int | None:
        """The new reference's id, or None when (type, type no., reference no.) is taken."""

    async def of_item(self, item_no: str) -> list[ItemReference]: ...

    async def delete(self, item_no: str, reference_id: int) -> bool:
        """False when the item has no such reference."""

    async def lookup(self, reference_no: str, reference_type: str | None, reference_type_no: str | None,
                     on: date | None) -> list[ItemReference]:
        """The references of that no. (of that type and type no., valid on `on`, where given)."""


class AssemblyRepository(Protocol):
    """What assembly BOMs read beside the item cards: where items are used, the resources' costs, costing's unit costs."""

    async def lock_boms(self) -> None:
        """Serialise every change of BOMs (and deletion of items) until the transaction ends: two BOMs written at
        once could each pass the cycle check and close a cycle together, or name an item being deleted."""

    async def uses_of(self, item_nos: Iterable[str]) -> dict[str, list[tuple[str, AssemblyBomLine]]]:
        """For each item, the live parents whose BOMs name it, with those lines (parent no., line), in parent order."""

    async def resources(self, nos: Iterable[str]) -> dict[str, ResourceCost]:
        """The resource cards of `nos` that exist, by no."""

    async def set_unit_cost(self, item_no: str, unit_cost: Decimal, sequence: int) -> None:
        """Record costing's unit cost of the item unless a later one (higher sequence) is recorded already."""


class ResourceRepository(Protocol):
    """Resource cards."""

    async def add(self, resource: Resource) -> bool:
        """False when a resource with that number exists already."""

    async def get(self, no: str, *, for_update: bool = False) -> Resource | None: ...

    async def update(self, resource: Resource) -> None: ...

    async def list_after(self, after: str, limit: int) -> list[Resource]:
        """Up to `limit` resources with a number above `after`, in number order."""

    async def all(self) -> list[Resource]:
        """Every resource, in number order."""


class ResourceAllocationRepository(Protocol):
    """Skill codes, service zones, service item groups, customers, resource skills, service orders, allocations."""

    async def add_code(self, kind: ServiceMasterKind, record: CodeDescription) -> bool:
        """False when `kind` has that code already."""

    async def get_code(self, kind: ServiceMasterKind, code: str) -> CodeDescription | None: ...

    async def codes(self, kind: ServiceMasterKind) -> list[CodeDescription]: ...

    async def update_code(self, kind: ServiceMasterKind, record: CodeDescription) -> None: ...

    async def add_customer(self, customer: Customer) -> bool: ...

    async def get_customer(self, no: str, *, for_update: bool = False) -> Customer | None: ...

    async def customers(self) -> list[Customer]: ...

    async def update_customer(self, customer: Customer) -> None: ...

    async def add_skill(self, skill: ResourceSkill) -> bool:
        """False when the skill is recorded already."""

    async def remove_skill(self, skill: ResourceSkill) -> bool:
        """False when there was no such skill."""

    async def skills(self, type: ResourceSkillType | None = None, no: str | None = None) -> list[ResourceSkill]:
        """The skills recorded, of one type and number when given, ordered by type, number and skill code."""

    async def add_service_order(self, order: ServiceOrder) -> bool:
        """False when a service order has that number already."""

    async def get_service_order(self, no: str) -> ServiceOrder | None: ...

    async def service_orders_after(self, after: str, limit: int) -> list[ServiceOrder]: ...

    async def lock_source_line(self, source_type: AllocationSourceType, source_no: str, source_line_no: int) -> None:
        """Hold the line until the transaction ends, so that two allocations to it are decided one after the other."""

    async def add_allocation(self, allocation: ResourceAllocation) -> ResourceAllocation:
        """The allocation as stored, with its new entry no."""

    async def get_allocation(self, entry_no: int, *, for_update: bool = False) -> ResourceAllocation | None: ...

    async def set_allocation_status(self, entry_no: int, status: AllocationStatus) -> None: ...

    async def allocations(self, *, resource_no: str | None = None, source_type: AllocationSourceType | None = None,
                          source_no: str | None = None, source_line_no: int | None = None,
                          status: AllocationStatus | None = None) -> list[ResourceAllocation]:
        """The allocations matching every filter given, in entry order."""

    async def allocated_hours(self, first: date, last: date,
                              resource_nos: Sequence[str] | None = None) -> dict[tuple[str, date], Decimal]:
        """Hours of active allocations per (resource, day) from `first` to `last`; days without any are left out."""
