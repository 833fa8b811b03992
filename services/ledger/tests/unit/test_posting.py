from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger.domain.errors import LedgerError, MissingAccountError, PostingRuleError
from ledger.domain.posting import (
    POSTING_RULES,
    GeneralPostingSetup,
    GLLine,
    InventoryPostingSetup,
    ItemLedgerEntryType,
    ValueEntryType,
    ValueToPost,
    post_value,
)

D = Decimal
ILE, VE = ItemLedgerEntryType, ValueEntryType

INVENTORY = InventoryPostingSetup(inventory_account="2130", inventory_account_interim="2131")
GENERAL = GeneralPostingSetup(
    cogs_account="7290",
    cogs_account_interim="7291",
    inventory_adjmt_account="7270",
    invt_accrual_account_interim="5530",
    direct_cost_applied_account="7190",
    overhead_applied_account="7191",
    purchase_variance_account="7890",
)


def post(ile: ItemLedgerEntryType, ve: ValueEntryType, actual: str = "0", expected: str = "0") -> list[GLLine]:
    return post_value(ValueToPost(ile, ve, D(actual), D(expected)), INVENTORY, GENERAL)


def by_role(lines: list[GLLine]) -> list[tuple[str, Decimal]]:
    return [(line.role, line.amount) for line in lines]


@pytest.mark.parametrize(
    ("ile", "ve", "expected", "account", "balancing"),
    [
        (ILE.PURCHASE, VE.DIRECT_COST, True, "inventory_interim", "invt_accrual_interim"),
        (ILE.PURCHASE, VE.DIRECT_COST, False, "inventory", "direct_cost_applied"),
        (ILE.PURCHASE, VE.INDIRECT_COST, False, "inventory", "overhead_applied"),
        (ILE.PURCHASE, VE.VARIANCE, False, "inventory", "purchase_variance"),
        (ILE.SALE, VE.DIRECT_COST, True, "inventory_interim", "cogs_interim"),
        (ILE.SALE, VE.DIRECT_COST, False, "inventory", "cogs"),
        (ILE.PURCHASE, VE.REVALUATION, True, "inventory_interim", "invt_accrual_interim"),
        (ILE.SALE, VE.REVALUATION, True, "inventory_interim", "cogs_interim"),
        (ILE.POSITIVE_ADJMT, VE.DIRECT_COST, False, "inventory", "inventory_adjmt"),
        (ILE.NEGATIVE_ADJMT, VE.DIRECT_COST, False, "inventory", "inventory_adjmt"),
        (ILE.TRANSFER, VE.DIRECT_COST, False, "inventory", "inventory_adjmt"),
        *[(ile, ve, False, "inventory", "inventory_adjmt") for ile in ILE for ve in (VE.REVALUATION, VE.ROUNDING)],
    ],
)
def test_each_row_of_the_posting_table(
    ile: ItemLedgerEntryType, ve: ValueEntryType, expected: bool, account: str, balancing: str
) -> None:
    amount = D("12.34")
    value = ValueToPost(ile, ve, D(0) if expected else amount, amount if expected else D(0))

    assert by_role(post_value(value, INVENTORY, GENERAL)) == [(account, amount), (balancing, -amount)]


def test_lines_carry_the_setup_account_numbers() -> None:
    lines = post(ILE.SALE, VE.DIRECT_COST, actual="-80")

    assert lines == [GLLine("2130", D(-80), "inventory"), GLLine("7290", D(80), "cogs")]


def test_domain_example_expected_cost_receipt_then_invoice() -> None:
    receipt = post(ILE.PURCHASE, VE.DIRECT_COST, expected="95.00")
    invoice = post(ILE.PURCHASE, VE.DIRECT_COST, actual="100.00", expected="-95.00")

    assert by_role(receipt) == [("inventory_interim", D("95.00")), ("invt_accrual_interim", D("-95.00"))]
    assert by_role(invoice) == [
        ("inventory_interim", D("-95.00")),
        ("invt_accrual_interim", D("95.00")),
        ("inventory", D("100.00")),
        ("direct_cost_applied", D("-100.00")),
    ]


def test_domain_example_sale_credits_inventory_and_debits_cogs() -> None:
    assert by_role(post(ILE.SALE, VE.DIRECT_COST, actual="-80.00")) == [
        ("inventory", D("-80.00")),
        ("cogs", D("80.00")),
    ]


def test_domain_example_overhead_on_a_purchase() -> None:
    assert by_role(post(ILE.PURCHASE, VE.DIRECT_COST, actual="70.00")) == [
        ("inventory", D("70.00")),
        ("direct_cost_applied", D("-70.00")),
    ]
    assert by_role(post(ILE.PURCHASE, VE.INDIRECT_COST, actual="10.00")) == [
        ("inventory", D("10.00")),
        ("overhead_applied", D("-10.00")),
    ]


def test_domain_example_item_charge_adjusts_the_sale_through_cogs() -> None:
    assert by_role(post(ILE.PURCHASE, VE.DIRECT_COST, actual="2.00")) == [
        ("inventory", D("2.00")),
        ("direct_cost_applied", D("-2.00")),
    ]
    assert by_role(post(ILE.SALE, VE.DIRECT_COST, actual="-2.00")) == [("inventory", D("-2.00")), ("cogs", D("2.00"))]


