"""Item replica and posting rules of the item journal."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from inventory_contracts.catalog import (
    AssemblyPolicy,
    BomComponentType,
    CostingMethod,
    ItemType,
    PreventNegativeInventory,
    ReservePolicy,
    ResourceUsageType,
)
from inventory_contracts.limits import QUANTITY_MAX, QUANTITY_QUANTUM, UNIT_COST_MAX, UNIT_COST_QUANTUM
from inventory_contracts.warehouse import ItemLedgerEntryType

from warehouse.domain.application import Application
from warehouse.domain.ledger_state import Demand, Key
from warehouse.domain.errors import (
    InvalidJournalLineError,
    ItemBlockedError,
    NotAnInventoryItemError,
    UnknownUnitOfMeasureError,
    UnknownVariantError,
)
from warehouse.domain.tracking import TrackingLine, TrackingRules, split

INBOUND_TYPES = frozenset({ItemLedgerEntryType.PURCHASE, ItemLedgerEntryType.POSITIVE_ADJMT})
OUTBOUND_TYPES = frozenset({ItemLedgerEntryType.SALE, ItemLedgerEntryType.NEGATIVE_ADJMT})


@dataclass(frozen=True)
class ItemUnit:
    code: str
    qty_per_unit_of_measure: Decimal


@dataclass(frozen=True)
class Variant:
    code: str
    description: str = ""
    blocked: bool = False


@dataclass(frozen=True)
class BomComponent:
    """A line of an item's assembly BOM, as the card publishes it."""

    line_no: int
    type: BomComponentType
    no: str
    quantity_per: Decimal
    description: str = ""
    unit_of_measure_code: str = ""
    resource_usage_type: ResourceUsageType = ResourceUsageType.DIRECT


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
    units_of_measure: tuple[ItemUnit, ...] = ()
    variants: tuple[Variant, ...] = ()
    tracking: TrackingRules | None = None
    assembly_policy: AssemblyPolicy = AssemblyPolicy.ASSEMBLE_TO_STOCK
    reserve: ReservePolicy = ReservePolicy.OPTIONAL
    assembly_bom: tuple[BomComponent, ...] = ()

    def qty_per_unit_of_measure(self, code: str) -> Decimal | None:
        """Base units in one `code`; the base unit is always 1, even on a card that does not list it."""
        if code in ("", self.base_unit_of_measure):
            return Decimal(1)
        return next((u.qty_per_unit_of_measure for u in self.units_of_measure if u.code == code), None)

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
    unit_of_measure_code: str = ""
    """The unit `quantity` is in; blank is the item's base unit."""
    tracking: tuple[TrackingLine, ...] = ()
    applies_to_entry: int | None = None
    """The inbound entry this outbound line is fixed-applied to: it takes only from it, and its cost."""
    explode_bom: bool = False
    """A kit's sale line: its BOM's component items are sold instead of it (service_layer.kits)."""

    @property
    def is_inbound(self) -> bool:
        return self.entry_type in INBOUND_TYPES

    @property
    def signed_quantity(self) -> Decimal:
        return self.quantity if self.is_inbound else -self.quantity


def base_quantity(item: Item, unit_of_measure_code: str, quantity: Decimal, *, line_no: int) -> tuple[Decimal, Decimal]:
    """(quantity in the base unit rounded to 5 decimals, quantity per unit of measure). Raises for an unknown unit."""
    per = item.qty_per_unit_of_measure(unit_of_measure_code)
    if per is None:
        raise UnknownUnitOfMeasureError(
            f"line {line_no}: item {item.item_no} has no unit of measure {unit_of_measure_code}; "
            f"its units are {', '.join(sorted({item.base_unit_of_measure} | {u.code for u in item.units_of_measure}))}",
            item_no=item.item_no, line_no=line_no, unit_of_measure_code=unit_of_measure_code,
        )
    base = (quantity * per).quantize(QUANTITY_QUANTUM, rounding=ROUND_HALF_UP)
    if base == 0:
        raise InvalidJournalLineError(
            f"line {line_no}: {quantity} {unit_of_measure_code} is 0 in the base unit", item_no=item.item_no, line_no=line_no
        )
    if base > QUANTITY_MAX:
        # Checked after the conversion: a large unit of measure can take an accepted quantity beyond what costing stores.
        raise InvalidJournalLineError(
            f"line {line_no}: {quantity} {unit_of_measure_code} is {base} in the base unit, more than {QUANTITY_MAX}",
            item_no=item.item_no, line_no=line_no,
        )
    return base, per


