"""Writing value entries: numbered, applied to the entry that valued their item ledger entry, stored in order."""

from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from decimal import Decimal

from inventory_contracts.catalog import CostingMethod
from inventory_contracts.costing import ValueEntryType, VarianceType

from costing.domain.calendar import InventoryCalendar
from costing.domain.model import ItemLedgerEntry, ValueEntry
from costing.domain.ports import CostGraph


class ValueEntryWriter:
    """The value entries one valuation writes, and the item ledger entries it has read or written."""

    def __init__(self, graph: CostGraph, calendar: InventoryCalendar) -> None:
        self.graph = graph
        self.calendar = calendar
        self.written: list[ValueEntry] = []
        self._unsaved: list[ValueEntry] = []
        self._entries: dict[int, ItemLedgerEntry] = {}
        self._first_value_entry: dict[int, int] = {}

    def know(self, entry: ItemLedgerEntry) -> None:
        """The entry as it stands now (valued at a later date, invoiced further)."""
        self._entries[entry.entry_no] = entry

    async def write(
        self, entry: ItemLedgerEntry, entry_type: ValueEntryType, amount: Decimal, *, valued: bool = False, adjustment: bool = False,
        posting_date: date | None = None, valuation_date: date | None = None, item_charge_no: str | None = None,
        valued_quantity: Decimal = Decimal(0), variance_type: VarianceType | None = None, resource_no: str | None = None,
    ) -> None:
        """`valued`: the entry that values the item ledger entry (its quantity); a revaluation names the quantity it revalued."""
        quantity = entry.quantity if valued else valued_quantity
        if adjustment:
            posting_date = self.calendar.adjustment_date(posting_date or entry.posting_date)
        # Item charges are actual cost whatever the entry's invoicing, and so are revaluations, which revalue only
        # invoiced quantity, except a Standard item's: its uninvoiced quantity is revalued as expected cost (the
        # interim accounts), which the invoice reverses with the receipt's own. A Rounding entry settles what is
        # left of a used-up period or layer: actual cost, which no invoice of its carrier reverses.
        apart = item_charge_no is not None or entry_type is ValueEntryType.ROUNDING or (
            entry_type is ValueEntryType.REVALUATION and entry.costing_method != CostingMethod.STANDARD
        )
        actual, expected = (amount, Decimal(0)) if apart else entry.split_expected(amount)
        entry_no = await self.graph.next_value_entry_no()
        if valued:
            self._first_value_entry[entry.entry_no] = entry_no
        value_entry = ValueEntry(
            entry_no=entry_no,
            applies_to_entry=None if valued else await self._applies_to(entry.entry_no),
            item_ledger_entry=entry,
            entry_type=entry_type,
            posting_date=posting_date or entry.posting_date,
            valuation_date=valuation_date or entry.valuation_date,
            item_charge_no=item_charge_no,
            valued_quantity=quantity,
            invoiced_quantity=quantity if entry.invoiced_quantity is None else Decimal(0),
            cost_amount_actual=actual,
            cost_amount_expected=expected,
            adjustment=adjustment,
            variance_type=variance_type,
            resource_no=resource_no,
        )
        self.written.append(value_entry)
        self._unsaved.append(value_entry)

    async def write_invoice_part(
        self, entry: ItemLedgerEntry, entry_type: ValueEntryType, actual: Decimal, expected: Decimal,
        on: tuple[date, str, Decimal], *, sales_amount: Decimal = Decimal(0),
    ) -> None:
        """A value entry of an invoice: (posting date, invoice no., signed invoiced quantity) `on`."""
        posting_date, document_no, invoiced = on
        value_entry = ValueEntry(
            entry_no=await self.graph.next_value_entry_no(),
            applies_to_entry=await self._applies_to(entry.entry_no),
            item_ledger_entry=replace(entry, document_no=document_no),
            entry_type=entry_type,
            posting_date=posting_date,
            valuation_date=entry.posting_date,
            valued_quantity=Decimal(0),
            invoiced_quantity=invoiced,
            cost_amount_actual=actual,
            cost_amount_expected=expected,
            sales_amount_actual=sales_amount,
        )
        self.written.append(value_entry)
        self._unsaved.append(value_entry)

    async def flush(self) -> None:
        """Store the value entries written so far; sums over value entries read only stored ones."""
        if self._unsaved:
            await self.graph.add_value_entries(self._unsaved)
            self._unsaved = []

    async def entry(self, entry_no: int) -> ItemLedgerEntry | None:
        await self.entries_of([entry_no])
        return self._entries.get(entry_no)

    async def entries_of(self, entry_nos: Iterable[int]) -> None:
        """Know these item ledger entries (and the value entries that valued them), those not known yet read at once."""
        missing = [entry_no for entry_no in dict.fromkeys(entry_nos) if entry_no not in self._entries]
        if not missing:
            return
        for entry_no, known in (await self.graph.item_ledger_entries(missing)).items():
            self._entries[entry_no] = known.entry
            if known.first_value_entry_no is not None:
                self._first_value_entry[entry_no] = known.first_value_entry_no

    async def _applies_to(self, item_ledger_entry_no: int) -> int | None:
        """The value entry that valued the item ledger entry: every later value entry of it applies to that one."""
        if item_ledger_entry_no not in self._first_value_entry:
            first = await self.graph.first_value_entry(item_ledger_entry_no)
            if first is None:
                return None
            self._first_value_entry[item_ledger_entry_no] = first
        return self._first_value_entry[item_ledger_entry_no]
