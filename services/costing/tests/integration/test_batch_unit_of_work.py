"""A batch of postings and invoices is valued in one unit of work: exactly the value entries that valuing the same
events one at a time writes, and for postings a fixed number of statements whatever the batch's size."""

import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import asyncpg

from inventory_contracts.catalog import CostingMethod
from inventory_contracts.warehouse import ItemApplication, ItemEntryInvoiced, ItemEntryPosted, ItemLedgerEntryType

from costing.adapters.unit_of_work import PostgresCostingUnitOfWork
from costing.domain.errors import CostingError
from costing.domain.inbound import CostSetup
from costing.service_layer.valuation import value_item_entries

D = Decimal
START = date(2026, 3, 2)
ITEMS = ("UOW-A", "UOW-B", "UOW-C")


def events(count: int, seed: int, *, invoices: bool = True) -> list[ItemEntryPosted | ItemEntryInvoiced]:
    """Receipts (some invoiced later at another cost) and sales applied FIFO, over a few items and days."""
    rng = random.Random(seed)
    open_layers: dict[str, list[list[Any]]] = {item: [] for item in ITEMS}
    uninvoiced: list[tuple[str, int, D]] = []
    planned: list[ItemEntryPosted | ItemEntryInvoiced] = []
    for no in range(1, count + 1):
        item, day = rng.choice(ITEMS), START + timedelta(days=no // 7)
        common = dict(entry_no=no, item_no=item, location_code="MAIN", posting_date=day, document_no=f"D{no}",
                      costing_method=CostingMethod.FIFO, inventory_posting_group="RESALE", gen_prod_posting_group="RETAIL",
                      recorded_at=datetime.now(UTC))
        on_hand = sum(layer[1] for layer in open_layers[item])
        if uninvoiced and rng.random() < 0.15:
            item_no, entry_no, quantity = uninvoiced.pop(0)
            planned.append(ItemEntryInvoiced(item_no=item_no, item_ledger_entry_no=entry_no, document_no=f"I{no}", posting_date=day,
                                             invoiced_quantity=quantity, unit_cost=D(rng.randint(100, 9_999)) / 100,
                                             invoice_entry_no=no, recorded_at=datetime.now(UTC)))
        elif on_hand < 5 or rng.random() < 0.5:
            quantity = D(rng.randint(1, 40))
            receipt = invoices and rng.random() < 0.3
            planned.append(ItemEntryPosted(**common, entry_type=ItemLedgerEntryType.PURCHASE, quantity=quantity,
                                           unit_cost=D(rng.randint(100, 9_999)) / (300 if invoices else 100),
                                           invoiced_quantity=D(0) if receipt else None))
            open_layers[item].append([no, quantity])
            if receipt:
                uninvoiced.append((item, no, quantity))
        else:
            wanted, taken = D(rng.randint(1, int(on_hand))), []
            while wanted:
                layer = open_layers[item][0]
                quantity = min(wanted, layer[1])
                taken.append(ItemApplication(inbound_entry_no=layer[0], outbound_entry_no=no, quantity=quantity))
                layer[1] -= quantity
                wanted -= quantity
                if not layer[1]:
                    open_layers[item].pop(0)
            planned.append(ItemEntryPosted(**common, entry_type=ItemLedgerEntryType.SALE, quantity=-sum(a.quantity for a in taken),
                                           applications=taken))
    return planned


async def written_by(conn: asyncpg.Connection, batches: list[list[ItemEntryPosted | ItemEntryInvoiced]]) -> tuple[list[Any], int]:
    """The value entries stored after valuing the batches in turn, and the statements the valuation sent."""
    for item in ITEMS:
        await PostgresCostingUnitOfWork(conn).items.upsert_item(CostSetup(item, CostingMethod.FIFO), revision=1)
    statements: list[str] = []

    def log(query: Any) -> None:
        statements.append(query.query)

    conn.add_query_logger(log)
    try:
        for batch in batches:
            await value_item_entries(PostgresCostingUnitOfWork(conn), batch)
    finally:
        conn.remove_query_logger(log)
    rows = await conn.fetch(
        """SELECT item_ledger_entry_no, entry_type, posting_date, valuation_date, valued_quantity, invoiced_quantity,
                  cost_amount_actual, cost_amount_expected, adjustment, applies_to_entry IS NULL AS first
           FROM value_entries ORDER BY entry_no"""
    )
    return [tuple(row) for row in rows], len(statements)


def test_a_batch_writes_what_one_event_at_a_time_writes(in_rolled_back_transaction: Any) -> None:
    planned = events(300, seed=5)
    one_at_a_time, _ = in_rolled_back_transaction(lambda conn: written_by(conn, [[event] for event in planned]))
    in_one_batch, _ = in_rolled_back_transaction(lambda conn: written_by(conn, [planned]))
    assert in_one_batch == one_at_a_time
    assert len(one_at_a_time) >= 300 and any(isinstance(event, ItemEntryInvoiced) for event in planned)


def test_a_batch_of_postings_takes_the_same_few_statements_whatever_its_size(in_rolled_back_transaction: Any) -> None:
    """Reads are set-based up front and writes in bulk at the end (COPY is not a logged statement). Costs in whole cents
    leave no residue: a used-up layer with one reads its inbound entry to post the Rounding entry, outside this count."""
    counts = {size: in_rolled_back_transaction(lambda conn, size=size: written_by(conn, [events(size, seed=size, invoices=False)]))[1]
              for size in (30, 600)}
    assert counts[600] <= counts[30] <= 16, f"statements per batch size: {counts}"


def test_value_entry_numbers_follow_the_order_they_were_written_in(in_rolled_back_transaction: Any) -> None:
    async def check(conn: asyncpg.Connection) -> None:
        for item in ITEMS:
            await PostgresCostingUnitOfWork(conn).items.upsert_item(CostSetup(item, CostingMethod.FIFO), revision=1)
        written = [entry for entries in await value_item_entries(PostgresCostingUnitOfWork(conn), events(120, seed=9)) for entry in entries]
        numbers = [entry.entry_no for entry in written]
        assert numbers == sorted(numbers) and numbers[0] > 0 and len(set(numbers)) == len(numbers)
        stored = {row["entry_no"]: row for row in await conn.fetch("SELECT * FROM value_entries")}
        assert set(stored) == set(numbers)
        for entry in written:
            row = stored[entry.entry_no]
            assert (row["cost_amount_actual"], row["applies_to_entry"]) == (entry.cost_amount_actual, entry.applies_to_entry)
            if entry.applies_to_entry is not None:
                assert stored[entry.applies_to_entry]["item_ledger_entry_no"] == entry.item_ledger_entry.entry_no

    in_rolled_back_transaction(check)


def test_an_event_undone_by_its_savepoint_leaves_nothing_for_the_next_one_to_write(in_rolled_back_transaction: Any) -> None:
    """Run event by event (a batch with an event that fails for good), each event in a savepoint of one unit of work: what
    the failed one kept unwritten, or held as it changed it, must not be written with the next one."""
    common = dict(location_code="MAIN", posting_date=START, costing_method=CostingMethod.FIFO, inventory_posting_group="RESALE",
                  gen_prod_posting_group="RETAIL", recorded_at=datetime.now(UTC), item_no="UOW-A")
    sale = ItemEntryPosted(**common, entry_no=1, document_no="S1", entry_type=ItemLedgerEntryType.SALE, quantity=D(-2))
    # Applies to an entry that was never valued provisionally: refused after the purchase's entry and layer were kept.
    refused = ItemEntryPosted(**common, entry_no=2, document_no="P2", entry_type=ItemLedgerEntryType.PURCHASE, quantity=D(5),
                              unit_cost=D("3.00"), applications=[ItemApplication(inbound_entry_no=2, outbound_entry_no=99, quantity=D(1))])
    covering = ItemEntryPosted(**common, entry_no=3, document_no="P3", entry_type=ItemLedgerEntryType.PURCHASE, quantity=D(5),
                               unit_cost=D("4.00"), applications=[ItemApplication(inbound_entry_no=3, outbound_entry_no=1, quantity=D(2))])

    async def check(conn: asyncpg.Connection) -> None:
        await PostgresCostingUnitOfWork(conn).items.upsert_item(CostSetup("UOW-A", CostingMethod.FIFO), revision=1)
        await value_item_entries(PostgresCostingUnitOfWork(conn), [sale])
        uow = PostgresCostingUnitOfWork(conn)
        try:
            async with uow.savepoint():
                await value_item_entries(uow, [refused])
        except CostingError:
            pass
        else:
            raise AssertionError("the purchase applied to an entry never valued provisionally was valued")
        async with uow.savepoint():
            await value_item_entries(uow, [covering])
        assert [row[0] for row in await conn.fetch("SELECT entry_no FROM item_ledger_entries ORDER BY entry_no")] == [1, 3]
        assert [row[0] for row in await conn.fetch("SELECT entry_no FROM cost_layers ORDER BY entry_no")] == [3]
        assert await conn.fetchval("SELECT covered_quantity FROM provisional_outbound_costs WHERE entry_no = 1") == 2
        assert await conn.fetchval("SELECT value FROM item_on_hand WHERE item_no = 'UOW-A'") == D("12.00")

    in_rolled_back_transaction(check)