def base_unit_cost(item: Item, unit_cost: Decimal, per: Decimal, *, line_no: int) -> Decimal:
    """The unit cost of one base unit, rounded to 5 decimals; refused beyond the shared limit."""
    base = (unit_cost / per).quantize(UNIT_COST_QUANTUM)
    if base > UNIT_COST_MAX:
        raise InvalidJournalLineError(
            f"line {line_no}: unit cost {base} per base unit is more than {UNIT_COST_MAX}", item_no=item.item_no, line_no=line_no
        )
    return base


def check_variant(item: Item, variant_code: str, *, line_no: int) -> None:
    if not variant_code:
        return
    variant = next((v for v in item.variants if v.code == variant_code), None)
    where = {"item_no": item.item_no, "line_no": line_no, "variant_code": variant_code}
    if variant is None:
        raise UnknownVariantError(f"line {line_no}: item {item.item_no} has no variant {variant_code}", **where)
    if variant.blocked:
        raise ItemBlockedError(f"line {line_no}: variant {variant_code} of item {item.item_no} is blocked", **where)


@dataclass(frozen=True)
class ResourceUsage:
    """A resource's usage posted with an assembly output (its quantity in the resource's unit)."""

    resource_no: str
    order_line_no: int
    quantity: Decimal
    direct_unit_cost: Decimal
    unit_cost: Decimal


@dataclass(frozen=True)
class EntryDraft:
    """One item ledger entry a document will post, before it has its number.

    Documents (item journal, reclassification, transfer, physical inventory) turn their lines into drafts;
    one posting routine applies and writes them, so every kind of document follows the same rules.
    """

    item_no: str
    variant_code: str
    location_code: str
    posting_date: date
    entry_type: ItemLedgerEntryType
    document_no: str
    line_no: int
    quantity: Decimal
    """Signed, in the base unit."""
    bin_code: str = ""
    unit_cost: Decimal | None = None
    serial_no: str = ""
    lot_no: str = ""
    expiration_date: date | None = None
    demand: Demand | None = None
    applies_from_draft: int | None = None
    """Index (in the document's drafts) of the outbound draft whose cost this inbound entry takes."""
    applies_to_entries: frozenset[int] | None = None
    """An outbound draft takes only from these inbound entries (a transfer's in-transit entries)."""
    check_expiration: bool = True
    """False where expired stock may move: a reclassification (that is how a date is corrected), a receipt from
    in-transit, an undo."""
    unit_of_measure_code: str = ""
    qty_per_unit_of_measure: Decimal = Decimal(1)
    document_type: str = "Item Journal"
    correction: bool = False
    never_negative: bool = False
    """Transfers can never go negative, whatever the item's policy."""
    applies_from_entry: int | None = None
    """A posted outbound entry whose cost this inbound entry takes (a sales return, the undo of a shipment)."""
    applies_to_entry: int | None = None
    """The posted inbound entry this outbound entry reverses (a purchase return, the undo of a receipt)."""
    invoiced_quantity: Decimal | None = None
    """None: invoiced as it posts. 0: a receipt or shipment, valued at expected cost until invoiced."""
    specific: bool = False
    """An outbound draft's serial/lot must be in stock where it posts, whatever the tracking code says: a
    reclassification or transfer moves those very numbers."""
    order_type: str = ""
    order_no: str = ""
    order_line_no: int = 0
    consumption_drafts: tuple[int, ...] = ()
    """Indexes (in the document's drafts) of the Assembly Consumption drafts an Assembly Output is made of."""
    resources: tuple[ResourceUsage, ...] = ()
    output_quantities: tuple[Decimal, ...] = ()
    """An Assembly Output: the quantities of all the posting's output entries; `output_index` is this one's."""
    output_index: int = 0

    @property
    def is_inbound(self) -> bool:
        return self.quantity > 0


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
    serial_no: str = ""
    lot_no: str = ""
    expiration_date: date | None = None
    applies_from_entry: int | None = None
    unit_of_measure_code: str = ""
    qty_per_unit_of_measure: Decimal = Decimal(1)
    document_type: str = ""
    correction: bool = False
    invoiced_quantity: Decimal | None = None
    applies_to_entry: int | None = None
    responsibility_center: str = ""

    order_type: str = ""
    order_no: str = ""
    order_line_no: int = 0
    consumption_entries: tuple[int, ...] = ()
    resources: tuple[ResourceUsage, ...] = ()
    output_quantities: tuple[Decimal, ...] = ()
    output_index: int = 0


