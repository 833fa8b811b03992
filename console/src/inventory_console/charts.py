"""Availability by period as bars drawn on the server: each period a figure of its own, one inline SVG bar on a
scale shared by all of them, so the page needs no script and no chart library."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

HEIGHT = 120
WIDTH = 56


@dataclass(frozen=True)
class Bar:
    period_start: str
    period_end: str
    value: Decimal
    net_change: Decimal
    top: float
    height: float
    negative: bool


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    baseline: float
    width: int = WIDTH
    height: int = HEIGHT


def availability_chart(periods: list[dict[str, Any]], figure: str = "inventory") -> Chart:
    """Bars of `figure` per period; negative values hang below a baseline placed where zero falls."""
    values = [Decimal(p[figure]) for p in periods]
    high = max([Decimal(0), *values])
    low = min([Decimal(0), *values])
    span = (high - low) or Decimal(1)
    scale = HEIGHT / float(span)
    baseline = float(high) * scale
    bars = []
    for period, value in zip(periods, values):
        size = abs(float(value)) * scale
        bars.append(Bar(period["period_start"], period["period_end"], value, Decimal(period["net_change"]),
                        top=baseline - size if value >= 0 else baseline, height=size, negative=value < 0))
    return Chart(bars, baseline)
