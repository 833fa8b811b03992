"""The standard cost costing values by, between its own implementations and the cards catalog sends: a card written
before catalog took an implementation does not bring the old standard cost back; a later card does change it.
Through costing's use cases and its SQL on a real PostgreSQL."""

from collections.abc import Awaitable, Callable
from datetime import date
from decimal import Decimal
from typing import Any

import asyncpg

from inventory_contracts.catalog import CostingMethod, ItemType, ItemUpserted

from costing.adapters.unit_of_work import PostgresCostingUnitOfWork
from costing.service_layer.items import replicate_item
from costing.service_layer.standard_costs import ImplementStandardCostChanges, implement_standard_cost_changes, set_worksheet_line

D = Decimal
ITEM = "STDCARD"


def card(revision: int, standard_cost: str, implementation_no: int = 0) -> ItemUpserted:
    return ItemUpserted(
        item_no=ITEM, revision=revision, description="Standard item", type=ItemType.INVENTORY, base_unit_of_measure="PCS",
        costing_method=CostingMethod.STANDARD, standard_cost=D(standard_cost), inventory_posting_group="RESALE",
        gen_prod_posting_group="RETAIL", standard_cost_implementation_no=implementation_no,
    )


def test_an_older_card_keeps_the_implemented_standard_cost_and_a_later_one_changes_it(
    in_rolled_back_transaction: Callable[[Callable[[asyncpg.Connection], Awaitable[Any]]], Any],
) -> None:
    async def example(conn: asyncpg.Connection) -> list[tuple[int, Decimal, bool]]:
        repository = PostgresCostingUnitOfWork(conn).items
        seen = []

        async def replicate(upserted: ItemUpserted) -> None:
            changed = await replicate_item(PostgresCostingUnitOfWork(conn), upserted)
            row = await repository.item_card(ITEM)
            assert row is not None
            seen.append((row.revision, row.standard_cost, changed))

        await replicate(card(1, "10.00"))
        await set_worksheet_line(PostgresCostingUnitOfWork(conn), "DEFAULT", ITEM, D("12.00"))
        (line,) = (await implement_standard_cost_changes(PostgresCostingUnitOfWork(conn), ImplementStandardCostChanges("DEFAULT", date(2025, 6, 1)))).lines
        assert line.implementation_no is not None
        # Written by catalog (a description changed) before it took the implementation.
        await replicate(card(2, "10.00"))
        # Catalog took it.
        await replicate(card(3, "12.00", line.implementation_no))
        # Someone changes the card's standard cost afterwards; an old revision arriving late changes nothing.
        await replicate(card(4, "15.00", line.implementation_no))
        await replicate(card(2, "10.00"))
        return seen

    assert in_rolled_back_transaction(example) == [
        (1, D("10.00"), False), (2, D("12.00"), False), (3, D("12.00"), False), (4, D("15.00"), True), (4, D("15.00"), False),
    ]
