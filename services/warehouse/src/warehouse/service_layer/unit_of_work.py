"""What a use case of the warehouse works in: its repositories and the events it announces, in one transaction."""

from collections.abc import Sequence
from typing import Any, Protocol

from inventory_contracts import Envelope

from warehouse.domain.ports import Invoices, ItemLedger, Items, PostingSetup, Reservations, TransferOrders


class WarehouseUnitOfWork(Protocol):
    # --- posting half ---
    @property
    def items(self) -> Items: ...

    @property
    def ledger(self) -> ItemLedger: ...

    @property
    def invoices(self) -> Invoices: ...

    @property
    def reservations(self) -> Reservations: ...

    @property
    def transfer_orders(self) -> TransferOrders: ...

    @property
    def warehouse(self) -> PostingSetup:
        """The setup half's repository (locations, bins, posting dates, periods), as far as posting reads it."""
    # --- end of the posting half ---

    async def publish(self, topic: str, event: Envelope[Any]) -> None:
        """Queue `event` for `topic`: published after, and only if, the transaction commits."""

    async def publish_all(self, events: Sequence[tuple[str, Envelope[Any]]]) -> None:
        """Queue several (topic, event) pairs, in this order."""
