"""Item ledger entries as costing sees them, and the value entries it writes."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from inventory_contracts.catalog import CostingMethod
from inventory_contracts.costing import ValueEntryType, VarianceType
from inventory_contracts.limits import AMOUNT_QUANTUM, UNIT_COST_QUANTUM
from inventory_contracts.warehouse import ItemLedgerEntryType


@dataclass(frozen=True)
class ItemLedgerEntry:
    entry_no: int
    item_no: str
    variant_code: str
    location_code: str
    posting_date: date
    entry_type: ItemLedgerEntryType
    document_no: str
    quantity: Decimal
    costing_method: CostingMethod
    inventory_posting_group: str
    gen_prod_posting_group: str
    gen_bus_posting_group: str
    invoiced_quantity: Decimal | None = None
    """None: invoiced as it posted (actual cost). Else a receipt or shipment: its uninvoiced part is expected cost."""
    valuation_date: date | None = None
    """None: its posting date. Later when what it takes from was valued later: every value entry of it is valued then."""
    applies_to_entry: int | None = None
    """The inbound entry this outbound entry is fixed-applied to: it takes that entry's cost, under Average too."""

    def split_expected(self, amount: Decimal) -> tuple[Decimal, Decimal]:
        """(actual, expected) parts of a change of the entry's cost: the invoiced share is actual, the rest expected."""
        whole = abs(self.quantity)
        if self.invoiced_quantity is None or self.invoiced_quantity >= whole:
            return amount, Decimal(0)
        if self.invoiced_quantity == 0:
            return Decimal(0), amount
        actual = (amount * self.invoiced_quantity / whole).quantize(AMOUNT_QUANTUM, rounding=ROUND_HALF_UP)
        return actual, amount - actual


@dataclass(frozen=True)
class ValueEntry:
    entry_no: int
    item_ledger_entry: ItemLedgerEntry
    entry_type: ValueEntryType
    posting_date: date
    valued_quantity: Decimal
    invoiced_quantity: Decimal
    cost_amount_actual: Decimal
    cost_amount_expected: Decimal = Decimal(0)
    adjustment: bool = False
    applies_to_entry: int | None = None
    valuation_date: date | None = None
    """None: the item ledger entry's posting date (revaluations are valued at their own date)."""
    item_charge_no: str | None = None
    sales_amount_actual: Decimal = Decimal(0)
    variance_type: VarianceType | None = None
    resource_no: str | None = None

    @property
    def valued_at(self) -> date:
        return self.valuation_date or self.item_ledger_entry.posting_date

    @property
    def item_ledger_entry_quantity(self) -> Decimal:
        """The quantity this value entry adds to the item's: a revaluation's valued quantity is stock already counted."""
        return Decimal(0) if self.entry_type == ValueEntryType.REVALUATION else self.valued_quantity

    @property
    def cost_per_unit(self) -> Decimal:
        if self.valued_quantity == 0:
            return Decimal(0)
        return ((self.cost_amount_actual + self.cost_amount_expected) / self.valued_quantity).quantize(UNIT_COST_QUANTUM, rounding=ROUND_HALF_UP)
