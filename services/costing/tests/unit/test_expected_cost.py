"""Expected vs actual cost as pure functions: the split of a cost change by invoiced share, and what an invoice reverses.

DOMAIN.md section 5, "Expected cost": a receipt at 95.00 expected, invoiced at 100.00 -> the invoice's value entry
has actual 100.00 and expected -95.00.
"""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inventory_contracts.catalog import CostingMethod
from inventory_contracts.warehouse import ItemLedgerEntryType

from costing.domain.errors import InvoiceQuantityError
from costing.domain.expected import expected_to_reverse
from costing.domain.model import ItemLedgerEntry

D = Decimal


def entry(quantity: str, invoiced: str | None) -> ItemLedgerEntry:
    return ItemLedgerEntry(
        entry_no=1, item_no="1000", variant_code="", location_code="MAIN", posting_date=date(2020, 1, 1),
        entry_type=ItemLedgerEntryType.PURCHASE if D(quantity) > 0 else ItemLedgerEntryType.SALE, document_no="R1",
        quantity=D(quantity), costing_method=CostingMethod.FIFO, inventory_posting_group="RESALE",
        gen_prod_posting_group="RETAIL", gen_bus_posting_group="", invoiced_quantity=None if invoiced is None else D(invoiced),
    )


class TestSplitExpected:
    def test_an_entry_invoiced_as_it_posted_is_all_actual(self) -> None:
        assert entry("10", None).split_expected(D("95.00")) == (D("95.00"), D(0))

    def test_an_uninvoiced_receipt_is_all_expected(self) -> None:
        assert entry("10", "0").split_expected(D("95.00")) == (D(0), D("95.00"))

    def test_a_fully_invoiced_receipt_is_all_actual(self) -> None:
        assert entry("10", "10").split_expected(D("2.00")) == (D("2.00"), D(0))

    def test_a_partly_invoiced_entry_splits_by_invoiced_share(self) -> None:
        assert entry("10", "4").split_expected(D("10.00")) == (D("4.00"), D("6.00"))

    def test_a_shipment_splits_by_its_units(self) -> None:
        assert entry("-3", "1").split_expected(D("-30.00")) == (D("-10.00"), D("-20.00"))

    def test_the_actual_part_is_rounded_and_the_rest_is_expected(self) -> None:
        assert entry("3", "1").split_expected(D("10.00")) == (D("3.33"), D("6.67"))

    @given(
        quantity=st.integers(min_value=1, max_value=1000),
        invoiced=st.integers(min_value=0, max_value=1000),
        cents=st.integers(min_value=-10**9, max_value=10**9),
    )
    def test_the_parts_add_up_to_the_amount(self, quantity: int, invoiced: int, cents: int) -> None:
        amount = D(cents) / 100
        actual, expected = entry(str(quantity), str(min(invoiced, quantity))).split_expected(amount)
        assert actual + expected == amount
        assert actual == actual.quantize(D("0.01"))


class TestExpectedToReverse:
    def test_domain_example_invoice_of_the_whole_receipt(self) -> None:
        # Receipt expected 95.00, invoiced at 100.00: the VE has actual 100.00 and expected -95.00; 5.00 is forwarded.
        receipt = entry("1", "0")
        assert receipt.split_expected(D("95.00")) == (D(0), D("95.00"))  # the receipt posts expected cost only
        reversed_ = expected_to_reverse(D("95.00"), D(1), D(1))
        invoice_actual, invoice_expected = D("100.00"), -reversed_
        assert (invoice_actual, invoice_expected) == (D("100.00"), D("-95.00"))
        assert invoice_actual - reversed_ == D("5.00")  # the change forwarded to what took from the receipt

    def test_a_partial_invoice_reverses_its_share_rounded(self) -> None:
        assert expected_to_reverse(D("10.00"), D(3), D(1)) == D("3.33")
        assert expected_to_reverse(D("-30.00"), D(3), D(2)) == D("-20.00")

    def test_the_last_invoice_reverses_what_is_left(self) -> None:
        open_ = D("10.00")
        first = expected_to_reverse(open_, D(3), D(1))
        second = expected_to_reverse(open_ - first, D(2), D(1))
        last = expected_to_reverse(open_ - first - second, D(1), D(1))
        assert (first, second, last) == (D("3.33"), D("3.34"), D("3.33"))
        assert first + second + last == open_

    def test_more_than_is_left_to_invoice_is_refused(self) -> None:
        with pytest.raises(InvoiceQuantityError, match="entry 7: 4 cannot be invoiced, 3 is left"):
            expected_to_reverse(D("30.00"), D(3), D(4), entry_no=7)

    def test_nothing_to_invoice_is_refused(self) -> None:
        with pytest.raises(InvoiceQuantityError):
            expected_to_reverse(D("30.00"), D(3), D(0))

    @given(
        parts=st.lists(st.integers(min_value=1, max_value=50), min_size=1, max_size=8),
        cents=st.integers(min_value=-10**8, max_value=10**8),
    )
    def test_invoicing_in_parts_reverses_exactly_the_expected_cost(self, parts: list[int], cents: int) -> None:
        open_, uninvoiced = D(cents) / 100, D(sum(parts))
        total = D(0)
        for part in parts:
            reversed_ = expected_to_reverse(open_, uninvoiced, D(part))
            total += reversed_
            open_ -= reversed_
            uninvoiced -= part
        assert open_ == 0 and uninvoiced == 0
        assert total == D(cents) / 100
