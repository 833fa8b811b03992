"""The cost graph the valuation engine reads and writes, on PostgreSQL: composed of the stores of its aggregates.

All of them share one session (costing.adapters.session): what the valuation path keeps of this transaction, and
writes in bulk at `flush`.
"""

from collections.abc import Iterable

from costing.adapters.assembly import AssemblyStore
from costing.adapters.average_periods import AveragePeriodStore
from costing.adapters.entries import ItemLedgerEntryStore
from costing.adapters.items import ItemStore
from costing.adapters.layers import CostLayerStore
from costing.adapters.session import CostingSession, flushes_first
from costing.adapters.value_entries import ValueEntryStore
from costing.domain.model import ValueEntry

CONSUMPTION_LOCK_CLASS = 7319


@flushes_first("prefetch", "flush")
class PostgresCostGraph(ItemLedgerEntryStore, CostLayerStore, ValueEntryStore, AveragePeriodStore, ItemStore, AssemblyStore):
    """`CostGraph` (costing.domain.ports) on the transaction's session, locked per item and read ahead set-based."""

    def __init__(self, session: CostingSession) -> None:
        super().__init__(session)

    async def lock_items(self, item_nos: Iterable[str]) -> None:
        """Hold the items until the transaction ends: one transaction at a time values an item (a consumer batch, an
        item charge, a revaluation, a standard cost implementation), so none builds on what another has not committed
        (a new average-cost period started from the period before it while a charge was changing that one). Taken in
        item order, so that no two transactions wait on each other in a cycle."""
        await self._conn.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended('costing-item:' || item_no, 0)) FROM unnest($1::text[]) AS i(item_no)",
            sorted(set(item_nos)),
        )

    async def lock_assembly_consumptions(self, entry_nos: Iterable[int]) -> None:
        """Hold the assembly consumptions until the transaction ends. Keys of two integers, CONSUMPTION_LOCK_CLASS and
        the entry number's low 32 bits: a key space apart from the one-key item, idempotency, migration and relay
        locks; one entry per key below 2^32 entries, two entries sharing a key above (they only wait for each other).
        Taken in key order, before the items where the entries are known up front."""
        keys = sorted({entry_no % 2**32 - 2**31 for entry_no in entry_nos})
        if keys:
            await self._conn.execute(
                "SELECT pg_advisory_xact_lock($1, k) FROM unnest($2::int[]) AS c(k)", CONSUMPTION_LOCK_CLASS, keys)

    async def prefetch(
        self, item_nos: Iterable[str], inbound_entry_nos: Iterable[int], outbound_entry_nos: Iterable[int] = ()
    ) -> None:
        """Read, set-based, what valuing a batch of entries of these items reads: applied to these inbound entries (their
        layers and valuation dates), covering these outbound entries valued provisionally before (their provisional
        costs, item ledger entries and cost sources), and what the items' other layers hold."""
        items = list(dict.fromkeys(item_nos))
        await self._session.load_setups(items)
        missing_entries = [entry_no for entry_no in set(inbound_entry_nos) if entry_no not in self._session.layers]
        if missing_entries:
            await self.layers(missing_entries)
            await self.latest_valuation_dates(missing_entries)
        waiting = list(set(outbound_entry_nos))
        if waiting:
            await self.provisionals(waiting)
            await self.item_ledger_entries(waiting)
            await self.cost_sources_of(waiting)
        await self.read_remaining_on_hand(items)

    async def flush(self) -> None:
        """Write what the valuation path kept: one statement per table."""
        await self._session.flush()

    def stored(self, entries: Iterable[ValueEntry]) -> list[ValueEntry]:
        """The value entries as stored, with their numbers (and those they apply to) in place of provisional ones."""
        return self._session.stored(entries)
