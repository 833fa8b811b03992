"""Rebuild a lost costing database from the log: `inventory-costing-rebuild` (with costing stopped).

Costing's inputs are on the log (the item cards on catalog.items.v1, the inventory setup on
warehouse.inventory-setup.v1, every posting and invoice on warehouse.item-entries.v1), and so is what it made of them
(costing.value-entries.v1 and costing.standard-costs.v1, kept forever). The rebuild replays the inputs through the
use cases the consumers call, in the order costing first applied them, so that every derived table (cost layers and
applications, average-cost periods, item on hand, assembly inputs and outputs, invoice lines...) is what the normal
path makes of them, not a second derivation. The value entries already published say what that order was and what
came from costing's own API:

- A posting or invoice event takes its place by the numbers of the value entries it caused (their causation id); an
  event that caused none (a card, the setup, a refused entry) by the time it was published, except the oldest record
  left of each item card whose earlier revisions compaction removed, which goes before every step of its item, and
  such a record of the setup, which goes before every step.
- The value entries a request caused (no causation id) are replayed as that request at their place: an item charge
  (its shares, from its Direct Cost entries), a revaluation (the target each revalued entry was brought to, tried as
  a new value and as a new unit cost, and kept only when it writes the same entries) or an implementation of a
  standard cost worksheet (from costing.standard-costs.v1, by correlation id). A request costing refuses now
  writes nothing and is reported.
- Each replayed value entry takes the number of the first published one left of the step's of its item that says the
  same (number and applied-to entry aside), else of the first left of its item (then they differ), and is compared
  field by field with it. They, the unit costs and the implemented standard costs are not published again (their
  outbox rows are dropped; the last unit cost published per item is taken from costing.item-costs.v1). Value entries
  the lost database had not published yet are numbered after the last published and published: those of postings it
  had not valued, and a step's entries of an item none of whose entries of that step is on the log (each item's go in
  a message of their own, to its partition, and the others' may have reached the log alone).
  Every difference is reported, and the command then exits with code 1.
- The replayed events go into the inbox, and the consumer group's positions are set to the ends of the three
  topics as they were read, so costing goes on after them when it starts.

Limits: the item cards and the setup are compacted topics (the latest record per key, each kept for 7 days first):
the steps before the oldest record left of a card or of the setup are replayed with that record, not with the older
ones compaction removed, so a posting valued under a card (or setup) changed since is valued again with the changed
one; and a later card or setup change published while costing was valuing postings of its item is replayed at its
publishing time, which may be before the last of them that costing valued without it. A difference either makes is
reported.
What is configuration and not a fact of the log is lost: unimplemented standard cost worksheet lines, an item
charge's own document no. (its assignment rows take the charge no.), idempotency keys of past requests, the last
quantity differences reported (the reconciliation finds them again). A request whose value entries cannot be
reproduced, and requests sent with the same X-Correlation-ID, are reported as differences.
"""

import json
import logging
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, cast
from uuid import UUID

import asyncpg

from inventory_contracts import (
    INVENTORY_SETUP_CHANGED_V1,
    ITEM_ENTRY_INVOICED_V1,
    ITEM_ENTRY_POSTED_V1,
    ITEM_UNIT_COST_CHANGED_V1,
    ITEM_UPSERTED_V1,
    STANDARD_COST_IMPLEMENTED_V1,
    VALUE_ENTRIES_POSTED_V1,
    Envelope,
    EventRegistry,
)
from inventory_contracts.costing import StandardCostImplemented, ValueEntryType
from inventory_contracts.costing import ValueEntry as PublishedEntry
from inventory_contracts.topics import (
    CATALOG_ITEMS,
    COSTING_ITEM_COSTS,
    COSTING_STANDARD_COSTS,
    COSTING_VALUE_ENTRIES,
    WAREHOUSE_INVENTORY_SETUP,
    WAREHOUSE_ITEM_ENTRIES,
)
from inventory_contracts.warehouse import ItemEntryInvoiced, ItemEntryPosted
from servicekit import correlation
from servicekit.admin import initialise_databases
from servicekit.db import create_pool
from servicekit.errors import ServiceError
from servicekit.rebuild import RebuildError, commit_positions, read_topic, records, run_command

