"""The in-memory unit of work the use-case tests run against, and value entry events as costing publishes them."""

from collections.abc import Callable
from typing import Any
from uuid import UUID, uuid4

import pytest

from inventory_contracts import VALUE_ENTRIES_POSTED_V1, Envelope, EventRegistry, examples
from inventory_contracts.costing import ValueEntriesPosted

from ledger.adapters.memory import InMemoryLedgerUnitOfWork
from ledger.domain.model import GLAccount, IncomeBalance
from ledger.domain.posting import GeneralPostingSetup, InventoryPostingSetup

INVENTORY = InventoryPostingSetup("2130", "2131")
GENERAL = GeneralPostingSetup("7290", "7291", "7180", "5510", "7190", "7191", "7192")
ACCOUNT_NOS = ("2130", "2131", "5510", "7180", "7190", "7191", "7192", "7290", "7291")

EventFactory = Callable[..., Envelope[ValueEntriesPosted]]


@pytest.fixture
def empty_uow() -> InMemoryLedgerUnitOfWork:
    return InMemoryLedgerUnitOfWork()


@pytest.fixture
def uow() -> InMemoryLedgerUnitOfWork:
    """A chart of accounts and the setup of location MAIN, group RESALE and product group RETAIL."""
    fake = InMemoryLedgerUnitOfWork()
    for no in ACCOUNT_NOS:
        kind = IncomeBalance.BALANCE_SHEET if no < "7" else IncomeBalance.INCOME_STATEMENT
        fake.state.accounts[no] = GLAccount(no, f"Account {no}", kind)
    fake.state.inventory_setups[("MAIN", "RESALE")] = INVENTORY
    fake.state.general_setups[("", "RETAIL")] = GENERAL
    return fake


@pytest.fixture
def value_entries_posted() -> EventFactory:
    """`value_entries_posted((entry_no, {field: value}), ...)`: costing's golden event with these value entries."""
    golden = EventRegistry([VALUE_ENTRIES_POSTED_V1]).parse(examples(VALUE_ENTRIES_POSTED_V1))
    [template] = golden.payload.value_entries

    def build(*entries: tuple[int, dict[str, Any]], item_no: str = "1000", correlation_id: UUID | None = None) -> Envelope[ValueEntriesPosted]:
        value_entries = [
            type(template).model_validate({**template.model_dump(), "entry_no": no, "item_ledger_entry_no": no, **changes})
            for no, changes in entries
        ]
        payload = golden.payload.model_copy(update={"item_no": item_no, "value_entries": value_entries})
        return golden.model_copy(update={"event_id": uuid4(), "correlation_id": correlation_id or uuid4(), "payload": payload})

    return build
