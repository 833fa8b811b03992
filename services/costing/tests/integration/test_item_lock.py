"""One transaction at a time values an item: a consumer batch, an item charge, a revaluation and a standard cost
implementation on the same item wait for each other, so none builds on what another has not committed."""

import asyncio
from datetime import date
from decimal import Decimal

from inventory_contracts.catalog import CostingMethod
from inventory_contracts.warehouse import ItemApplication, ItemLedgerEntryType
from servicekit.db import connect

from costing.adapters.unit_of_work import PostgresCostingUnitOfWork
from costing.domain.charges import ChargeSplit
from costing.service_layer.valuation import AssignItemCharge, ChargeLine, assign_item_charge, value_item_entry
from ..reference.helpers import ITEM, posted

D = Decimal
DAY_1, DAY_5 = date(2026, 4, 1), date(2026, 4, 5)


async def test_an_item_charge_waits_for_the_batch_valuing_its_item_and_reaches_the_period_it_started(database: str) -> None:
    """Average, period Day. The batch's sale on day 5 starts that day's period from day 1's; the charge on day 1's
    purchase must reach it. Were the charge not to wait, it would walk day 1's later periods before day 5's was
    committed, and the sale would keep the cost without the charge (29.84 - 24.72 = 5.12 lost)."""
    first, batch, charge = await connect(database), await connect(database), await connect(database)
    try:
        await value_item_entry(PostgresCostingUnitOfWork(first), posted(1, ItemLedgerEntryType.PURCHASE, D(10), DAY_1, CostingMethod.AVERAGE, unit_cost=D("6.18")))
        sale = posted(2, ItemLedgerEntryType.SALE, D(-4), DAY_5, CostingMethod.AVERAGE,
                      applications=[ItemApplication(inbound_entry_no=1, outbound_entry_no=2, quantity=D(4))])

        async def charge_the_purchase() -> None:
            async with charge.transaction():
                await assign_item_charge(PostgresCostingUnitOfWork(charge), AssignItemCharge(
                    "FREIGHT", "CH1", DAY_1, D("12.80"), ChargeSplit.EQUALLY, (ChargeLine(1),)))

        async with batch.transaction():
            (sold,) = await value_item_entry(PostgresCostingUnitOfWork(batch), sale)
            assert sold.cost_amount_actual == D("-24.72")  # 61.80 x 4 / 10
            charging = asyncio.create_task(charge_the_purchase())
            await asyncio.sleep(0.5)
            assert not charging.done(), "the charge went ahead while a batch held its item"
        await asyncio.wait_for(charging, 10)

        cost = await first.fetchval(
            "SELECT sum(cost_amount_actual) FROM value_entries WHERE item_ledger_entry_no = 2 AND item_no = $1", ITEM)
        assert cost == D("-29.84")  # (61.80 + 12.80) x 4 / 10
    finally:
        for conn in (first, batch, charge):
            await conn.close()
