"""Invariants of the whole valuation, on any backend (tests/reference/backends.py).

A small model of the warehouse turns random sequences of operations into the events it would post
(receipts invoiced at once or later at another price, sales and shipments, returns of sales and purchase
returns fixed-applied to their receipt, transfers, item charges, revaluations, postings dated in any order) and decides
the applications by the method. After each sequence: zero quantity means zero value, inbound cost = outbound cost +
remaining value, and the value of what remains matches the method's definition. Sales of more than is on hand
(negative inventory) wait for the purchases that cover them; what is still short at the end is bought last. Inventory
periods close as the operations go on: nothing is posted on a closed date, adjustments included.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import asyncpg
from hypothesis import strategies as st

from inventory_contracts.catalog import CostingMethod
from inventory_contracts.warehouse import (
    AverageCostCalcType,
    AverageCostPeriod,
    InventorySetupChanged,
    ItemApplication,
    ItemEntryInvoiced,
    ItemEntryPosted,
    ItemLedgerEntryType,
)

from costing.adapters.memory import InMemoryCostGraph
from costing.domain.charges import ChargeSplit
from costing.domain.engine import AssignItemCharge, ChargeLine, RevalueInventory
from costing.domain.errors import InvalidRevaluationError
from costing.domain.inbound import CostSetup

from .backends import Backend, MemoryBackend, PostgresBackend, check_value_entries_are_never_rewritten

D = Decimal
ITEM = "PROP"
START = date(2025, 3, 3)
CENT = D("0.01")
KINDS = ("buy", "buy", "sell", "sell", "oversell", "invoice", "return", "send back", "transfer", "charge", "revalue", "close")
"""`oversell`: a sale of more than is on hand (negative inventory), which later purchases at its location cover.
`close`: the inventory period closes through the day before the operation's date; nothing is posted before it from then on."""
Operation = tuple[str, int, int, int]

PER_LOCATION_MONTH = InventorySetupChanged(
    revision=1, average_cost_period=AverageCostPeriod.MONTH, average_cost_calc_type=AverageCostCalcType.ITEM_LOCATION_VARIANT
)


def operations(min_size: int = 1, max_size: int = 24) -> st.SearchStrategy[list[Operation]]:
    return st.lists(
        st.tuples(st.sampled_from(KINDS), st.integers(0, 10**6), st.integers(0, 9), st.integers(100, 5000)),
        min_size=min_size, max_size=max_size,
    )


@dataclass
class OpenEntry:
    entry_no: int
    location: str
    remaining: Decimal
    serial: str = ""


@dataclass
class Warehouse:
    """Decides what the warehouse would: entry numbers, applications by the method, what is left to invoice or return."""

    method: CostingMethod
    next_no: int = 1
    open: list[OpenEntry] = field(default_factory=list)
    uninvoiced: dict[int, tuple[Decimal, bool]] = field(default_factory=dict)
    """Entry no. -> (quantity left to invoice, is a receipt)."""
    returnable: dict[int, tuple[str, list[tuple[int, Decimal, str]]]] = field(default_factory=dict)
    """Sale entry no. -> (location, what it took: inbound entry, quantity, serial) not yet returned."""
    purchases: list[int] = field(default_factory=list)
    waiting: list[list[Any]] = field(default_factory=list)
    """[sale entry no., location, quantity no inbound entry covers yet], in entry order."""

    def number(self) -> int:
        self.next_no += 1
        return self.next_no - 1

    def on_hand(self, location: str) -> Decimal:
        return sum((e.remaining for e in self.open if e.location == location), D(0))

    def take(self, location: str, quantity: Decimal, pick: int) -> list[tuple[int, Decimal, str]]:
        candidates = [e for e in self.open if e.location == location and e.remaining > 0]
        if self.method == CostingMethod.LIFO:
            candidates.reverse()
        elif self.method == CostingMethod.SPECIFIC:
            candidates = candidates[pick % len(candidates):] + candidates[: pick % len(candidates)]
        taken = []
        for entry in candidates:
            if quantity == 0:
                break
            part = min(entry.remaining, quantity)
            entry.remaining -= part
            quantity -= part
            taken.append((entry.entry_no, part, entry.serial))
        assert quantity == 0
        return taken

    def cover(self, location: str, inbound_entry_no: int, quantity: Decimal) -> list[tuple[int, Decimal]]:
        """What a new inbound entry at the location gives the sales waiting there first: (sale, quantity)."""
        covered = []
        for waiting in self.waiting:
            if quantity == 0:
                break
            if waiting[1] != location or waiting[2] == 0:
                continue
            part = min(waiting[2], quantity)
            waiting[2] -= part
            quantity -= part
            covered.append((waiting[0], part))
        self.waiting = [w for w in self.waiting if w[2] > 0]
        return covered


