"""The reference models of tests/reference, played on the valuation engine directly with its cost graph in memory
(costing.adapters.memory): the same checks as through PostgreSQL (tests/integration), on many more operations.

`COSTING_PROPERTY_OPERATIONS` sets how many operations (engine calls) each costing method plays at least, and each
average-cost period of Average; every step of a plan plays at least one, so `max_examples` plans of at least
`MIN_STEPS` steps play that many. The default keeps CI fast; tests/reference/README.md gives the large run.
"""

import asyncio
import math
import os
from collections import Counter

import pytest
from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st

from inventory_contracts.catalog import CostingMethod
from inventory_contracts.warehouse import AverageCostPeriod

from ..reference import average_standard, invariants, layers
from ..reference.backends import MemoryBackend
from ..reference.helpers import D

OPERATIONS = int(os.environ.get("COSTING_PROPERTY_OPERATIONS", "1000"))
LARGE = OPERATIONS >= 20_000
MIN_STEPS, MAX_STEPS = (150, 200) if LARGE else (15, 40)
# A large run takes longer than the suite's time limit per test (pyproject's 600 s) on a busy machine.
pytestmark = [pytest.mark.timeout(0)] if LARGE else []
PLAYED: Counter[str] = Counter()
"""Operations played per costing method (Average: per average-cost period), as the large run reports them."""

SETTINGS = settings(
    max_examples=math.ceil(OPERATIONS / MIN_STEPS), deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)


@pytest.mark.parametrize("method", layers.METHODS, ids=str)
@SETTINGS
@given(plan=layers.steps(MIN_STEPS, MAX_STEPS, layers.WITH_RETURNS))
def test_layer_outbound_entries_cost_what_the_rules_give(method: CostingMethod, plan: list[layers.Step]) -> None:
    note(f"plan: {plan}")
    backend = MemoryBackend()
    found = asyncio.run(layers.play(backend, method, plan))
    PLAYED[str(method)] += backend.operations
    layers.check(*found)


@pytest.mark.parametrize("period", average_standard.PERIODS, ids=str)
@SETTINGS
@given(plan=average_standard.plans(average_standard.AVERAGE_KINDS, MIN_STEPS, MAX_STEPS))
def test_average_outbound_entries_cost_what_the_rules_give(period: AverageCostPeriod, plan: list[average_standard.Step]) -> None:
    note(f"plan: {plan}")
    backend = MemoryBackend()
    ref, rows = asyncio.run(average_standard.play_average(backend, period, plan, note_rounding=False))
    PLAYED[f"{CostingMethod.AVERAGE} ({period})"] += backend.operations
    average_standard.check_average(ref, rows)
    event(f"revaluations: {min(len(ref.revaluations), 2)}; rounding: {ref.rounded}")


@SETTINGS
@given(plan=average_standard.plans(average_standard.STANDARD_KINDS, MIN_STEPS, MAX_STEPS))
def test_standard_outbound_entries_cost_the_standard_they_take(plan: list[average_standard.Step]) -> None:
    note(f"plan: {plan}")
    backend = MemoryBackend()
    ref, rows = asyncio.run(average_standard.play_standard(backend, plan))
    PLAYED[str(CostingMethod.STANDARD)] += backend.operations
    average_standard.check_standard(ref, rows)
    event(f"at standard: {ref.at_standard}")


@pytest.mark.parametrize("method", list(CostingMethod), ids=str)
@SETTINGS
@given(steps=invariants.operations(MIN_STEPS, MAX_STEPS), indirect=st.booleans())
def test_valuation_keeps_its_invariants(method: CostingMethod, steps: list[invariants.Operation], indirect: bool) -> None:
    note(f"steps: {steps}")
    backend = MemoryBackend()

    async def example() -> dict[str, object]:
        await invariants.play(backend, method, steps, indirect)
        return await invariants.figures(backend)

    invariants.check(method, asyncio.run(example()))
    PLAYED[f"{method}, invariants"] += backend.operations


@pytest.mark.parametrize("method", [CostingMethod.FIFO, CostingMethod.LIFO], ids=str)
def test_a_sale_of_more_than_is_on_hand_takes_the_cost_of_the_purchase_that_covers_it(method: CostingMethod) -> None:
    """2 bought at 5.00; a sale of 4 takes them and waits for 2 more; a purchase of 2 at 8.00 covers it: 10.00 + 16.00."""
    backend = MemoryBackend()
    plan = [("buy", 1, 0, 500), ("oversell", 1, 1, 100), ("buy", 1, 3, 800)]

    async def example() -> dict[str, object]:
        await invariants.play(backend, method, plan, indirect=False)
        return await invariants.figures(backend)

    found = asyncio.run(example())
    assert found["entry_costs"] == {1: D("10.00"), 2: D("-26.00"), 3: D("16.00")}
    invariants.check(method, found)


@SETTINGS
@given(steps=invariants.operations(MIN_STEPS, MAX_STEPS), indirect=st.booleans())
def test_average_per_location_and_month_keeps_its_invariants(steps: list[invariants.Operation], indirect: bool) -> None:
    note(f"steps: {steps}")
    backend = MemoryBackend()

    async def example() -> dict[str, object]:
        await invariants.play(backend, CostingMethod.AVERAGE, steps, indirect, invariants.PER_LOCATION_MONTH)
        return await invariants.figures(backend)

    invariants.check(CostingMethod.AVERAGE, asyncio.run(example()), per_location=True)
    PLAYED[f"{CostingMethod.AVERAGE} (per location, Month), invariants"] += backend.operations


def test_an_invoice_at_the_receipts_price_changes_nothing_after_a_rounding() -> None:
    before, after = asyncio.run(average_standard.an_invoice_at_the_receipts_price_after_a_rounding(MemoryBackend()))
    assert before == {3: D("-2.00"), 4: D("-3.00"), 2: D("1.00")}
    assert after == {3: D("-2.00"), 4: D("-3.00"), 2: D("3.00")}


def test_each_method_played_the_operations_asked_for() -> None:
    """Runs after the property tests of this module (pytest keeps the file's order): the large run's proof."""
    expected = [*(str(m) for m in layers.METHODS), *(f"{CostingMethod.AVERAGE} ({p})" for p in average_standard.PERIODS),
                str(CostingMethod.STANDARD)]
    ran = [name for name in expected if name in PLAYED]
    if not ran:
        pytest.skip("no reference-model test of this module ran")
    print("\noperations played:", ", ".join(f"{name}: {count:,}" for name, count in PLAYED.items()))
    assert all(PLAYED[name] >= OPERATIONS for name in ran), dict(PLAYED)


@pytest.mark.parametrize("example", [
    "a sale after them",
    "an item charge after them",
])
def test_revaluations_that_add_up_to_nothing_still_reach_what_they_reached(example: str) -> None:
    backend = MemoryBackend()
    layers.check(*asyncio.run(layers.play(backend, CostingMethod.FIFO, layers.REVALUATIONS_THAT_ADD_UP_TO_NOTHING[example])))
