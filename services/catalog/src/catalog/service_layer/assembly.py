"""Use cases of assembly BOMs: load the cards around a BOM, decide with the pure rules of domain/assembly.py, write
through the item card's own use cases (so every change is a new revision on catalog.items.v1)."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from inventory_contracts.catalog import BomComponentType

from catalog.domain import assembly
from catalog.domain.assembly import BomTreeLine, ExplodedLine, StandardCostShares, WhereUsedEntry
from catalog.domain.errors import InvalidAssemblyBomError
from catalog.domain.model import AssemblyBomLine, Item
from catalog.service_layer import items
from catalog.service_layer.unit_of_work import CatalogUnitOfWork


async def _cards(uow: CatalogUnitOfWork, item_nos: Iterable[str]) -> dict[str, Item]:
    found = {}
    for no in sorted(set(item_nos)):
        item = await uow.items.get(no)
        if item is not None:
            found[no] = item
    return found


async def _below(uow: CatalogUnitOfWork, roots: Iterable[str]) -> dict[str, Item]:
    """The live cards of `roots` and of every item in their BOMs, at every level."""
    found: dict[str, Item] = {}
    pending = set(roots)
    while pending:
        loaded = await _cards(uow, pending)
        found.update(loaded)
        pending = {no for item in loaded.values() for no in assembly.item_components(item.assembly_bom)} - set(found)
    return found


async def _resources(uow: CatalogUnitOfWork, lines: Iterable[AssemblyBomLine]) -> dict[str, assembly.ResourceCost]:
    nos = {line.no for line in lines if line.type == BomComponentType.RESOURCE}
    return await uow.assembly.resources(nos) if nos else {}


async def replace_assembly_bom(
    uow: CatalogUnitOfWork, item_no: str, expected_revision: int, lines: Sequence[AssemblyBomLine]
) -> Item:
    """Make `lines` the item's whole BOM (read at `expected_revision`): a new revision of the card, announced."""
    await uow.assembly.lock_boms()
    parent = await items.get_item(uow, item_no)
    components = await _cards(uow, assembly.item_components(lines))
    below = await _below(uow, components)
    boms = {no: item.assembly_bom for no, item in below.items()}
    bom = assembly.validate_bom(parent, lines, components, await _resources(uow, lines), boms)
    # The card's own use case checks the revision under lock and writes the new revision with the BOM.
    return await items.update_item(uow, item_no, expected_revision, {"assembly_bom": bom})


@dataclass(frozen=True)
class BomTree:
    item: Item
    low_level_code: int
    lines: list[BomTreeLine]


async def _parents(uow: CatalogUnitOfWork, item_nos: Iterable[str]) -> dict[str, list[tuple[str, AssemblyBomLine]]]:
    """Each item's uses and those of every parent above it, at every level."""
    uses: dict[str, list[tuple[str, AssemblyBomLine]]] = {}
    pending = set(item_nos)
    while pending:
        found = await uow.assembly.uses_of(pending)
        for no in pending:
            uses[no] = found.get(no, [])
        pending = {parent for lines in found.values() for parent, _ in lines} - set(uses)
    return uses


async def bom_tree(uow: CatalogUnitOfWork, item_no: str) -> BomTree:
    top = await items.get_item(uow, item_no)
    below = await _below(uow, assembly.item_components(top.assembly_bom))
    below[top.item_no] = top
    uses = await _parents(uow, below)
    codes = assembly.low_level_codes(below, {no: {p for p, _ in lines} for no, lines in uses.items()})
    return BomTree(top, codes[top.item_no], assembly.bom_tree(top, below, codes))


async def where_used(uow: CatalogUnitOfWork, item_no: str) -> list[WhereUsedEntry]:
    item = await items.get_item(uow, item_no)
    uses = await _parents(uow, [item_no])
    parents = await _cards(uow, {p for lines in uses.values() for p, _ in lines})
    return assembly.where_used(item, {
        no: [(parents[p], line) for p, line in lines if p in parents] for no, lines in uses.items()
    })


async def explode(uow: CatalogUnitOfWork, item_no: str, quantity: Decimal, unit_code: str) -> list[ExplodedLine]:
    parent = await items.get_item(uow, item_no)
    components = await _cards(uow, assembly.item_components(parent.assembly_bom))
    return assembly.explode(parent, quantity, unit_code, components)


@dataclass(frozen=True)
class StandardCostResult:
    item: Item
    shares: StandardCostShares
    updated: list[str]


async def calculate_standard_cost(uow: CatalogUnitOfWork, item_no: str, *, all_levels: bool) -> StandardCostResult:
    """BC's Calc. Standard Cost of an assembled item: its single-level costs and their sum as its standard cost.
    With `all_levels`, every assembled item below it is calculated first, bottom-up, and its card updated too;
    otherwise components count at their cost as it stands. Each card changes through the card's own use case, as
    if its standard cost were changed by hand (a new revision, announced); a card whose costs do not change is
    left as it is."""
    top = await items.get_item(uow, item_no)
    if not top.assembly_bom:
        raise InvalidAssemblyBomError(f"item {item_no} has no assembly BOM to calculate", item_no=item_no)
    cards = await _below(uow, [item_no])
    order = assembly.roll_up_order(top, cards) if all_levels else [item_no]
    rolled_up: dict[str, Decimal] = {}
    updated = []
    shares = None
    for no in order:
        card = cards[no]
        resources = await _resources(uow, card.assembly_bom)
        shares = assembly.roll_up(card, cards, resources, rolled_up)
        rolled_up[no] = shares.standard_cost
        changes = {
            "standard_cost": shares.standard_cost,
            "single_level_material_cost": shares.material,
            "single_level_capacity_cost": shares.capacity,
            "single_level_cap_ovhd_cost": shares.capacity_overhead,
            "single_level_mfg_ovhd_cost": shares.manufacturing_overhead,
        }
        if any(getattr(card, field) != value for field, value in changes.items()):
            cards[no] = await items.update_item(uow, no, card.revision, changes)
            updated.append(no)
    assert shares is not None
    return StandardCostResult(cards[item_no], shares, updated)


async def record_unit_cost(uow: CatalogUnitOfWork, item_no: str, unit_cost: Decimal, sequence: int) -> None:
    """Costing announced the item's unit cost: the roll-up costs a non-Standard component at it."""
    await uow.assembly.set_unit_cost(item_no, unit_cost, sequence)
