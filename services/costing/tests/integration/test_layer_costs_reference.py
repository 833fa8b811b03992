"""Every outbound entry of a FIFO, LIFO or Specific item costs what Business Central's rules give (the reference model
of tests/reference/layers.py), through costing's use cases and SQL. `COSTING_REFERENCE_EXAMPLES` sets how many random
sequences (of 15 to 30 operations) each method is tried with; tests/unit/test_engine_reference_models.py plays many
more on the engine in memory."""

import os
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
import pytest
from hypothesis import HealthCheck, given, note, settings

from inventory_contracts.catalog import CostingMethod

from ..reference.backends import PostgresBackend
from ..reference.layers import METHODS, REVALUATIONS_THAT_ADD_UP_TO_NOTHING, Step, check, play, steps


@pytest.mark.parametrize("method", METHODS, ids=str)
@settings(max_examples=int(os.environ.get("COSTING_REFERENCE_EXAMPLES", "100")), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(plan=steps())
def test_outbound_entries_cost_what_the_rules_give(
    method: CostingMethod, plan: list[Step],
    in_rolled_back_transaction: Callable[[Callable[[asyncpg.Connection], Awaitable[Any]]], Any],
) -> None:
    note(f"plan: {plan}")

    async def example(conn: asyncpg.Connection) -> Any:
        return await play(PostgresBackend(conn), method, plan)

    check(*in_rolled_back_transaction(example))


@pytest.mark.parametrize("example", list(REVALUATIONS_THAT_ADD_UP_TO_NOTHING))
def test_revaluations_that_add_up_to_nothing_still_reach_what_they_reached(
    example: str, in_rolled_back_transaction: Callable[[Callable[[asyncpg.Connection], Awaitable[Any]]], Any],
) -> None:
    async def example_(conn: asyncpg.Connection) -> Any:
        return await play(PostgresBackend(conn), CostingMethod.FIFO, REVALUATIONS_THAT_ADD_UP_TO_NOTHING[example])

    check(*in_rolled_back_transaction(example_))
