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


def steps(min_size: int = 15, max_size: int = 30) -> st.SearchStrategy[list[Step]]:
    """(kind, a random number, day offset, amount in thousandths). A step with nothing to act on buys instead: every
    step plays at least one operation."""
    return st.lists(
        st.tuples(st.sampled_from(KINDS), st.integers(0, 10**6), st.integers(0, 12), st.integers(1, 99_999)),
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

    def number(self) -> int:
        self.next_no += 1
        return self.next_no - 1

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
        if kind in ("buy", "receive") or (kind == "sell" and on_hand == 0) or (kind == "invoice" and not uninvoiced) or (
            kind == "charge" and not ref.inbound
        ):
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
            inbound = list(ref.inbound.values())[r % len(ref.inbound)]
            charge = cents(unit_cost)
            await backend.assign_charge(AssignItemCharge("FREIGHT", f"CH{r}", day, charge, ChargeSplit.EQUALLY,
                                                         (ChargeLine(inbound.entry_no),)))
            inbound.charges += charge
        elif kind == "revalue":
            try:
                await backend.revalue(RevalueInventory(ITEM, day, new_unit_cost=unit_cost))
            except InvalidRevaluationError:
                assert not ref.revalue(day, unit_cost), "costing found nothing to revalue where the rules do"
            else:
                for no, posted_amount in ref.revalue(day, unit_cost).items():
                    revaluations[no] = revaluations.get(no, D(0)) + posted_amount
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
