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
    ASSEMBLY_CONSUMPTION = "Assembly Consumption"
    ASSEMBLY_OUTPUT = "Assembly Output"


class VarianceType(StrEnum):
    PURCHASE = "Purchase"
    MATERIAL = "Material"
    CAPACITY = "Capacity"
    CAPACITY_OVERHEAD = "Capacity Overhead"
    MANUFACTURING_OVERHEAD = "Manufacturing Overhead"


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
    MATERIAL_VARIANCE = "material_variance"
    CAPACITY_VARIANCE = "capacity_variance"
    CAP_OVERHEAD_VARIANCE = "cap_overhead_variance"
    MFG_OVERHEAD_VARIANCE = "mfg_overhead_variance"


InventoryKey = tuple[str, str]
"""(location code, inventory posting group)"""
GeneralKey = tuple[str, str]
"""(general business posting group, general product posting group)"""


@dataclass(frozen=True)
class InventoryPostingSetup:
    """Accounts per (location, inventory posting group); the variance accounts take an assembled item's variances
    from its standard cost."""

    inventory_account: str
    inventory_account_interim: str
    material_variance_account: str = ""
    capacity_variance_account: str = ""
    cap_overhead_variance_account: str = ""
    mfg_overhead_variance_account: str = ""


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
    variance_type: VarianceType | None = None
    resource: bool = False
    """An assembly output's cost of a resource's usage."""


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
    AccountRole.MATERIAL_VARIANCE: lambda inventory, _: inventory.material_variance_account,
    AccountRole.CAPACITY_VARIANCE: lambda inventory, _: inventory.capacity_variance_account,
    AccountRole.CAP_OVERHEAD_VARIANCE: lambda inventory, _: inventory.cap_overhead_variance_account,
    AccountRole.MFG_OVERHEAD_VARIANCE: lambda inventory, _: inventory.mfg_overhead_variance_account,
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
        for ile in (ILE.POSITIVE_ADJMT, ILE.NEGATIVE_ADJMT, ILE.TRANSFER, ILE.ASSEMBLY_CONSUMPTION)
    },
    **{
        (ile, ve, _ACTUAL): (Role.INVENTORY, Role.INVENTORY_ADJMT)
        for ile in ILE
        for ve in (VE.REVALUATION, VE.ROUNDING)
    },
}
"""(item ledger entry type, value entry type, expected cost?) -> (account, balancing account)."""

ASSEMBLY_OUTPUT_RULES: dict[tuple[ValueEntryType, VarianceType | None, bool], tuple[AccountRole, AccountRole]] = {
    # The components' cost leaves their inventory against Inventory Adjmt. (Assembly Consumption above) and comes
    # back into the assembled item's against the same account, so it nets to zero there.
    (VE.DIRECT_COST, None, False): (Role.INVENTORY, Role.INVENTORY_ADJMT),
    (VE.DIRECT_COST, None, True): (Role.INVENTORY, Role.DIRECT_COST_APPLIED),
    (VE.INDIRECT_COST, None, True): (Role.INVENTORY, Role.OVERHEAD_APPLIED),
    (VE.INDIRECT_COST, None, False): (Role.INVENTORY, Role.OVERHEAD_APPLIED),
    (VE.VARIANCE, VarianceType.MATERIAL, False): (Role.INVENTORY, Role.MATERIAL_VARIANCE),
    (VE.VARIANCE, VarianceType.CAPACITY, False): (Role.INVENTORY, Role.CAPACITY_VARIANCE),
    (VE.VARIANCE, VarianceType.CAPACITY_OVERHEAD, False): (Role.INVENTORY, Role.CAP_OVERHEAD_VARIANCE),
    (VE.VARIANCE, VarianceType.MANUFACTURING_OVERHEAD, False): (Role.INVENTORY, Role.MFG_OVERHEAD_VARIANCE),
}
"""Actual cost of an Assembly Output: (value entry type, variance type, a resource's cost?) -> (account, balancing
account). Its revaluation and rounding post by POSTING_RULES."""


def _rule(value: ValueToPost, expected: bool) -> tuple[AccountRole, AccountRole] | None:
    if value.item_ledger_entry_type is ILE.ASSEMBLY_OUTPUT and not expected and value.entry_type in (
        VE.DIRECT_COST, VE.INDIRECT_COST, VE.VARIANCE
    ):
        return ASSEMBLY_OUTPUT_RULES.get((value.entry_type, value.variance_type, value.resource))
    return POSTING_RULES.get((value.item_ledger_entry_type, value.entry_type, expected))


def post_value(value: ValueToPost, inventory: InventoryPostingSetup, general: GeneralPostingSetup) -> list[GLLine]:
    """Balanced G/L lines for a value entry: expected cost first, then actual; zero amounts post nothing.

    A combination with no rule is refused even when its amounts are zero, so a wrong value entry
    is caught the first time it appears rather than the first time it carries money.
    """
    if not any(key[:2] == (value.item_ledger_entry_type, value.entry_type) for key in POSTING_RULES) and not (
        value.item_ledger_entry_type is ILE.ASSEMBLY_OUTPUT and _rule(value, _ACTUAL) is not None
    ):
        raise PostingRuleError(f"no posting rule for {value.item_ledger_entry_type} / {value.entry_type}")
    lines: list[GLLine] = []
    for expected, amount in ((_EXPECTED, value.cost_amount_expected), (_ACTUAL, value.cost_amount_actual)):
        if amount == ZERO:
            continue
        rule = _rule(value, expected)
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
