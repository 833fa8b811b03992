"""The inventory setup costing keeps as a replica of the warehouse's: which dates are open, how averages are kept."""

from dataclasses import dataclass
from datetime import date, timedelta

from inventory_contracts.warehouse import AverageCostCalcType, AverageCostPeriod


@dataclass(frozen=True)
class InventoryCalendar:
    allow_posting_from: date | None = None
    closed_through: date | None = None
    """Ending date of the latest closed inventory period."""
    average_cost_period: AverageCostPeriod = AverageCostPeriod.DAY
    average_cost_calc_type: AverageCostCalcType = AverageCostCalcType.ITEM

    @property
    def first_open_date(self) -> date | None:
        """The earliest date a value entry may be posted on; None when every date is open."""
        after_closed = self.closed_through + timedelta(days=1) if self.closed_through else None
        candidates = [d for d in (self.allow_posting_from, after_closed) if d is not None]
        return max(candidates) if candidates else None

    def is_open(self, day: date) -> bool:
        first = self.first_open_date
        return first is None or day >= first

    def adjustment_date(self, posting_date: date) -> date:
        """An adjustment is dated on the adjusted entry's posting date, or the first open date if that one is closed."""
        first = self.first_open_date
        return posting_date if first is None or posting_date >= first else first

    @property
    def per_location(self) -> bool:
        return self.average_cost_calc_type == AverageCostCalcType.ITEM_LOCATION_VARIANT
