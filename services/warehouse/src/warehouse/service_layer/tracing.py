"""Item tracing over the item ledger, following applications and applies-from links both ways."""

from dataclasses import dataclass

from warehouse.domain.errors import InvalidDocumentError
from warehouse.domain.model import ItemLedgerEntry
from warehouse.domain.tracing import TraceDirection, next_links
from warehouse.service_layer.unit_of_work import WarehouseUnitOfWork

MAX_ENTRIES = 10_000


@dataclass(frozen=True)
class TracedEntry:
    entry: ItemLedgerEntry
    level: int
    traced_from: int | None


async def trace_item(
    uow: WarehouseUnitOfWork, direction: TraceDirection, *, serial_no: str = "", lot_no: str = "",
    item_no: str | None = None,
) -> list[TracedEntry]:
    """Level 0: every entry carrying the number; level n: entries linked to level n-1 in `direction`."""
    if not serial_no and not lot_no:
        raise InvalidDocumentError("name a serial_no or a lot_no to trace")
    seeds = await uow.ledger.with_tracking(serial_no, lot_no, item_no)
    found = {entry.entry_no: TracedEntry(entry, 0, None) for entry in seeds}
    frontier = set(found)
    level = 0
    while frontier and len(found) < MAX_ENTRIES:
        level += 1
        applications, applies_from = await uow.ledger.trace_links(sorted(frontier))
        links = [(a, b) for a, b in next_links(direction, frontier, applications, applies_from) if b not in found]
        entries = {e.entry_no: e for e in await uow.ledger.by_no({b for _, b in links})}
        frontier = set()
        for source, target in links:
            if target not in found:
                found[target] = TracedEntry(entries[target], level, source)
                frontier.add(target)
    return sorted(found.values(), key=lambda t: (t.level, t.entry.entry_no))
