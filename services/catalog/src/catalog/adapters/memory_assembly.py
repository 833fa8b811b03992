"""In-memory fake of the assembly repository, over the fake catalog's tables (see memory.py)."""

from collections.abc import Iterable
from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING

from inventory_contracts.catalog import BomComponentType

from catalog.domain.assembly import ResourceCost
from catalog.domain.model import AssemblyBomLine

if TYPE_CHECKING:
    from catalog.adapters.memory import CatalogTables


class InMemoryAssemblyRepository:
    def __init__(self, tables: "CatalogTables") -> None:
        self._tables = tables
        self._unit_cost_sequences: dict[str, int] = {}

    async def lock_boms(self) -> None:
        """One task at a time here: nothing to serialise."""

    async def uses_of(self, item_nos: Iterable[str]) -> dict[str, list[tuple[str, AssemblyBomLine]]]:
        wanted = set(item_nos)
        uses: dict[str, list[tuple[str, AssemblyBomLine]]] = {}
        for parent in sorted(self._tables.items.values(), key=lambda i: i.item_no):
            if parent.deleted:
                continue
            for line in parent.assembly_bom:
                if line.type == BomComponentType.ITEM and line.no in wanted:
                    uses.setdefault(line.no, []).append((parent.item_no, line))
        return uses

    async def resources(self, nos: Iterable[str]) -> dict[str, ResourceCost]:
        cards = self._tables.resource_tables.resources
        return {no: ResourceCost(no, cards[no].name, cards[no].base_unit_of_measure, cards[no].direct_unit_cost,
                                 cards[no].unit_cost, cards[no].blocked) for no in set(nos) if no in cards}

    async def set_unit_cost(self, item_no: str, unit_cost: Decimal, sequence: int) -> None:
        item = self._tables.items.get(item_no)
        if item is None or self._unit_cost_sequences.get(item_no, 0) >= sequence:
            return
        self._unit_cost_sequences[item_no] = sequence
        self._tables.items[item_no] = replace(item, unit_cost=unit_cost)