from costing.adapters.unit_of_work import PostgresCostingUnitOfWork
from costing.config import CostingSettings
from costing.domain.charges import ChargeSplit
from costing.domain.errors import CostingError
from costing.domain.standard_cost import WorksheetLine
from costing.entrypoints.consumers import on_inventory_setup_changed, on_item_upserted, repeated_item_entries
from costing.service_layer.publishing import publish_unit_costs, value_entries_written
from costing.service_layer.requests import post_item_charge, post_revaluation, post_standard_cost_changes
from costing.service_layer.standard_costs import ImplementStandardCostChanges
from costing.service_layer.unit_of_work import CostingUnitOfWork
from costing.service_layer.valuation import AssignItemCharge, ChargeLine, RevalueInventory, value_item_entries

log = logging.getLogger(__name__)

SCRATCH_NO = 9_000_000_000_000_000
"""Where a replayed step draws its value entry numbers before they are given the published ones: far above any
number in use, so that no number given back collides with one drawn."""

CONSUMED = {CATALOG_ITEMS: [ITEM_UPSERTED_V1], WAREHOUSE_INVENTORY_SETUP: [INVENTORY_SETUP_CHANGED_V1],
            WAREHOUSE_ITEM_ENTRIES: [ITEM_ENTRY_POSTED_V1, ITEM_ENTRY_INVOICED_V1]}

COMPARED = ("item_ledger_entry_no", "item_ledger_entry_type", "entry_type", "posting_date", "valuation_date",
            "location_code", "variant_code", "document_no", "valued_quantity", "invoiced_quantity", "cost_per_unit",
            "cost_amount_actual", "cost_amount_expected", "sales_amount_actual", "adjustment", "applies_to_entry",
            "inventory_posting_group", "gen_prod_posting_group", "gen_bus_posting_group", "item_charge_no",
            "variance_type", "resource_no")


class _Rejected(Exception):
    """A replay attempt wrote other entries than the published ones: its savepoint is rolled back."""


class StepKind(StrEnum):
    EVENT = "event"
    CHARGE = "item charge"
    REVALUATION = "revaluation"
    IMPLEMENTATION = "standard cost implementation"
    UNKNOWN = "unknown"
    """Value entries no event or request on the log explains: reported, not rebuilt."""


@dataclass
class Step:
    """One thing costing applied: a consumed event, or a request to its API (known by what it published)."""

    at: datetime
    kind: StepKind
    published: list[tuple[str, PublishedEntry]] = field(default_factory=list)
    """(item no., value entry) as published, by number."""
    event: Envelope[Any] | None = None
    record: Any = None
    implementations: list[StandardCostImplemented] = field(default_factory=list)
    correlation_id: UUID | None = None

    @property
    def first_no(self) -> int | None:
        return self.published[0][1].entry_no if self.published else None


@dataclass
class Rebuilt:
    events: int = 0
    requests: int = 0
    value_entries: int = 0
    unpublished_value_entries: int = 0
    refused_events: int = 0
    differences: list[str] = field(default_factory=list)


