"""Maps what costing writes to its events: value entries, unit costs and implemented standard costs."""

from collections.abc import Sequence
from typing import Any

from decimal import Decimal

from inventory_contracts import (
    ITEM_UNIT_COST_CHANGED_V1,
    STANDARD_COST_IMPLEMENTED_V1,
    VALUE_ENTRIES_POSTED_V1,
    Envelope,
    new_envelope,
)
from inventory_contracts.costing import ItemUnitCostChanged, StandardCostImplemented, ValueEntriesPosted
from inventory_contracts.costing import ValueEntry as ValueEntryEvent

from costing.domain.model import ValueEntry
from costing.domain.standard_cost import WorksheetLine


def value_entries_posted(
    item_no: str, entries: Sequence[ValueEntry], cause: Envelope[Any] | None = None
) -> Envelope[ValueEntriesPosted]:
    """`cause` is the event that caused the entries; None when a request to costing's API did."""
    payload = ValueEntriesPosted(
        item_no=item_no,
        value_entries=[
            ValueEntryEvent(
                entry_no=ve.entry_no,
                item_ledger_entry_no=ile.entry_no,
                item_ledger_entry_type=ile.entry_type,
                entry_type=ve.entry_type,
                posting_date=ve.posting_date,
                valuation_date=ve.valued_at,
                location_code=ile.location_code,
                variant_code=ile.variant_code,
                document_no=ile.document_no,
                valued_quantity=ve.valued_quantity,
                invoiced_quantity=ve.invoiced_quantity,
                cost_per_unit=ve.cost_per_unit,
                cost_amount_actual=ve.cost_amount_actual,
                cost_amount_expected=ve.cost_amount_expected,
                sales_amount_actual=ve.sales_amount_actual,
                adjustment=ve.adjustment,
                applies_to_entry=ve.applies_to_entry,
                inventory_posting_group=ile.inventory_posting_group,
                gen_prod_posting_group=ile.gen_prod_posting_group,
                gen_bus_posting_group=ile.gen_bus_posting_group,
                item_charge_no=ve.item_charge_no,
                variance_type=ve.variance_type,
                resource_no=ve.resource_no,
            )
            for ve in entries
            for ile in [ve.item_ledger_entry]
        ],
    )
    return new_envelope(
        VALUE_ENTRIES_POSTED_V1,
        payload,
        producer="costing",
        key=item_no,
        **_caused_by(cause),
    )


def item_unit_cost_changed(
    item_no: str, costing_method: str, unit_cost: Decimal, quantity: Decimal, value: Decimal, sequence: int,
    cause: Envelope[Any] | None = None,
) -> Envelope[ItemUnitCostChanged]:
    payload = ItemUnitCostChanged(
        item_no=item_no, costing_method=costing_method, unit_cost=unit_cost, quantity_on_hand=quantity,
        value_on_hand=value, sequence=sequence,
    )
    return new_envelope(ITEM_UNIT_COST_CHANGED_V1, payload, producer="costing", key=item_no, **_caused_by(cause))


def standard_cost_implemented(line: WorksheetLine, previous_standard_cost: Decimal) -> Envelope[StandardCostImplemented]:
    """`line` as implemented: it carries its implementation no. and posting date."""
    assert line.implementation_no is not None and line.posting_date is not None
    payload = StandardCostImplemented(
        item_no=line.item_no, standard_cost=line.new_standard_cost, previous_standard_cost=previous_standard_cost,
        posting_date=line.posting_date, implementation_no=line.implementation_no, worksheet_name=line.worksheet_name,
    )
    return new_envelope(STANDARD_COST_IMPLEMENTED_V1, payload, producer="costing", key=line.item_no)


def _caused_by(cause: Envelope[Any] | None) -> dict[str, Any]:
    return {} if cause is None else {"correlation_id": cause.correlation_id, "causation_id": cause.event_id}
