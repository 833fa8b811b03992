"""A seeded random mix through the real services costs every outbound entry as the rules say.

A FIFO, a LIFO and an Average item (period Day, per item: the default) get purchases at various unit costs,
receipts invoiced later (in one or two invoices) at other prices, sales, full sales returns, item charges on
purchases, revaluations, and posting dates in any order within a month (so many are back-dated). Afterwards:

- every outbound entry's cost (its value entries' actual + expected) equals an independent reference written
  from DOMAIN.md section 3, fed only with what the test posted and the applications the warehouse made:
  FIFO/LIFO: each portion an outbound entry took from an inbound entry is rounded on its own, quantity x the
  inbound entry's unit cost (its cost, charges and invoice price differences included, / its quantity), or the
  revalued unit cost once a revaluation reaches it; a sales return takes its sale's cost and is then a layer
  like any other. Average: per day, in entry order, round(value left x quantity / quantity left) from the
  rounded value the earlier outbound entries left, the last unit taking what is left; an outbound entry is
  valued at the later of its posting date and the dates of the inbound entries it applies to;
- zero quantity means zero value, per item;
- the trial balance balances and the ledger's reconciliation shows no difference;
- no value entry is ever rewritten: entries seen at two points mid-run are unchanged at the end.

Left out so that the reference is certainly right:
- revaluation is done only between months (dated the first of the next month, when every earlier posting is
  dated before it and every receipt is completely invoiced), for FIFO and LIFO only; item charges only target
  purchases of the current month, so a charge never lands on a revalued layer;
- the Average item gets no sales returns (a return takes its sale's cost and would then feed back into the
  average of its own day) and no revaluation;
- sales returns give back the whole sale (a part return's share of its sale's cost has a rounding of its own);
- every receipt is completely invoiced by the end (expected cost only in between), one location, no
  transfers, no purchase returns or fixed application, no negative inventory.
"""

import os
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from support import System, unique, wait_until

pytestmark = [pytest.mark.system]

D = Decimal
# Another mix: COSTING_MIX_SEED=<n>. This one posts every kind of the mix for every item it applies to.
SEED = int(os.environ.get("COSTING_MIX_SEED", "3"))
MONTHS = ("2027-03", "2027-04", "2027-05")
STEPS_PER_MONTH = 35


def created(response: Any) -> dict[str, Any]:
    assert response.status_code == 201, response.text
    return dict(response.json())


def round_cents(amount: Fraction) -> Decimal:
    """To 0.01, halves away from zero."""
    cents = (abs(amount) * 100 + Fraction(1, 2)).__floor__()
    return D(cents if amount >= 0 else -cents) / 100


@dataclass
class Posted:
    """What the test posted for one item, in its own terms (nothing read back from costing)."""

    item_no: str
    method: str
    stock: int = 0
    inbound_cost: dict[int, Decimal] = field(default_factory=lambda: defaultdict(D))
    """Purchases and receipts: quantity x unit cost per posting or invoice, plus item charges."""
    chargeable: list[int] = field(default_factory=list)
    sales: list[tuple[int, int, str]] = field(default_factory=list)
    """(entry no., quantity, posting date) of sales not returned yet."""
    revaluations: list[tuple[int, Decimal]] = field(default_factory=list)
    """(last entry no. posted before it, new unit cost): layers up to that entry no. are revalued."""
    kinds: Counter[str] = field(default_factory=Counter)
    latest: str = ""

    def dated(self, kind: str, day: str) -> str:
        """Count a posting of `kind` (and whether it is dated before an earlier one of the item)."""
        self.kinds[kind] += 1
        self.kinds["back-dated"] += day < self.latest
        self.latest = max(self.latest, day)
        return day