def check_line(line: JournalLine, item: Item) -> None:
    """Refuse a line the item may not take (tracking is checked by `tracking.split`). Raises a WarehouseError."""
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
    if line.applies_to_entry is not None and line.is_inbound:
        raise InvalidJournalLineError(f"line {line.line_no}: only an outbound line applies to an entry", **where)
    if item.type is not ItemType.INVENTORY:
        raise NotAnInventoryItemError(f"item {item.item_no} is a {item.type} item and has no stock", **where)
    if item.blocked:
        raise ItemBlockedError(f"item {item.item_no} is blocked", **where)
    if item.sales_blocked and line.entry_type is ItemLedgerEntryType.SALE:
        raise ItemBlockedError(f"item {item.item_no} is blocked for sales", **where)
    if item.purchasing_blocked and line.entry_type is ItemLedgerEntryType.PURCHASE:
        raise ItemBlockedError(f"item {item.item_no} is blocked for purchasing", **where)
    check_variant(item, line.variant_code, line_no=line.line_no)


def check_applies_to(line: JournalLine, inbound: Key | None) -> None:
    """An outbound line's applies-to entry is an inbound entry of its item, variant and location (`inbound`: where
    the named entry is, None when it is no inbound entry)."""
    if inbound != (line.item_no, line.variant_code, line.location_code):
        raise InvalidJournalLineError(
            f"line {line.line_no}: entry {line.applies_to_entry} is no inbound entry of item {line.item_no} at "
            f"{line.location_code or 'the blank location'}{' (variant ' + line.variant_code + ')' if line.variant_code else ''}",
            item_no=line.item_no, line_no=line.line_no, entry_no=line.applies_to_entry,
        )


def check_movable(item: Item, variant_code: str, *, line_no: int) -> None:
    """What every stock movement needs of the item: inventory, not blocked, a known variant."""
    where = {"item_no": item.item_no, "line_no": line_no}
    if item.type is not ItemType.INVENTORY:
        raise NotAnInventoryItemError(f"item {item.item_no} is a {item.type} item and has no stock", **where)
    if item.blocked:
        raise ItemBlockedError(f"item {item.item_no} is blocked", **where)
    check_variant(item, variant_code, line_no=line_no)


@dataclass(frozen=True)
class ListedEntry:
    """An item ledger entry as listed: with what is left open of it."""

    entry: ItemLedgerEntry
    remaining_quantity: Decimal
    open: bool


@dataclass(frozen=True)
class StockAtLocation:
    """Quantity on hand of an item at one location and variant."""

    location_code: str
    variant_code: str
    quantity: Decimal


def journal_drafts(line: JournalLine, item: Item, *, document_type: str, expected: bool) -> list[EntryDraft]:
    """The entry drafts of a checked journal or document line: one per tracking part, in the base unit."""
    base, per = base_quantity(item, line.unit_of_measure_code, line.quantity, line_no=line.line_no)
    unit_cost = None if line.unit_cost is None else base_unit_cost(item, line.unit_cost, per, line_no=line.line_no)
    return [
        EntryDraft(
            item_no=line.item_no, variant_code=line.variant_code, location_code=line.location_code,
            bin_code=line.bin_code, posting_date=line.posting_date, entry_type=line.entry_type,
            document_no=line.document_no, line_no=line.line_no,
            quantity=part.quantity if line.is_inbound else -part.quantity, unit_cost=unit_cost,
            serial_no=part.serial_no, lot_no=part.lot_no, expiration_date=part.expiration_date, demand=line.demand,
            unit_of_measure_code=line.unit_of_measure_code or item.base_unit_of_measure, qty_per_unit_of_measure=per,
            document_type=document_type, invoiced_quantity=Decimal(0) if expected else None,
            # Fixed-applied: it takes only from the named entry, never more than that entry has left.
            applies_to_entry=line.applies_to_entry, never_negative=line.applies_to_entry is not None,
            applies_to_entries=None if line.applies_to_entry is None else frozenset({line.applies_to_entry}),
        )
        for part in split(item.tracking, str(line.entry_type), line.is_inbound, base, line.tracking,
                          item_no=item.item_no, line_no=line.line_no)
    ]
