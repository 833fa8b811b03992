"""What follows every change of value, in the same transaction: the events others read and the item's status."""

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from inventory_contracts import ITEM_UNIT_COST_CHANGED_V1, VALUE_ENTRIES_POSTED_V1, Envelope

from costing.adapters.events import item_unit_cost_changed, value_entries_posted
from costing.domain.fifo import average_unit_cost
from costing.domain.model import ValueEntry
from costing.domain.ports import PublishedUnitCost, StoredValueEntry
from costing.service_layer.unit_of_work import CostingUnitOfWork


async def value_entries_written(
    uow: CostingUnitOfWork, item_nos: list[str], written: list[ValueEntry], cause: Envelope[Any] | None = None
) -> None:
    """Publish the value entries per item, mark the items' costs adjusted and publish a changed unit cost.

    Adjustment runs in the valuation's own transaction, so once it commits the item's costs are adjusted.
    """
    item_nos = list(dict.fromkeys([*item_nos, *(ve.item_ledger_entry.item_no for ve in written)]))
    await uow.publish_all([
        (VALUE_ENTRIES_POSTED_V1.topic, value_entries_posted(item_no, entries, cause))
        for item_no in item_nos
        for entries in [[ve for ve in written if ve.item_ledger_entry.item_no == item_no]] if entries
    ])
    await _adjusted(uow, dict.fromkeys(item_nos, cause))


async def value_entries_of_events_written(
    uow: CostingUnitOfWork, written: Sequence[tuple[Envelope[Any], str, list[ValueEntry]]]
) -> None:
    """`value_entries_written` for a batch of events, each (event, its item, what it wrote), in one go: the value
    entries of each event as its own message; status and unit cost once per item, set-based."""
    # An event of one item writes on another's entries when a cost is forwarded to an assembly output: each item's
    # value entries go under its own key, so that they stay in order with the rest of that item's.
    per_item = [(cause, item_no, entries) for cause, _, all_entries in written
                for item_no, entries in _by_item(all_entries).items()]
    await uow.publish_all([
        (VALUE_ENTRIES_POSTED_V1.topic, value_entries_posted(item_no, entries, cause))
        for cause, item_no, entries in per_item
    ])
    await _adjusted(uow, {item_no: cause for cause, item_no, _ in [*written, *per_item]})


def _by_item(entries: list[ValueEntry]) -> dict[str, list[ValueEntry]]:
    grouped: dict[str, list[ValueEntry]] = {}
    for entry in entries:
        grouped.setdefault(entry.item_ledger_entry.item_no, []).append(entry)
    return grouped


async def _adjusted(uow: CostingUnitOfWork, causes: dict[str, Envelope[Any] | None]) -> None:
    await uow.unit_costs.mark_adjusted(list(causes))
    await publish_unit_costs(uow, causes)


async def publish_unit_cost(uow: CostingUnitOfWork, item_no: str, cause: Envelope[Any] | None = None) -> None:
    await publish_unit_costs(uow, {item_no: cause})


async def publish_unit_costs(uow: CostingUnitOfWork, causes: dict[str, Envelope[Any] | None]) -> None:
    """Publish each item's unit cost on costing.item-costs.v1 when it differs from the one published last."""
    item_nos = sorted(causes)
    bases = await uow.unit_costs.unit_cost_bases(item_nos)
    published = await uow.unit_costs.published_unit_costs(item_nos)
    saved, events = [], []
    for item_no in item_nos:
        if (basis := bases.get(item_no)) is None:
            continue
        unit_cost = item_unit_cost(basis.costing_method, basis.standard_cost, basis.quantity, basis.value)
        last = published.get(item_no)
        if last is not None and last.unit_cost == unit_cost:
            continue
        sequence = last.sequence + 1 if last is not None else 1
        saved.append(PublishedUnitCost(item_no, unit_cost, sequence))
        events.append((ITEM_UNIT_COST_CHANGED_V1.topic, item_unit_cost_changed(
            item_no, basis.costing_method, unit_cost, basis.quantity, basis.value, sequence, causes[item_no],
        )))
    if saved:
        await uow.unit_costs.save_published_unit_costs(saved)
        await uow.publish_all(events)


def item_unit_cost(costing_method: str, standard_cost: Decimal, quantity: Decimal, value: Decimal) -> Decimal:
    """The standard cost for a Standard item, else the average of what is on hand (0 with nothing on hand)."""
    if costing_method == "Standard":
        return standard_cost
    return average_unit_cost(quantity, value) if quantity > 0 else Decimal(0)


async def published_value_entries(
    uow: CostingUnitOfWork, written: list[ValueEntry], item_nos: list[str] | None = None
) -> list[StoredValueEntry]:
    """What follows a request that wrote value entries: publish them (of `item_nos` too, for their unit cost), and
    read them back as stored."""
    items = list(dict.fromkeys([*(item_nos or []), *(ve.item_ledger_entry.item_no for ve in written)]))
    await value_entries_written(uow, items, written)
    return await uow.value_entries.value_entries_by_no([ve.entry_no for ve in written])