async def rebuild(settings: CostingSettings, admin_database_url: str | None = None) -> Rebuilt:
    """Replay the log into an empty costing database (created and migrated when missing, given the server's admin
    URL) and set costing's consumer group after what was replayed."""
    await initialise_databases(admin_database_url or settings.database_url, {"costing": settings.database_url})
    pool = await create_pool(settings.database_url, max_size=2)
    try:
        async with pool.acquire() as conn:
            held = [table for table in ("items", "inventory_setup", "item_ledger_entries", "value_entries", "outbox", "inbox")
                    if await conn.fetchval(f"SELECT EXISTS (SELECT 1 FROM {table})")]
        if held:
            raise RebuildError(f"the costing database already holds {', '.join(held)}: rebuild only into a new, empty one")
        consumed, ends = await _consumed(settings)
        differences: list[str] = []
        steps = _ordered(consumed, await _published(settings), await _implementations(settings), differences)
        done = await _replay(pool, steps)
        done.differences[:0] = differences
        await _publish_unit_costs_as_on_the_log(pool, settings)
    finally:
        await pool.close()
    await commit_positions(settings, ends)
    log.info("costing rebuilt: %d events, %d requests, %d value entries (%d not published before), %d differences",
             done.events, done.requests, done.value_entries, done.unpublished_value_entries, len(done.differences))
    return done


# reading the log -----------------------------------------------------------------------------------------------


async def _consumed(settings: CostingSettings) -> tuple[list[tuple[Any, Envelope[Any]]], dict[Any, int]]:
    found, ends = [], {}
    for topic, specs in CONSUMED.items():
        registry = EventRegistry(specs)
        read, end = await read_topic(settings, settings.topic(topic))
        ends.update(end)
        for record in read:
            try:
                found.append((record, registry.parse(record.value or b"")))
            except Exception as exc:  # costing dead-lettered it when it came: it changed nothing
                log.warning("skipping %s@%s:%s: %s", record.topic, record.partition, record.offset, exc)
    return found, ends


async def _published(settings: CostingSettings) -> list[Envelope[Any]]:
    registry = EventRegistry([VALUE_ENTRIES_POSTED_V1])
    return [registry.parse(record.value) for record in await records(settings, settings.topic(COSTING_VALUE_ENTRIES))]


async def _implementations(settings: CostingSettings) -> list[Envelope[Any]]:
    registry = EventRegistry([STANDARD_COST_IMPLEMENTED_V1])
    return [registry.parse(record.value) for record in await records(settings, settings.topic(COSTING_STANDARD_COSTS))]


def _ordered(consumed: Sequence[tuple[Any, Envelope[Any]]], published: Sequence[Envelope[Any]],
             implementations: Sequence[Envelope[Any]], differences: list[str]) -> list[Step]:
    """The steps in the order costing applied them: those that wrote value entries by their numbers, the others
    by time among them."""
    by_cause: dict[UUID, list[Envelope[Any]]] = {}
    by_request: dict[UUID | None, list[Envelope[Any]]] = {}
    seen: dict[int, tuple[str, tuple[Any, ...]]] = {}
    for message in published:
        # A value entry published twice (by a relay that crashed before it marked it sent) counts once.
        fresh = []
        for ve in message.payload.value_entries:
            said = (message.payload.item_no, _signature(ve))
            if ve.entry_no not in seen:
                seen[ve.entry_no] = said
                fresh.append(ve)
            elif seen[ve.entry_no] != said:
                differences.append(f"value entry {ve.entry_no} is on the log twice, saying different things: "
                                   f"{seen[ve.entry_no]} and {said}; the first is rebuilt")
        if not fresh:
            continue
        message = message.model_copy(update={"payload": message.payload.model_copy(update={"value_entries": fresh})})
        if message.causation_id is not None:
            by_cause.setdefault(message.causation_id, []).append(message)
        else:
            by_request.setdefault(message.correlation_id, []).append(message)

    steps: list[Step] = []
    seen_events: set[UUID] = set()
    for record, event in consumed:
        if event.event_id in seen_events:
            continue
        seen_events.add(event.event_id)
        caused = by_cause.pop(event.event_id, [])
        steps.append(Step(_at(caused) or event.occurred_at, StepKind.EVENT, _entries(caused), event=event, record=record))
    implemented: dict[UUID | None, list[Envelope[Any]]] = {}
    for message in implementations:
        implemented.setdefault(message.correlation_id, []).append(message)
    for correlation_id, messages in by_request.items():
        done = implemented.pop(correlation_id, []) if correlation_id is not None else []
        entries = _entries(messages)
        primary = [ve for _, ve in entries if not ve.adjustment]
        kind = (StepKind.IMPLEMENTATION if done else StepKind.CHARGE if any(ve.item_charge_no for ve in primary)
                else StepKind.REVALUATION if any(ve.entry_type == ValueEntryType.REVALUATION for ve in primary)
                else StepKind.UNKNOWN)
        steps.append(Step(_at(messages) or datetime.now(UTC), kind, entries, correlation_id=correlation_id,
                          implementations=[m.payload for m in done]))
    for correlation_id, done in implemented.items():  # nothing was on hand to revalue
        steps.append(Step(min(m.occurred_at for m in done), StepKind.IMPLEMENTATION, correlation_id=correlation_id,
                          implementations=[m.payload for m in done]))
    for cause, messages in by_cause.items():  # caused by an event no longer on its topic
        steps.append(Step(_at(messages) or datetime.now(UTC), StepKind.UNKNOWN, _entries(messages)))

    valued = sorted((s for s in steps if s.published), key=lambda s: s.first_no or 0)
    unvalued = sorted((s for s in steps if not s.published), key=lambda s: _utc(s.at))
    ordered: list[Step] = []
    for step in valued:
        while unvalued and _utc(unvalued[0].at) <= _utc(step.at):
            ordered.append(unvalued.pop(0))
        ordered.append(step)
    return _oldest_cards_first(ordered + unvalued)


