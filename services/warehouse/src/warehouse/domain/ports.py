"""The warehouse's repositories as ports: what the use cases need of storage, in domain objects.

The PostgreSQL adapters (adapters/) and the in-memory fakes (adapters/memory.py) implement them.
"""

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Protocol

from warehouse.domain.application import OpenEntry
from warehouse.domain.assembly import AssemblyOrder, AssemblyPosting
from warehouse.domain.availability import OpenTransfers, Stock
from warehouse.domain.availability_events import SupplyDemand
from warehouse.domain.documents import InvoiceLine, PostedEntry
from warehouse.domain.ledger_state import Demand, Key, ReservationEntry
from warehouse.domain.locations import Bin, BinContent, Location
from warehouse.domain.model import Item, ItemLedgerEntry, ListedEntry, StockAtLocation
from warehouse.domain.periods import InventoryPeriod, InventorySetup, PostingDates
from warehouse.domain.planning_orders import Order, OrderLine, OrderPosting, OrderType
from warehouse.domain.physical_inventory import CountKey, PhysInvtLedgerEntry, PhysInvtOrder
from warehouse.domain.reconciliation import SettledQuantity
from warehouse.domain.responsibility_centers import ResponsibilityCenter
from warehouse.domain.transfers import ShipmentLine, TransferOrder, TransferOrderLine

# setup and counts: locations, bins, inventory setup and periods, physical inventory, availability ----------------


class LocationRepository(Protocol):
    """Location cards and their bins, and what the ledger holds in each bin."""

    async def add(self, location: Location) -> None:
        """Raises AlreadyExistsError for a code in use."""

    async def locations(self, codes: Iterable[str]) -> dict[str, Location]:
        """The cards of those codes that exist, by code."""

    async def page(self, after: str | None, limit: int) -> list[Location]:
        """Up to `limit` cards with codes after `after`, in code order."""

    async def add_bin(self, bin_: Bin) -> None:
        """Raises AlreadyExistsError for a code in use at the location."""

    async def bins(self, location_codes: Iterable[str]) -> dict[str, list[Bin]]:
        """The bins of those locations that have any, in code order, by location code."""

    async def bin_contents(
        self, item_no: str | None, location_code: str | None, bin_code: str | None
    ) -> list[BinContent]:
        """Non-zero quantities per location, bin, item and variant (filters: None is any), in that order."""


class InventorySetupRepository(Protocol):
    """The one inventory setup row and its revision (every published change takes the next revision)."""

    async def get(self, *, for_change: bool = False) -> tuple[InventorySetup, int]:
        """The setup and its revision; `for_change` locks it until the transaction ends (taken before the periods)."""

    async def as_published(self) -> tuple[InventorySetup, int, date | None]:
        """The setup, its revision and the latest closed period's ending date, read in one snapshot."""

    async def save(self, setup: InventorySetup) -> None:
        """Only through service_layer.periods.change_inventory_setup: every change gets a revision and is published."""

    async def next_revision(self) -> int:
        ...

    async def posting_dates(self) -> PostingDates:
        ...

    async def has_item_ledger_entries(self) -> bool:
        ...

    async def prevent_negative_inventory_default(self) -> bool:
        """What an item whose card says Default does about negative inventory."""


class InventoryPeriodRepository(Protocol):
    async def inventory_periods(self, *, for_change: bool = False) -> list[InventoryPeriod]:
        """The periods in date order. Read without `for_change` they are shared-locked, so that a posting cannot
        commit into a period closed meanwhile; `for_change` takes the exclusive lock that waits for those."""

    async def save(self, period: InventoryPeriod) -> None:
        """Insert or update the period (a blank name keeps the name it has)."""

    async def count_open_outbound_until(self, ending_date: date) -> int:
        """Outbound entries up to the date still waiting for stock (negative remaining quantity)."""


class PhysicalInventoryRepository(Protocol):
    """Physical inventory orders with their lines and recordings, and the physical inventory ledger."""

    async def add(self, order: PhysInvtOrder) -> None:
        """Raises AlreadyExistsError for a number in use."""

    async def get(self, no: str, *, for_update: bool = False) -> PhysInvtOrder | None:
        """The order and its lines; `for_update` locks the order so that its steps run one at a time."""

    async def count_balances(self, order: PhysInvtOrder) -> dict[CountKey, Decimal]:
        """Non-zero quantity per (item, variant, bin, lot, serial) at the order's location, as of its posting date,
        within its item and bin filter."""

    async def save(self, order: PhysInvtOrder, *, replace_lines: bool = False) -> None:
        """Write the order's state and lines (all lines replaced when `replace_lines`, else new ones added and the
        recorded quantities of the others updated)."""

    async def add_recording(self, order_no: str, recording_no: str) -> None:
        """Raises AlreadyExistsError for a recording no. the order has already."""

    async def next_ledger_entry_nos(self, count: int) -> list[int]:
        """`count` new physical inventory ledger entry numbers, ascending."""

    async def add_ledger_entries(self, entries: Sequence[PhysInvtLedgerEntry]) -> None:
        ...

    async def ledger_entries(
        self, item_no: str | None, order_no: str | None, after: int | None, limit: int,
        responsibility_center: str | None = None,
    ) -> list[PhysInvtLedgerEntry]:
        """Up to `limit` entries numbered after `after`, in entry order (filters: None is any; the center is the
        order's)."""


