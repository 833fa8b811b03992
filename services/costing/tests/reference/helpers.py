"""What the reference-model property tests share: exact cent rounding, the cost layer of one inbound entry as Business
Central's rules state it (FIFO, LIFO, Specific and Standard all take from such layers), and the events they post."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from inventory_contracts.catalog import CostingMethod
from inventory_contracts.warehouse import ItemEntryPosted, ItemLedgerEntryType

D = Decimal
ITEM = "REF"
START = date(2025, 5, 5)


def cents(amount: Decimal | Fraction) -> Decimal:
    """To the cent, half up, computed exactly."""
    if isinstance(amount, Decimal):
        return amount.quantize(D("0.01"), rounding=ROUND_HALF_UP)
    whole = int(abs(amount) * 100 + Fraction(1, 2))
    return D(whole if amount >= 0 else -whole).scaleb(-2)


@dataclass
class Revaluation:
    day: date
    amount: Decimal
    quantity: Decimal
    posted_after: int
    """How many applications existed when it was posted."""


@dataclass
class Taking:
    number: int
    """Order in which the applications were made."""
    outbound: int
    quantity: Decimal
    day: date


@dataclass
class Inbound:
    entry_no: int
    day: date
    quantity: Decimal
    direct: Decimal
    """Expected until invoiced, then actual."""
    invoiced: bool
    charges: Decimal = D(0)
    revaluations: list[Revaluation] = field(default_factory=list)
    takings: list[Taking] = field(default_factory=list)

    @property
    def cost(self) -> Decimal:
        """Before revaluations."""
        return self.direct + self.charges

    @property
    def remaining(self) -> Decimal:
        return self.quantity - sum((t.quantity for t in self.takings), D(0))

    def reaches(self, revaluation: Revaluation, taking: Taking) -> bool:
        return taking.number > revaluation.posted_after or taking.day > revaluation.day

    def share(self, taking: Taking) -> Decimal:
        per_unit = Fraction(self.cost) / Fraction(self.quantity) + sum(
            (Fraction(r.amount) / Fraction(r.quantity) for r in self.revaluations if self.reaches(r, taking)), Fraction(0))
        return cents(Fraction(taking.quantity) * per_unit)

    def held_at(self, day: date) -> tuple[Decimal, Decimal]:
        before = [t for t in self.takings if t.day <= day]
        quantity = self.quantity - sum((t.quantity for t in before), D(0))
        value = Fraction(quantity * self.cost) / Fraction(self.quantity)
        for r in self.revaluations:
            still_held = r.quantity - sum((t.quantity for t in before if self.reaches(r, t)), D(0))
            value += Fraction(still_held * r.amount) / Fraction(r.quantity)
        return quantity, cents(value)


def posted(no: int, entry_type: ItemLedgerEntryType, quantity: Decimal, day: date, method: CostingMethod, **more: Any) -> ItemEntryPosted:
    return ItemEntryPosted(
        entry_no=no, item_no=ITEM, location_code="MAIN", posting_date=day, entry_type=entry_type, document_no=f"D{no}",
        quantity=quantity, costing_method=method, inventory_posting_group="RESALE", gen_prod_posting_group="RETAIL",
        recorded_at=datetime.now(UTC), **more,
    )
