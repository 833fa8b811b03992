from collections.abc import Callable
from datetime import date
from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from ledger.domain.errors import (
    BlockedAccountError,
    MissingAccountError,
    PostingRuleError,
    PostingSetupMissingError,
    UnknownAccountError,
)
from ledger.domain.model import (
    GLAccount,
    IncomeBalance,
    ReceivedValueEntry,
    ValueEntry,
    gl_lines,
    plan_item_posting,
)
from ledger.domain.posting import (
    GeneralPostingSetup,
    GLLine,
    InventoryPostingSetup,
    ItemLedgerEntryType,
    ValueEntryType,
)

D = Decimal
ILE, VE = ItemLedgerEntryType, ValueEntryType
EVENT = UUID("c3d2e1f0-1a2b-4c3d-8e4f-5a6b7c8d9e04")

INVENTORY = InventoryPostingSetup(inventory_account="2130", inventory_account_interim="2131")
GENERAL = GeneralPostingSetup("7290", "7291", "7180", "5510", "7190", "7191", "7192")
ACCOUNTS = {
    no: GLAccount(no, f"account {no}", IncomeBalance.BALANCE_SHEET if no < "7" else IncomeBalance.INCOME_STATEMENT)
    for no in ("2130", "2131", "5510", "7180", "7190", "7191", "7192", "7290", "7291")
}


def value_entry(
    entry_no: int = 3,
    ile: ItemLedgerEntryType = ILE.SALE,
    ve: ValueEntryType = VE.DIRECT_COST,
    actual: str = "-80.00",
    expected: str = "0",
    location_code: str = "MAIN",
) -> ValueEntry:
    return ValueEntry(
        entry_no=entry_no,
        item_no="1000",
        item_ledger_entry_type=ile,
        entry_type=ve,
        posting_date=date(2026, 1, 6),
        document_no="SHIP-0001",
        location_code=location_code,
        inventory_posting_group="RESALE",
        gen_bus_posting_group="",
        gen_prod_posting_group="RETAIL",
        cost_amount_actual=D(actual),
        cost_amount_expected=D(expected),
    )


def received(entry: ValueEntry, event_id: UUID = EVENT) -> ReceivedValueEntry:
    return ReceivedValueEntry(entry, event_id, None, {"entry_no": entry.entry_no})


class TestGLLines:
    def test_golden_sale_credits_inventory_and_debits_cogs(self) -> None:
        lines = gl_lines(value_entry(), INVENTORY, GENERAL, ACCOUNTS)

        assert lines == [GLLine("2130", D("-80.00"), "inventory"), GLLine("7290", D("80.00"), "cogs")]

    def test_missing_inventory_posting_setup_names_location_and_group(self) -> None:
        with pytest.raises(PostingSetupMissingError, match="location 'NOWHERE' and inventory posting group 'RESALE'"):
            gl_lines(value_entry(location_code="NOWHERE"), None, GENERAL, ACCOUNTS)

    def test_missing_general_posting_setup_names_both_groups(self) -> None:
        with pytest.raises(PostingSetupMissingError, match="general product posting group 'RETAIL'"):
            gl_lines(value_entry(), INVENTORY, None, ACCOUNTS)

    def test_blank_account_says_which_setup(self) -> None:
        no_cogs = GeneralPostingSetup("", "7291", "7180", "5510", "7190", "7191", "7192")

        with pytest.raises(MissingAccountError, match=r"no cogs account \(location 'MAIN'"):
            gl_lines(value_entry(), INVENTORY, no_cogs, ACCOUNTS)

    def test_zero_amounts_post_nothing_even_without_setup(self) -> None:
        assert gl_lines(value_entry(actual="0"), None, None, {}) == []

    def test_wrong_entry_type_is_refused_before_setup_is_looked_at(self) -> None:
        with pytest.raises(PostingRuleError):
            gl_lines(value_entry(ve=VE.VARIANCE, actual="1"), None, None, {})

    def test_blocked_account_waits(self) -> None:
        blocked = {**ACCOUNTS, "7290": GLAccount("7290", "COGS", IncomeBalance.INCOME_STATEMENT, blocked=True)}

        with pytest.raises(BlockedAccountError, match="7290"):
            gl_lines(value_entry(), INVENTORY, GENERAL, blocked)

    def test_account_missing_from_chart_waits(self) -> None:
        with pytest.raises(UnknownAccountError, match="2130"):
            gl_lines(value_entry(), INVENTORY, GENERAL, {k: v for k, v in ACCOUNTS.items() if k != "2130"})


class TestValueEntryDescription:
    def test_direct_cost_names_the_item_ledger_entry_type(self) -> None:
        assert value_entry().description == "Item 1000 Sale"

    def test_other_entry_types_are_named_too(self) -> None:
        assert value_entry(ile=ILE.PURCHASE, ve=VE.REVALUATION).description == "Item 1000 Purchase Revaluation"


def resolve_except(*missing: int) -> Callable[[ValueEntry], list[GLLine]]:
    def resolve(entry: ValueEntry) -> list[GLLine]:
        if entry.entry_no in missing:
            raise PostingSetupMissingError(f"no setup for {entry.entry_no}")
        return gl_lines(entry, INVENTORY, GENERAL, ACCOUNTS)

    return resolve


class TestPlanItemPosting:
    def test_everything_posts_when_setup_exists(self) -> None:
        queue = [received(value_entry(2)), received(value_entry(1))]

        plan = plan_item_posting(queue, resolve_except())

        assert [r.entry_no for r, _ in plan.posted] == [1, 2]
        assert plan.waiting == []

    def test_entries_behind_a_waiting_one_wait_too(self) -> None:
        queue = [received(value_entry(n)) for n in (1, 2, 3)]

        plan = plan_item_posting(queue, resolve_except(2))

        assert [r.entry_no for r, _ in plan.posted] == [1]
        assert [(r.entry_no, reason) for r, reason in plan.waiting] == [
            (2, "no setup for 2"),
            (3, "waits behind value entry 2 of item 1000"),
        ]

    def test_a_later_entry_keeps_its_own_reason(self) -> None:
        queue = [received(value_entry(n)) for n in (1, 2)]

        plan = plan_item_posting(queue, resolve_except(1, 2))

        assert [reason for _, reason in plan.waiting] == ["no setup for 1", "no setup for 2"]

    def test_posting_rule_error_is_not_a_wait(self) -> None:
        queue = [received(value_entry(1, ve=VE.VARIANCE, actual="1"))]

        with pytest.raises(PostingRuleError):
            plan_item_posting(queue, resolve_except())

    def test_lines_keep_the_source_event(self) -> None:
        first, second = uuid4(), uuid4()
        queue = [received(value_entry(1), first), received(value_entry(2), second)]

        plan = plan_item_posting(queue, resolve_except())

        assert [r.event_id for r, _ in plan.posted] == [first, second]
