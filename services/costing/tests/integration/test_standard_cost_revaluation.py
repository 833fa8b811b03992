"""A Standard item's uninvoiced quantity is revalued as expected cost; its invoices reverse that expected cost as
Revaluation and book the variance against the revalued standard (Design Details: Revaluation, "Expected cost in
revaluation"). Through costing's use cases and its SQL on a real PostgreSQL."""

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import asyncpg

from inventory_contracts.catalog import CostingMethod
from inventory_contracts.warehouse import ItemEntryInvoiced, ItemEntryPosted, ItemLedgerEntryType

from costing.adapters.unit_of_work import PostgresCostingUnitOfWork
from costing.domain.inbound import CostSetup
from costing.service_layer.valuation import RevalueInventory, invoice_item_entry, revalue_inventory, value_item_entry

D = Decimal
ITEM = "STD"
Rows = list[tuple[str, Decimal, Decimal]]


def receipt(entry_no: int, quantity: str, unit_cost: str, day: date) -> ItemEntryPosted:
    return ItemEntryPosted(
        entry_no=entry_no, item_no=ITEM, location_code="MAIN", posting_date=day, entry_type=ItemLedgerEntryType.PURCHASE,
        document_no=f"R{entry_no}", quantity=D(quantity), costing_method=CostingMethod.STANDARD, unit_cost=D(unit_cost),
        invoiced_quantity=D(0), inventory_posting_group="RESALE", gen_prod_posting_group="RETAIL", recorded_at=datetime.now(UTC),
    )


def invoiced(entry_no: int, quantity: str, unit_cost: str, day: date) -> ItemEntryInvoiced:
    return ItemEntryInvoiced(
        item_no=ITEM, item_ledger_entry_no=entry_no, document_no=f"INV{day.day}", posting_date=day,
        invoiced_quantity=D(quantity), unit_cost=D(unit_cost), recorded_at=datetime.now(UTC),
    )


async def value_entries(conn: asyncpg.Connection, after: int = 0) -> Rows:
    rows = await conn.fetch(
        """SELECT entry_type, cost_amount_actual, cost_amount_expected FROM value_entries
        WHERE item_no = $1 AND entry_no > $2 ORDER BY entry_no""", ITEM, after,
    )
    return [(row["entry_type"], row["cost_amount_actual"], row["cost_amount_expected"]) for row in rows]


def test_a_partly_invoiced_receipt_is_revalued_in_parts_and_its_invoices_reverse_the_expected_part(
    in_rolled_back_transaction: Callable[[Callable[[asyncpg.Connection], Awaitable[Any]]], Any],
) -> None:
    async def example(conn: asyncpg.Connection) -> dict[str, Rows]:
        await PostgresCostingUnitOfWork(conn).items.upsert_item(CostSetup(ITEM, CostingMethod.STANDARD, standard_cost=D("10.00")), revision=1)
        await value_item_entry(PostgresCostingUnitOfWork(conn), receipt(1, "10", "11.00", date(2025, 3, 1)))
        await invoice_item_entry(PostgresCostingUnitOfWork(conn), invoiced(1, "4", "11.00", date(2025, 3, 2)))
        seen = len(await value_entries(conn))
        revalued = await revalue_inventory(PostgresCostingUnitOfWork(conn), RevalueInventory(ITEM, date(2025, 3, 3), new_unit_cost=D("12.00")))
        assert len(revalued) == 1
        await invoice_item_entry(PostgresCostingUnitOfWork(conn), invoiced(1, "3", "9.00", date(2025, 3, 4)))
        await invoice_item_entry(PostgresCostingUnitOfWork(conn), invoiced(1, "3", "13.00", date(2025, 3, 5)))
        everything = await value_entries(conn)
        return {"before": everything[:seen], "after": everything[seen:]}

    found = in_rolled_back_transaction(example)
    assert found["before"] == [
        ("Direct Cost", D("0.00"), D("100.00")),
        ("Direct Cost", D("44.00"), D("-40.00")),
        ("Variance", D("-4.00"), D("0.00")),
    ]
    assert found["after"] == [
        # The 10 units on hand go from 10.00 to 12.00: the invoiced 4 as actual, the 6 received only as expected cost.
        ("Revaluation", D("8.00"), D("12.00")),
        # 3 of the 6: half the expected cost still open, 30.00 of the receipt and 6.00 of the revaluation; invoiced
        # at 9.00 against the standard of 12.00.
        ("Direct Cost", D("27.00"), D("-30.00")),
        ("Revaluation", D("0.00"), D("-6.00")),
        ("Variance", D("9.00"), D("0.00")),
        # The last 3, at 13.00: whatever expected cost is left.
        ("Direct Cost", D("39.00"), D("-30.00")),
        ("Revaluation", D("0.00"), D("-6.00")),
        ("Variance", D("-3.00"), D("0.00")),
    ]
    rows = found["before"] + found["after"]
    assert sum(actual for _, actual, _ in rows) == D("120.00")
    assert sum(expected for _, _, expected in rows) == 0


def test_a_fifo_item_keeps_revaluing_invoiced_quantity_as_actual_cost(
    in_rolled_back_transaction: Callable[[Callable[[asyncpg.Connection], Awaitable[Any]]], Any],
) -> None:
    async def example(conn: asyncpg.Connection) -> Rows:
        await PostgresCostingUnitOfWork(conn).items.upsert_item(CostSetup(ITEM, CostingMethod.FIFO), revision=1)
        posted = receipt(1, "10", "11.00", date(2025, 3, 1)).model_copy(
            update={"costing_method": CostingMethod.FIFO, "invoiced_quantity": None})
        await value_item_entry(PostgresCostingUnitOfWork(conn), posted)
        await revalue_inventory(PostgresCostingUnitOfWork(conn), RevalueInventory(ITEM, date(2025, 3, 3), new_unit_cost=D("12.00")))
        return await value_entries(conn)

    assert in_rolled_back_transaction(example) == [("Direct Cost", D("110.00"), D("0.00")), ("Revaluation", D("10.00"), D("0.00"))]
