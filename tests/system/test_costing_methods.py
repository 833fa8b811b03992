"""Costing methods, indirect cost, average cost adjustment and cost carried by applies-from, through the services.

DOMAIN.md section 5 worked examples with their exact numbers.
"""

import asyncio
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from aiokafka import AIOKafkaProducer

from inventory_contracts import ITEM_ENTRY_POSTED_V1, new_envelope
from inventory_contracts.warehouse import ItemEntryPosted
from costing_helpers import balances_of_item, create_item, entry_costs, line, posted, sale_costs
from support import System

pytestmark = pytest.mark.system

D = Decimal


def assert_empty(system: System, item_no: str) -> None:
    valuation = system.valuation(item_no=item_no)
    assert (D(valuation["quantity"]), D(valuation["cost_amount_actual"])) == (0, 0)


ACCOUNTS = ("MAIN", "RESALE", "", "RETAIL")


@pytest.mark.parametrize(
    "card, sales",
    [
        ({"costing_method": "FIFO"}, ["-10.00", "-20.00", "-30.00"]),
        ({"costing_method": "LIFO"}, ["-30.00", "-20.00", "-10.00"]),
        ({"costing_method": "Average"}, ["-20.00", "-20.00", "-20.00"]),
        ({"costing_method": "Standard", "standard_cost": "15.00"}, ["-15.00", "-15.00", "-15.00"]),
    ],
    ids=lambda value: value["costing_method"] if isinstance(value, dict) else None,
)
def test_domain_example_costing_methods(system: System, card: dict[str, Any], sales: list[str]) -> None:
    item = create_item(system, **card)
    posted(system, *(line(item, "Purchase", "1", cost) for cost in ("10.00", "20.00", "30.00")))
    for day in ("2020-01-02", "2020-01-03", "2020-01-04"):
        posted(system, line(item, "Sale", "1", day=day))
    system.wait_quiet()

    assert sale_costs(system, item) == [D(cost) for cost in sales]
    assert_empty(system, item)
    accounts = system.accounts_for(*ACCOUNTS)
    assert balances_of_item(system, item).get(accounts["inventory"], D(0)) == 0


def test_domain_example_average_day(system: System) -> None:
    item = create_item(system, costing_method="Average")
    posted(system, line(item, "Purchase", "1", "20.00", day="2023-01-01"), line(item, "Purchase", "1", "40.00", day="2023-01-01"))
    posted(system, line(item, "Sale", "1", day="2023-01-01"))
    posted(system, line(item, "Sale", "1", day="2023-01-02"))
    posted(system, line(item, "Purchase", "1", "100.00", day="2023-02-02"))
    posted(system, line(item, "Sale", "1", day="2023-02-03"))
    system.wait_quiet()

    assert sale_costs(system, item) == [D("-30.00"), D("-30.00"), D("-100.00")]
    assert_empty(system, item)


def test_back_dated_purchase_adjusts_average_sales_of_its_period_and_later_ones(system: System) -> None:
    item = create_item(system, costing_method="Average")
    posted(system, line(item, "Purchase", "1", "20.00", day="2023-01-01"), line(item, "Purchase", "2", "20.00", day="2023-01-01"))
    posted(system, line(item, "Sale", "1", day="2023-01-01"))
    posted(system, line(item, "Sale", "1", day="2023-01-02"))
    system.wait_quiet()
    assert sale_costs(system, item) == [D("-20.00"), D("-20.00")]
    before = {v["entry_no"]: v for v in system.value_entries(item)}

    # 1 @ 50.00 on 01-01: the day's average becomes (60 + 50) / 4 = 27.50, carried into 01-02.
    posted(system, line(item, "Purchase", "1", "50.00", day="2023-01-01"))
    system.wait_quiet()

    assert sale_costs(system, item) == [D("-27.50"), D("-27.50")]
    after = system.value_entries(item)
    assert all(before[v["entry_no"]] == v for v in after if v["entry_no"] in before), "no value entry is rewritten"
    adjustments = [v for v in after if v["adjustment"]]
    assert [(v["posting_date"], D(v["cost_amount_actual"])) for v in adjustments] == [
        ("2023-01-01", D("-7.50")), ("2023-01-02", D("-7.50"))]
    valuation = system.valuation(item_no=item)
    assert (D(valuation["quantity"]), D(valuation["cost_amount_actual"])) == (2, D("55.00"))
    accounts = system.accounts_for(*ACCOUNTS)
    assert balances_of_item(system, item)[accounts["inventory"]] == D("55.00")