def reference_costs(posted: Posted, entries: list[dict[str, Any]]) -> dict[int, Decimal]:
    """The cost of every outbound entry of the item by DOMAIN.md section 3 (negative)."""
    by_no = {e["entry_no"]: e for e in entries}
    sources: dict[int, list[tuple[int, Fraction]]] = defaultdict(list)
    for entry in entries:
        for a in entry["applications"]:
            inbound = by_no[a["inbound_entry_no"]]
            # A sales return's link to its sale is a cost application, not a source of the sale's cost.
            if a["outbound_entry_no"] == entry["entry_no"] and inbound["applies_from_entry"] != entry["entry_no"]:
                sources[entry["entry_no"]].append((a["inbound_entry_no"], Fraction(a["quantity"])))
    outbound = sorted(e["entry_no"] for e in entries if D(e["quantity"]) < 0)
    for number in outbound:
        assert sum(q for _, q in sources[number]) == -Fraction(by_no[number]["quantity"]), f"entry {number} not applied"
    if posted.method == "Average":
        return _average(posted, by_no, sources, outbound)
    costs: dict[int, Decimal] = {}

    def inbound_cost(number: int) -> Decimal:
        entry = by_no[number]
        if entry["applies_from_entry"] is not None:
            sale = by_no[entry["applies_from_entry"]]
            assert D(entry["quantity"]) == -D(sale["quantity"]), "the reference knows whole returns only"
            return -outbound_cost(sale["entry_no"])
        return posted.inbound_cost[number]

    def outbound_cost(number: int) -> Decimal:
        if number not in costs:
            total = D(0)
            for inbound, quantity in sources[number]:
                unit_cost = Fraction(inbound_cost(inbound)) / Fraction(by_no[inbound]["quantity"])
                for last_before, new_unit_cost in posted.revaluations:
                    if inbound <= last_before < number:  # the layer was on hand when revalued; this took from it after
                        unit_cost = Fraction(new_unit_cost)
                total -= round_cents(quantity * unit_cost)
            costs[number] = total
        return costs[number]

    return {number: outbound_cost(number) for number in outbound}


def _average(posted: Posted, by_no: dict[int, dict[str, Any]], sources: dict[int, list[tuple[int, Fraction]]],
             outbound: list[int]) -> dict[int, Decimal]:
    inbound_by_day: dict[date, list[int]] = defaultdict(list)
    outbound_by_day: dict[date, list[int]] = defaultdict(list)
    for number, entry in by_no.items():
        if D(entry["quantity"]) > 0:
            inbound_by_day[date.fromisoformat(entry["posting_date"])].append(number)
    for number in outbound:
        valued_at = max([date.fromisoformat(by_no[number]["posting_date"])]
                        + [date.fromisoformat(by_no[i]["posting_date"]) for i, _ in sources[number]])
        outbound_by_day[valued_at].append(number)
    value, quantity = D(0), D(0)
    costs = {}
    for day in sorted(set(inbound_by_day) | set(outbound_by_day)):
        for number in inbound_by_day[day]:
            value += posted.inbound_cost[number]
            quantity += D(by_no[number]["quantity"])
        for number in sorted(outbound_by_day[day]):
            taken = -D(by_no[number]["quantity"])
            assert taken <= quantity, f"entry {number}: more out than in by {day}"
            cost = value if taken == quantity else round_cents(Fraction(value) * Fraction(taken) / Fraction(quantity))
            costs[number] = -cost
            value, quantity = value - cost, quantity - taken
    return costs


def value_entries_by_no(system: System) -> dict[int, dict[str, Any]]:
    return {v["entry_no"]: v for v in system.value_entries()}