def _oldest_cards_first(steps: list[Step]) -> list[Step]:
    """The oldest record left of each item card and of the inventory setup, when compaction removed the ones before
    it (its revision is not the first), goes before every step of its item (the setup's before every step): it is all
    that is left of the records costing valued those steps with, and may be newer than them. A first revision, and
    every later record, keeps its place."""
    first_of_item: dict[str, int] = {}
    for place, step in enumerate(steps):
        for item_no in _items_of(step):
            first_of_item.setdefault(item_no, place)
    seen: set[tuple[str, str]] = set()
    places: list[tuple[float, int]] = []
    for place, step in enumerate(steps):
        key = _compacted_key(step)
        moved: float = place
        if key is not None and key not in seen:
            seen.add(key)
            if step.event is not None and step.event.payload.revision <= 1:
                places.append((moved, place))
                continue
            moved = -1 if key[0] == INVENTORY_SETUP_CHANGED_V1.type else min(place, first_of_item.get(key[1], place) - 0.5)
        places.append((moved, place))
    return [steps[place] for _, place in sorted(places)]


def _compacted_key(step: Step) -> tuple[str, str] | None:
    if step.event is None:
        return None
    if step.event.type == ITEM_UPSERTED_V1.type:
        return ITEM_UPSERTED_V1.type, step.event.payload.item_no
    if step.event.type == INVENTORY_SETUP_CHANGED_V1.type:
        return INVENTORY_SETUP_CHANGED_V1.type, ""
    return None


def _items_of(step: Step) -> set[str]:
    """The items whose card a step is valued with."""
    items = {item_no for item_no, _ in step.published} | {line.item_no for line in step.implementations}
    if step.event is not None and isinstance(step.event.payload, ItemEntryPosted | ItemEntryInvoiced):
        items.add(step.event.payload.item_no)
    return items


def _entries(messages: Sequence[Envelope[Any]]) -> list[tuple[str, PublishedEntry]]:
    return sorted(((m.payload.item_no, ve) for m in messages for ve in m.payload.value_entries),
                  key=lambda found: found[1].entry_no)


def _at(messages: Sequence[Envelope[Any]]) -> datetime | None:
    return min((m.occurred_at for m in messages), default=None, key=_utc)


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# replaying -----------------------------------------------------------------------------------------------------


