"""Item tracing over the item ledger, following applications and applies-from links both ways."""

from dataclasses import dataclass

import asyncpg

from warehouse.adapters.repository import WarehouseRepository
from warehouse.domain.tracing import TraceDirection, next_links

MAX_ENTRIES = 10_000


@dataclass(frozen=True)
class TracedEntry:
    entry: dict[str, object]
    level: int
    traced_from: int | None


async def trace_item(
    conn: asyncpg.Connection, direction: TraceDirection, *, serial_no: str = "", lot_no: str = "", item_no: str | None = None
) -> list[TracedEntry]:
    """Level 0: every entry carrying the number; level n: entries linked to level n-1 in `direction`."""
    repository = WarehouseRepository(conn)
    seeds = await repository.entries_with_tracking(serial_no, lot_no, item_no)
    found = {int(row["entry_no"]): TracedEntry(dict(row), 0, None) for row in seeds}
    frontier = set(found)
    level = 0
    while frontier and len(found) < MAX_ENTRIES:
        level += 1
        applications, applies_from = await repository.trace_links(sorted(frontier))
        links = [(a, b) for a, b in next_links(direction, frontier, applications, applies_from) if b not in found]
        rows = {int(r["entry_no"]): r for r in await repository.entries_by_no(sorted({b for _, b in links}))}
        frontier = set()
        for source, target in links:
            if target not in found:
                found[target] = TracedEntry(dict(rows[target]), level, source)
                frontier.add(target)
    return sorted(found.values(), key=lambda t: (t.level, int(t.entry["entry_no"])))  # type: ignore[call-overload]
