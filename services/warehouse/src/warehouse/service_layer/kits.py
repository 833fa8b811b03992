"""Kits sold exploded: a sale line of an item with an assembly BOM sells the BOM's component items instead."""

from collections.abc import Sequence
from dataclasses import replace

from inventory_contracts.warehouse import ItemLedgerEntryType

from warehouse.domain.assembly import ITEM, exploded
from warehouse.domain.errors import InvalidJournalLineError, UnknownItemError
from warehouse.domain.model import Item, JournalLine, base_quantity
from warehouse.service_layer.unit_of_work import WarehouseUnitOfWork


async def explode_kits(uow: WarehouseUnitOfWork, lines: Sequence[JournalLine]) -> list[JournalLine]:
    """The lines with each `explode_bom` sale line replaced by one sale line per component item (quantity per x the
    line's quantity in the base unit), under the kit line's line no."""
    if not any(line.explode_bom for line in lines):
        return list(lines)
    found: list[JournalLine] = []
    for line in lines:
        if not line.explode_bom:
            found.append(line)
            continue
        where = {"item_no": line.item_no, "line_no": line.line_no}
        if line.entry_type is not ItemLedgerEntryType.SALE:
            raise InvalidJournalLineError(f"line {line.line_no}: only a Sale line explodes its BOM", **where)
        if line.tracking or line.applies_to_entry is not None or line.variant_code or line.demand is not None:
            raise InvalidJournalLineError(
                f"line {line.line_no}: a kit line exploded names no variant, tracking, applies-to entry or demand; "
                "its components are applied by their costing method", **where)
        parent = await uow.items.get(line.item_no)
        if parent is None:
            raise UnknownItemError(f"item {line.item_no} is unknown", **where)
        components: dict[str, Item] = {}
        for c in parent.assembly_bom:
            component = await uow.items.get(c.no) if c.type is ITEM else None
            if component is not None:
                components[c.no] = component
        base, _ = base_quantity(parent, line.unit_of_measure_code, line.quantity, line_no=line.line_no)
        found += [replace(line, item_no=item.item_no, quantity=quantity, unit_of_measure_code="", explode_bom=False)
                  for item, quantity in exploded(parent, base, components, line_no=line.line_no)]
    return found
