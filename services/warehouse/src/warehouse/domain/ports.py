"""What the warehouse's use cases need from storage: one Protocol per aggregate, returning domain objects."""

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Protocol

from warehouse.domain.application import OpenEntry
from warehouse.domain.documents import InvoiceLine, PostedEntry
from warehouse.domain.ledger_state import Demand, Key, ReservationEntry
from warehouse.domain.locations import Bin, Location
from warehouse.domain.model import Item, ItemLedgerEntry, ListedEntry, StockAtLocation
from warehouse.domain.periods import InventoryPeriod, PostingDates
from warehouse.domain.transfers import ShipmentLine, TransferOrder, TransferOrderLine

# --- posting half: item replica, item ledger, invoices, reservations, transfer orders -----------------------------


class Items(Protocol):
    """The replica of the catalog's item cards."""

    async def upsert(self, item: Item) -> None:
        """Replace the card unless the replica holds a newer revision."""

    async def lock(self, item_nos: Iterable[str]) -> dict[str, Item]:
        """The known items among `item_nos`, locked until the transaction ends (in item order: no deadlocks)."""

    async def get(self, item_no: str) -> Item | None: ...


class ItemLedger(Protocol):
    """Item ledger entries, their applications and the open (remaining) part of them."""

    async def next_entry_nos(self, count: int) -> list[int]: ...

    async def add(self, entries: Sequence[ItemLedgerEntry]) -> None:
        """Write the entries and their applications."""

    async def posted(self, entry_nos: Iterable[int], *, lock: bool) -> dict[int, PostedEntry]:
        """The named entries; with `lock` an invoice or undo of the same entry waits (take the items' locks first)."""

    async def returned_quantities(self, entry_nos: Iterable[int]) -> dict[int, Decimal]:
        """Per outbound entry, the quantity inbound entries applying from it (returns, undos) gave back."""

    async def mark_corrected(self, entry_nos: Sequence[int]) -> None: ...

    async def keys_with_open_entries(self, item_nos: Iterable[str]) -> set[Key]: ...

    async def open_entries_of(self, keys: Iterable[Key]) -> dict[Key, dict[int, OpenEntry]]: ...

    async def bin_contents_of(self, places: Iterable[tuple[Key, str]]) -> dict[tuple[Key, str], Decimal]: ...

    async def save_open_changes(
        self, closed: Sequence[int], changed: Sequence[tuple[int, Decimal]], opened: Sequence[tuple[Key, OpenEntry]]
    ) -> None: ...

    async def entries(self, item_no: str | None, after: int | None, limit: int) -> list[ListedEntry]:
        """Entries in entry order after `after`, with their applications."""

    async def on_hand(self, item_no: str) -> list[StockAtLocation]: ...

    async def by_no(self, entry_nos: Iterable[int]) -> list[ItemLedgerEntry]: ...

    async def with_tracking(self, serial_no: str, lot_no: str, item_no: str | None) -> list[ItemLedgerEntry]: ...

    async def trace_links(self, entry_nos: Sequence[int]) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """(applications as (inbound, outbound), applies-from links as (inbound, source outbound)) touching the entries."""


class Invoices(Protocol):
    async def add(self, document_no: str, posting_date: date, lines: Sequence[InvoiceLine]) -> list[int]:
        """Record the invoice lines and raise the entries' invoiced quantity; each line's invoice entry no., in order."""


class Reservations(Protocol):
    async def open_of(self, keys: Iterable[Key]) -> list[ReservationEntry]: ...

    async def open_of_demand(self, demand: Demand) -> list[ReservationEntry]: ...

    async def add(self, made: Sequence[ReservationEntry]) -> list[int]:
        """Write new reservations; their ids, in order."""

    async def save_changes(self, changed: Sequence[ReservationEntry]) -> None: ...

    async def find(
        self, item_no: str | None, source_type: str | None, source_id: str | None, include_closed: bool
    ) -> list[ReservationEntry]: ...


class TransferOrders(Protocol):
    async def add(self, order: TransferOrder) -> None:
        """Raises AlreadyExistsError if the number is taken."""

    async def get(self, no: str, *, for_update: bool = False) -> TransferOrder | None:
        """`for_update` locks the order so that its steps run one at a time."""

    async def save_lines(self, order_no: str, lines: Sequence[TransferOrderLine]) -> None: ...

    async def shipment_lines(self, order_no: str) -> list[ShipmentLine]: ...

    async def add_shipment_lines(self, order_no: str, lines: Sequence[ShipmentLine]) -> None: ...

    async def save_shipment_progress(self, changed: Sequence[ShipmentLine]) -> None: ...


class PostingSetup(Protocol):
    """What posting reads of the setup half (locations, bins, posting dates, periods, negative-inventory default)."""

    async def locations(self, codes: Iterable[str]) -> dict[str, Location]: ...

    async def bins(self, location_codes: Iterable[str]) -> dict[str, list[Bin]]: ...

    async def posting_dates(self) -> PostingDates: ...

    async def inventory_periods(self, *, for_change: bool = False) -> list[InventoryPeriod]: ...

    async def prevent_negative_inventory_default(self) -> bool: ...


# --- end of the posting half --------------------------------------------------------------------------------------
