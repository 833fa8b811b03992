"""Every outbound entry of an Average or a Standard item costs what Business Central's rules give (DOMAIN.md section 3),
checked against reference models written from the rules (not from costing/domain/average.py or the layers), played on
any backend (tests/reference/backends.py). Random sequences of operations, back-dated ones among them.

Average, per item, period Day (the default), Week or Month. An inbound entry counts in the period of its posting date
at its own cost: round(quantity x unit cost), expected until its invoice gives the actual cost, plus its item charges.
An outbound entry applies to the oldest inbound entries with quantity left (by posting date, then entry no.) and is
valued no earlier than they were: its period is that of the later of its posting date and theirs. A period's
outbound entries share what the period starts with and receives, less what its fixed-applied outbound entries take:
those (a purchase return or a negative adjustment with applies-to) take their inbound entry's cost, the share of
what the earlier ones fixed-applied to it left, and stay out of the average. The other outbound entries of the
period, in entry order, each cost round(value left x quantity / quantity left), the last unit out what is left. A
period ending with nothing on hand ends with no value (Rounding). What a period ends with, plus the revaluations
posted at its last day, is what the next one starts with. A revaluation at a period's last day revalues what is on
hand at its end: round(quantity x new unit cost) - value then. Postings after a revaluation are dated after it (the
model states nothing about entries back-dated before a revaluation of an Average item).

Standard: every inbound entry is carried at round(quantity x standard cost) when it is valued; its invoice and its
item charges change nothing of that, the difference to the actual cost is Variance (standard carried - actual). The
standard cost worksheet revalues what each inbound entry held at the implementation date (received and not invoiced
quantity too, as expected cost) to the new standard cost, as a revaluation of the layers (the rules of
test_layer_costs_reference.py), and entries valued after it are carried at the new standard cost. Outbound entries
take from the layers (oldest first) and so cost the standard cost they took; inventory value is on-hand x standard.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

from hypothesis import strategies as st

from inventory_contracts.catalog import CostingMethod
from inventory_contracts.warehouse import (
    AverageCostPeriod,
    InventorySetupChanged,
    ItemApplication,
    ItemEntryInvoiced,
    ItemLedgerEntryType,
)

from costing.domain.charges import ChargeSplit
from costing.domain.engine import AssignItemCharge, ChargeLine, RevalueInventory
from costing.domain.errors import InvalidRevaluationError
from costing.domain.inbound import CostSetup

from .backends import Backend, Row, check_value_entries_are_never_rewritten
from .helpers import ITEM, START, D, Inbound, Revaluation, Taking, cents, posted

Step = tuple[str, int, int, int]
Rows = list[Row]
ZERO = D(0)
PERIODS = (AverageCostPeriod.DAY, AverageCostPeriod.WEEK, AverageCostPeriod.MONTH)
AVERAGE_KINDS = ("buy", "buy", "receive", "sell", "sell", "sell", "return", "invoice", "charge", "revalue")
STANDARD_KINDS = ("buy", "buy", "receive", "sell", "sell", "sell", "invoice", "charge", "implement")


def plans(kinds: tuple[str, ...], min_size: int = 15, max_size: int = 30) -> st.SearchStrategy[list[Step]]:
    """(kind, a random number, day offset, amount in thousandths). A step with nothing to act on buys instead: every
    step plays at least one operation."""
    return st.lists(
        st.tuples(st.sampled_from(kinds), st.integers(0, 10**6), st.integers(0, 12), st.integers(1, 99_999)),
        min_size=min_size,
        max_size=max_size,
    )


def sums(rows: Rows, *, only: set[str] | None = None, leaving: frozenset[str] = frozenset()) -> dict[int, Decimal]:
    """Cost per item ledger entry of its value entries (of the types `only`, without those `leaving`)."""
    costs: dict[int, Decimal] = {}
    for row in rows:
        if (only is None or row.entry_type in only) and row.entry_type not in leaving:
            costs[row.no] = costs.get(row.no, D(0)) + row.amount
    return costs


# Average ---------------------------------------------------------------------------------------------------------


def first_day(day: date, period: AverageCostPeriod) -> date:
    if period == AverageCostPeriod.DAY:
        return day
    if period == AverageCostPeriod.WEEK:
        return day - timedelta(days=day.weekday())
    assert period == AverageCostPeriod.MONTH
    return day.replace(day=1)


def last_day(day: date, period: AverageCostPeriod) -> date:
    if period == AverageCostPeriod.DAY:
        return day
    if period == AverageCostPeriod.WEEK:
        return first_day(day, period) + timedelta(days=6)
    following = day.replace(day=28) + timedelta(days=4)
    return following - timedelta(days=following.day)


@dataclass
class AverageInbound:
    entry_no: int
    day: date
    quantity: Decimal
    direct: Decimal
    """Expected until invoiced, then actual."""
    invoiced: bool
    charges: Decimal = ZERO
    taken: Decimal = ZERO
    """By every outbound entry applied to it, fixed or not."""

    @property
    def cost(self) -> Decimal:
        return self.direct + self.charges


@dataclass
class AverageOutbound:
    entry_no: int
    day: date
    valued: date
    quantity: Decimal
    applies_to: int | None
    """The inbound entry it is fixed-applied to."""


@dataclass
class AverageReference:
    period: AverageCostPeriod
    inbound: dict[int, AverageInbound] = field(default_factory=dict)
    outbound: dict[int, AverageOutbound] = field(default_factory=dict)
    revaluations: list[tuple[date, Decimal]] = field(default_factory=list)
    next_no: int = 1
    rounded: bool = False
    """Some period needed a Rounding entry (see `test_an_invoice_at_the_receipts_price_changes_nothing_after_a_rounding`)."""

    def number(self) -> int:
        self.next_no += 1
        return self.next_no - 1

    @property
    def on_hand(self) -> Decimal:
        return sum((i.quantity - i.taken for i in self.inbound.values()), D(0))

    def earliest_posting_date(self, day: date) -> date:
        """Postings come after the latest revaluation."""
        return max([day, *(r + timedelta(days=1) for r, _ in self.revaluations)])

    def take(self, no: int, day: date, quantity: Decimal) -> list[tuple[int, Decimal]]:
        taken = []
        for inbound in sorted(self.inbound.values(), key=lambda i: (i.day, i.entry_no)):
            part = min(inbound.quantity - inbound.taken, quantity)
            if part > 0:
                inbound.taken += part
                taken.append((inbound.entry_no, part))
                quantity -= part
        assert quantity == 0
        valued = max([day, *(self.inbound[i].day for i, _ in taken)])
        self.outbound[no] = AverageOutbound(no, day, valued, sum((q for _, q in taken), D(0)), None)
        return taken

    def fix(self, no: int, day: date, inbound_no: int, quantity: Decimal) -> None:
        inbound = self.inbound[inbound_no]
        inbound.taken += quantity
        self.outbound[no] = AverageOutbound(no, day, max(day, inbound.day), quantity, inbound_no)

    def fixed_costs(self) -> dict[int, Decimal]:
        """An outbound entry fixed-applied to an inbound entry: its share of what the earlier ones left of its cost."""
        costs = {}
        for inbound in self.inbound.values():
            value_left, quantity_left = inbound.cost, inbound.quantity
            for outbound in sorted(
                (o for o in self.outbound.values() if o.applies_to == inbound.entry_no), key=lambda o: o.entry_no
            ):
                share = (
                    value_left
                    if outbound.quantity == quantity_left
                    else cents(Fraction(value_left * outbound.quantity) / Fraction(quantity_left))
                )
                costs[outbound.entry_no] = -share
                value_left -= share
                quantity_left -= outbound.quantity
        return costs

    def replay(self, through: date | None = None) -> tuple[dict[int, Decimal], Decimal, Decimal]:
        """Cost of every outbound entry, and quantity and value on hand at the end of `through`'s period (None: the last),
        revaluations at its end included."""

        def start(day: date) -> date:
            return first_day(day, self.period)

        costs = self.fixed_costs()
        periods = sorted(
            {start(i.day) for i in self.inbound.values()}
            | {start(o.valued) for o in self.outbound.values()}
            | {start(day) for day, _ in self.revaluations}
        )
        quantity, value = D(0), D(0)
        for period in periods:
            if through is not None and period > start(through):
                break
            for inbound in self.inbound.values():
                if start(inbound.day) == period:
                    quantity, value = quantity + inbound.quantity, value + inbound.cost
            in_period = sorted(
                (o for o in self.outbound.values() if start(o.valued) == period), key=lambda o: o.entry_no
            )
            for fixed in (o for o in in_period if o.applies_to is not None):
                quantity, value = quantity - fixed.quantity, value + costs[fixed.entry_no]
            for outbound in (o for o in in_period if o.applies_to is None):
                assert 0 < outbound.quantity <= quantity, "the model applies to stock valued no later than the entry"
                share = (
                    value
                    if outbound.quantity == quantity
                    else cents(Fraction(value * outbound.quantity) / Fraction(quantity))
                )
                costs[outbound.entry_no] = -share
                quantity, value = quantity - outbound.quantity, value - share
            if quantity == 0 and value:
                value = D(0)  # a Rounding entry takes what nothing on hand would keep
                self.rounded = True
            value += sum((amount for day, amount in self.revaluations if start(day) == period), D(0))
        return costs, quantity, value


async def play_average(
    backend: Backend, period: AverageCostPeriod, plan: list[Step], *, note_rounding: bool = True
) -> tuple[AverageReference, Rows]:
    """`note_rounding`: replay the model after each step to note whether some period needed a Rounding entry (for the
    statistics only; it makes a plan's replay quadratic in its length)."""
    method = CostingMethod.AVERAGE
    await backend.set_item(CostSetup(ITEM, method))
    await backend.set_inventory_setup(InventorySetupChanged(revision=1, average_cost_period=period))
    ref = AverageReference(period)
    for kind, r, offset, amount in plan:
        day = ref.earliest_posting_date(START + timedelta(days=offset))
        unit_cost = D(amount) / 1000
        returnable = [i for i in ref.inbound.values() if i.quantity > i.taken]
        uninvoiced = [i for i in ref.inbound.values() if not i.invoiced]
        if kind in ("buy", "receive") or (kind in ("sell", "return") and ref.on_hand == 0) or (
            kind == "invoice" and not uninvoiced
        ) or (kind == "charge" and not ref.inbound):
            no = ref.number()
            quantity = D(1 + r % 7)
            receipt = kind == "receive"
            await backend.post(posted(
                    no,
                    ItemLedgerEntryType.PURCHASE,
                    quantity,
                    day,
                    method,
                    unit_cost=unit_cost,
                    invoiced_quantity=D(0) if receipt else None,
                ),
            )
            ref.inbound[no] = AverageInbound(no, day, quantity, cents(quantity * unit_cost), invoiced=not receipt)
        elif kind == "sell":
            await sell(backend, ref, r, day, method)
        elif kind == "return":
            inbound = returnable[r % len(returnable)]
            no = ref.number()
            quantity = D(1 + r % int(inbound.quantity - inbound.taken))
            entry_type = ItemLedgerEntryType.PURCHASE if r % 2 else ItemLedgerEntryType.NEGATIVE_ADJMT
            ref.fix(no, day, inbound.entry_no, quantity)
            await backend.post(posted(
                    no,
                    entry_type,
                    -quantity,
                    day,
                    method,
                    applies_to_entry=inbound.entry_no,
                    applications=[
                        ItemApplication(inbound_entry_no=inbound.entry_no, outbound_entry_no=no, quantity=quantity)
                    ],
                ),
            )
        elif kind == "invoice":
            inbound = uninvoiced[r % len(uninvoiced)]
            await backend.invoice(ItemEntryInvoiced(
                    item_no=ITEM,
                    item_ledger_entry_no=inbound.entry_no,
                    document_no=f"INV{r}",
                    posting_date=max(day, inbound.day),
                    invoiced_quantity=inbound.quantity,
                    unit_cost=unit_cost,
                    recorded_at=datetime.now(UTC),
                ),
            )
            inbound.direct, inbound.invoiced = cents(inbound.quantity * unit_cost), True
        elif kind == "charge":
            inbound = list(ref.inbound.values())[r % len(ref.inbound)]
            charge = cents(unit_cost)
            await backend.assign_charge(AssignItemCharge(
                    "FREIGHT", f"CH{r}", day, charge, ChargeSplit.EQUALLY, (ChargeLine(inbound.entry_no),)
                ),
            )
            inbound.charges += charge
        elif kind == "revalue":
            day = last_day(max([START + timedelta(days=offset), *(d for d, _ in ref.revaluations)]), period)
            _, quantity, value = ref.replay(through=day)
            try:
                await backend.revalue(RevalueInventory(ITEM, day, new_unit_cost=unit_cost))
            except InvalidRevaluationError:
                assert quantity == 0, (
                    f"costing found nothing to revalue on {day} where the rules find {quantity} on hand"
                )
            else:
                assert quantity > 0, f"costing revalued on {day} where the rules find nothing on hand"
                if cents(quantity * unit_cost) != value:
                    ref.revaluations.append((day, cents(quantity * unit_cost) - value))
        if note_rounding:
            ref.replay()  # notes whether a Rounding entry became necessary
    rows = await backend.value_entries(ITEM)
    check_value_entries_are_never_rewritten(backend, ITEM, rows)
    return ref, rows


async def sell(backend: Backend, ref: "AverageReference | StandardReference", r: int, day: date, method: CostingMethod) -> None:
    """A sale of part of what is on hand, applied to what the reference takes."""
    no = ref.number()
    quantity = D(1 + r % int(ref.on_hand))
    taken = ref.take(no, day, quantity)
    await backend.post(posted(no, ItemLedgerEntryType.SALE, -quantity, day, method, applications=[
        ItemApplication(inbound_entry_no=i, outbound_entry_no=no, quantity=q) for i, q in taken]))


def check_average(ref: AverageReference, rows: Rows) -> None:
    costs, quantity, value = ref.replay()
    found = sums(rows)
    for no, outbound in ref.outbound.items():
        assert found[no] == costs[no], (
            f"outbound entry {no} valued {outbound.valued}: {found[no]}, the rules give {costs[no]}"
        )
        valued_at = {row.valuation_date for row in rows if row.no == no}
        assert valued_at == {outbound.valued}, f"outbound entry {no} posted {outbound.day}: valued at {valued_at}"
    own = sums(rows, leaving=frozenset({"Revaluation", "Rounding"}))
    for no, inbound in ref.inbound.items():
        assert own[no] == inbound.cost, f"inbound entry {no}: {own[no]} of its own, the rules give {inbound.cost}"
    assert sum(sums(rows, only={"Revaluation"}).values(), D(0)) == sum((a for _, a in ref.revaluations), D(0))
    assert quantity == ref.on_hand
    assert sum(found.values(), D(0)) == value, f"inventory value {sum(found.values(), D(0))}, the rules give {value}"


# Standard --------------------------------------------------------------------------------------------------------


@dataclass
class StandardReference:
    standard_cost: Decimal
    inbound: dict[int, Inbound] = field(default_factory=dict)
    actual: dict[int, Decimal] = field(default_factory=dict)
    """What each inbound entry was bought for: invoiced direct cost and item charges."""
    standard_at_invoice: dict[int, Decimal] = field(default_factory=dict)
    """The standard value each invoiced entry was carried at when invoiced, revaluations included."""
    outbound_days: dict[int, tuple[date, date]] = field(default_factory=dict)
    takings: int = 0
    next_no: int = 1
    at_standard: bool = True
    """False once a standard cost was implemented at a date before an entry still on hand: that entry keeps its cost."""

    def number(self) -> int:
        self.next_no += 1
        return self.next_no - 1

    @property
    def on_hand(self) -> Decimal:
        return sum((i.remaining for i in self.inbound.values()), D(0))

    def take(self, no: int, day: date, quantity: Decimal) -> list[tuple[int, Decimal]]:
        taken = []
        for inbound in sorted(self.inbound.values(), key=lambda i: (i.day, i.entry_no)):
            part = min(inbound.remaining, quantity)
            if part > 0:
                self.takings += 1
                inbound.takings.append(Taking(self.takings, no, part, day))
                taken.append((inbound.entry_no, part))
                quantity -= part
        assert quantity == 0
        latest = max(
            [
                day,
                *(self.inbound[i].day for i, _ in taken),
                *(r.day for i, _ in taken for r in self.inbound[i].revaluations),
            ]
        )
        self.outbound_days[no] = (day, latest)
        return taken

    def implement(self, day: date, standard_cost: Decimal) -> None:
        """Revalue what every inbound entry posted on or before `day` held then, invoiced or not."""
        for inbound in self.inbound.values():
            if inbound.day > day:
                self.at_standard = self.at_standard and inbound.remaining == 0
                continue
            quantity, value = inbound.held_at(day)
            if quantity > 0 and cents(quantity * standard_cost) != value:
                inbound.revaluations.append(
                    Revaluation(day, cents(quantity * standard_cost) - value, quantity, self.takings)
                )
        self.standard_cost = standard_cost

    def outbound_costs(self) -> dict[int, Decimal]:
        costs: dict[int, Decimal] = {no: D(0) for no in self.outbound_days}
        for inbound in self.inbound.values():
            for taking in inbound.takings:
                costs[taking.outbound] -= inbound.share(taking)
        return costs


async def play_standard(backend: Backend, plan: list[Step]) -> tuple[StandardReference, Rows]:
    method = CostingMethod.STANDARD
    ref = StandardReference(D(plan[0][3] % 10_000) / 100 + D("0.01"))
    await backend.set_item(CostSetup(ITEM, method, standard_cost=ref.standard_cost))
    for kind, r, offset, amount in plan:
        day = START + timedelta(days=offset)
        unit_cost = D(amount) / 1000
        uninvoiced = [i for i in ref.inbound.values() if not i.invoiced]
        if kind in ("buy", "receive") or (kind == "sell" and ref.on_hand == 0) or (kind == "invoice" and not uninvoiced) or (
            kind == "charge" and not ref.inbound
        ):
            no = ref.number()
            quantity = D(1 + r % 7)
            receipt = kind == "receive"
            await backend.post(posted(
                    no,
                    ItemLedgerEntryType.PURCHASE,
                    quantity,
                    day,
                    method,
                    unit_cost=unit_cost,
                    invoiced_quantity=D(0) if receipt else None,
                ),
            )
            ref.inbound[no] = Inbound(no, day, quantity, cents(quantity * ref.standard_cost), invoiced=not receipt)
            ref.actual[no] = D(0) if receipt else cents(quantity * unit_cost)
            if not receipt:
                ref.standard_at_invoice[no] = ref.inbound[no].cost
        elif kind == "sell":
            await sell(backend, ref, r, day, method)
        elif kind == "invoice":
            inbound = uninvoiced[r % len(uninvoiced)]
            await backend.invoice(ItemEntryInvoiced(
                    item_no=ITEM,
                    item_ledger_entry_no=inbound.entry_no,
                    document_no=f"INV{r}",
                    posting_date=max(day, inbound.day),
                    invoiced_quantity=inbound.quantity,
                    unit_cost=unit_cost,
                    recorded_at=datetime.now(UTC),
                ),
            )
            inbound.invoiced = True
            ref.actual[inbound.entry_no] += cents(inbound.quantity * unit_cost)
            ref.standard_at_invoice[inbound.entry_no] = inbound.cost + sum(
                (rv.amount for rv in inbound.revaluations), D(0)
            )
        elif kind == "charge":
            inbound = list(ref.inbound.values())[r % len(ref.inbound)]
            charge = cents(unit_cost)
            await backend.assign_charge(AssignItemCharge(
                    "FREIGHT", f"CH{r}", day, charge, ChargeSplit.EQUALLY, (ChargeLine(inbound.entry_no),)
                ),
            )
            ref.actual[inbound.entry_no] += charge
        elif kind == "implement":
            new_standard_cost = D(amount % 10_000) / 100
            await backend.implement_standard_cost(ITEM, new_standard_cost, day)
            ref.implement(day, new_standard_cost)
    rows = await backend.value_entries(ITEM)
    check_value_entries_are_never_rewritten(backend, ITEM, rows)
    return ref, rows


def check_standard(ref: StandardReference, rows: Rows) -> None:
    found = sums(rows)
    for no, expected in ref.outbound_costs().items():
        assert found[no] == expected, f"outbound entry {no}: {found[no]}, the rules give {expected}"
        posting_day, valuation_day = ref.outbound_days[no]
        valued_at = {row.valuation_date for row in rows if row.no == no}
        assert valued_at == {valuation_day}, f"outbound entry {no} posted {posting_day}: valued at {valued_at}"
    variances = sums(rows, only={"Variance"})
    for no, inbound in ref.inbound.items():
        revalued = sum((r.amount for r in inbound.revaluations), D(0))
        if inbound.remaining == 0 and inbound.invoiced:
            given_away = sum((inbound.share(t) for t in inbound.takings), D(0))
            assert found[no] == given_away, f"inbound entry {no} keeps a residue"
        else:
            assert found[no] == inbound.cost + revalued, (
                f"inbound entry {no}: {found[no]}, carried at {inbound.cost + revalued}"
            )
        # Variance = standard - actual: what the entry is carried at less what it was bought for.
        standard = ref.standard_at_invoice.get(no)
        expected_variance = standard - ref.actual[no] if standard is not None else -ref.actual[no]
        assert variances.get(no, D(0)) == expected_variance, (
            f"inbound entry {no}: variance {variances.get(no)}, the rules give {expected_variance}"
        )
    value = sum(found.values(), D(0))
    if ref.at_standard:
        assert value == ref.on_hand * ref.standard_cost, (
            f"inventory value {value}, on hand {ref.on_hand} x {ref.standard_cost}"
        )
    if ref.on_hand == 0 and all(i.invoiced for i in ref.inbound.values()):
        assert value == 0, "zero quantity means zero value"




# Examples ------------------------------------------------------------------------------------------------


async def an_invoice_at_the_receipts_price_after_a_rounding(backend: Backend) -> tuple[dict[int, Decimal], dict[int, Decimal]]:
    """Period Day. Purchase 1 @ 1.00 and receipt 1 @ 3.00 on 05-05, a sale of 1 on 05-05: 4.00 for 2, the sale -2.00.
    On 05-06 a negative adjustment applied to the receipt takes its 3.00 and leaves the period -1.00 for nothing on
    hand: a Rounding entry of +1.00. The receipt invoiced at 3.00 on 05-07 changes no cost: the sale stays -2.00, the
    adjustment -3.00, the receipt 3.00 of its own: the Rounding entry is actual cost, which the invoice does not reverse.

    (sale, adjustment, Rounding of the receipt) before the invoice; (sale, adjustment, receipt's own) after it."""
    method = CostingMethod.AVERAGE
    monday, tuesday = START, START + timedelta(days=1)
    await backend.set_item(CostSetup(ITEM, method))
    await backend.post(posted(1, ItemLedgerEntryType.PURCHASE, D(1), monday, method, unit_cost=D("1.00")))
    await backend.post(posted(2, ItemLedgerEntryType.PURCHASE, D(1), monday, method, unit_cost=D("3.00"), invoiced_quantity=D(0)))
    await backend.post(posted(3, ItemLedgerEntryType.SALE, D(-1), monday, method,
                              applications=[ItemApplication(inbound_entry_no=1, outbound_entry_no=3, quantity=D(1))]))
    await backend.post(posted(4, ItemLedgerEntryType.NEGATIVE_ADJMT, D(-1), tuesday, method, applies_to_entry=2,
                              applications=[ItemApplication(inbound_entry_no=2, outbound_entry_no=4, quantity=D(1))]))
    rows = await backend.value_entries(ITEM)
    before = {3: sums(rows)[3], 4: sums(rows)[4], 2: sums(rows, only={"Rounding"})[2]}
    await backend.invoice(ItemEntryInvoiced(
        item_no=ITEM, item_ledger_entry_no=2, document_no="INV", posting_date=tuesday + timedelta(days=1),
        invoiced_quantity=D(1), unit_cost=D("3.00"), recorded_at=datetime.now(UTC),
    ))
    rows = await backend.value_entries(ITEM)
    check_value_entries_are_never_rewritten(backend, ITEM, rows)
    return before, {3: sums(rows)[3], 4: sums(rows)[4], 2: sums(rows, leaving=frozenset({"Rounding", "Revaluation"}))[2]}
