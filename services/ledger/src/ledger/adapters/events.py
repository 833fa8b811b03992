"""Maps integration events to the ledger's records and back."""

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from inventory_contracts import GL_ENTRIES_POSTED_V1, RECONCILIATION_DIFFERENCE_FOUND_V1, Envelope, new_envelope
from inventory_contracts.costing import ValueEntriesPosted
from inventory_contracts.costing import ValueEntry as ValueEntryMessage
from inventory_contracts.ledger import GLEntriesPosted, ReconciliationDifferenceFound
from inventory_contracts.ledger import GLEntry as GLEntryMessage

from ledger.domain.model import GLEntry, ReceivedValueEntry, ValueEntry
from ledger.domain.posting import ItemLedgerEntryType, ValueEntryType, VarianceType
from ledger.domain.reconciliation import ReconciliationLine


def value_entries_from_event(event: Envelope[ValueEntriesPosted]) -> list[ReceivedValueEntry]:
    return [
        received_value_entry(event.payload.item_no, message.model_dump(mode="json"), event.event_id, event.correlation_id)
        for message in event.payload.value_entries
    ]


def received_value_entry(
    item_no: str, payload: Mapping[str, Any], event_id: UUID, correlation_id: UUID | None
) -> ReceivedValueEntry:
    """A value entry from its message form, as received or as stored while it waited."""
    message = ValueEntryMessage.model_validate(payload)
    value_entry = ValueEntry(
        entry_no=message.entry_no,
        item_no=item_no,
        item_ledger_entry_type=ItemLedgerEntryType(message.item_ledger_entry_type.value),
        entry_type=ValueEntryType(message.entry_type.value),
        posting_date=message.posting_date,
        document_no=message.document_no,
        location_code=message.location_code,
        inventory_posting_group=message.inventory_posting_group,
        gen_bus_posting_group=message.gen_bus_posting_group,
        gen_prod_posting_group=message.gen_prod_posting_group,
        cost_amount_actual=message.cost_amount_actual,
        cost_amount_expected=message.cost_amount_expected,
        variance_type=None if message.variance_type is None else VarianceType(message.variance_type.value),
        resource_no=message.resource_no,
    )
    return ReceivedValueEntry(value_entry, event_id, correlation_id, payload)


def gl_entries_posted(
    register_no: int, item_no: str, entries: Sequence[GLEntry], cause: ReceivedValueEntry
) -> Envelope[GLEntriesPosted]:
    payload = GLEntriesPosted(
        register_no=register_no,
        item_no=item_no,
        gl_entries=[
            GLEntryMessage(
                entry_no=e.entry_no,
                account_no=e.account_no,
                posting_date=e.posting_date,
                document_no=e.document_no,
                description=e.description,
                amount=e.amount,
                value_entry_no=e.value_entry_no,
            )
            for e in entries
        ],
    )
    return new_envelope(
        GL_ENTRIES_POSTED_V1,
        payload,
        producer="ledger",
        key=item_no,
        correlation_id=cause.correlation_id,
        causation_id=cause.event_id,
    )


def reconciliation_difference_found(
    line: ReconciliationLine, value_entries: int, checked_at: datetime
) -> Envelope[ReconciliationDifferenceFound]:
    payload = ReconciliationDifferenceFound(
        account_no=line.account_no,
        interim=line.interim,
        inventory_value=line.inventory_value,
        gl_balance=line.gl_balance,
        difference=line.difference,
        value_entries=value_entries,
        checked_at=checked_at,
    )
    return new_envelope(RECONCILIATION_DIFFERENCE_FOUND_V1, payload, producer="ledger", key=line.account_no)
