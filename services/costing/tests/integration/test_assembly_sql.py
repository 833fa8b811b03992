"""Assembly valuation through costing's SQL: what an output takes from its consumptions, one of them valued in a later
batch, and a later invoice of a component forwarded to the output and its sale, as the in-memory graph does it."""

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import asyncpg

from inventory_contracts.catalog import CostingMethod
from inventory_contracts.warehouse import (
    AssemblyResourceUsage,
    ItemApplication,
    ItemEntryInvoiced,
    ItemEntryPosted,
    ItemLedgerEntryType,
)

from costing.adapters.unit_of_work import PostgresCostingUnitOfWork
from costing.domain.inbound import CostSetup
from costing.service_layer.valuation import value_item_entries

D = Decimal
DAY = date(2026, 3, 2)
ILE = ItemLedgerEntryType
FIFO, AVERAGE = CostingMethod.FIFO, CostingMethod.AVERAGE


def entry(no: int, item_no: str, entry_type: ItemLedgerEntryType, quantity: str, method: CostingMethod = FIFO,
          applied: int | None = None, **more: Any) -> ItemEntryPosted:
    return ItemEntryPosted(
        entry_no=no, item_no=item_no, location_code="MAIN", posting_date=DAY, entry_type=entry_type, document_no=f"D{no}",
        quantity=D(quantity), costing_method=method, inventory_posting_group="RESALE", gen_prod_posting_group="RETAIL",
        recorded_at=datetime.now(UTC), applications=[] if applied is None else [
            ItemApplication(inbound_entry_no=applied, outbound_entry_no=no, quantity=-D(quantity))], **more,
    )


async def cost(conn: asyncpg.Connection, entry_no: int) -> Decimal:
    return D(await conn.fetchval(
        "SELECT coalesce(sum(cost_amount_actual + cost_amount_expected), 0) FROM value_entries WHERE item_ledger_entry_no = $1",
        entry_no))


def test_an_output_in_a_later_batch_takes_its_consumptions_cost_and_follows_a_later_invoice(in_rolled_back_transaction: Any) -> None:
    async def check(conn: asyncpg.Connection) -> None:
        items = PostgresCostingUnitOfWork(conn).items
        await items.upsert_items([(CostSetup("ASM-C1", FIFO), 1, 0), (CostSetup("ASM-C2", AVERAGE), 1, 0),
                                  (CostSetup("ASM-P", FIFO, indirect_cost_pct=D(10), overhead_rate=D(1)), 1, 0)])
        output = entry(5, "ASM-P", ILE.ASSEMBLY_OUTPUT, "1", consumption_entries=[3, 4], resources=[AssemblyResourceUsage(
            resource_no="R1", order_line_no=30, quantity=D(2), direct_unit_cost=D(15), unit_cost=D(18))])
        await value_item_entries(PostgresCostingUnitOfWork(conn), [
            entry(1, "ASM-C1", ILE.PURCHASE, "2", unit_cost=D(10), invoiced_quantity=D(0)),
            entry(2, "ASM-C2", ILE.PURCHASE, "3", AVERAGE, unit_cost=D(5)),
            entry(3, "ASM-C1", ILE.ASSEMBLY_CONSUMPTION, "-2", applied=1),
        ])
        # The output's batch reaches costing before the batch of one of its consumptions.
        await value_item_entries(PostgresCostingUnitOfWork(conn), [output, entry(6, "ASM-P", ILE.SALE, "-1", applied=5)])
        assert await cost(conn, 6) == D("-62.60")  # 20.00 + 36.00 and 10 % + 1.00 overhead, C2 not valued yet
        await value_item_entries(PostgresCostingUnitOfWork(conn), [entry(4, "ASM-C2", ILE.ASSEMBLY_CONSUMPTION, "-3", AVERAGE, applied=2)])
        assert (await cost(conn, 5), await cost(conn, 6)) == (D("79.10"), D("-79.10"))
        rows = await conn.fetch("SELECT entry_type, cost_amount_actual, resource_no, adjustment FROM value_entries "
                                "WHERE item_ledger_entry_no = 5 ORDER BY entry_no")
        assert [tuple(row) for row in rows] == [
            ("Direct Cost", D("20.00"), None, False), ("Direct Cost", D("30.00"), "R1", False),
            ("Indirect Cost", D("6.00"), "R1", False), ("Indirect Cost", D("6.60"), None, False),
            ("Direct Cost", D("15.00"), None, True), ("Indirect Cost", D("1.50"), None, True)]

        await value_item_entries(PostgresCostingUnitOfWork(conn), [ItemEntryInvoiced(
            item_no="ASM-C1", item_ledger_entry_no=1, document_no="PI1", posting_date=DAY, invoiced_quantity=D(2),
            unit_cost=D(12), recorded_at=datetime.now(UTC))])
        assert (await cost(conn, 3), await cost(conn, 5), await cost(conn, 6)) == (D("-24.00"), D("83.50"), D("-83.50"))

    in_rolled_back_transaction(check)
