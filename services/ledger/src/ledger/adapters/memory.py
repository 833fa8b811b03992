"""In-memory fakes of every port of the ledger, with the semantics of the PostgreSQL adapters, for unit tests.

Locks are no-ops (one test runs one use case at a time) and nothing is rolled back: the use cases
refuse before they write.
"""

from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from inventory_contracts import Envelope

from ledger.domain.errors import CostingUnavailableError
from ledger.domain.model import (
    GLAccount,
    PendingValueEntry,
    ReceivedValueEntry,
    RecordedGLEntry,
    TrialBalanceLine,
)
from ledger.domain.ports import ReconciliationSnapshot, Register
from ledger.domain.posting import GeneralKey, GeneralPostingSetup, InventoryKey, InventoryPostingSetup
from ledger.domain.reconciliation import GroupValue


@dataclass
class _Waiting:
    received: ReceivedValueEntry
    reason: str
    received_at: datetime


@dataclass
class LedgerState:
    """Everything the fakes hold: what the ledger's tables hold."""

    accounts: dict[str, GLAccount] = field(default_factory=dict)
    inventory_setups: dict[InventoryKey, InventoryPostingSetup] = field(default_factory=dict)
    general_setups: dict[GeneralKey, GeneralPostingSetup] = field(default_factory=dict)
    pending: dict[int, _Waiting] = field(default_factory=dict)
    posted: dict[int, int | None] = field(default_factory=dict)
    """Value entry no. -> register no. (none: the entry had nothing to post)."""
    registers: dict[int, tuple[str, Any]] = field(default_factory=dict)
    gl_entries: list[RecordedGLEntry] = field(default_factory=list)
    closed_through: date | None = None
    reported: dict[str, tuple[bool, Decimal]] = field(default_factory=dict)
    last_register_no: int = 0
    last_entry_no: int = 0


class InMemoryAccounts:
    def __init__(self, state: LedgerState) -> None:
        self._state = state

    async def add(self, account: GLAccount) -> bool:
        if account.account_no in self._state.accounts:
            return False
        self._state.accounts[account.account_no] = account
        return True

    async def update(self, account: GLAccount) -> bool:
        if account.account_no not in self._state.accounts:
            return False
        self._state.accounts[account.account_no] = account
        return True

    async def get(self, account_no: str) -> GLAccount | None:
        return self._state.accounts.get(account_no)

    async def page(self, after: str | None, limit: int) -> list[GLAccount]:
        return [self._state.accounts[no] for no in sorted(self._state.accounts) if after is None or no > after][:limit]

    async def by_number(self, account_nos: Iterable[str]) -> dict[str, GLAccount]:
        return {no: self._state.accounts[no] for no in set(account_nos) if no in self._state.accounts}


class InMemoryPostingSetups:
    def __init__(self, state: LedgerState) -> None:
        self._state = state

    async def lock(self, *, exclusive: bool) -> None:
        pass

    async def lock_shared_and_read_closed_through(self) -> date | None:
        return self._state.closed_through

    async def inventory_setups(self, keys: Iterable[InventoryKey]) -> dict[InventoryKey, InventoryPostingSetup]:
        return {key: self._state.inventory_setups[key] for key in set(keys) if key in self._state.inventory_setups}

    async def put_inventory_setup(self, key: InventoryKey, setup: InventoryPostingSetup) -> None:
        self._state.inventory_setups[key] = setup

    async def general_setups(self, keys: Iterable[GeneralKey]) -> dict[GeneralKey, GeneralPostingSetup]:
        return {key: self._state.general_setups[key] for key in set(keys) if key in self._state.general_setups}

    async def put_general_setup(self, key: GeneralKey, setup: GeneralPostingSetup) -> None:
        self._state.general_setups[key] = setup


class InMemoryValueEntries:
    def __init__(self, state: LedgerState) -> None:
        self._state = state

    async def lock_items(self, item_nos: Iterable[str]) -> None:
        pass

    async def already_received(self, value_entry_nos: Sequence[int]) -> set[int]:
        return {no for no in value_entry_nos if no in self._state.posted or no in self._state.pending}

    async def pending_of(self, item_nos: Iterable[str]) -> dict[str, list[ReceivedValueEntry]]:
        wanted = set(item_nos)
        found: dict[str, list[ReceivedValueEntry]] = {}
        for no in sorted(self._state.pending):
            received = self._state.pending[no].received
            if received.value_entry.item_no in wanted:
                found.setdefault(received.value_entry.item_no, []).append(received)
        return found

    async def items_with_pending(self) -> list[str]:
        items: list[str] = []
        for no in sorted(self._state.pending):
            item_no = self._state.pending[no].received.value_entry.item_no
            if item_no not in items:
                items.append(item_no)
        return items

    async def keep_pending(self, waiting: Sequence[tuple[ReceivedValueEntry, str]]) -> None:
        for received, reason in waiting:
            if received.entry_no in self._state.pending:
                self._state.pending[received.entry_no].reason = reason
            else:
                self._state.pending[received.entry_no] = _Waiting(received, reason, datetime.now(UTC))

    async def remove_pending(self, value_entry_nos: Sequence[int]) -> None:
        for no in value_entry_nos:
            self._state.pending.pop(no, None)

    async def count_pending(self) -> int:
        return len(self._state.pending)

    async def list_pending(self, after: int | None, limit: int) -> list[PendingValueEntry]:
        numbers = [no for no in sorted(self._state.pending) if after is None or no > after][:limit]
        return [
            PendingValueEntry(
                no, waiting.received.value_entry.item_no, waiting.reason, waiting.received_at, dict(waiting.received.payload)
            )
            for no, waiting in ((no, self._state.pending[no]) for no in numbers)
        ]

    async def mark_posted(self, posted: Sequence[tuple[int, int | None]]) -> None:
        for value_entry_no, register_no in posted:
            if value_entry_no in self._state.posted:
                raise ValueError(f"value entry {value_entry_no} is posted already")
            self._state.posted[value_entry_no] = register_no


