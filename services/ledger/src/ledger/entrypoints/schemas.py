"""HTTP request and response bodies of the ledger."""

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from inventory_contracts.costing import ValueEntry

from ledger.domain.model import IncomeBalance

AccountNo = Field(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-/]*$")
SetupAccount = Field(max_length=20, pattern=r"^[A-Za-z0-9_.\-/]*$", description="G/L account no.; blank: none.")
OptionalSetupAccount = Field(
    default="", max_length=20, pattern=r"^[A-Za-z0-9_.\-/]*$",
    description="G/L account no. of an assembled item's variance of this type; blank (the default): none.",
)


class GLAccountCard(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100)
    income_balance: IncomeBalance
    blocked: bool = Field(default=False, description="Nothing posts to a blocked account; value entries wait.")


class GLAccountIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    account_no: str = AccountNo
    name: str = Field(min_length=1, max_length=100)
    income_balance: IncomeBalance
    blocked: bool = Field(default=False, description="Nothing posts to a blocked account; value entries wait.")


class GLAccountOut(GLAccountIn):
    model_config = ConfigDict(extra="ignore", from_attributes=True)


class GLAccountPage(BaseModel):
    accounts: list[GLAccountOut]
    next_cursor: str | None = None


class PostedPending(BaseModel):
    posted_value_entry_nos: list[int] = Field(
        default=[], description="Value entries that waited and were posted by this change."
    )


class GLAccountSaved(GLAccountOut, PostedPending):
    pass


class InventoryPostingSetupIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    inventory_account: str = SetupAccount
    inventory_account_interim: str = SetupAccount
    material_variance_account: str = OptionalSetupAccount
    capacity_variance_account: str = OptionalSetupAccount
    cap_overhead_variance_account: str = OptionalSetupAccount
    mfg_overhead_variance_account: str = OptionalSetupAccount


class InventoryPostingSetupOut(InventoryPostingSetupIn):
    model_config = ConfigDict(extra="ignore", from_attributes=True)

    location_code: str
    inventory_posting_group: str


class InventoryPostingSetupSaved(InventoryPostingSetupOut, PostedPending):
    pass


class GeneralPostingSetupIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cogs_account: str = SetupAccount
    cogs_account_interim: str = SetupAccount
    inventory_adjmt_account: str = SetupAccount
    invt_accrual_account_interim: str = SetupAccount
    direct_cost_applied_account: str = SetupAccount
    overhead_applied_account: str = SetupAccount
    purchase_variance_account: str = SetupAccount


class GeneralPostingSetupOut(GeneralPostingSetupIn):
    model_config = ConfigDict(extra="ignore", from_attributes=True)

    gen_bus_posting_group: str
    gen_prod_posting_group: str


class GeneralPostingSetupSaved(GeneralPostingSetupOut, PostedPending):
    pass


class GLEntryOut(BaseModel):
    entry_no: int
    register_no: int
    account_no: str
    posting_date: date
    document_no: str
    description: str
    amount: Decimal = Field(description="Positive: debit; negative: credit.")
    value_entry_no: int | None
    item_no: str | None
    created_at: datetime


class GLEntryPage(BaseModel):
    entries: list[GLEntryOut]
    next_cursor: str | None = None


class TrialBalanceLine(BaseModel):
    account_no: str
    name: str
    income_balance: IncomeBalance
    debit: Decimal = Field(description="Sum of the account's debit entries.")
    credit: Decimal = Field(description="Sum of the account's credit entries, as a positive amount.")
    balance: Decimal = Field(description="Debit minus credit.")


class TrialBalance(BaseModel):
    at: date | None = Field(description="Entries posted on or before this date; none: all.")
    lines: list[TrialBalanceLine]
    total_debit: Decimal
    total_credit: Decimal


class PendingValueEntryOut(BaseModel):
    value_entry_no: int
    item_no: str
    reason: str
    received_at: datetime
    value_entry: ValueEntry = Field(description="The value entry as received from costing.")


class PendingValueEntryPage(BaseModel):
    pending_value_entries: list[PendingValueEntryOut]
    next_cursor: str | None = None


class ReconciliationLineOut(BaseModel):
    account_no: str
    interim: bool = Field(description="An interim account, compared with expected cost.")
    inventory_value: Decimal = Field(description="Costing's inventory value that posts to this account.")
    gl_balance: Decimal
    difference: Decimal = Field(description="G/L balance minus inventory value.")


class ReconciliationOut(BaseModel):
    caught_up: bool = Field(description="The ledger had received every value entry costing summed (waiting ones included).")
    costing_value_entries: int
    ledger_value_entries: int
    pending_value_entries: int
    lines: list[ReconciliationLineOut]


class GLSetup(BaseModel):
    model_config = ConfigDict(extra="forbid")

    closed_through: date | None = Field(
        description="Every date up to and including this one is closed: postings take the next day. None: all open."
    )