async def _replay(pool: asyncpg.Pool, steps: Sequence[Step]) -> Rebuilt:
    done = Rebuilt()
    fresh_no = max((s.published[-1][1].entry_no for s in steps if s.published), default=0) + 1
    for step in steps:
        async with pool.acquire() as conn, conn.transaction():
            uow = cast(CostingUnitOfWork, PostgresCostingUnitOfWork(conn))
            outbox_before = await conn.fetchval("SELECT coalesce(max(id), 0) FROM outbox")
            base = SCRATCH_NO if step.published else fresh_no
            await conn.execute("SELECT setval('value_entry_no', $1, false)", base)
            refused = await _apply(uow, conn, step, done)
            await uow.cost_graph.flush()
            written = [row["entry_no"] for row in
                       await conn.fetch("SELECT entry_no FROM value_entries WHERE entry_no >= $1 ORDER BY entry_no", base)]
            if step.published and step.kind != StepKind.UNKNOWN:  # an unknown one is reported as such, written or not
                fresh_no = await _give_published_numbers(conn, step, written, fresh_no, done, outbox_before)
            else:
                done.unpublished_value_entries += len(written)
                fresh_no = max([fresh_no, *(no + 1 for no in written)])
            # What the log already has of the unit costs and standard costs is not published again.
            await conn.execute("DELETE FROM outbox WHERE id > $1 AND topic = ANY($2::text[])", outbox_before,
                               [COSTING_ITEM_COSTS, COSTING_STANDARD_COSTS])
            if step.record is not None and step.event is not None:
                await conn.execute(
                    "INSERT INTO inbox (event_id, topic, kafka_partition, kafka_offset, dead_lettered) "
                    "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (event_id) DO NOTHING",
                    str(step.event.event_id), step.record.topic, step.record.partition, step.record.offset, refused,
                )
        if step.kind != StepKind.UNKNOWN:
            done.value_entries += len(step.published)
    async with pool.acquire() as conn:
        await conn.execute("SELECT setval('value_entry_no', $1, false)", fresh_no)
    return done


async def _apply(uow: CostingUnitOfWork, conn: asyncpg.Connection, step: Step, done: Rebuilt) -> bool:
    """Apply the step as costing did; True when costing refuses it (as it did then: it was dead-lettered)."""
    if step.event is not None:
        done.events += 1
        with correlation.handling_event(step.event):
            return await _apply_event(uow, step.event, done)
    done.requests += 1
    if step.kind == StepKind.UNKNOWN:
        done.differences.append(f"value entries {_numbers(step)} came from no event or request known here: "
                                "they are not rebuilt")
        return False
    with correlation.correlated(step.correlation_id):
        try:
            async with uow.savepoint():
                if step.kind == StepKind.CHARGE:
                    await post_item_charge(uow, _charge(step))
                elif step.kind == StepKind.REVALUATION:
                    await _revalue(uow, step, done)
                else:
                    await _implement(uow, conn, step, done)
        except ServiceError as exc:  # costing refuses it now: it writes nothing, the rest goes on
            done.differences.append(f"the {step.kind} of correlation id {step.correlation_id} (value entries "
                                    f"{_numbers(step) or 'none'}) was refused when replayed: {exc}")
    return False


async def _apply_event(uow: CostingUnitOfWork, event: Envelope[Any], done: Rebuilt) -> bool:
    if isinstance(event.payload, ItemEntryPosted | ItemEntryInvoiced):
        if await repeated_item_entries(uow, [event]):
            return False
        try:
            async with uow.savepoint():
                (written,) = await value_item_entries(uow, [event.payload])
                await value_entries_written(uow, [event.payload.item_no], written, event)
        except CostingError as exc:
            done.refused_events += 1
            log.info("event %s refused, as it was when it came: %s", event.event_id, exc)
            return True
    elif event.type == ITEM_UPSERTED_V1.type:
        await on_item_upserted(uow, event)
    else:
        await on_inventory_setup_changed(uow, event)
    return False