class AvailabilityRepository(Protocol):
    """What availability is computed from: the item ledger, reservations and open transfer lines."""

    async def item_known(self, item_no: str) -> bool:
        ...

    async def stock_and_reserved(
        self, item_no: str, location_code: str | None, on_date: date | None
    ) -> tuple[Stock, Decimal]:
        """Inventory (and its in-transit part) from the entries posted up to `on_date` (None: all), and the quantity
        reserved, read in one snapshot."""

    async def stock_as_of(self, item_no: str, location_code: str | None, dates: Sequence[date]) -> list[Stock]:
        """Stock as of each of the dates (ascending), in their order."""

    async def reserved(self, item_no: str, location_code: str | None) -> Decimal:
        ...

    async def open_transfers(self, item_no: str, location_code: str | None) -> OpenTransfers:
        ...


class ReconciliationRepository(Protocol):
    async def settled_quantities(self, settle_seconds: float) -> list[SettledQuantity]:
        """Per item and location, the quantity of the item's entries up to the last one recorded at least
        `settle_seconds` ago: what costing should have received by now."""


# posting: item replica, item ledger, invoices, reservations, transfer orders ------------------------------------


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

    async def entries(
        self, item_no: str | None, after: int | None, limit: int, responsibility_center: str | None = None
    ) -> list[ListedEntry]:
        """Entries in entry order after `after`, with their applications; of one responsibility center, if given."""

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


class ResponsibilityCenters(Protocol):
    """Responsibility center cards, and which center each location belongs to."""

    async def add(self, center: ResponsibilityCenter) -> None:
        """Raises AlreadyExistsError for a code in use."""

    async def centers(self, codes: Iterable[str]) -> dict[str, ResponsibilityCenter]:
        """The cards of those codes that exist, by code."""

    async def page(self, after: str | None, limit: int) -> list[ResponsibilityCenter]:
        """Up to `limit` cards with codes after `after`, in code order."""

    async def change(self, center: ResponsibilityCenter) -> None:
        """Replace the card of `center.code`, which exists."""

    async def assign_location(self, location_code: str, center: str) -> None:
        """The location (which exists) belongs to `center` from now on ('' for none)."""

    async def locations_page(self, center: str, after: str | None, limit: int) -> list[Location]:
        """Up to `limit` location cards of `center`, with codes after `after`, in code order."""

    async def entry_centers(self, entry_nos: Iterable[int]) -> dict[int, str]:
        """The center each of those item ledger entries recorded, by entry no."""

# sales and purchase orders -------------------------------------------------------------------------------------


class PlanningOrders(Protocol):
    """Open sales and purchase orders, and which receipt or shipment entries fulfilled their lines."""

    async def add(self, order: Order) -> None:
        """Raises AlreadyExistsError if the number is taken."""

    async def get(self, order_type: OrderType, no: str, *, for_update: bool = False) -> Order | None: ...

    async def get_many(self, order_type: OrderType, nos: Iterable[str], *, for_update: bool = False) -> dict[str, Order]:
        """`for_update` locks the orders so that changes and postings to them run one at a time."""

    async def page(self, order_type: OrderType, after: str | None, limit: int, item_no: str | None,
                   responsibility_center: str | None = None) -> list[Order]:
        """Orders numbered after `after`, in number order; with `item_no` those with a line for it; of one center, if
        given."""

    async def save_lines(self, order_type: OrderType, order_no: str, changed: Sequence[OrderLine]) -> None:
        """Insert or replace the lines."""

    async def delete_line(self, order_type: OrderType, order_no: str, line_no: int) -> None: ...

    async def add_postings(self, postings: Sequence[OrderPosting]) -> None: ...

    async def postings_of(self, entry_nos: Sequence[int]) -> list[OrderPosting]: ...

    async def give_back(self, undone: Mapping[tuple[OrderType, str, int], Decimal]) -> None:
        """Lower the posted quantity of each (type, order, line) by what its undone entries had posted."""


class AvailabilityEvents(Protocol):
    """What availability by event, period and BOM level read: stock, and the outstanding lines that will change it."""

    async def supply_and_demand(
        self, item_no: str, location_code: str | None, variant_code: str | None
    ) -> list[SupplyDemand]:
        """Outstanding sales, purchase and assembly lines, and undated ones: open transfer lines (with a location
        only) and reservations for no sales order line."""

    async def on_hand(self, item_no: str, location_code: str | None, variant_code: str | None,
                      on_date: date | None = None) -> Stock:
        """Inventory from the entries posted up to `on_date` (None: all)."""
class AssemblyOrders(Protocol):
    """Assembly orders, their lines and their postings (the posted assembly orders)."""

    async def next_no(self) -> str: ...

    async def add(self, order: AssemblyOrder) -> None:
        """Raises AlreadyExistsError if the number is taken."""

    async def get(self, no: str, *, for_update: bool = False) -> AssemblyOrder | None:
        """`for_update` locks the order so that its changes and postings run one at a time."""

    async def page(self, after: str | None, limit: int, responsibility_center: str | None = None) -> list[AssemblyOrder]:
        """Orders numbered after `after`, in number order; of one center, if given."""

    async def by_sales_line(self, sales_no: str, sales_line_no: int, *, for_update: bool) -> AssemblyOrder | None: ...

    async def save(self, order: AssemblyOrder) -> None:
        """Write the header and the lines as they are now (lines no longer there are deleted)."""

    async def next_posting_no(self) -> str: ...

    async def add_posting(self, posting: AssemblyPosting) -> None: ...

    async def postings(self, order_no: str) -> list[AssemblyPosting]: ...

    async def posting(self, posting_no: str, *, for_update: bool) -> AssemblyPosting | None: ...

    async def mark_undone(self, posting_no: str) -> None: ...
