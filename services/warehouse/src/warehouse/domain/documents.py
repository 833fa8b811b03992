"""Purchase and sales documents on posted entries: returns, undos and invoices of receipts and shipments.

A receipt or shipment posts at expected cost (invoiced quantity 0); its invoice, in parts, invoices it. A purchase
return applies to the receipt entry it returns, a sales return applies from the shipment entry (and takes its cost).
An undo is the same reversal marked as a correction, at the original's date, of an entry nothing invoiced yet.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from inventory_contracts.warehouse import ItemLedgerEntryType

from warehouse.domain.errors import DocumentStateError, InvalidDocumentError
from warehouse.domain.model import EntryDraft

PURCHASE = ItemLedgerEntryType.PURCHASE
SALE = ItemLedgerEntryType.SALE
ZERO = Decimal(0)


@dataclass(frozen=True)
class PostedEntry:
    """What a return, an undo or an invoice needs of the entry it names."""

    entry_no: int
    item_no: str
    variant_code: str
    location_code: str
    bin_code: str
    posting_date: date
    entry_type: ItemLedgerEntryType
    document_no: str
    quantity: Decimal
    invoiced_quantity: Decimal | None
    correction: bool
    corrected: bool
    serial_no: str = ""
    lot_no: str = ""
    unit_of_measure_code: str = ""
    document_line_no: int = 0

    @property
    def is_receipt(self) -> bool:
        return self.entry_type is PURCHASE and self.quantity > 0 and not self.correction

    @property
    def is_shipment(self) -> bool:
        return self.entry_type is SALE and self.quantity < 0 and not self.correction


@dataclass(frozen=True)
class ReturnLine:
    line_no: int
    entry_no: int
    """Purchase return: the receipt entry it applies to. Sales return: the shipment entry it applies from."""
    quantity: Decimal
    """Positive, in the base unit."""


@dataclass(frozen=True)
class InvoiceLine:
    line_no: int
    entry_no: int
    quantity: Decimal
    """Positive, in the base unit."""
    unit_cost: Decimal | None = None
    sales_amount: Decimal | None = None


def _named(entry: PostedEntry | None, entry_no: int, line_no: int) -> PostedEntry:
    if entry is None:
        raise InvalidDocumentError(f"line {line_no}: item ledger entry {entry_no} does not exist", line_no=line_no,
                                   entry_no=entry_no)
    return entry


def purchase_return_draft(
    line: ReturnLine, receipt: PostedEntry | None, document_no: str, posting_date: date, *, undo: bool = False
) -> EntryDraft:
    """An outbound Purchase entry that takes only from the receipt entry, so it takes that receipt's cost."""
    entry = _named(receipt, line.entry_no, line.line_no)
    where = {"line_no": line.line_no, "entry_no": entry.entry_no, "item_no": entry.item_no}
    if not entry.is_receipt:
        raise InvalidDocumentError(f"line {line.line_no}: entry {entry.entry_no} is no purchase receipt", **where)
    if line.quantity <= 0:
        raise InvalidDocumentError(f"line {line.line_no}: quantity must be positive", **where)
    if entry.corrected:
        raise DocumentStateError(f"line {line.line_no}: receipt entry {entry.entry_no} is undone", **where)
    if undo:
        _check_undo(entry, where)
    return EntryDraft(
        item_no=entry.item_no, variant_code=entry.variant_code, location_code=entry.location_code, bin_code=entry.bin_code,
        posting_date=entry.posting_date if undo else posting_date, entry_type=PURCHASE,
        document_no=entry.document_no if undo else document_no, line_no=line.line_no, quantity=-line.quantity,
        serial_no=entry.serial_no, lot_no=entry.lot_no, applies_to_entries=frozenset({entry.entry_no}),
        applies_to_entry=entry.entry_no, check_expiration=False, never_negative=True,
        unit_of_measure_code=entry.unit_of_measure_code,
        document_type="Purchase Receipt" if undo else "Purchase Return Shipment", correction=undo,
        invoiced_quantity=ZERO if undo else None,
    )


