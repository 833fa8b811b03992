"""Every outbound entry of a FIFO, LIFO or Specific item costs what Business Central's rules give: a reference model
written from the rules (not from the engine), played on any backend (tests/reference/backends.py).

The rules the model states: a purchase costs round(quantity x unit cost), a receipt its expected cost until its
invoice gives the actual cost, an item charge adds to its receipt. A revaluation at a date revalues what the entry
held at that date: new value - value held, over that quantity. An outbound entry takes, from each inbound entry it
applies to, round(quantity x (inbound cost before revaluations / inbound quantity + the cost per unit of each
revaluation that reaches it)), rounded on its own; a revaluation reaches the outbound entries dated after its date
and every one posted after it. An inbound entry completely applied and invoiced gives away exactly its cost (its
Rounding entries take the residue). An outbound entry is valued no earlier than the value entries of what it takes.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

from hypothesis import strategies as st

from inventory_contracts.catalog import CostingMethod
from inventory_contracts.warehouse import ItemApplication, ItemEntryInvoiced, ItemLedgerEntryType

from costing.domain.charges import ChargeSplit
from costing.domain.engine import AssignItemCharge, ChargeLine, RevalueInventory
from costing.domain.errors import InvalidRevaluationError
from costing.domain.inbound import CostSetup

from .backends import Backend, Row, check_value_entries_are_never_rewritten
from .helpers import ITEM, START, D, Inbound, Revaluation, Taking, cents, posted

METHODS = (CostingMethod.FIFO, CostingMethod.LIFO, CostingMethod.SPECIFIC)
Step = tuple[str, int, int, int]
KINDS = ("buy", "buy", "receive", "sell", "sell", "sell", "invoice", "charge", "revalue")
WITH_RETURNS = (*KINDS, "return")
"""And returns of sales: an inbound entry applied from the sale takes its cost (cost application), a layer of its own."""


def steps(min_size: int = 15, max_size: int = 30, kinds: tuple[str, ...] = KINDS) -> st.SearchStrategy[list[Step]]:
    """(kind, a random number, day offset, amount in thousandths). A step with nothing to act on buys instead: every
    step plays at least one operation."""
    return st.lists(
        st.tuples(st.sampled_from(kinds), st.integers(0, 10**6), st.integers(0, 12), st.integers(1, 99_999)),
        min_size=min_size, max_size=max_size,
    )


@dataclass
class Reference:
    method: CostingMethod
    inbound: dict[int, Inbound] = field(default_factory=dict)
    outbound_days: dict[int, tuple[date, date]] = field(default_factory=dict)
    """Outbound entry no. -> (posting date, valuation date)."""
    takings: int = 0
    next_no: int = 1
    sold: dict[int, Decimal] = field(default_factory=dict)
    """Sale entry no. -> quantity."""
    returns: dict[int, tuple[int, Decimal]] = field(default_factory=dict)
    """Return entry no. -> (the sale it applies from, quantity returned from that sale before it)."""

    def number(self) -> int:
        self.next_no += 1
        return self.next_no - 1

    def returnable(self) -> list[tuple[int, Decimal]]:
        """(sale, quantity not returned yet), by entry no."""
        returned: dict[int, Decimal] = {}
        for no, (sale, _) in self.returns.items():
            returned[sale] = returned.get(sale, D(0)) + self.inbound[no].quantity
        return [(sale, quantity - returned.get(sale, D(0))) for sale, quantity in sorted(self.sold.items())
                if quantity > returned.get(sale, D(0))]

    def return_sale(self, no: int, day: date, sale: int, quantity: Decimal) -> None:
        before = sum((self.inbound[r].quantity for r, (s, _) in self.returns.items() if s == sale), D(0))
        self.returns[no] = (sale, before)
        self.inbound[no] = Inbound(no, day, quantity, D(0), invoiced=True)
        self.settle()

    def settle(self) -> None:
        """A return costs its share of what its sale costs now, cumulatively rounded over the sale's returns (so that
        returning the whole sale in parts gives back exactly its cost): round(sale cost x returned up to and with
        it / sold) - round(sale cost x returned before it / sold). In entry order: a sale takes only from earlier
        entries, so its cost is settled before its returns."""
        for no, (sale, before) in sorted(self.returns.items()):
            total = sum((i.share(t) for i in self.inbound.values() for t in i.takings if t.outbound == sale), D(0))
            quantity = self.inbound[no].quantity
            self.inbound[no].direct = (cents(Fraction(total * (before + quantity)) / Fraction(self.sold[sale]))
                                       - cents(Fraction(total * before) / Fraction(self.sold[sale])))

    def receive(self, no: int, day: date, quantity: Decimal, cost: Decimal, invoiced: bool) -> None:
        self.inbound[no] = Inbound(no, day, quantity, cost, invoiced)

    def take(self, no: int, day: date, quantity: Decimal, pick: int) -> list[tuple[int, Decimal]]:
        candidates = [i for i in self.inbound.values() if i.remaining > 0]
        if self.method == CostingMethod.LIFO:
            candidates.reverse()
        elif self.method == CostingMethod.SPECIFIC:
            candidates = candidates[pick % len(candidates):] + candidates[: pick % len(candidates)]
        taken = []
        for inbound in candidates:
            part = min(inbound.remaining, quantity)
            if part <= 0:
                break
            self.takings += 1
            inbound.takings.append(Taking(self.takings, no, part, day))
            taken.append((inbound.entry_no, part))
            quantity -= part
        # An outbound entry is valued no earlier than the value entries of what it takes: the inbound entries' own
        # (valued at their posting dates) and their revaluations.
        latest = max([day, *(self.inbound[i].day for i, _ in taken),
                      *(r.day for i, _ in taken for r in self.inbound[i].revaluations)])
        self.outbound_days[no] = (day, latest)
        self.sold[no] = sum((q for _, q in taken), D(0))
        return taken

    def revalue(self, day: date, unit_cost: Decimal) -> dict[int, Decimal]:
        """Revaluation amount per inbound entry, posted: completely invoiced entries posted on or before `day`."""
        amounts = {}
        for inbound in self.inbound.values():
            if not inbound.invoiced or inbound.day > day:
                continue
            quantity, value = inbound.held_at(day)
            if quantity <= 0:
                continue
            amount = cents(quantity * unit_cost) - value
            if amount:
                inbound.revaluations.append(Revaluation(day, amount, quantity, self.takings))
                amounts[inbound.entry_no] = amount
        return amounts

    def outbound_costs(self) -> dict[int, Decimal]:
        costs: dict[int, Decimal] = {no: D(0) for no in self.outbound_days}
        for inbound in self.inbound.values():
            for taking in inbound.takings:
                costs[taking.outbound] -= inbound.share(taking)
        return costs


async def play(backend: Backend, method: CostingMethod, plan: list[Step]) -> tuple[Reference, dict[int, D], list[Row]]:
    await backend.set_item(CostSetup(ITEM, method))
    ref = Reference(method)
    revaluations: dict[int, D] = {}
    for kind, r, offset, amount in plan:
        day = START + timedelta(days=offset)
        unit_cost = D(amount) / 1000
        on_hand = sum((i.remaining for i in ref.inbound.values()), D(0))
        uninvoiced = [i for i in ref.inbound.values() if not i.invoiced]
        purchases = [i for i in ref.inbound.values() if i.entry_no not in ref.returns]
        returnable = ref.returnable()
        if kind in ("buy", "receive") or (kind == "sell" and on_hand == 0) or (kind == "invoice" and not uninvoiced) or (
            kind == "charge" and not purchases
        ) or (kind == "return" and not returnable):
            no = ref.number()
            quantity = D(1) if method == CostingMethod.SPECIFIC else D(1 + r % 7)
            receipt = kind == "receive"
            await backend.post(posted(no, ItemLedgerEntryType.PURCHASE, quantity, day, method, unit_cost=unit_cost,
                                      invoiced_quantity=D(0) if receipt else None))
            ref.receive(no, day, quantity, cents(quantity * unit_cost), invoiced=not receipt)
        elif kind == "sell":
            no = ref.number()
            quantity = D(1 + r % int(on_hand))
            taken = ref.take(no, day, quantity, r)
            await backend.post(posted(no, ItemLedgerEntryType.SALE, -quantity, day, method, applications=[
                ItemApplication(inbound_entry_no=i, outbound_entry_no=no, quantity=q) for i, q in taken]))
        elif kind == "invoice":
            inbound = uninvoiced[r % len(uninvoiced)]
            await backend.invoice(ItemEntryInvoiced(
                item_no=ITEM, item_ledger_entry_no=inbound.entry_no, document_no=f"INV{r}", posting_date=max(day, inbound.day),
                invoiced_quantity=inbound.quantity, unit_cost=unit_cost, recorded_at=datetime.now(UTC)))
            inbound.direct, inbound.invoiced = cents(inbound.quantity * unit_cost), True
        elif kind == "charge":
            inbound = purchases[r % len(purchases)]
            charge = cents(unit_cost)
            await backend.assign_charge(AssignItemCharge("FREIGHT", f"CH{r}", day, charge, ChargeSplit.EQUALLY,
                                                         (ChargeLine(inbound.entry_no),)))
            inbound.charges += charge
        elif kind == "return":
            sale, left = returnable[r % len(returnable)]
            no = ref.number()
            quantity = D(1 + r % int(left))
            day = max(day, ref.outbound_days[sale][0])
            await backend.post(posted(no, ItemLedgerEntryType.SALE, quantity, day, method, applies_from_entry=sale))
            ref.return_sale(no, day, sale, quantity)
        elif kind == "revalue":
            try:
                await backend.revalue(RevalueInventory(ITEM, day, new_unit_cost=unit_cost))
            except InvalidRevaluationError:
                assert not ref.revalue(day, unit_cost), "costing found nothing to revalue where the rules do"
            else:
                for no, posted_amount in ref.revalue(day, unit_cost).items():
                    revaluations[no] = revaluations.get(no, D(0)) + posted_amount
        ref.settle()  # what the step changed reaches the returns of the sales it changed
    rows = await backend.value_entries(ITEM)
    check_value_entries_are_never_rewritten(backend, ITEM, rows)
    return ref, revaluations, rows


def check(ref: Reference, revaluations: dict[int, D], rows: list[Row]) -> None:
    costs: dict[int, D] = {}
    valued_at: dict[int, set[date]] = {}
    for row in rows:
        costs[row.no] = costs.get(row.no, D(0)) + row.amount
        valued_at.setdefault(row.no, set()).add(row.valuation_date)
    posted_revaluations: dict[int, D] = {}
    for row in rows:
        if row.entry_type == "Revaluation":
            posted_revaluations[row.no] = posted_revaluations.get(row.no, D(0)) + row.amount
    assert posted_revaluations == revaluations

    for no, expected in ref.outbound_costs().items():
        assert costs[no] == expected, f"outbound entry {no}: {costs[no]}, the rules give {expected}"
        posting_day, valuation_day = ref.outbound_days[no]
        assert valued_at[no] == {valuation_day}, f"outbound entry {no} posted {posting_day}: valued at {valued_at[no]}"
    for inbound in ref.inbound.values():
        given_away = sum((inbound.share(t) for t in inbound.takings), D(0))
        revalued = sum((r.amount for r in inbound.revaluations), D(0))
        if inbound.remaining == 0 and inbound.invoiced:
            assert costs[inbound.entry_no] == given_away, f"inbound entry {inbound.entry_no} keeps a residue"
        else:
            residue = costs[inbound.entry_no] - (inbound.cost + revalued)
            assert residue == 0, f"inbound entry {inbound.entry_no} has a rounding entry while not used up and invoiced"
    total = sum(costs.values(), D(0))
    if all(i.remaining == 0 and i.invoiced for i in ref.inbound.values()):
        assert total == 0, "zero quantity means zero value"


# Revaluations of a layer that add up to nothing: 4 bought at 1.00 (4.00) are revalued to 2.00 (+4.00 for 4), 2 sold
# take 4.00, the 2 left are revalued to 0.001 (-4.00 for 2, to 0.00). The layer's revalued amount is 0, but not what its
# revaluations give each unit: the first sale keeps 2.00 a unit, what is taken after the second revaluation 0.00.
REVALUATIONS_THAT_ADD_UP_TO_NOTHING: dict[str, list[Step]] = {
    # The 2 left sold: they cost 0.00.
    "a sale after them": [("buy", 3, 0, 1000), ("revalue", 0, 1, 2000), ("sell", 1, 2, 1), ("revalue", 0, 3, 1), ("sell", 1, 4, 1)],
    # An item charge of 1.00 on the receipt: the first sale takes 0.50 more (-4.50), not its revaluation's 2.00 less.
    "an item charge after them": [("buy", 3, 0, 1000), ("revalue", 0, 1, 2000), ("sell", 1, 2, 1), ("revalue", 0, 3, 1),
                                  ("charge", 0, 5, 1000)],
}
