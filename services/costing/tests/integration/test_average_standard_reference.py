"""Every outbound entry of an Average or a Standard item costs what Business Central's rules give (the reference models
of tests/reference/average_standard.py), through costing's use cases and SQL. `COSTING_REFERENCE_EXAMPLES` sets how
many random sequences (of 15 to 30 operations, back-dated ones among them) each method is tried with;
tests/unit/test_engine_reference_models.py plays many more on the engine in memory."""

import os
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
import pytest
from hypothesis import HealthCheck, event, given, note, settings

from inventory_contracts.warehouse import AverageCostPeriod

from ..reference.average_standard import (
    AVERAGE_KINDS,
    PERIODS,
    STANDARD_KINDS,
    Step,
    an_invoice_at_the_receipts_price_after_a_rounding,
    check_average,
    check_standard,
    plans,
    play_average,
    play_standard,
)
from ..reference.backends import PostgresBackend
from ..reference.helpers import D

Run = Callable[[Callable[[asyncpg.Connection], Awaitable[Any]]], Any]
SETTINGS = settings(
    max_examples=int(os.environ.get("COSTING_REFERENCE_EXAMPLES", "100")),
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.mark.parametrize("period", PERIODS, ids=str)
@SETTINGS
@given(plan=plans(AVERAGE_KINDS))
def test_average_outbound_entries_cost_what_the_rules_give(
    period: AverageCostPeriod, plan: list[Step], in_rolled_back_transaction: Run
) -> None:
    note(f"plan: {plan}")

    async def example(conn: asyncpg.Connection) -> Any:
        return await play_average(PostgresBackend(conn), period, plan)

    ref, rows = in_rolled_back_transaction(example)
    event(
        f"revaluations: {min(len(ref.revaluations), 2)}; fixed applications: {min(sum(1 for o in ref.outbound.values() if o.applies_to), 2)}; "
        f"rounding: {ref.rounded}"
    )
    check_average(ref, rows)


@SETTINGS
@given(plan=plans(STANDARD_KINDS))
def test_standard_outbound_entries_cost_the_standard_they_take(plan: list[Step], in_rolled_back_transaction: Run) -> None:
    note(f"plan: {plan}")

    async def example(conn: asyncpg.Connection) -> Any:
        return await play_standard(PostgresBackend(conn), plan)

    ref, rows = in_rolled_back_transaction(example)
    event(
        f"revalued entries: {min(sum(len(i.revaluations) for i in ref.inbound.values()), 2)}; at standard: {ref.at_standard}"
    )
    check_standard(ref, rows)


def test_an_invoice_at_the_receipts_price_changes_nothing_after_a_rounding(in_rolled_back_transaction: Run) -> None:
    async def example(conn: asyncpg.Connection) -> Any:
        return await an_invoice_at_the_receipts_price_after_a_rounding(PostgresBackend(conn))

    before, after = in_rolled_back_transaction(example)
    assert before == {3: D("-2.00"), 4: D("-3.00"), 2: D("1.00")}
    assert after == {3: D("-2.00"), 4: D("-3.00"), 2: D("3.00")}