def _charge(step: Step) -> AssignItemCharge:
    """The charge as its Direct Cost entries show it: each receipt's share, in the order they were written."""
    shares = [ve for _, ve in step.published if not ve.adjustment and ve.item_charge_no and ve.entry_type == ValueEntryType.DIRECT_COST]
    amounts = [ve.cost_amount_actual + ve.cost_amount_expected for ve in shares]
    charge_no = shares[0].item_charge_no or ""
    return AssignItemCharge(charge_no, charge_no, shares[0].posting_date, sum(amounts, Decimal(0)), ChargeSplit.BY_WEIGHT,
                            tuple(ChargeLine(ve.item_ledger_entry_no, weight=abs(amount))
                                  for ve, amount in zip(shares, amounts, strict=True)))


async def _revalue(uow: CostingUnitOfWork, step: Step, done: Rebuilt) -> None:
    """A revaluation request, found again from what it wrote: what each revalued entry was brought to is its value
    then (seen by revaluing to zero, undone) plus its Revaluation entry; a new value or unit cost giving those targets
    is the request."""
    primary = [(item_no, ve) for item_no, ve in step.published if not ve.adjustment and ve.entry_type == ValueEntryType.REVALUATION]
    item_no, first = primary[0]
    at = first.posting_date
    current: dict[int, tuple[Decimal, Decimal]] = {}
    try:
        async with uow.savepoint():
            for probe in await post_revaluation(uow, RevalueInventory(item_no, at, new_unit_cost=Decimal(0))):
                if not probe.adjustment and probe.entry_type == ValueEntryType.REVALUATION:
                    current[probe.item_ledger_entry_no] = (-(probe.cost_amount_actual + probe.cost_amount_expected),
                                                           probe.valued_quantity)
            raise _Rejected
    except _Rejected:
        pass
    revalued = {ve.item_ledger_entry_no: ve.cost_amount_actual + ve.cost_amount_expected for _, ve in primary}
    targets = {no: value + revalued.get(no, Decimal(0)) for no, (value, _) in current.items()}
    for no, amount in revalued.items():
        targets.setdefault(no, amount)
    candidates = [RevalueInventory(item_no, at, new_value=sum(targets.values(), Decimal(0)))]
    for _, ve in primary:
        quantity = ve.valued_quantity or current.get(ve.item_ledger_entry_no, (Decimal(0), Decimal(0)))[1]
        if quantity:
            unit_cost = (targets[ve.item_ledger_entry_no] / quantity).quantize(Decimal("0.00001"))
            candidates.append(RevalueInventory(item_no, at, new_unit_cost=unit_cost))
            if len(primary) == 1:
                candidates.append(RevalueInventory(item_no, at, new_unit_cost=unit_cost, item_ledger_entry_no=ve.item_ledger_entry_no))
    if len(primary) == 1:
        candidates.append(RevalueInventory(item_no, at, new_value=targets[first.item_ledger_entry_no],
                                           item_ledger_entry_no=first.item_ledger_entry_no))
    expected = [_signature(ve, numbered=False) for _, ve in step.published]
    for candidate in candidates:
        try:
            async with uow.savepoint():
                written = await post_revaluation(uow, candidate)
                if [_signature(ve, numbered=False) for ve in written] != expected:
                    raise _Rejected
            return
        except (_Rejected, CostingError):
            continue
    done.differences.append(f"the revaluation of item {item_no} on {at} (value entries {_numbers(step)}) could not be "
                            "reproduced: it is replayed as a new value of what it revalued")
    await post_revaluation(uow, candidates[0])


