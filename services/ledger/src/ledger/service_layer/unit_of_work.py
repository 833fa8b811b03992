"""What a ledger use case works with: its repositories and the events it announces, in one transaction."""

from collections.abc import Sequence
from typing import Any, Protocol

from inventory_contracts import Envelope

from ledger.domain.ports import (
    AccountRepository,
    GeneralLedgerRepository,
    PostingSetupRepository,
    ReconciliationRepository,
    ValueEntryRepository,
)


class LedgerUnitOfWork(Protocol):
    """One transaction (or, opened for reading, none): what the use case writes commits together with its events."""

    @property
    def accounts(self) -> AccountRepository: ...

    @property
    def posting_setups(self) -> PostingSetupRepository: ...

    @property
    def value_entries(self) -> ValueEntryRepository: ...

    @property
    def general_ledger(self) -> GeneralLedgerRepository: ...

    @property
    def reconciliation(self) -> ReconciliationRepository: ...


    async def publish(self, topic: str, event: Envelope[Any]) -> None:
        """Queue `event`: it is published after, and only if, the transaction commits."""

    async def publish_all(self, events: Sequence[tuple[str, Envelope[Any]]]) -> None:
        """Queue several (topic, event) pairs, in this order, in one round trip."""