def test_random_mix_costs_every_outbound_entry_by_the_rules_and_never_rewrites_a_value_entry(system: System) -> None:
    rng = random.Random(SEED)
    setup = system.http.get(system.url("costing", "/inventory-setup")).json()
    assert (setup["average_cost_period"], setup["average_cost_calc_type"]) == ("Day", "Item"), setup
    dead_letters_before = system.dead_letter_counts()
    items = []
    for method in ("FIFO", "LIFO", "Average"):
        item_no = system.create_item(costing_method=method, prevent_negative_inventory="Yes")["item_no"]
        wait_until(lambda: system.http.get(system.url("costing", f"/items/{item_no}/cost")).status_code == 200,
                   what="item in costing")
        items.append(Posted(item_no, method))
    receipts: list[tuple[Posted, int, int, int]] = []  # (item, entry no., quantity, day) still to invoice
    snapshots: list[dict[int, dict[str, Any]]] = []
    last_entry_no = 0

    def cost() -> str:
        return f"{rng.randint(500, 2500) / 100:.2f}"

    def amount(quantity: int, unit_cost: str) -> Decimal:
        return round_cents(Fraction(quantity) * Fraction(unit_cost))

    def invoice(month: str, receipt: tuple[Posted, int, int, int]) -> None:
        item, entry_no, quantity, received_on = receipt
        parts = [quantity] if quantity == 1 or rng.random() < 0.5 else [first := rng.randint(1, quantity - 1), quantity - first]
        for part in parts:
            unit_cost = cost()
            created(system.http.post(system.url("warehouse", "/purchase-invoices"), json={
                "document_no": unique("PI"), "posting_date": f"{month}-{rng.randint(received_on, 28):02d}",
                "lines": [{"entry_no": entry_no, "quantity": str(part), "unit_cost": unit_cost}]}))
            item.inbound_cost[entry_no] += amount(part, unit_cost)
            item.kinds["invoice"] += 1

    def sell(item: Posted, quantity: int, day: str) -> None:
        nonlocal last_entry_no
        (entry,) = created(system.post(unique("S"), [{"item_no": item.item_no, "entry_type": "Sale", "quantity": str(quantity),
                                                     "posting_date": item.dated("sale", day), "location_code": "MAIN"}]))["entries"]
        item.sales.append((entry["entry_no"], quantity, day))
        item.stock -= quantity
        last_entry_no = entry["entry_no"]

    for month_index, month in enumerate(MONTHS):
        if month_index:
            # Between months: every receipt invoiced, then FIFO and LIFO revalued on the 1st, before anything of it.
            for receipt in receipts:
                invoice(MONTHS[month_index - 1], receipt)
            receipts.clear()
            system.wait_quiet(timeout=120)
            for item in items:
                if item.method != "Average" and item.stock:
                    new_unit_cost = cost()
                    created(system.http.post(system.url("costing", "/revaluations"), json={
                        "item_no": item.item_no, "posting_date": f"{month}-01", "new_unit_cost": new_unit_cost}))
                    item.revaluations.append((last_entry_no, D(new_unit_cost)))
                    item.kinds["revaluation"] += 1
                item.chargeable.clear()
            system.wait_quiet(timeout=120)
            snapshots.append(value_entries_by_no(system))

        for _ in range(STEPS_PER_MONTH):
            item = rng.choice(items)
            day = rng.randint(1, 28)
            action = rng.choice(["purchase", "purchase", "receipt", "invoice", "sale", "sale", "sale", "sale", "return", "charge"])
            if action not in ("purchase", "receipt") and item.stock < 3:
                action = "purchase"
            if action in ("purchase", "receipt"):
                quantity, unit_cost = rng.randint(1, 10), cost()
                line = {"item_no": item.item_no, "entry_type": "Purchase", "quantity": str(quantity),
                        "unit_cost": unit_cost, "posting_date": item.dated(action, f"{month}-{day:02d}"), "location_code": "MAIN"}
                path = "/purchase-receipts" if action == "receipt" else "/item-journal"
                (entry,) = created(system.http.post(system.url("warehouse", path), json={
                    "document_no": unique("P"), "lines": [line]}))["entries"]
                if action == "receipt":
                    receipts.append((item, entry["entry_no"], quantity, day))
                else:
                    item.inbound_cost[entry["entry_no"]] += amount(quantity, unit_cost)
                item.chargeable.append(entry["entry_no"])
                item.stock += quantity
                last_entry_no = entry["entry_no"]
            elif action == "invoice" and receipts:
                invoice(month, receipts.pop(rng.randrange(len(receipts))))
            elif action == "sale":
                quantity = item.stock if rng.random() < 0.1 else rng.randint(1, min(item.stock, 6))
                sell(item, quantity, f"{month}-{day:02d}")
            elif action == "return" and item.method != "Average" and item.sales:
                sale_no, quantity, sold_on = item.sales.pop(rng.randrange(len(item.sales)))
                returned_on = max(sold_on, f"{month}-{day:02d}")
                (entry,) = created(system.http.post(system.url("warehouse", "/sales-returns"), json={
                    "document_no": unique("SR"), "posting_date": item.dated("return", returned_on),
                    "lines": [{"entry_no": sale_no, "quantity": str(quantity)}]}))["entries"]
                assert entry["applies_from_entry"] == sale_no
                item.stock += quantity
                last_entry_no = entry["entry_no"]
            elif action == "charge" and item.chargeable:
                target = rng.choice(item.chargeable)
                wait_until(lambda: system.http.get(system.url("costing", "/value-entries"), params={
                    "item_ledger_entry_no": target}).json()["entries"], what=f"entry {target} in costing")
                charge = f"{rng.randint(100, 2000) / 100:.2f}"
                created(system.http.post(system.url("costing", "/item-charges"), json={
                    "item_charge_no": "FREIGHT", "document_no": unique("CH"), "posting_date": f"{month}-{day:02d}",
                    "amount": charge, "split": "Equally", "lines": [{"item_ledger_entry_no": target}]}))
                item.inbound_cost[target] += D(charge)
                item.kinds["charge"] += 1

    # Everything sold before the last receipts are invoiced: zero quantity must end with zero value.
    for item in items:
        if item.stock:
            sell(item, item.stock, f"{MONTHS[-1]}-{rng.randint(1, 28):02d}")
    for receipt in receipts:
        invoice(MONTHS[-1], receipt)
    system.wait_quiet(timeout=180)

    # Every outbound entry costs what the rules give.
    for item in items:
        entries = system.item_ledger_entries(item.item_no)
        costs: dict[int, Decimal] = defaultdict(D)
        for v in system.value_entries(item.item_no):
            costs[v["item_ledger_entry_no"]] += D(v["cost_amount_actual"]) + D(v["cost_amount_expected"])
        expected = reference_costs(item, entries)
        actual = {number: costs[number] for number in expected}
        assert actual == expected, (item.method, {n: (expected[n], actual[n]) for n in expected if expected[n] != actual[n]})

        # Zero quantity means zero value.
        on_hand = system.quantity_on_hand(item.item_no)
        valuation = system.valuation(item_no=item.item_no)
        assert D(valuation["quantity"]) == on_hand == item.stock
        assert on_hand == 0
        assert D(valuation["cost_amount_actual"]) + D(valuation["cost_amount_expected"]) == 0, item.method

    # No value entry is ever rewritten: adjustments come as new entries.
    final = value_entries_by_no(system)
    for snapshot in snapshots:
        missing = snapshot.keys() - final.keys()
        assert not missing, f"value entries gone: {sorted(missing)}"
        changed = {n: (v, final[n]) for n, v in snapshot.items() if final[n] != v}
        assert not changed, f"value entries rewritten: {changed}"

    # The books balance and agree with costing.
    system.assert_books_balance_and_reconcile()
    assert system.dead_letter_counts() == dead_letters_before

    # The mix had every kind it is meant to have (another seed could leave one out).
    for item in items:
        meant = {"purchase", "receipt", "invoice", "sale", "charge", "back-dated"}
        meant |= set() if item.method == "Average" else {"return", "revaluation"}
        assert meant <= {kind for kind, count in item.kinds.items() if count}, (item.method, item.kinds)