async def _implement(uow: CostingUnitOfWork, conn: asyncpg.Connection, step: Step, done: Rebuilt) -> None:
    lines = sorted(step.implementations, key=lambda line: line.implementation_no)
    worksheet, at = lines[0].worksheet_name, lines[0].posting_date
    await uow.worksheets.save_lines([WorksheetLine(worksheet, line.item_no, line.previous_standard_cost, line.standard_cost)
                                     for line in lines])
    await conn.execute("SELECT setval('standard_cost_implementation_nos', $1, false)", lines[0].implementation_no)
    try:
        implemented, _ = await post_standard_cost_changes(uow, ImplementStandardCostChanges(worksheet, at))
    finally:  # a sequence is not rolled back: the numbers published stay used, refused or not
        await conn.execute(
            "SELECT setval('standard_cost_implementation_nos', GREATEST($1, (SELECT last_value FROM standard_cost_implementation_nos)))",
            max(line.implementation_no for line in lines),
        )
    if [(line.item_no, line.implementation_no) for line in implemented.lines] != [(line.item_no, line.implementation_no)
                                                                                for line in lines]:
        done.differences.append(f"the implementation of standard cost worksheet {worksheet} on {at} was replayed as "
                                f"{[(line.item_no, line.implementation_no) for line in implemented.lines]}")


async def _give_published_numbers(conn: asyncpg.Connection, step: Step, written: list[int], fresh_no: int,
                                  done: Rebuilt, outbox_before: int) -> int:
    """Number the step's value entries as the published ones they match, and compare them.

    A written entry takes the number of the first published one left of its item that says the same (its number and
    applied-to entry aside); those still left are paired by item in the order both were written (a difference). The
    value entries of an item with none published (its message had not reached the log: messages go per item, to
    different partitions) take new numbers and are published; the rest of an item that was published are not."""
    rows = await conn.fetch("SELECT * FROM value_entries WHERE entry_no = ANY($1::bigint[]) ORDER BY entry_no", written)
    numbers = _paired([(row["entry_no"], row["item_no"], _signature(row, numbered=False)) for row in rows], step.published)
    published_items = {item_no for item_no, _ in step.published}
    extra: list[int] = []
    unpublished: list[int] = []
    for row in rows:
        if row["entry_no"] not in numbers:
            numbers[row["entry_no"]] = fresh_no
            (extra if row["item_no"] in published_items else unpublished).append(row["entry_no"])
            fresh_no += 1
    if numbers:
        await conn.execute(
            "UPDATE value_entries v SET applies_to_entry = m.new FROM unnest($1::bigint[], $2::bigint[]) AS m (old, new) "
            "WHERE v.applies_to_entry = m.old", list(numbers), list(numbers.values()))
        await conn.execute(
            "UPDATE value_entries v SET entry_no = m.new FROM unnest($1::bigint[], $2::bigint[]) AS m (old, new) "
            "WHERE v.entry_no = m.old", list(numbers), list(numbers.values()))
    renumbered = {row["entry_no"]: row for row in await conn.fetch(
        "SELECT * FROM value_entries WHERE entry_no = ANY($1::bigint[])", list(numbers.values()))}
    for item_no, ve in step.published:
        row = renumbered.get(ve.entry_no)
        if row is None:
            done.differences.append(f"value entry {ve.entry_no} of item {item_no} was not written again")
        elif row["item_no"] != item_no or _signature(row) != _signature(ve):
            done.differences.append(f"value entry {ve.entry_no} of item {item_no} differs: published "
                                    f"{_signature(ve)}, rebuilt {_signature(row)}")
    for no in extra:
        done.differences.append(f"value entry {numbers[no]} of item {renumbered[numbers[no]]['item_no']} "
                                f"({_signature(renumbered[numbers[no]])}) was written again but never published before; "
                                "it is not published")
    done.unpublished_value_entries += len(unpublished)
    await _publish_what_the_log_lacks(conn, outbox_before, published_items, numbers)
    return fresh_no


def _paired(written: Sequence[tuple[int, str, tuple[Any, ...]]], published: Sequence[tuple[str, PublishedEntry]]) -> dict[int, int]:
    """The published number of each written (number, item no., unnumbered signature) that one is found for: the first
    left of its item that says the same, else the first left of its item."""
    left, numbers = list(published), dict[int, int]()
    for by_content in (True, False):
        for no, item_no, said in written:
            if no not in numbers:
                found = next((n for n, (published_item, ve) in enumerate(left) if published_item == item_no and (
                    not by_content or _signature(ve, numbered=False) == said)), None)
                if found is not None:
                    numbers[no] = left.pop(found)[1].entry_no
    return numbers


