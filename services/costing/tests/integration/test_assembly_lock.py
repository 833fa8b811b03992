"""An assembly output and its consumptions valued at once by two costing replicas: the output's share of a
consumption is recorded and the consumption's cost forwarded to it one after the other, never both blind to each
other, so the output always ends with the consumption's cost."""

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from decimal import Decimal

import asyncpg

from inventory_contracts.warehouse import ItemEntryInvoiced, ItemLedgerEntryType
from servicekit.db import connect

from costing.adapters.unit_of_work import PostgresCostingUnitOfWork
from costing.service_layer.valuation import value_item_entries
from .test_assembly_sql import DAY, cost, entry

D = Decimal
ILE = ItemLedgerEntryType

PURCHASE = entry(1, "LOCK-C", ILE.PURCHASE, "2", unit_cost=D(10), invoiced_quantity=D(0))
CONSUMPTION = entry(2, "LOCK-C", ILE.ASSEMBLY_CONSUMPTION, "-2", applied=1)
OUTPUT = entry(3, "LOCK-P", ILE.ASSEMBLY_OUTPUT, "1", consumption_entries=[2])
INVOICE = ItemEntryInvoiced(item_no="LOCK-C", item_ledger_entry_no=1, document_no="PI1", posting_date=DAY,
                            invoiced_quantity=D(2), unit_cost=D(12), recorded_at=datetime.now(UTC))

Valuing = Callable[[asyncpg.Connection], Awaitable[object]]


def valuing(*events: object) -> Valuing:
    async def value(conn: asyncpg.Connection) -> object:
        return await value_item_entries(PostgresCostingUnitOfWork(conn), list(events))  # type: ignore[arg-type]
    return value


async def first_holds_while_second_runs(
    database: str, setup: list[Valuing], first: Valuing, second: Valuing
) -> asyncpg.Connection:
    """`first` values in a transaction it keeps open for half a second while `second` runs in another; both commit."""
    reader, one, other = await connect(database), await connect(database), await connect(database)
    try:
        for step in setup:
            await step(reader)

        async def then() -> None:
            async with other.transaction():
                await second(other)

        async with one.transaction():
            await first(one)
            running = asyncio.create_task(then())
            await asyncio.sleep(0.5)
        await asyncio.wait_for(running, 10)
    finally:
        await one.close()
        await other.close()
    return reader


async def test_an_output_valued_before_its_consumption_commits_gets_its_cost(database: str) -> None:
    """The output reads the consumption as not valued yet (cost 0) and records its share; the consumption, valued
    meanwhile, must see that record to forward its 20.00 (without waiting it would find none, and commit first)."""
    reader = await first_holds_while_second_runs(database, [valuing(PURCHASE)], valuing(OUTPUT), valuing(CONSUMPTION))
    try:
        assert (await cost(reader, 2), await cost(reader, 3)) == (D("-20.00"), D("20.00"))
    finally:
        await reader.close()


async def test_an_output_valued_while_its_consumption_is_being_valued_gets_its_cost(database: str) -> None:
    """The consumption is valued first, not yet committed: the output must not read it as not valued (cost 0) and
    record that after the consumption found no output to forward its cost to."""
    reader = await first_holds_while_second_runs(database, [valuing(PURCHASE)], valuing(CONSUMPTION), valuing(OUTPUT))
    try:
        assert (await cost(reader, 2), await cost(reader, 3)) == (D("-20.00"), D("20.00"))
    finally:
        await reader.close()


async def test_a_consumption_cost_changed_while_its_output_is_being_valued_reaches_the_output(database: str) -> None:
    """The consumption is valued (20.00); the output records it, while the component's purchase is invoiced at 12.00:
    the consumption's change to 24.00 must reach the output, which took 20.00 of it."""
    reader = await first_holds_while_second_runs(database, [valuing(PURCHASE), valuing(CONSUMPTION)],
                                                 valuing(OUTPUT), valuing(INVOICE))
    try:
        assert (await cost(reader, 2), await cost(reader, 3)) == (D("-24.00"), D("24.00"))
    finally:
        await reader.close()


async def test_an_output_valued_while_its_consumption_cost_changes_gets_the_changed_cost(database: str) -> None:
    """The invoice changes the consumption to 24.00, not yet committed: the output must not record the 20.00 it
    read after the invoice found no output to forward the change to."""
    reader = await first_holds_while_second_runs(database, [valuing(PURCHASE), valuing(CONSUMPTION)],
                                                 valuing(INVOICE), valuing(OUTPUT))
    try:
        assert (await cost(reader, 2), await cost(reader, 3)) == (D("-24.00"), D("24.00"))
    finally:
        await reader.close()