def test_domain_example_overhead(system: System) -> None:
    item = create_item(system, overhead_rate="1.00")
    posted(system, line(item, "Purchase", "10", "7.00"))
    posted(system, line(item, "Sale", "10", day="2020-01-02"))
    system.wait_quiet()

    purchase = [(v["entry_type"], D(v["cost_amount_actual"])) for v in system.value_entries(item)
                if v["item_ledger_entry_type"] == "Purchase"]
    assert purchase == [("Direct Cost", D("70.00")), ("Indirect Cost", D("10.00"))]
    assert sale_costs(system, item) == [D("-80.00")]
    accounts = system.accounts_for(*ACCOUNTS)
    balances = balances_of_item(system, item)
    assert balances[accounts["direct_cost_applied"]] == D("-70.00")
    assert balances[accounts["overhead_applied"]] == D("-10.00")
    assert balances[accounts["cogs"]] == D("80.00")
    assert balances[accounts["inventory"]] == 0


def test_indirect_cost_percent_adds_to_the_purchase(system: System) -> None:
    item = create_item(system, indirect_cost_pct="10")
    posted(system, line(item, "Purchase", "3", "5.00"))
    system.wait_quiet()
    assert [(v["entry_type"], D(v["cost_amount_actual"])) for v in system.value_entries(item)] == [
        ("Direct Cost", D("15.00")), ("Indirect Cost", D("1.50"))]


def test_domain_example_standard_cost_and_variance(system: System) -> None:
    item = create_item(system, costing_method="Standard", standard_cost="100.00")
    posted(system, line(item, "Purchase", "1", "90.00"))
    system.wait_quiet()

    assert [(v["entry_type"], D(v["cost_amount_actual"])) for v in system.value_entries(item)] == [
        ("Direct Cost", D("90.00")), ("Variance", D("10.00"))]
    accounts = system.accounts_for(*ACCOUNTS)
    balances = balances_of_item(system, item)
    assert balances[accounts["inventory"]] == D("100.00")
    assert balances[accounts["direct_cost_applied"]] == D("-90.00")
    assert balances[accounts["purchase_variance"]] == D("-10.00")


# Entries the warehouse does not post yet (transfers, counts): published as warehouse events ---------

_entry_numbers = iter(range(9_000_000_000 + uuid.uuid4().int % 1_000_000 * 1000, 10**12))


def publish_entries(system: System, *payloads: ItemEntryPosted) -> None:
    async def send() -> None:
        producer = AIOKafkaProducer(bootstrap_servers=system.stack.bootstrap_servers, acks="all", **system.stack.kafka_client_options())
        await producer.start()
        try:
            for payload in payloads:
                envelope = new_envelope(ITEM_ENTRY_POSTED_V1, payload, producer="warehouse", key=payload.item_no)
                await producer.send_and_wait(system.topic(ITEM_ENTRY_POSTED_V1.topic), envelope.model_dump_json().encode(),
                                             key=payload.item_no.encode())
        finally:
            await producer.stop()

    asyncio.run(send())


def entry(item_no: str, entry_type: str, quantity: str, day: str = "2020-01-05", **fields: Any) -> ItemEntryPosted:
    return ItemEntryPosted(
        entry_no=next(_entry_numbers), item_no=item_no, location_code=fields.pop("location_code", "MAIN"),
        posting_date=day, entry_type=entry_type, document_no="T-1", quantity=D(quantity),
        costing_method=fields.pop("costing_method", "FIFO"), inventory_posting_group="RESALE", gen_prod_posting_group="RETAIL",
        recorded_at=datetime.now(UTC), **fields,
    )