async def _publish_what_the_log_lacks(conn: asyncpg.Connection, outbox_before: int, published_items: set[str],
                                      numbers: dict[int, int]) -> None:
    """Drop the step's value entry messages of the items already on the log; the others' entries take their new numbers."""
    registry = EventRegistry([VALUE_ENTRIES_POSTED_V1])
    for row in await conn.fetch("SELECT id, value FROM outbox WHERE id > $1 AND topic = $2", outbox_before, COSTING_VALUE_ENTRIES):
        message = registry.parse(row["value"])
        if message.payload.item_no in published_items:
            await conn.execute("DELETE FROM outbox WHERE id = $1", row["id"])
        else:
            await conn.execute("UPDATE outbox SET value = $2 WHERE id = $1", row["id"],
                               _renumbered(message, numbers).model_dump_json().encode())


def _renumbered(message: Envelope[Any], numbers: dict[int, int]) -> Envelope[Any]:
    def number(no: int | None) -> int | None:
        return None if no is None else numbers.get(no, no)

    entries = [ve.model_copy(update={"entry_no": number(ve.entry_no), "applies_to_entry": number(ve.applies_to_entry)})
               for ve in message.payload.value_entries]
    return message.model_copy(update={"payload": message.payload.model_copy(update={"value_entries": entries})})


def _signature(entry: Any, *, numbered: bool = True) -> tuple[Any, ...]:
    """What a value entry says, alike whether read from the table, as stored or as published."""
    values = []
    for name in COMPARED:
        if name == "applies_to_entry" and not numbered:
            continue
        value = entry[name] if isinstance(entry, asyncpg.Record) else getattr(entry, name)
        values.append(value if value is None or isinstance(value, Decimal | bool | int | date) else str(value))
    return tuple(values)


def _numbers(step: Step) -> str:
    return ", ".join(str(ve.entry_no) for _, ve in step.published)


async def _publish_unit_costs_as_on_the_log(pool: asyncpg.Pool, settings: CostingSettings) -> None:
    """The last unit cost published per item is the one costing.item-costs.v1 holds; one that differs from the
    rebuilt unit cost (the lost database had not published it yet) is published."""
    registry = EventRegistry([ITEM_UNIT_COST_CHANGED_V1])
    latest: dict[str, Any] = {}
    for record in await records(settings, settings.topic(COSTING_ITEM_COSTS)):
        payload = registry.parse(record.value).payload
        if payload.item_no not in latest or payload.sequence >= latest[payload.item_no].sequence:
            latest[payload.item_no] = payload
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("DELETE FROM item_unit_costs")
        await conn.executemany("INSERT INTO item_unit_costs (item_no, unit_cost, sequence) VALUES ($1, $2, $3)",
                               [(p.item_no, p.unit_cost, p.sequence) for p in latest.values()])
        uow = cast(CostingUnitOfWork, PostgresCostingUnitOfWork(conn))
        await publish_unit_costs(uow, dict.fromkeys([row["item_no"] for row in await conn.fetch("SELECT item_no FROM items")]))


def main() -> None:
    settings = CostingSettings.from_environment()
    rebuilt = run_command(lambda admin_database_url: rebuild(settings, admin_database_url))
    print(json.dumps({k: v for k, v in rebuilt.__dict__.items() if k != "differences"} | {"differences": len(rebuilt.differences)}))
    if rebuilt.differences:
        for difference in rebuilt.differences:
            print(f"DIFFERENCE: {difference}", file=sys.stderr)
        print(f"costing was rebuilt with {len(rebuilt.differences)} differences from what it had published: "
              "check them before starting costing", file=sys.stderr)
        raise SystemExit(1)


if __name__ == "__main__":
    main()
