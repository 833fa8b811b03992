"""Events published by the ledger service on `ledger.gl-entries.v1`."""

from datetime import date
from decimal import Decimal

from pydantic import Field

from .envelope import EventSpec, Payload
from .topics import LEDGER_GL_ENTRIES


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
