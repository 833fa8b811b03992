"""Chart of accounts, value entries as the ledger receives them, and the order in which they post."""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any
from uuid import UUID

from ledger.domain.errors import (
    BlockedAccountError,
    MissingAccountError,
    PostingSetupMissingError,
    UnknownAccountError,
)
from ledger.domain.posting import (
    GeneralPostingSetup,
    GLLine,
    InventoryPostingSetup,
    ItemLedgerEntryType,
    ValueEntryType,
    ValueToPost,
    VarianceType,
    post_value,
)

WAITS_FOR_SETUP: tuple[type[Exception], ...] = (MissingAccountError, BlockedAccountError, UnknownAccountError)
"""Errors that make a value entry wait for its posting setup instead of failing."""

_NO_INVENTORY_SETUP = InventoryPostingSetup("", "")
_NO_GENERAL_SETUP = GeneralPostingSetup("", "", "", "", "", "", "")


class IncomeBalance(StrEnum):
    INCOME_STATEMENT = "income_statement"
    BALANCE_SHEET = "balance_sheet"


@dataclass(frozen=True)
class GLAccount:
    account_no: str
    name: str
    income_balance: IncomeBalance
    blocked: bool = False


@dataclass(frozen=True)
class ValueEntry:
    """What the ledger needs of a costing value entry. Amounts are this entry's own change, not totals."""

    entry_no: int
    item_no: str
    item_ledger_entry_type: ItemLedgerEntryType
    entry_type: ValueEntryType
    posting_date: date
    document_no: str
    location_code: str
    inventory_posting_group: str
    gen_bus_posting_group: str
    gen_prod_posting_group: str
    cost_amount_actual: Decimal
    cost_amount_expected: Decimal
    variance_type: VarianceType | None = None
    resource_no: str | None = None

    @property
    def description(self) -> str:
        kind = "" if self.entry_type is ValueEntryType.DIRECT_COST else f" {self.entry_type}"
        return f"Item {self.item_no} {self.item_ledger_entry_type}{kind}"


@dataclass(frozen=True)
class ReceivedValueEntry:
    """A value entry with the event that delivered it; `payload` is kept verbatim while the entry waits."""

    value_entry: ValueEntry
    event_id: UUID
    correlation_id: UUID | None
    payload: Mapping[str, Any] = field(compare=False)

    @property
    def entry_no(self) -> int:
        return self.value_entry.entry_no


@dataclass(frozen=True)
class GLEntry:
    entry_no: int
    account_no: str
    posting_date: date
    document_no: str
    description: str
    amount: Decimal
    value_entry_no: int | None
    item_no: str | None


@dataclass(frozen=True)
class RecordedGLEntry(GLEntry):
    """A G/L entry as the ledger holds it: with its register and the moment it was written."""

    register_no: int
    created_at: datetime


@dataclass(frozen=True)
class PendingValueEntry:
    """A value entry waiting for its posting setup; `payload` is the value entry as received from costing."""

    value_entry_no: int
    item_no: str
    reason: str
    received_at: datetime
    payload: Mapping[str, Any] = field(compare=False)


@dataclass(frozen=True)
class TrialBalanceLine:
    """An account with entries: the sums of its debit and (as a positive amount) credit entries, and its balance."""

    account_no: str
    name: str
    income_balance: IncomeBalance
    debit: Decimal
    credit: Decimal
    balance: Decimal


@dataclass(frozen=True)
class TrialBalance:
    at: date | None
    lines: list[TrialBalanceLine]

    @property
    def total_debit(self) -> Decimal:
        return sum((line.debit for line in self.lines), Decimal("0.00"))

    @property
    def total_credit(self) -> Decimal:
        return sum((line.credit for line in self.lines), Decimal("0.00"))


def gl_lines(
    entry: ValueEntry,
    inventory: InventoryPostingSetup | None,
    general: GeneralPostingSetup | None,
    accounts: Mapping[str, GLAccount],
) -> list[GLLine]:
    """The balanced G/L lines of `entry`.

    Raises one of WAITS_FOR_SETUP when the setup or an account is missing or blocked, and
    PostingRuleError when no rule fits. A missing setup row is read as a row of blank accounts,
    so an entry with zero amounts posts nothing instead of waiting, and a wrong entry type is
    refused before its setup is looked at.
    """
    value = ValueToPost(
        entry.item_ledger_entry_type, entry.entry_type, entry.cost_amount_actual, entry.cost_amount_expected,
        entry.variance_type, entry.resource_no is not None,
    )
    try:
        lines = post_value(value, inventory or _NO_INVENTORY_SETUP, general or _NO_GENERAL_SETUP)
    except MissingAccountError as exc:
        if inventory is None:
            raise PostingSetupMissingError(
                f"no inventory posting setup for location '{entry.location_code}' "
                f"and inventory posting group '{entry.inventory_posting_group}'"
            ) from exc
        if general is None:
            raise PostingSetupMissingError(
                f"no general posting setup for general business posting group '{entry.gen_bus_posting_group}' "
                f"and general product posting group '{entry.gen_prod_posting_group}'"
            ) from exc
        raise MissingAccountError(
            f"{exc} (location '{entry.location_code}', inventory posting group '{entry.inventory_posting_group}', "
            f"general posting groups '{entry.gen_bus_posting_group}'/'{entry.gen_prod_posting_group}')"
        ) from exc
    for line in lines:
        account = accounts.get(line.account_no)
        if account is None:
            raise UnknownAccountError(f"G/L account {line.account_no} ({line.role}) does not exist")
        if account.blocked:
            raise BlockedAccountError(f"G/L account {line.account_no} ({line.role}) is blocked")
    return lines


@dataclass(frozen=True)
class PostingPlan:
    posted: list[tuple[ReceivedValueEntry, list[GLLine]]]
    waiting: list[tuple[ReceivedValueEntry, str]]


def plan_item_posting(
    queue: Sequence[ReceivedValueEntry], resolve: Callable[[ValueEntry], list[GLLine]]
) -> PostingPlan:
    """Post one item's value entries in entry order; from the first that must wait, every later one waits too.

    Otherwise an item's later cost (a sale) could reach the G/L before the earlier one it depends
    on (the purchase), and the inventory account would show a value the item never had.
    """
    posted: list[tuple[ReceivedValueEntry, list[GLLine]]] = []
    waiting: list[tuple[ReceivedValueEntry, str]] = []
    blocking: ReceivedValueEntry | None = None
    for received in sorted(queue, key=lambda r: r.entry_no):
        try:
            lines = resolve(received.value_entry)
        except WAITS_FOR_SETUP as exc:
            waiting.append((received, str(exc)))
            blocking = blocking or received
            continue
        if blocking is None:
            posted.append((received, lines))
        else:
            waiting.append((received, f"waits behind value entry {blocking.entry_no} of item {received.value_entry.item_no}"))
    return PostingPlan(posted, waiting)
