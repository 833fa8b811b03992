"""G/L posting of value entries: which accounts an inventory cost amount goes to."""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from ledger.domain.errors import MissingAccountError, PostingRuleError

ZERO = Decimal(0)


class ItemLedgerEntryType(StrEnum):
    PURCHASE = "Purchase"
    SALE = "Sale"
    POSITIVE_ADJMT = "Positive Adjmt."
    NEGATIVE_ADJMT = "Negative Adjmt."
    TRANSFER = "Transfer"


class ValueEntryType(StrEnum):
    DIRECT_COST = "Direct Cost"
    INDIRECT_COST = "Indirect Cost"
    REVALUATION = "Revaluation"
    ROUNDING = "Rounding"
    VARIANCE = "Variance"


class AccountRole(StrEnum):
    INVENTORY = "inventory"
    INVENTORY_INTERIM = "inventory_interim"
    COGS = "cogs"
    COGS_INTERIM = "cogs_interim"
    INVENTORY_ADJMT = "inventory_adjmt"
    INVT_ACCRUAL_INTERIM = "invt_accrual_interim"
    DIRECT_COST_APPLIED = "direct_cost_applied"
    OVERHEAD_APPLIED = "overhead_applied"
    PURCHASE_VARIANCE = "purchase_variance"


InventoryKey = tuple[str, str]
"""(location code, inventory posting group)"""
GeneralKey = tuple[str, str]
"""(general business posting group, general product posting group)"""


@dataclass(frozen=True)
class InventoryPostingSetup:
    """Accounts per (location, inventory posting group)."""

    inventory_account: str
    inventory_account_interim: str


@dataclass(frozen=True)
class GeneralPostingSetup:
    """Accounts per (general business posting group, general product posting group)."""

    cogs_account: str
    cogs_account_interim: str
    inventory_adjmt_account: str
    invt_accrual_account_interim: str
    direct_cost_applied_account: str
    overhead_applied_account: str
    purchase_variance_account: str


@dataclass(frozen=True)
class ValueToPost:
    """The part of a value entry's cost not yet posted to the G/L, actual and expected."""

    item_ledger_entry_type: ItemLedgerEntryType
    entry_type: ValueEntryType
    cost_amount_actual: Decimal
    cost_amount_expected: Decimal


@dataclass(frozen=True)
class GLLine:
    """One side of a G/L posting: positive amount = debit. `role` names the account's purpose."""

    account_no: str
    amount: Decimal
    role: str


_ACCOUNT_OF: dict[AccountRole, Callable[[InventoryPostingSetup, GeneralPostingSetup], str]] = {
    AccountRole.INVENTORY: lambda inventory, _: inventory.inventory_account,
    AccountRole.INVENTORY_INTERIM: lambda inventory, _: inventory.inventory_account_interim,
    AccountRole.COGS: lambda _, general: general.cogs_account,
    AccountRole.COGS_INTERIM: lambda _, general: general.cogs_account_interim,
    AccountRole.INVENTORY_ADJMT: lambda _, general: general.inventory_adjmt_account,
    AccountRole.INVT_ACCRUAL_INTERIM: lambda _, general: general.invt_accrual_account_interim,
    AccountRole.DIRECT_COST_APPLIED: lambda _, general: general.direct_cost_applied_account,
    AccountRole.OVERHEAD_APPLIED: lambda _, general: general.overhead_applied_account,
    AccountRole.PURCHASE_VARIANCE: lambda _, general: general.purchase_variance_account,
}

ILE, VE, Role = ItemLedgerEntryType, ValueEntryType, AccountRole
_EXPECTED, _ACTUAL = True, False

POSTING_RULES: dict[tuple[ItemLedgerEntryType, ValueEntryType, bool], tuple[AccountRole, AccountRole]] = {
    (ILE.PURCHASE, VE.DIRECT_COST, _EXPECTED): (Role.INVENTORY_INTERIM, Role.INVT_ACCRUAL_INTERIM),
    (ILE.PURCHASE, VE.DIRECT_COST, _ACTUAL): (Role.INVENTORY, Role.DIRECT_COST_APPLIED),
    (ILE.PURCHASE, VE.INDIRECT_COST, _ACTUAL): (Role.INVENTORY, Role.OVERHEAD_APPLIED),
    (ILE.PURCHASE, VE.VARIANCE, _ACTUAL): (Role.INVENTORY, Role.PURCHASE_VARIANCE),
    (ILE.SALE, VE.DIRECT_COST, _EXPECTED): (Role.INVENTORY_INTERIM, Role.COGS_INTERIM),
    (ILE.SALE, VE.DIRECT_COST, _ACTUAL): (Role.INVENTORY, Role.COGS),
    # A Standard item's received (or returned) but uninvoiced quantity is revalued as expected cost, against
    # the same interim account as the entry's own expected cost.
    (ILE.PURCHASE, VE.REVALUATION, _EXPECTED): (Role.INVENTORY_INTERIM, Role.INVT_ACCRUAL_INTERIM),
    (ILE.SALE, VE.REVALUATION, _EXPECTED): (Role.INVENTORY_INTERIM, Role.COGS_INTERIM),
    **{
        (ile, VE.DIRECT_COST, _ACTUAL): (Role.INVENTORY, Role.INVENTORY_ADJMT)
        for ile in (ILE.POSITIVE_ADJMT, ILE.NEGATIVE_ADJMT, ILE.TRANSFER)
    },
    **{
        (ile, ve, _ACTUAL): (Role.INVENTORY, Role.INVENTORY_ADJMT)
        for ile in ILE
        for ve in (VE.REVALUATION, VE.ROUNDING)
    },
}
"""(item ledger entry type, value entry type, expected cost?) -> (account, balancing account)."""


def post_value(value: ValueToPost, inventory: InventoryPostingSetup, general: GeneralPostingSetup) -> list[GLLine]:
    """Balanced G/L lines for a value entry: expected cost first, then actual; zero amounts post nothing.

    A combination with no rule is refused even when its amounts are zero, so a wrong value entry
    is caught the first time it appears rather than the first time it carries money.
    """
    if not any(key[:2] == (value.item_ledger_entry_type, value.entry_type) for key in POSTING_RULES):
        raise PostingRuleError(f"no posting rule for {value.item_ledger_entry_type} / {value.entry_type}")
    lines: list[GLLine] = []
    for expected, amount in ((_EXPECTED, value.cost_amount_expected), (_ACTUAL, value.cost_amount_actual)):
        if amount == ZERO:
            continue
        rule = POSTING_RULES.get((value.item_ledger_entry_type, value.entry_type, expected))
        if rule is None:
            kind = "expected" if expected else "actual"
            raise PostingRuleError(
                f"no posting rule for {kind} cost of {value.item_ledger_entry_type} / {value.entry_type}"
            )
        account, balancing = rule
        lines.append(GLLine(_account_no(account, inventory, general), amount, account))
        lines.append(GLLine(_account_no(balancing, inventory, general), -amount, balancing))
    return lines


def _account_no(role: AccountRole, inventory: InventoryPostingSetup, general: GeneralPostingSetup) -> str:
    account_no = _ACCOUNT_OF[role](inventory, general)
    if not account_no:
        raise MissingAccountError(f"the posting setup has no {role} account")
    return account_no