def test_transfer_received_in_parts_takes_exactly_the_shipped_cost(system: System) -> None:
    item = create_item(system)
    receipt = entry(item, "Purchase", "3", unit_cost=D("3.33333"))
    shipped = entry(item, "Transfer", "-3", applications=[
        {"inbound_entry_no": receipt.entry_no, "outbound_entry_no": 0, "quantity": "3"}])
    parts = [entry(item, "Transfer", "1", applies_from_entry=shipped.entry_no, location_code="MAIN") for _ in range(3)]
    publish_entries(system, receipt, shipped, *parts)
    system.wait_quiet()

    costs = entry_costs(system, item)
    assert costs[shipped.entry_no] == D("-10.00")
    assert [costs[p.entry_no] for p in parts] == [D("3.33"), D("3.34"), D("3.33")]
    assert D(system.valuation(item_no=item)["cost_amount_actual"]) == D("10.00")


def test_transfer_receipt_becomes_a_layer_and_follows_a_later_adjustment_of_its_source(system: System) -> None:
    item = create_item(system, prevent_negative_inventory="No")
    receipt = entry(item, "Purchase", "1", unit_cost=D("10.00"))
    # Shipped 2 with 1 in stock (a negative-inventory outbound, as a transfer may not be; it is the
    # shortest way to a source whose cost changes later): the uncovered unit is valued at 10.00.
    shipped = entry(item, "Transfer", "-2", applications=[
        {"inbound_entry_no": receipt.entry_no, "outbound_entry_no": 0, "quantity": "1"}])
    arrived = entry(item, "Transfer", "2", applies_from_entry=shipped.entry_no, location_code="MAIN")
    sold = entry(item, "Sale", "-2", day="2020-01-06", applications=[
        {"inbound_entry_no": arrived.entry_no, "outbound_entry_no": 0, "quantity": "2"}])
    publish_entries(system, receipt, shipped, arrived, sold)
    system.wait_quiet()
    assert entry_costs(system, item)[sold.entry_no] == D("-20.00")

    late = entry(item, "Purchase", "1", unit_cost=D("16.00"), applications=[
        {"inbound_entry_no": 0, "outbound_entry_no": shipped.entry_no, "quantity": "1"}])
    publish_entries(system, late)
    system.wait_quiet()

    costs = entry_costs(system, item)
    assert (costs[shipped.entry_no], costs[arrived.entry_no], costs[sold.entry_no]) == (D("-26.00"), D("26.00"), D("-26.00"))
    assert_empty(system, item)
    accounts = system.accounts_for(*ACCOUNTS)
    assert balances_of_item(system, item).get(accounts["inventory"], D(0)) == 0


def test_inbound_without_unit_cost_takes_the_items_current_unit_cost(system: System) -> None:
    item = create_item(system)
    posted(system, line(item, "Purchase", "1", "10.00"), line(item, "Purchase", "3", "14.00"))
    counted = entry(item, "Positive Adjmt.", "2")
    publish_entries(system, counted)
    system.wait_quiet()
    assert entry_costs(system, item)[counted.entry_no] == D("26.00")  # 2 x 52.00 / 4


def test_costing_knows_the_item_card(system: System) -> None:
    item = create_item(system, costing_method="Standard", standard_cost="12.50", indirect_cost_pct="5", overhead_rate="0.25")
    card = system.http.get(system.url("costing", f"/items/{item}/cost")).json()
    assert (card["costing_method"], D(card["standard_cost"]), D(card["indirect_cost_pct"]), D(card["overhead_rate"]),
            D(card["unit_cost"])) == ("Standard", D("12.50"), 5, D("0.25"), D("12.50"))
    assert system.http.get(system.url("costing", "/items/NO-SUCH-ITEM/cost")).status_code == 404
