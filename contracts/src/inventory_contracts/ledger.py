"""Events published by the ledger service on `ledger.gl-entries.v1`."""

from datetime import date, datetime
from decimal import Decimal

from pydantic import Field

from .envelope import EventSpec, Payload
from .topics import LEDGER_GL_ENTRIES, LEDGER_RECONCILIATION


class GLEntry(Payload):
    """One line of the general ledger; positive amount = debit."""

    entry_no: int
    account_no: str
    posting_date: date
    document_no: str
    description: str
    amount: Decimal
    value_entry_no: int | None = Field(default=None, description="The value entry this line posts.")


class GLEntriesPosted(Payload):
    """A G/L register: balanced entries written in one transaction."""

    register_no: int
    item_no: str | None = None
    gl_entries: list[GLEntry] = Field(min_length=2)


GL_ENTRIES_POSTED_V1 = EventSpec(type="ledger.gl-entries-posted", version=1, topic=LEDGER_GL_ENTRIES, payload=GLEntriesPosted)


class ReconciliationDifferenceFound(Payload):
    """After processing caught up, an inventory account's G/L balance differs from costing's inventory value.

    Raised when a difference appears or changes; a later event with difference 0 says it is resolved.
    """

    account_no: str = Field(description="The inventory or inventory (interim) account.")
    interim: bool = Field(description="True for an interim account, compared with expected cost.")
    inventory_value: Decimal = Field(description="Costing's value of what posts to this account.")
    gl_balance: Decimal = Field(description="The account's balance in the general ledger.")
    difference: Decimal = Field(description="G/L balance minus inventory value.")
    value_entries: int = Field(description="Value entries both sides had seen when compared.")
    checked_at: datetime


RECONCILIATION_DIFFERENCE_FOUND_V1 = EventSpec(
    type="ledger.reconciliation-difference-found",
    version=1,
    topic=LEDGER_RECONCILIATION,
    payload=ReconciliationDifferenceFound,
)
