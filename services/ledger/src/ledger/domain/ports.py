"""What the ledger needs from storage and from costing, as interfaces returning domain objects.

The PostgreSQL adapters implement them in `ledger.adapters.repository`, the in-memory fakes in
`ledger.adapters.memory`. Every method runs in the caller's unit of work (its transaction).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol
from uuid import UUID

from ledger.domain.model import (
    GLAccount,
    GLEntry,
    PendingValueEntry,
    ReceivedValueEntry,
    RecordedGLEntry,
    TrialBalanceLine,
)
from ledger.domain.posting import GeneralKey, GeneralPostingSetup, InventoryKey, InventoryPostingSetup
from ledger.domain.reconciliation import GroupValue

Register = tuple[int, str, UUID, Sequence[GLEntry]]
"""(register no., item no., source event id, the register's G/L entries in entry order)"""


@dataclass(frozen=True)
class ReconciliationSnapshot:
    """The ledger's side of a reconciliation, all read at one moment."""

    received: int
    """Value entries received: posted and waiting."""
    pending: int
    """Value entries waiting for their posting setup."""
    balances: dict[str, Decimal]
    """Balance per G/L account with entries."""
    setups: dict[InventoryKey, InventoryPostingSetup]


class AccountRepository(Protocol):
    """The chart of accounts."""

    async def add(self, account: GLAccount) -> bool:
        """Insert `account`; False when the number is taken."""

    async def update(self, account: GLAccount) -> bool:
        """Replace the card of `account`; False when there is no such account."""

    async def get(self, account_no: str) -> GLAccount | None: ...

    async def page(self, after: str | None, limit: int) -> list[GLAccount]:
        """Up to `limit` accounts numbered after `after`, in account no. order."""

    async def by_number(self, account_nos: Iterable[str]) -> dict[str, GLAccount]:
        """Those of `account_nos` that exist."""


class PostingSetupRepository(Protocol):
    """Inventory and general posting setup, and the lock that orders setup changes against posting."""

    async def lock(self, *, exclusive: bool) -> None:
        """Posting takes this shared, a setup change exclusive, both before any item lock, until the transaction ends.

        Without it a value entry could read the old setup, go to pending, and commit just after the
        setup change looked for pending entries to post: it would wait although its setup exists.
        """

    async def lock_shared_and_read_closed_through(self) -> date | None:
        """The posting side of `lock`, and the closed date it then holds still, in one round trip."""

    async def inventory_setups(self, keys: Iterable[InventoryKey]) -> dict[InventoryKey, InventoryPostingSetup]:
        """Those of `keys` that have a setup."""

    async def put_inventory_setup(self, key: InventoryKey, setup: InventoryPostingSetup) -> None:
        """Create or replace."""

    async def general_setups(self, keys: Iterable[GeneralKey]) -> dict[GeneralKey, GeneralPostingSetup]:
        """Those of `keys` that have a setup."""

    async def put_general_setup(self, key: GeneralKey, setup: GeneralPostingSetup) -> None:
        """Create or replace."""


class ValueEntryRepository(Protocol):
    """Value entries as received: posted (by number) or waiting for their setup (in full)."""

    async def lock_items(self, item_nos: Iterable[str]) -> None:
        """Serialise the posting of these items' value entries (consumer and setup changes) until the transaction ends.

        Taken in item no. order whatever the order given: two replicas of the ledger posting batches
        with overlapping items then never wait on each other in a cycle (a deadlock, and a batch retried).
        """

    async def already_received(self, value_entry_nos: Sequence[int]) -> set[int]:
        """Those of `value_entry_nos` that were posted or are waiting."""

    async def pending_of(self, item_nos: Iterable[str]) -> dict[str, list[ReceivedValueEntry]]:
        """The waiting value entries of those of `item_nos` that have any, per item in entry order."""

    async def items_with_pending(self) -> list[str]:
        """Items with waiting value entries, the item of the oldest waiting entry first."""

    async def keep_pending(self, waiting: Sequence[tuple[ReceivedValueEntry, str]]) -> None:
        """Store (value entry, reason) as waiting; an entry waiting already keeps waiting for the new reason."""

    async def remove_pending(self, value_entry_nos: Sequence[int]) -> None: ...

    async def count_pending(self) -> int: ...

    async def list_pending(self, after: int | None, limit: int) -> list[PendingValueEntry]:
        """Up to `limit` waiting entries numbered after `after`, in entry order."""

    async def mark_posted(self, posted: Sequence[tuple[int, int | None]]) -> None:
        """Record (value entry no., register no. or none for an entry with nothing to post)."""


class GeneralLedgerRepository(Protocol):
    """G/L registers and entries, and the closed periods."""

    async def next_register_and_entry_nos(self, register_count: int, entry_count: int) -> tuple[list[int], list[int]]:
        """Reserve that many register and entry numbers, each list ascending."""

    async def add_registers(self, registers: Sequence[Register]) -> None:
        """Write the registers with their entries."""

    async def list_entries(
        self,
        *,
        account_no: str | None,
        from_date: date | None,
        to_date: date | None,
        value_entry_no: int | None,
        after: int | None,
        limit: int,
    ) -> list[RecordedGLEntry]:
        """Up to `limit` entries numbered after `after` that match every filter given, in entry order."""

    async def trial_balance(self, at: date | None) -> list[TrialBalanceLine]:
        """Per account with entries on or before `at` (all entries when none), in account no. order."""

    async def closed_through(self) -> date | None: ...

    async def set_closed_through(self, closed_through: date | None) -> None: ...


class ReconciliationRepository(Protocol):
    """The ledger's side of the inventory reconciliation and the differences reported so far."""

    async def snapshot(self) -> ReconciliationSnapshot:
        """Received and waiting counts, balances and inventory setups as of one moment."""

    async def reported_differences(self) -> dict[str, Decimal]:
        """The difference last reported per inventory account."""

    async def record_reported_difference(self, account_no: str, interim: bool, difference: Decimal) -> None: ...


class InventoryValuation(Protocol):
    """Costing's inventory value, read through its API (never its database)."""

    async def by_posting_group(self) -> tuple[int, list[GroupValue]]:
        """The number of value entries summed and the value per location and inventory posting group.

        Raises CostingUnavailableError when costing cannot be read.
        """
