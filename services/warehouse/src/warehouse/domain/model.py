"""Item replica and posting rules of the item journal."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from inventory_contracts.catalog import CostingMethod, ItemType, PreventNegativeInventory
from inventory_contracts.warehouse import ItemLedgerEntryType

from warehouse.domain.application import Application
from warehouse.domain.ledger_state import Demand
from warehouse.domain.errors import (
    InvalidJournalLineError,
    ItemBlockedError,
    NotAnInventoryItemError,
)

INBOUND_TYPES = frozenset({ItemLedgerEntryType.PURCHASE, ItemLedgerEntryType.POSITIVE_ADJMT})
OUTBOUND_TYPES = frozenset({ItemLedgerEntryType.SALE, ItemLedgerEntryType.NEGATIVE_ADJMT})


@dataclass(frozen=True)
class Item:
    """What the warehouse keeps of an item card."""

    item_no: str
    revision: int
    description: str
    type: ItemType
    base_unit_of_measure: str
    costing_method: CostingMethod
    inventory_posting_group: str
    gen_prod_posting_group: str
    prevent_negative_inventory: PreventNegativeInventory
    blocked: bool
    sales_blocked: bool
    purchasing_blocked: bool

    def prevents_negative_inventory(self, setup_default: bool) -> bool:
        if self.prevent_negative_inventory is PreventNegativeInventory.DEFAULT:
            return setup_default
        return self.prevent_negative_inventory is PreventNegativeInventory.YES


@dataclass(frozen=True)
class JournalLine:
    """An item journal line; `quantity` is positive, the entry type gives the direction."""

    item_no: str
    entry_type: ItemLedgerEntryType
    quantity: Decimal
    posting_date: date
    location_code: str
    document_no: str
    line_no: int
    variant_code: str = ""
    unit_cost: Decimal | None = None
    bin_code: str = ""
    demand: Demand | None = None
    """The demand line whose reservation this (outbound) line consumes."""

    @property
    def is_inbound(self) -> bool:
        return self.entry_type in INBOUND_TYPES

    @property
    def signed_quantity(self) -> Decimal:
        return self.quantity if self.is_inbound else -self.quantity


@dataclass(frozen=True)
class ItemLedgerEntry:
    entry_no: int
    item_no: str
    variant_code: str
    location_code: str
    posting_date: date
    entry_type: ItemLedgerEntryType
    document_no: str
    document_line_no: int
    quantity: Decimal
    unit_cost: Decimal | None
    applications: tuple[Application, ...] = ()
    bin_code: str = ""


def check_line(line: JournalLine, item: Item) -> None:
    """Refuse a line the item may not take. Raises a WarehouseDomainError."""
    where = {"item_no": item.item_no, "line_no": line.line_no}
    if line.quantity <= 0:
        raise InvalidJournalLineError(
            f"line {line.line_no}: quantity must be positive; the entry type gives the direction", **where
        )
    if line.entry_type not in INBOUND_TYPES | OUTBOUND_TYPES:
        raise InvalidJournalLineError(f"line {line.line_no}: entry type {line.entry_type} cannot be posted in an item journal", **where)
    if line.is_inbound and line.unit_cost is None:
        raise InvalidJournalLineError(f"line {line.line_no}: an inbound line needs a unit cost", **where)
    if not line.is_inbound and line.unit_cost is not None:
        raise InvalidJournalLineError(
            f"line {line.line_no}: an outbound line takes its cost from the entries it applies to; omit unit_cost", **where
        )
    if line.demand is not None and line.is_inbound:
        raise InvalidJournalLineError(f"line {line.line_no}: only an outbound line consumes a reservation", **where)
    if item.type is not ItemType.INVENTORY:
        raise NotAnInventoryItemError(f"item {item.item_no} is a {item.type} item and has no stock", **where)
    if item.blocked:
        raise ItemBlockedError(f"item {item.item_no} is blocked", **where)
    if item.sales_blocked and line.entry_type is ItemLedgerEntryType.SALE:
        raise ItemBlockedError(f"item {item.item_no} is blocked for sales", **where)
    if item.purchasing_blocked and line.entry_type is ItemLedgerEntryType.PURCHASE:
        raise ItemBlockedError(f"item {item.item_no} is blocked for purchasing", **where)