def sales_return_draft(
    line: ReturnLine, shipment: PostedEntry | None, returned: Decimal, document_no: str, posting_date: date,
    *, undo: bool = False,
) -> EntryDraft:
    """An inbound Sale entry applying from the shipment entry: it takes the shipment's cost, not one of its own.

    `returned` is what earlier returns of the shipment gave back already.
    """
    entry = _named(shipment, line.entry_no, line.line_no)
    where = {"line_no": line.line_no, "entry_no": entry.entry_no, "item_no": entry.item_no}
    if not entry.is_shipment:
        raise InvalidDocumentError(f"line {line.line_no}: entry {entry.entry_no} is no sales shipment", **where)
    if line.quantity <= 0:
        raise InvalidDocumentError(f"line {line.line_no}: quantity must be positive", **where)
    if entry.corrected:
        raise DocumentStateError(f"line {line.line_no}: shipment entry {entry.entry_no} is undone", **where)
    if undo:
        _check_undo(entry, where)
    left = -entry.quantity - returned
    if line.quantity > left:
        raise DocumentStateError(
            f"line {line.line_no}: {_text(line.quantity)} cannot be returned; {_text(left)} of shipment entry "
            f"{entry.entry_no} is left to return", **where)
    return EntryDraft(
        item_no=entry.item_no, variant_code=entry.variant_code, location_code=entry.location_code, bin_code=entry.bin_code,
        posting_date=entry.posting_date if undo else posting_date, entry_type=SALE,
        document_no=entry.document_no if undo else document_no, line_no=line.line_no, quantity=line.quantity,
        serial_no=entry.serial_no, lot_no=entry.lot_no, applies_from_entry=entry.entry_no,
        unit_of_measure_code=entry.unit_of_measure_code,
        document_type="Sales Shipment" if undo else "Sales Return Receipt", correction=undo,
        invoiced_quantity=ZERO if undo else None,
    )


def undo_lines(entry_nos: Sequence[int], named: Mapping[int, PostedEntry]) -> list[ReturnLine]:
    """An undo names entries only: each is taken back whole, under its own line no."""
    lines = []
    for entry_no in entry_nos:
        entry = named.get(entry_no)
        lines.append(ReturnLine(entry.document_line_no, entry_no, abs(entry.quantity)) if entry is not None
                     else ReturnLine(0, entry_no, Decimal(1)))
    return lines


def undo_draft(line: ReturnLine, entry: PostedEntry | None, returned: Decimal, *, purchase: bool) -> EntryDraft:
    """The correction of a receipt (purchase) or shipment entry: at the entry's date, under its document no."""
    named = _named(entry, line.entry_no, line.line_no)
    if purchase:
        return purchase_return_draft(line, named, named.document_no, named.posting_date, undo=True)
    return sales_return_draft(line, named, returned, named.document_no, named.posting_date, undo=True)


def _check_undo(entry: PostedEntry, where: dict[str, object]) -> None:
    if entry.invoiced_quantity is None:
        raise InvalidDocumentError(
            f"entry {entry.entry_no} was invoiced as it posted (item journal); only a receipt or shipment is undone",
            **where)
    if entry.invoiced_quantity != 0:
        raise DocumentStateError(f"entry {entry.entry_no} is (partly) invoiced; it can no longer be undone", **where)


def check_invoice_line(line: InvoiceLine, entry: PostedEntry | None, *, purchase: bool) -> None:
    """A purchase invoice invoices a receipt at a unit cost; a sales invoice a shipment, with its sales amount."""
    posted = _named(entry, line.entry_no, line.line_no)
    where = {"line_no": line.line_no, "entry_no": posted.entry_no, "item_no": posted.item_no}
    kind = "purchase receipt" if purchase else "sales shipment"
    if (purchase and not posted.is_receipt) or (not purchase and not posted.is_shipment) or posted.invoiced_quantity is None:
        raise InvalidDocumentError(f"line {line.line_no}: entry {posted.entry_no} is no {kind} waiting for its invoice",
                                   **where)
    if posted.corrected:
        raise DocumentStateError(f"line {line.line_no}: entry {posted.entry_no} is undone; nothing is left to invoice",
                                 **where)
    if line.quantity <= 0:
        raise InvalidDocumentError(f"line {line.line_no}: quantity must be positive", **where)
    if purchase and (line.unit_cost is None or line.sales_amount is not None):
        raise InvalidDocumentError(f"line {line.line_no}: a purchase invoice line needs a unit cost and no sales amount",
                                   **where)
    if not purchase and (line.sales_amount is None or line.unit_cost is not None):
        raise InvalidDocumentError(f"line {line.line_no}: a sales invoice line needs a sales amount and no unit cost",
                                   **where)
    left = abs(posted.quantity) - posted.invoiced_quantity
    if line.quantity > left:
        raise DocumentStateError(
            f"line {line.line_no}: {_text(line.quantity)} cannot be invoiced; {_text(left)} of entry {posted.entry_no} "
            "is left to invoice", **where)


def _text(quantity: Decimal) -> str:
    return f"{quantity.normalize():f}"
