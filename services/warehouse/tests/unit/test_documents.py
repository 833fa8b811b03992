"""Purchase and sales documents on posted entries: returns, undos and invoices (no I/O)."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from inventory_contracts.catalog import CostingMethod, ItemType, PreventNegativeInventory
from inventory_contracts.warehouse import ItemLedgerEntryType

from warehouse.domain.documents import (
    InvoiceLine,
    PostedEntry,
    ReturnLine,
    check_invoice_line,
    purchase_return_draft,
    sales_return_draft,
)
from warehouse.domain.errors import DocumentStateError, InvalidDocumentError, InvalidJournalLineError
from warehouse.domain.model import Item, JournalLine, Variant, check_applies_to, check_line

D = Decimal
RECEIVED_ON = date(2026, 3, 2)
TODAY = date(2026, 3, 20)

RECEIPT = PostedEntry(
    entry_no=11, item_no="1000", variant_code="RED", location_code="MAIN", bin_code="A-01", posting_date=RECEIVED_ON,
    entry_type=ItemLedgerEntryType.PURCHASE, document_no="PR-1", quantity=D(10), invoiced_quantity=D(0),
    correction=False, corrected=False, lot_no="LOT-1", unit_of_measure_code="BOX",
)
SHIPMENT = replace(RECEIPT, entry_no=21, entry_type=ItemLedgerEntryType.SALE, document_no="SS-1", quantity=D(-6),
                   lot_no="", serial_no="SN-7")


def returned(quantity: str, entry_no: int = 11, line_no: int = 10000) -> ReturnLine:
    return ReturnLine(line_no, entry_no, D(quantity))


# what an entry is ------------------------------------------------------------------------------

def test_receipts_and_shipments_are_the_uncorrected_entries_of_their_direction() -> None:
    assert RECEIPT.is_receipt and not RECEIPT.is_shipment
    assert SHIPMENT.is_shipment and not SHIPMENT.is_receipt
    assert not replace(RECEIPT, correction=True).is_receipt
    assert not replace(RECEIPT, quantity=D(-1)).is_receipt  # a purchase return
    assert not replace(SHIPMENT, quantity=D(1)).is_shipment  # a sales return
    assert not replace(RECEIPT, entry_type=ItemLedgerEntryType.POSITIVE_ADJMT).is_receipt


# purchase returns and the undo of a receipt ------------------------------------------------------

def test_a_purchase_return_takes_only_from_the_receipt_entry_at_its_own_date() -> None:
    draft = purchase_return_draft(returned("4"), RECEIPT, "PRS-1", TODAY)
    assert (draft.entry_type, draft.quantity, draft.posting_date, draft.document_no) == (
        ItemLedgerEntryType.PURCHASE, D(-4), TODAY, "PRS-1")
    assert draft.applies_to_entries == frozenset({11}) and draft.applies_to_entry == 11
    assert (draft.item_no, draft.variant_code, draft.location_code, draft.bin_code) == ("1000", "RED", "MAIN", "A-01")
    assert (draft.lot_no, draft.unit_of_measure_code) == ("LOT-1", "BOX")
    assert draft.never_negative and not draft.check_expiration and not draft.correction
    assert draft.document_type == "Purchase Return Shipment" and draft.invoiced_quantity is None


def test_the_undo_of_a_receipt_is_a_correction_at_the_receipts_date_and_document() -> None:
    draft = purchase_return_draft(returned("10"), RECEIPT, "ignored", TODAY, undo=True)
    assert (draft.quantity, draft.posting_date, draft.document_no, draft.document_type) == (
        D(-10), RECEIVED_ON, "PR-1", "Purchase Receipt")
    assert draft.correction and draft.invoiced_quantity == 0 and draft.applies_to_entry == 11


@pytest.mark.parametrize("entry", [
    SHIPMENT,
    replace(RECEIPT, quantity=D(-2)),
    replace(RECEIPT, correction=True),
    replace(RECEIPT, entry_type=ItemLedgerEntryType.POSITIVE_ADJMT),
])
def test_a_purchase_return_applies_to_a_receipt_only(entry: PostedEntry) -> None:
    with pytest.raises(InvalidDocumentError, match="no purchase receipt") as refused:
        purchase_return_draft(returned("1", entry.entry_no), entry, "PRS-1", TODAY)
    assert refused.value.extensions["entry_no"] == entry.entry_no


def test_a_return_naming_no_entry_or_no_quantity_is_refused() -> None:
    with pytest.raises(InvalidDocumentError, match="does not exist") as missing:
        purchase_return_draft(returned("1", 99, line_no=20000), None, "PRS-1", TODAY)
    assert missing.value.extensions == {"line_no": 20000, "entry_no": 99}
    with pytest.raises(InvalidDocumentError, match="does not exist"):
        sales_return_draft(returned("1", 98), None, D(0), "SR-1", TODAY)
    for quantity in ("0", "-1"):
        with pytest.raises(InvalidDocumentError, match="positive"):
            purchase_return_draft(returned(quantity), RECEIPT, "PRS-1", TODAY)
        with pytest.raises(InvalidDocumentError, match="positive"):
            sales_return_draft(returned(quantity, 21), SHIPMENT, D(0), "SR-1", TODAY)


def test_an_undone_receipt_takes_no_return_and_no_second_undo() -> None:
    undone = replace(RECEIPT, corrected=True)
    with pytest.raises(DocumentStateError, match="undone"):
        purchase_return_draft(returned("1"), undone, "PRS-1", TODAY)
    with pytest.raises(DocumentStateError, match="undone"):
        purchase_return_draft(returned("10"), undone, "PRS-1", TODAY, undo=True)


def test_only_an_uninvoiced_receipt_is_undone() -> None:
    with pytest.raises(DocumentStateError, match="invoiced"):
        purchase_return_draft(returned("10"), replace(RECEIPT, invoiced_quantity=D(3)), "x", TODAY, undo=True)
    # An item journal purchase was invoiced as it posted: it is no receipt to undo (it may still be returned).
    journal = replace(RECEIPT, invoiced_quantity=None)
    with pytest.raises(InvalidDocumentError, match="item journal"):
        purchase_return_draft(returned("10"), journal, "x", TODAY, undo=True)
    assert purchase_return_draft(returned("10"), journal, "PRS-2", TODAY).quantity == D(-10)
    # A partly invoiced receipt may still be returned.
    assert purchase_return_draft(returned("2"), replace(RECEIPT, invoiced_quantity=D(3)), "PRS-3", TODAY).quantity == -2


# sales returns and the undo of a shipment -------------------------------------------------------

def test_a_sales_return_applies_from_the_shipment_entry() -> None:
    draft = sales_return_draft(returned("2", 21), SHIPMENT, D(0), "SR-1", TODAY)
    assert (draft.entry_type, draft.quantity, draft.posting_date, draft.document_no) == (
        ItemLedgerEntryType.SALE, D(2), TODAY, "SR-1")
    assert draft.applies_from_entry == 21 and draft.applies_to_entry is None and draft.applies_to_entries is None
    assert (draft.serial_no, draft.bin_code, draft.unit_of_measure_code) == ("SN-7", "A-01", "BOX")
    assert draft.document_type == "Sales Return Receipt" and not draft.correction and draft.invoiced_quantity is None


def test_returns_of_a_shipment_never_exceed_what_it_shipped() -> None:
    assert sales_return_draft(returned("2", 21), SHIPMENT, D(4), "SR-2", TODAY).quantity == 2
    with pytest.raises(DocumentStateError, match="2 of shipment entry 21 is left to return") as refused:
        sales_return_draft(returned("3", 21), SHIPMENT, D(4), "SR-2", TODAY)
    assert refused.value.extensions["line_no"] == 10000
    with pytest.raises(DocumentStateError, match="0 of shipment entry"):
        sales_return_draft(returned("1", 21), SHIPMENT, D(6), "SR-3", TODAY)


@pytest.mark.parametrize("entry", [RECEIPT, replace(SHIPMENT, quantity=D(2)), replace(SHIPMENT, correction=True)])
def test_a_sales_return_applies_from_a_shipment_only(entry: PostedEntry) -> None:
    with pytest.raises(InvalidDocumentError, match="no sales shipment"):
        sales_return_draft(returned("1", entry.entry_no), entry, D(0), "SR-1", TODAY)


def test_the_undo_of_a_shipment_is_a_correction_at_the_shipments_date() -> None:
    draft = sales_return_draft(returned("6", 21), SHIPMENT, D(0), "ignored", TODAY, undo=True)
    assert (draft.quantity, draft.posting_date, draft.document_no, draft.document_type) == (
        D(6), RECEIVED_ON, "SS-1", "Sales Shipment")
    assert draft.correction and draft.invoiced_quantity == 0 and draft.applies_from_entry == 21
    with pytest.raises(DocumentStateError, match="invoiced"):
        sales_return_draft(returned("6", 21), replace(SHIPMENT, invoiced_quantity=D(1)), D(0), "x", TODAY, undo=True)
    with pytest.raises(DocumentStateError, match="undone"):
        sales_return_draft(returned("6", 21), replace(SHIPMENT, corrected=True), D(0), "x", TODAY, undo=True)
    with pytest.raises(InvalidDocumentError, match="item journal"):
        sales_return_draft(returned("6", 21), replace(SHIPMENT, invoiced_quantity=None), D(0), "x", TODAY, undo=True)


# invoices ---------------------------------------------------------------------------------------

def purchase_invoice(quantity: str, unit_cost: str | None = "4.50", entry_no: int = 11) -> InvoiceLine:
    return InvoiceLine(10000, entry_no, D(quantity), unit_cost=D(unit_cost) if unit_cost is not None else None)


def sales_invoice(quantity: str, amount: str | None = "30.00", entry_no: int = 21) -> InvoiceLine:
    return InvoiceLine(10000, entry_no, D(quantity), sales_amount=D(amount) if amount is not None else None)


def test_a_receipt_is_invoiced_in_parts_up_to_its_quantity() -> None:
    check_invoice_line(purchase_invoice("4"), RECEIPT, purchase=True)
    check_invoice_line(purchase_invoice("6"), replace(RECEIPT, invoiced_quantity=D(4)), purchase=True)
    with pytest.raises(DocumentStateError, match="6 of entry 11 is left to invoice"):
        check_invoice_line(purchase_invoice("7"), replace(RECEIPT, invoiced_quantity=D(4)), purchase=True)
    with pytest.raises(DocumentStateError, match="0 of entry 11"):
        check_invoice_line(purchase_invoice("1"), replace(RECEIPT, invoiced_quantity=D(10)), purchase=True)


def test_a_shipment_is_invoiced_in_parts_with_its_sales_amount() -> None:
    check_invoice_line(sales_invoice("6"), SHIPMENT, purchase=False)
    check_invoice_line(sales_invoice("1"), replace(SHIPMENT, invoiced_quantity=D(5)), purchase=False)
    with pytest.raises(DocumentStateError, match="left to invoice"):
        check_invoice_line(sales_invoice("2"), replace(SHIPMENT, invoiced_quantity=D(5)), purchase=False)


def test_an_invoice_line_carries_the_amount_of_its_side_only() -> None:
    with pytest.raises(InvalidDocumentError, match="needs a unit cost"):
        check_invoice_line(purchase_invoice("1", unit_cost=None), RECEIPT, purchase=True)
    with pytest.raises(InvalidDocumentError, match="needs a unit cost"):
        check_invoice_line(InvoiceLine(10000, 11, D(1), unit_cost=D(1), sales_amount=D(1)), RECEIPT, purchase=True)
    with pytest.raises(InvalidDocumentError, match="needs a sales amount"):
        check_invoice_line(sales_invoice("1", amount=None), SHIPMENT, purchase=False)
    with pytest.raises(InvalidDocumentError, match="needs a sales amount"):
        check_invoice_line(InvoiceLine(10000, 21, D(1), unit_cost=D(1), sales_amount=D(1)), SHIPMENT, purchase=False)
    with pytest.raises(InvalidDocumentError, match="positive"):
        check_invoice_line(purchase_invoice("0"), RECEIPT, purchase=True)


@pytest.mark.parametrize(("entry", "purchase"), [
    (SHIPMENT, True),                                   # a purchase invoice invoices receipts
    (RECEIPT, False),                                   # a sales invoice invoices shipments
    (replace(RECEIPT, invoiced_quantity=None), True),   # invoiced as it posted (item journal)
    (replace(RECEIPT, correction=True), True),          # the undo entry itself
    (replace(RECEIPT, quantity=D(-3)), True),           # a purchase return
])
def test_an_invoice_invoices_a_receipt_or_shipment_waiting_for_it(entry: PostedEntry, purchase: bool) -> None:
    line = purchase_invoice("1", entry_no=entry.entry_no) if purchase else sales_invoice("1", entry_no=entry.entry_no)
    with pytest.raises(InvalidDocumentError, match="waiting for its invoice"):
        check_invoice_line(line, entry, purchase=purchase)


def test_an_undone_or_unknown_entry_is_not_invoiced() -> None:
    with pytest.raises(DocumentStateError, match="undone"):
        check_invoice_line(purchase_invoice("1"), replace(RECEIPT, corrected=True), purchase=True)
    with pytest.raises(InvalidDocumentError, match="does not exist"):
        check_invoice_line(purchase_invoice("1", entry_no=5), None, purchase=True)


# applies-to on an item journal line ------------------------------------------------------------

def journal_line(entry_type: ItemLedgerEntryType, applies_to_entry: int | None = 11) -> JournalLine:
    return JournalLine(item_no="1000", entry_type=entry_type, quantity=D(2), posting_date=TODAY, location_code="MAIN",
                       document_no="ADJ-1", line_no=10000, variant_code="RED", applies_to_entry=applies_to_entry,
                       unit_cost=D(1) if entry_type is ItemLedgerEntryType.POSITIVE_ADJMT else None)


def test_a_negative_adjustment_applies_to_an_inbound_entry_of_its_item_and_place() -> None:
    line = journal_line(ItemLedgerEntryType.NEGATIVE_ADJMT)
    check_applies_to(line, ("1000", "RED", "MAIN"))
    for elsewhere in [None, ("1000", "", "MAIN"), ("1000", "RED", "EAST"), ("2000", "RED", "MAIN")]:
        with pytest.raises(InvalidJournalLineError, match="entry 11 is no inbound entry of item 1000 at MAIN"):
            check_applies_to(line, elsewhere)


def test_only_an_outbound_line_applies_to_an_entry() -> None:
    item = Item(item_no="1000", revision=1, description="x", type=ItemType.INVENTORY, base_unit_of_measure="PCS",
                costing_method=CostingMethod.AVERAGE, inventory_posting_group="RESALE", gen_prod_posting_group="RETAIL",
                prevent_negative_inventory=PreventNegativeInventory.DEFAULT, blocked=False, sales_blocked=False,
                purchasing_blocked=False, variants=(Variant("RED"),))
    check_line(journal_line(ItemLedgerEntryType.NEGATIVE_ADJMT), item)
    with pytest.raises(InvalidJournalLineError, match="only an outbound line applies to an entry"):
        check_line(journal_line(ItemLedgerEntryType.POSITIVE_ADJMT), item)