class InMemoryGeneralLedger:
    def __init__(self, state: LedgerState) -> None:
        self._state = state

    async def next_register_and_entry_nos(self, register_count: int, entry_count: int) -> tuple[list[int], list[int]]:
        first_register, first_entry = self._state.last_register_no + 1, self._state.last_entry_no + 1
        self._state.last_register_no += register_count
        self._state.last_entry_no += entry_count
        return list(range(first_register, first_register + register_count)), list(range(first_entry, first_entry + entry_count))

    async def add_registers(self, registers: Sequence[Register]) -> None:
        now = datetime.now(UTC)
        for register_no, item_no, event_id, entries in registers:
            self._state.registers[register_no] = (item_no, event_id)
            self._state.gl_entries += [RecordedGLEntry(**vars(entry), register_no=register_no, created_at=now) for entry in entries]

    async def list_entries(
        self,
        *,
        account_no: str | None,
        from_date: date | None,
        to_date: date | None,
        value_entry_no: int | None,
        after: int | None,
        limit: int,
    ) -> list[RecordedGLEntry]:
        found = [
            e for e in sorted(self._state.gl_entries, key=lambda e: e.entry_no)
            if (account_no is None or e.account_no == account_no)
            and (from_date is None or e.posting_date >= from_date) and (to_date is None or e.posting_date <= to_date)
            and (value_entry_no is None or e.value_entry_no == value_entry_no) and (after is None or e.entry_no > after)
        ]
        return found[:limit]

    async def trial_balance(self, at: date | None) -> list[TrialBalanceLine]:
        amounts: dict[str, list[Decimal]] = {}
        for entry in self._state.gl_entries:
            if at is None or entry.posting_date <= at:
                amounts.setdefault(entry.account_no, []).append(entry.amount)
        lines = []
        for account_no in sorted(amounts):
            account = self._state.accounts[account_no]
            debit = sum((a for a in amounts[account_no] if a > 0), Decimal("0.00"))
            credit = -sum((a for a in amounts[account_no] if a < 0), Decimal("0.00"))
            lines.append(TrialBalanceLine(account_no, account.name, account.income_balance, debit, credit, debit - credit))
        return lines

    async def closed_through(self) -> date | None:
        return self._state.closed_through

    async def set_closed_through(self, closed_through: date | None) -> None:
        self._state.closed_through = closed_through


class InMemoryReconciliation:
    def __init__(self, state: LedgerState) -> None:
        self._state = state

    async def snapshot(self) -> ReconciliationSnapshot:
        balances: dict[str, Decimal] = {}
        for entry in self._state.gl_entries:
            balances[entry.account_no] = balances.get(entry.account_no, Decimal(0)) + entry.amount
        return ReconciliationSnapshot(
            len(self._state.posted) + len(self._state.pending), len(self._state.pending), balances,
            dict(self._state.inventory_setups),
        )

    async def reported_differences(self) -> dict[str, Decimal]:
        return {account_no: difference for account_no, (_, difference) in self._state.reported.items()}

    async def record_reported_difference(self, account_no: str, interim: bool, difference: Decimal) -> None:
        interim = self._state.reported.get(account_no, (interim, difference))[0]
        self._state.reported[account_no] = (interim, difference)


class InMemoryLedgerUnitOfWork:
    """The ledger's unit of work over `state`; what a use case publishes is kept in `published`, in order."""

    def __init__(self, state: LedgerState | None = None) -> None:
        self.state = state or LedgerState()
        self.accounts = InMemoryAccounts(self.state)
        self.posting_setups = InMemoryPostingSetups(self.state)
        self.value_entries = InMemoryValueEntries(self.state)
        self.general_ledger = InMemoryGeneralLedger(self.state)
        self.reconciliation = InMemoryReconciliation(self.state)
        self.published: list[tuple[str, Envelope[Any]]] = []

    async def publish(self, topic: str, event: Envelope[Any]) -> None:
        self.published.append((topic, event))

    @asynccontextmanager
    async def opened(self) -> AsyncIterator["InMemoryLedgerUnitOfWork"]:
        """This unit of work, as `runtime.reading` and `runtime.unit_of_work` open one."""
        yield self

    async def publish_all(self, events: Sequence[tuple[str, Envelope[Any]]]) -> None:
        self.published += events


class FixedInventoryValuation:
    """Costing's valuation as a test sets it; none means costing is unavailable."""

    def __init__(self, value_entries: int | None = 0, values: Sequence[GroupValue] = ()) -> None:
        self.value_entries = value_entries
        self.values = list(values)

    async def by_posting_group(self) -> tuple[int, list[GroupValue]]:
        if self.value_entries is None:
            raise CostingUnavailableError("costing valuation not readable")
        return self.value_entries, list(self.values)
