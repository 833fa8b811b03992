"""Property tests of the whole valuation (the invariants of tests/reference/invariants.py), through costing's use
cases and its SQL on a real PostgreSQL; tests/unit/test_engine_reference_models.py plays them on the engine in memory."""

from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inventory_contracts.catalog import CostingMethod

from ..reference.backends import PostgresBackend
from ..reference.helpers import D
from ..reference.invariants import PER_LOCATION_MONTH, Operation, check, figures, operations, play

Run = Callable[[Callable[[asyncpg.Connection], Awaitable[dict[str, Any]]]], dict[str, Any]]


@pytest.mark.parametrize("method", list(CostingMethod), ids=str)
@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(steps=operations(), indirect=st.booleans())
def test_valuation_keeps_its_invariants(
    method: CostingMethod, steps: list[Operation], indirect: bool, in_rolled_back_transaction: Run,
) -> None:
    async def example(conn: asyncpg.Connection) -> dict[str, Any]:
        backend = PostgresBackend(conn)
        await play(backend, method, steps, indirect)
        return await figures(backend)

    check(method, in_rolled_back_transaction(example))


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(steps=operations(), indirect=st.booleans())
def test_average_per_location_and_month_keeps_its_invariants(
    steps: list[Operation], indirect: bool, in_rolled_back_transaction: Run,
) -> None:
    async def example(conn: asyncpg.Connection) -> dict[str, Any]:
        backend = PostgresBackend(conn)
        await play(backend, CostingMethod.AVERAGE, steps, indirect, PER_LOCATION_MONTH)
        return await figures(backend)

    check(CostingMethod.AVERAGE, in_rolled_back_transaction(example), per_location=True)


def test_an_item_charge_on_a_receipt_survives_its_invoice(in_rolled_back_transaction: Run) -> None:
    async def example(conn: asyncpg.Connection) -> dict[str, Any]:
        backend = PostgresBackend(conn)
        await play(backend, CostingMethod.FIFO, [("buy", 40, 0, 100), ("charge", 0, 0, 100), ("invoice", 0, 0, 100)], False)
        return await figures(backend)

    found = in_rolled_back_transaction(example)
    assert found["per_location"]["MAIN"] == (D(1), D("2.00"))


def test_revaluing_an_average_item_twice_on_a_date_counts_once(in_rolled_back_transaction: Run) -> None:
    async def example(conn: asyncpg.Connection) -> dict[str, Any]:
        backend = PostgresBackend(conn)
        await play(backend, CostingMethod.AVERAGE, [("buy", 1, 0, 150), ("buy", 1, 0, 150), ("revalue", 0, 0, 100),
                                                    ("revalue", 0, 0, 100)], False)
        return await figures(backend)

    found = in_rolled_back_transaction(example)
    assert found["per_location"]["MAIN"] == (D(4), D("4.00"))