def totals(*postings: list[GLLine]) -> dict[str, Decimal]:
    balance: dict[str, Decimal] = {}
    for line in (line for lines in postings for line in lines):
        balance[line.role] = balance.get(line.role, D(0)) + line.amount
    return balance


def test_domain_example_standard_cost_purchase_variance() -> None:
    purchase = [
        post(ILE.PURCHASE, VE.DIRECT_COST, actual="90.00"),
        post(ILE.PURCHASE, VE.VARIANCE, actual="10.00"),
    ]
    assert totals(*purchase) == {
        "inventory": D("100.00"),
        "direct_cost_applied": D("-90.00"),
        "purchase_variance": D("-10.00"),
    }

    item_charge = [
        post(ILE.PURCHASE, VE.DIRECT_COST, actual="20.00"),
        post(ILE.PURCHASE, VE.VARIANCE, actual="-20.00"),
    ]
    assert totals(*item_charge) == {
        "inventory": D(0),
        "direct_cost_applied": D("-20.00"),
        "purchase_variance": D("20.00"),
    }

    revaluation = post(ILE.PURCHASE, VE.REVALUATION, actual="-30.00")
    assert by_role(revaluation) == [("inventory", D("-30.00")), ("inventory_adjmt", D("30.00"))]
    assert totals(*purchase, *item_charge, revaluation)["inventory"] == D("70.00")


def test_standard_item_revalued_before_its_invoice_passes_through_the_interim_accounts() -> None:
    # Design Details: Revaluation, "Expected cost in revaluation": 150 links received at the standard 2.00,
    # revalued to 3.00 before the invoice, invoiced at 2.00.
    receipt = post(ILE.PURCHASE, VE.DIRECT_COST, expected="300.00")
    revaluation = post(ILE.PURCHASE, VE.REVALUATION, expected="150.00")
    assert by_role(revaluation) == [("inventory_interim", D("150.00")), ("invt_accrual_interim", D("-150.00"))]
    invoice = [
        post(ILE.PURCHASE, VE.DIRECT_COST, actual="300.00", expected="-300.00"),
        post(ILE.PURCHASE, VE.REVALUATION, expected="-150.00"),
        post(ILE.PURCHASE, VE.VARIANCE, actual="150.00"),
    ]
    assert totals(receipt, revaluation, *invoice) == {
        "inventory_interim": D(0),
        "invt_accrual_interim": D(0),
        "inventory": D("450.00"),
        "direct_cost_applied": D("-300.00"),
        "purchase_variance": D("-150.00"),
    }


def test_zero_amounts_post_nothing() -> None:
    assert post(ILE.SALE, VE.DIRECT_COST) == []
    assert post(ILE.SALE, VE.DIRECT_COST, actual="-5") == post(ILE.SALE, VE.DIRECT_COST, actual="-5", expected="0")


@pytest.mark.parametrize(
    ("ile", "ve", "actual", "expected"),
    [
        (ILE.SALE, VE.VARIANCE, "1", "0"),
        (ILE.SALE, VE.INDIRECT_COST, "0", "0"),
        (ILE.TRANSFER, VE.VARIANCE, "1", "0"),
        (ILE.POSITIVE_ADJMT, VE.DIRECT_COST, "0", "1"),
        (ILE.PURCHASE, VE.INDIRECT_COST, "0", "1"),
        (ILE.TRANSFER, VE.REVALUATION, "0", "1"),
    ],
)
def test_unsupported_combination_is_refused(
    ile: ItemLedgerEntryType, ve: ValueEntryType, actual: str, expected: str
) -> None:
    with pytest.raises(PostingRuleError):
        post(ile, ve, actual=actual, expected=expected)
    assert issubclass(PostingRuleError, LedgerError)


def test_blank_account_in_the_setup_is_a_clear_error() -> None:
    no_cogs = GeneralPostingSetup(**{**GENERAL.__dict__, "cogs_account": ""})

    with pytest.raises(MissingAccountError, match="cogs"):
        post_value(ValueToPost(ILE.SALE, VE.DIRECT_COST, D(-1), D(0)), INVENTORY, no_cogs)


amounts = st.decimals(min_value=D("-1000000"), max_value=D("1000000"), places=2)


@given(st.sampled_from(sorted({(ile, ve) for ile, ve, _ in POSTING_RULES})), amounts, amounts)
def test_posted_lines_always_balance(
    combination: tuple[ItemLedgerEntryType, ValueEntryType], actual: Decimal, expected: Decimal
) -> None:
    ile, ve = combination
    if expected != 0 and (ile, ve, True) not in POSTING_RULES:
        expected = D(0)

    lines = post_value(ValueToPost(ile, ve, actual, expected), INVENTORY, GENERAL)

    assert sum((line.amount for line in lines), D(0)) == 0
    assert len(lines) == 2 * ((actual != 0) + (expected != 0))
    assert all(line.amount != 0 for line in lines)