def posted(no: int, entry_type: ItemLedgerEntryType, quantity: Decimal, day: date, location: str, **more: Any) -> ItemEntryPosted:
    return ItemEntryPosted(
        entry_no=no, item_no=ITEM, location_code=location, posting_date=day, entry_type=entry_type, document_no=f"D{no}",
        quantity=quantity, costing_method=more.pop("method"), inventory_posting_group="RESALE", gen_prod_posting_group="RETAIL",
        recorded_at=datetime.now(UTC), **more,
    )


async def play(
    backend: Backend, method: CostingMethod, steps: list[Operation], indirect: bool, setup: InventorySetupChanged | None = None
) -> None:
    if setup is not None:
        await backend.set_inventory_setup(setup)
    standard_cost = D("25.00")
    await backend.set_item(CostSetup(ITEM, method, standard_cost=standard_cost, indirect_cost_pct=D(10) if indirect else D(0)))
    wh = Warehouse(method)
    current = setup or InventorySetupChanged(revision=1)
    closes: list[tuple[int, date]] = []
    """(value entries written before it, the first open date from then on)"""
    for kind, r, day_offset, amount in steps:
        day = START + timedelta(days=day_offset)
        if closes:
            day = max(day, closes[-1][1])
        cost = D(amount) / 100
        locations = [loc for loc in ("MAIN", "EAST") if wh.on_hand(loc) > 0]
        if kind == "buy" or (kind in ("sell", "transfer") and not locations):
            no = wh.number()
            quantity = D(1) if method == CostingMethod.SPECIFIC else D(1 + r % 8)
            location = "MAIN" if r % 3 else "EAST"
            receipt = (r // 7) % 2 == 1
            covered = wh.cover(location, no, quantity)
            await backend.post(posted(no, ItemLedgerEntryType.PURCHASE, quantity, day, location, method=method,
                                      unit_cost=cost, invoiced_quantity=D(0) if receipt else None,
                                      applications=[ItemApplication(inbound_entry_no=no, outbound_entry_no=sale, quantity=q)
                                                    for sale, q in covered]))
            left = quantity - sum((q for _, q in covered), D(0))
            wh.open.append(OpenEntry(no, location, left, f"SN{no}" if method == CostingMethod.SPECIFIC else ""))
            wh.purchases.append(no)
            if receipt:
                wh.uninvoiced[no] = (quantity, True)
        elif kind == "sell":
            location = locations[r % len(locations)]
            quantity = D(1 + r % int(wh.on_hand(location)))
            shipment = (r // 11) % 2 == 1
            no = wh.number()
            taken = wh.take(location, quantity, r)
            await backend.post(posted(
                no, ItemLedgerEntryType.SALE, -quantity, day, location, method=method,
                invoiced_quantity=D(0) if shipment else None,
                applications=[ItemApplication(inbound_entry_no=i, outbound_entry_no=no, quantity=q) for i, q, _ in taken],
            ))
            if shipment:
                wh.uninvoiced[no] = (quantity, False)
            else:
                wh.returnable[no] = (location, taken)
        elif kind == "oversell" and method != CostingMethod.SPECIFIC:
            location = "MAIN" if r % 3 else "EAST"
            short = D(1 + r % 4)
            on_hand = wh.on_hand(location)
            no = wh.number()
            taken = wh.take(location, on_hand, r) if on_hand else []
            await backend.post(posted(
                no, ItemLedgerEntryType.SALE, -(on_hand + short), day, location, method=method,
                applications=[ItemApplication(inbound_entry_no=i, outbound_entry_no=no, quantity=q) for i, q, _ in taken],
            ))
            wh.waiting.append([no, location, short])
        elif kind == "close":
            current = current.model_copy(update={"revision": current.revision + 1, "closed_through": day - timedelta(days=1)})
            await backend.set_inventory_setup(current)
            closes.append((len(backend.written), day))
        elif kind == "invoice" and wh.uninvoiced:
            entry_no = sorted(wh.uninvoiced)[r % len(wh.uninvoiced)]
            left, is_receipt = wh.uninvoiced[entry_no]
            quantity = D(1 + r % int(left))
            await backend.invoice(ItemEntryInvoiced(
                item_no=ITEM, item_ledger_entry_no=entry_no, document_no=f"INV{r}", posting_date=day, invoiced_quantity=quantity,
                unit_cost=cost if is_receipt else None, sales_amount=None if is_receipt else cost * quantity,
                recorded_at=datetime.now(UTC),
            ))
            if left == quantity:
                del wh.uninvoiced[entry_no]
            else:
                wh.uninvoiced[entry_no] = (left - quantity, is_receipt)
        elif kind == "return" and any(taken for _, taken in wh.returnable.values()):
            sale_no = [n for n, (_, taken) in sorted(wh.returnable.items()) if taken][r % sum(1 for _, t in wh.returnable.values() if t)]
            location, taken = wh.returnable[sale_no]
            inbound, part, serial = taken[0]
            quantity = D(1)
            taken[0] = (inbound, part - quantity, serial)
            if taken[0][1] == 0:
                taken.pop(0)
            no = wh.number()
            await backend.post(posted(no, ItemLedgerEntryType.SALE, quantity, day, location, method=method,
                                                applies_from_entry=sale_no))
            wh.open.append(OpenEntry(no, location, quantity, serial))
        elif kind == "send back" and (returnable := [e for e in wh.open if e.entry_no in wh.purchases and e.remaining > 0]):
            receipt = returnable[r % len(returnable)]
            quantity = D(1 + r % int(receipt.remaining)) if receipt.remaining >= 1 else receipt.remaining
            receipt.remaining -= quantity
            no = wh.number()
            await backend.post(posted(
                no, ItemLedgerEntryType.PURCHASE, -quantity, day, receipt.location, method=method, applies_to_entry=receipt.entry_no,
                applications=[ItemApplication(inbound_entry_no=receipt.entry_no, outbound_entry_no=no, quantity=quantity)],
            ))
        elif kind == "transfer":
            source = locations[r % len(locations)]
            target = "EAST" if source == "MAIN" else "MAIN"
            quantity = D(1) if method == CostingMethod.SPECIFIC else D(1 + r % int(wh.on_hand(source)))
            out_no = wh.number()
            taken = wh.take(source, quantity, r)
            await backend.post(posted(
                out_no, ItemLedgerEntryType.TRANSFER, -quantity, day, source, method=method,
                applications=[ItemApplication(inbound_entry_no=i, outbound_entry_no=out_no, quantity=q) for i, q, _ in taken],
            ))
            in_no = wh.number()
            await backend.post(posted(in_no, ItemLedgerEntryType.TRANSFER, quantity, day, target, method=method,
                                                applies_from_entry=out_no))
            wh.open.append(OpenEntry(in_no, target, quantity, taken[0][2]))
        elif kind == "charge" and wh.purchases:
            receipt = wh.purchases[r % len(wh.purchases)]
            await backend.assign_charge(AssignItemCharge(
                "FREIGHT", f"CH{r}", day, cost, ChargeSplit.EQUALLY, (ChargeLine(receipt),)
            ))
        elif kind == "revalue" and method != CostingMethod.STANDARD:
            try:
                await backend.revalue(RevalueInventory(ITEM, day, new_unit_cost=cost))
            except InvalidRevaluationError:
                pass  # nothing (completely invoiced) on hand at that date
    for location in dict.fromkeys(w[1] for w in wh.waiting):
        # What is still sold short is bought at last, so that every outbound entry ends valued from an inbound entry.
        short = sum((w[2] for w in wh.waiting if w[1] == location), D(0))
        no = wh.number()
        covered = wh.cover(location, no, short)
        last_day = max([START + timedelta(days=10), *(first_open for _, first_open in closes)])
        await backend.post(posted(no, ItemLedgerEntryType.PURCHASE, short, last_day, location, method=method,
                                  unit_cost=D("7.77"), applications=[
                                      ItemApplication(inbound_entry_no=no, outbound_entry_no=sale, quantity=q) for sale, q in covered]))
    for written_before, first_open in closes:
        # Closed dates stay closed: adjustments of entries dated before them are dated on the first open date.
        early = [(v.item_ledger_entry.entry_no, v.entry_type, v.posting_date) for v in backend.written[written_before:]
                 if v.posting_date < first_open]
        assert not early, f"value entries posted before the first open date {first_open}: {early}"


async def figures_from_postgres(conn: asyncpg.Connection) -> dict[str, Any]:
    return {
        "per_location": {
            row["location_code"]: (row["quantity"], row["value"]) for row in await conn.fetch(
                """SELECT location_code, sum(valued_quantity) FILTER (WHERE entry_type <> 'Revaluation') AS quantity,
                          sum(cost_amount_actual + cost_amount_expected) AS value
                   FROM value_entries WHERE item_no = $1 GROUP BY location_code""", ITEM)
        },
        "layers": await conn.fetch(
            """SELECT l.entry_no, l.quantity, l.cost_amount, l.applied_quantity, l.applied_cost, l.rounding_amount,
                      coalesce(e.invoiced_quantity, e.quantity) = e.quantity AS invoiced,
                      (SELECT count(*) FROM cost_applications a WHERE a.inbound_entry_no = l.entry_no) AS applications
               FROM cost_layers l JOIN item_ledger_entries e USING (entry_no) WHERE l.item_no = $1""", ITEM
        ),
        "entry_costs": {
            row["item_ledger_entry_no"]: row["cost"] for row in await conn.fetch(
                """SELECT item_ledger_entry_no, sum(cost_amount_actual + cost_amount_expected) AS cost
                   FROM value_entries WHERE item_no = $1 GROUP BY item_ledger_entry_no""", ITEM)
        },
        "revalued": {row[0] for row in await conn.fetch(
            "SELECT DISTINCT item_ledger_entry_no FROM value_entries WHERE item_no = $1 AND entry_type = 'Revaluation'", ITEM)},
        "on_hand": await conn.fetchrow("SELECT quantity, value FROM item_on_hand WHERE item_no = $1", ITEM),
        "actual": await conn.fetchrow(
            "SELECT coalesce(sum(valued_quantity) FILTER (WHERE entry_type <> 'Revaluation'), 0) AS quantity, "
            "coalesce(sum(cost_amount_actual), 0) AS value "
            "FROM value_entries WHERE item_no = $1", ITEM),
        "unrounded": await conn.fetchval(
            """SELECT count(*) FROM value_entries WHERE item_no = $1
               AND (cost_amount_actual <> round(cost_amount_actual, 2) OR cost_amount_expected <> round(cost_amount_expected, 2))""",
            ITEM),
        "last_periods": await conn.fetch(
            """SELECT DISTINCT ON (location_code, variant_code)
                      start_quantity + inbound_quantity + fixed_quantity AS available_quantity,
                      start_value + revaluation_value + inbound_value + fixed_value AS available_value,
                      start_quantity + inbound_quantity + fixed_quantity + outbound_quantity + given_back_quantity AS end_quantity,
                      (SELECT count(*) FROM average_outbounds o WHERE (o.item_no, o.location_code, o.variant_code, o.period_start)
                          = (p.item_no, p.location_code, p.variant_code, p.period_start))
                      + (SELECT count(*) FROM average_inbounds i WHERE i.gives_back AND (i.item_no, i.location_code,
                          i.variant_code, i.period_start) = (p.item_no, p.location_code, p.variant_code, p.period_start)) AS entries
               FROM average_cost_periods p WHERE item_no = $1
               ORDER BY location_code, variant_code, period_start DESC""", ITEM),
    }


async def figures_from_memory(graph: InMemoryCostGraph) -> dict[str, Any]:
    """What figures_from_postgres reads, read from the graph."""
    entries = [entry for entry in graph.value_entries if entry.item_ledger_entry.item_no == ITEM]
    per_location: dict[str, tuple[Decimal, Decimal]] = {}
    entry_costs: dict[int, Decimal] = {}
    for entry in entries:
        location = entry.item_ledger_entry.location_code
        quantity, value = per_location.get(location, (D(0), D(0)))
        per_location[location] = (quantity + entry.item_ledger_entry_quantity,
                                  value + entry.cost_amount_actual + entry.cost_amount_expected)
        no = entry.item_ledger_entry.entry_no
        entry_costs[no] = entry_costs.get(no, D(0)) + entry.cost_amount_actual + entry.cost_amount_expected
    layers = []
    for layer, applications in graph.cost_layers(ITEM):
        inbound = graph.item_ledger_entry(layer.entry_no)
        invoiced = inbound.invoiced_quantity is None or inbound.invoiced_quantity == inbound.quantity
        layers.append(dict(entry_no=layer.entry_no, quantity=layer.quantity, cost_amount=layer.cost_amount,
                           applied_quantity=layer.applied_quantity, applied_cost=layer.applied_cost,
                           rounding_amount=layer.rounding_amount, invoiced=invoiced, applications=applications))
    last_periods = []
    for key in await graph.average_keys(ITEM):
        last = graph.periods_of(key)[-1]
        last_periods.append(dict(available_quantity=last.available_quantity, available_value=last.available_value,
                                 end_quantity=last.end_quantity, entries=graph.entries_in_period(key, last.start)))
    quantity, value = await graph.on_hand(ITEM)
    return {
        "per_location": per_location,
        "layers": layers,
        "entry_costs": entry_costs,
        "revalued": {e.item_ledger_entry.entry_no for e in entries if e.entry_type == "Revaluation"},
        "on_hand": {"quantity": quantity, "value": value} if entries else None,
        "actual": {"quantity": sum((e.item_ledger_entry_quantity for e in entries), D(0)),
                   "value": sum((e.cost_amount_actual for e in entries), D(0))},
        "unrounded": sum(1 for e in entries if e.cost_amount_actual != round(e.cost_amount_actual, 2)
                         or e.cost_amount_expected != round(e.cost_amount_expected, 2)),
        "last_periods": last_periods,
    }


async def figures(backend: PostgresBackend | MemoryBackend) -> dict[str, Any]:
    """The figures the checks read, and the check that value entries are stored as written."""
    check_value_entries_are_never_rewritten(backend, ITEM, await backend.value_entries(ITEM))
    if isinstance(backend, PostgresBackend):
        return await figures_from_postgres(backend.conn)
    return await figures_from_memory(backend.graph)


def check(method: CostingMethod, found: dict[str, Any], *, per_location: bool = False) -> None:
    total_quantity = sum((q for q, _ in found["per_location"].values()), D(0))
    total_value = sum((v for _, v in found["per_location"].values()), D(0))
    assert found["unrounded"] == 0, "amounts carry 2 decimals"
    # Zero quantity means zero value, for the item and at each location (an average kept per item spreads
    # its rounding over the locations).
    # A receipt not yet completely invoiced is rounded once invoiced: until then each portion taken of it is rounded
    # on its own and may leave half a cent (a receipt of 8 at 11.495 taken as 1, 5, 1 and 1 leaves -0.02).
    unrounded = sum((max(CENT, layer["applications"] * CENT / 2) for layer in found["layers"] if not layer["invoiced"]),
                    D(0))
    for location, (quantity, value) in found["per_location"].items():
        if quantity == 0 and (method != CostingMethod.AVERAGE or per_location):
            assert abs(value) <= unrounded, f"{location}: nothing on hand but a value of {value}"
    if total_quantity == 0:
        assert abs(total_value) <= unrounded
    # Costing's running figures are the sums of its value entries.
    on_hand = (found["on_hand"]["quantity"], found["on_hand"]["value"]) if found["on_hand"] else (D(0), D(0))
    assert on_hand == (found["actual"]["quantity"], found["actual"]["value"])

    if method == CostingMethod.AVERAGE:
        # What remains is worth its quantity at the last period's average, of each average kept: each entry of the
        # period takes its share of what the earlier ones left, rounded, so what is left strays from the average by
        # at most a cent per entry (half a cent of its own rounding, a give-back its share's).
        periods = found["last_periods"]
        if total_quantity > 0 and all(p["available_quantity"] > 0 for p in periods):
            expected = sum((p["available_value"] / p["available_quantity"] * p["end_quantity"] for p in periods), D(0))
            assert abs(total_value - expected) <= CENT * sum((1 + p["entries"] for p in periods), 0), (total_value, expected)
        return
    layers = found["layers"]
    for layer in layers:
        cost = layer["cost_amount"] + layer["rounding_amount"]
        # Each inbound entry's layer holds its cost: the sum of its value entries, with its Rounding entries.
        assert cost == found["entry_costs"][layer["entry_no"]], layer
        # Inbound cost = cost taken by outbound entries + remaining value; a fully applied and invoiced entry keeps
        # nothing (its Rounding entries take the residue of the portions, each rounded on its own).
        if layer["applied_quantity"] == layer["quantity"] and layer["invoiced"]:
            assert layer["applied_cost"] == cost, layer
        elif layer["entry_no"] not in found["revalued"]:
            # What remains is at the entry's own unit cost (FIFO, LIFO, Specific; Standard: the standard);
            # a revaluation sets the cost of what remained at its date apart.
            remaining = layer["quantity"] - layer["applied_quantity"]
            unit = layer["cost_amount"] / layer["quantity"]
            # Each portion taken is rounded on its own: the remaining value drifts by up to half a cent a portion.
            drift = max(CENT, layer["applications"] * CENT / 2)
            assert abs(layer["cost_amount"] - layer["applied_cost"] - unit * remaining) <= drift, layer
    remaining_value = sum((l["cost_amount"] + l["rounding_amount"] - l["applied_cost"] for l in layers), D(0))
    assert total_value == remaining_value, (total_value, remaining_value)
    if method == CostingMethod.STANDARD:
        assert all(l["cost_amount"] == l["quantity"] * D("25.00") for l in layers)
