"""Assembly outputs valued at their consumptions' actual cost, resources and overhead; Standard parents' variances by
type; a changed component cost forwarded to the output and on; undo; an output waiting for its consumptions; the
output entries of a tracked parent's posting, each at its share."""

import asyncio
from collections.abc import Awaitable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, TypeVar

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inventory_contracts import ITEM_ENTRY_INVOICED_V1, ITEM_ENTRY_POSTED_V1, VALUE_ENTRIES_POSTED_V1, new_envelope
from inventory_contracts.catalog import CostingMethod, ItemType, ItemUpserted
from inventory_contracts.costing import ValueEntryType, VarianceType
from inventory_contracts.warehouse import (
    AssemblyResourceUsage,
    ItemApplication,
    ItemEntryInvoiced,
    ItemEntryPosted,
    ItemLedgerEntryType,
    OrderType,
)

from costing.adapters.memory_unit_of_work import InMemoryCostingUnitOfWork
from costing.domain.assembly import OutputShare
from costing.domain.errors import InvalidAssemblyOutputError
from costing.domain.model import ValueEntry
from costing.entrypoints.consumers import on_item_entries_batch
from costing.service_layer.items import replicate_item
from costing.service_layer.valuation import (
    RevalueInventory,
    invoice_item_entry,
    revalue_inventory,
    value_item_entries,
    value_item_entry,
)

D = Decimal
T = TypeVar("T")
DAY = date(2025, 3, 1)
FIFO, AVERAGE, STANDARD = CostingMethod.FIFO, CostingMethod.AVERAGE, CostingMethod.STANDARD
ILE = ItemLedgerEntryType


def run(coroutine: Awaitable[T]) -> T:
    async def awaited() -> T:
        return await coroutine
    return asyncio.run(awaited())


def card(item_no: str, method: CostingMethod, **more: Any) -> ItemUpserted:
    return ItemUpserted(
        item_no=item_no, revision=1, description=item_no, type=ItemType.INVENTORY, base_unit_of_measure="PCS",
        costing_method=method, inventory_posting_group="RESALE", gen_prod_posting_group="RETAIL", **more,
    )


def entry(no: int, item_no: str, entry_type: ItemLedgerEntryType, quantity: str, method: CostingMethod = FIFO,
          applied: tuple[int, ...] = (), day: date = DAY, **more: Any) -> ItemEntryPosted:
    outbound = D(quantity) < 0
    return ItemEntryPosted(
        entry_no=no, item_no=item_no, location_code="MAIN", posting_date=day, entry_type=entry_type,
        document_no=f"D{no}", quantity=D(quantity), costing_method=method, inventory_posting_group="RESALE",
        gen_prod_posting_group="RETAIL", recorded_at=datetime.now(UTC),
        applications=[ItemApplication(inbound_entry_no=inbound, outbound_entry_no=no, quantity=-D(quantity))
                      for inbound in applied] if outbound else [],
        **({"order_type": OrderType.ASSEMBLY, "order_no": "A1"} if entry_type in (ILE.ASSEMBLY_OUTPUT, ILE.ASSEMBLY_CONSUMPTION)
           else {}),
        **more,
    )


RESOURCE = AssemblyResourceUsage(resource_no="R1", order_line_no=30, quantity=D(2), direct_unit_cost=D(15), unit_cost=D(18))


def output(no: int, method: CostingMethod, consumptions: list[int], quantity: str = "1") -> ItemEntryPosted:
    return entry(no, "P", ILE.ASSEMBLY_OUTPUT, quantity, method, consumption_entries=consumptions, resources=[RESOURCE])


def assembled(parent_method: CostingMethod, **parent: Any) -> InMemoryCostingUnitOfWork:
    """C1 (FIFO) 2 received at 10.00 (expected cost, invoiced later), C2 (Average) 3 bought at 5.00; 1 P assembled
    from them with 2 hours of R1 (direct 15.00, unit cost 18.00); P has 10 % indirect cost and 1.00 overhead rate."""
    uow = InMemoryCostingUnitOfWork()
    run(replicate_item(uow, card("C1", FIFO)))
    run(replicate_item(uow, card("C2", AVERAGE)))
    run(replicate_item(uow, card("P", parent_method, indirect_cost_pct=D(10), overhead_rate=D(1), **parent)))
    run(value_item_entries(uow, [
        entry(1, "C1", ILE.PURCHASE, "2", unit_cost=D(10), invoiced_quantity=D(0)),
        entry(2, "C2", ILE.PURCHASE, "3", AVERAGE, unit_cost=D(5)),
        entry(3, "C1", ILE.ASSEMBLY_CONSUMPTION, "-2", applied=(1,), order_line_no=10),
        entry(4, "C2", ILE.ASSEMBLY_CONSUMPTION, "-3", AVERAGE, applied=(2,), order_line_no=20),
    ]))
    return uow


def cost(uow: InMemoryCostingUnitOfWork, item_ledger_entry_no: int) -> Decimal:
    return run(uow.cost_graph.entry_cost(item_ledger_entry_no))


def shape(entries: list[ValueEntry]) -> list[tuple[Any, ...]]:
    return [(ve.entry_type, ve.cost_amount_actual + ve.cost_amount_expected, ve.resource_no, ve.variance_type,
             ve.valued_quantity) for ve in entries]


def invoice_c1_at(unit_cost: str) -> ItemEntryInvoiced:
    return ItemEntryInvoiced(item_no="C1", item_ledger_entry_no=1, document_no="PI1", posting_date=date(2025, 3, 10),
                             invoiced_quantity=D(2), unit_cost=D(unit_cost), recorded_at=datetime.now(UTC))


def test_an_output_costs_its_consumptions_resources_and_overhead_by_value_entry_type() -> None:
    uow = assembled(FIFO)
    (written,) = run(value_item_entries(uow, [output(5, FIFO, [3, 4])]))
    assert shape(written) == [
        (ValueEntryType.DIRECT_COST, D("35.00"), None, None, D(1)),  # material: 2 x 10.00 + 3 x 5.00
        (ValueEntryType.DIRECT_COST, D("30.00"), "R1", None, D(0)),  # 2 h x 15.00
        (ValueEntryType.INDIRECT_COST, D("6.00"), "R1", None, D(0)),  # 2 h x (18.00 - 15.00)
        (ValueEntryType.INDIRECT_COST, D("8.10"), None, None, D(0)),  # 10 % of 71.00 + 1 x 1.00
    ]
    run(value_item_entry(uow, entry(6, "P", ILE.SALE, "-1", applied=(5,))))
    assert cost(uow, 6) == D("-79.10")


def test_a_standard_output_is_held_at_standard_cost_with_a_variance_per_type() -> None:
    uow = assembled(STANDARD, standard_cost=D(80), single_level_material_cost=D(40), single_level_capacity_cost=D(30),
                    single_level_cap_ovhd_cost=D(5), single_level_mfg_ovhd_cost=D(5))
    (written,) = run(value_item_entries(uow, [output(5, STANDARD, [3, 4])]))
    variances = {ve.variance_type: ve.cost_amount_actual for ve in written if ve.entry_type == ValueEntryType.VARIANCE}
    assert variances == {
        VarianceType.MATERIAL: D("5.00"),  # standard 40.00, actual 35.00
        VarianceType.CAPACITY_OVERHEAD: D("-1.00"),  # standard 5.00, actual 6.00
        VarianceType.MANUFACTURING_OVERHEAD: D("-3.10"),  # standard 5.00, actual 8.10
    }, "no Capacity variance: the 30.00 of the resource is the standard"
    assert cost(uow, 5) == D("80.00")


def test_a_standard_output_without_cost_shares_puts_the_whole_difference_in_material_variance() -> None:
    uow = assembled(STANDARD, standard_cost=D(70))
    (written,) = run(value_item_entries(uow, [output(5, STANDARD, [3, 4])]))
    variances = {ve.variance_type: ve.cost_amount_actual for ve in written if ve.entry_type == ValueEntryType.VARIANCE}
    assert variances == {VarianceType.MATERIAL: D("35.00"), VarianceType.CAPACITY: D("-30.00"),
                         VarianceType.CAPACITY_OVERHEAD: D("-6.00"), VarianceType.MANUFACTURING_OVERHEAD: D("-8.10")}
    assert cost(uow, 5) == D("70.00")


def test_an_output_valued_before_its_consumptions_takes_their_cost_as_each_is_valued() -> None:
    uow = InMemoryCostingUnitOfWork()
    for item_no, method in (("C1", FIFO), ("C2", AVERAGE), ("P", FIFO)):
        run(replicate_item(uow, card(item_no, method, **({"indirect_cost_pct": D(10), "overhead_rate": D(1)} if item_no == "P" else {}))))
    run(value_item_entries(uow, [
        entry(1, "C1", ILE.PURCHASE, "2", unit_cost=D(10)),
        entry(2, "C2", ILE.PURCHASE, "3", AVERAGE, unit_cost=D(5)),
        output(5, FIFO, [3, 4]),
        entry(6, "P", ILE.SALE, "-1", applied=(5,)),
    ]))
    assert cost(uow, 6) == D("-40.60"), "resources 36.00 and overhead 10 % of them + 1.00 so far"
    written = run(value_item_entries(uow, [entry(3, "C1", ILE.ASSEMBLY_CONSUMPTION, "-2", applied=(1,))]))
    assert [(ve.item_ledger_entry.entry_no, ve.entry_type, ve.cost_amount_actual, ve.adjustment) for ve in written[0]] == [
        (3, ValueEntryType.DIRECT_COST, D("-20.00"), False),
        (5, ValueEntryType.DIRECT_COST, D("20.00"), True),
        (5, ValueEntryType.INDIRECT_COST, D("2.00"), True),
        (6, ValueEntryType.DIRECT_COST, D("-22.00"), True),
    ]
    event = new_envelope(ITEM_ENTRY_POSTED_V1, entry(4, "C2", ILE.ASSEMBLY_CONSUMPTION, "-3", AVERAGE, applied=(2,)),
                         producer="warehouse", key="C2")
    run(on_item_entries_batch(uow, [event]))
    assert (cost(uow, 5), cost(uow, 6)) == (D("79.10"), D("-79.10")), "what it costs when valued in order"


def test_a_changed_component_cost_is_forwarded_to_the_output_and_on_to_its_sale() -> None:
    uow = assembled(FIFO)
    run(value_item_entries(uow, [output(5, FIFO, [3, 4]), entry(6, "P", ILE.SALE, "-1", applied=(5,))]))
    written = invoice_c1(uow, "12")
    assert cost(uow, 3) == D("-24.00")
    assert [(ve.item_ledger_entry.entry_no, ve.entry_type, ve.cost_amount_actual, ve.adjustment, ve.posting_date)
            for ve in written if ve.item_ledger_entry.item_no == "P"] == [
        (5, ValueEntryType.DIRECT_COST, D("4.00"), True, DAY),
        (5, ValueEntryType.INDIRECT_COST, D("0.40"), True, DAY),  # 10 % of the 4.00 more
        (6, ValueEntryType.DIRECT_COST, D("-4.40"), True, DAY),
    ]
    assert (cost(uow, 5), cost(uow, 6)) == (D("83.50"), D("-83.50"))


def invoice_c1(uow: InMemoryCostingUnitOfWork, unit_cost: str) -> list[ValueEntry]:
    return run(invoice_item_entry(uow, invoice_c1_at(unit_cost)))


def test_a_standard_output_takes_a_forwarded_change_into_material_variance() -> None:
    uow = assembled(STANDARD, standard_cost=D(80), single_level_material_cost=D(40), single_level_capacity_cost=D(30),
                    single_level_cap_ovhd_cost=D(5), single_level_mfg_ovhd_cost=D(5))
    run(value_item_entries(uow, [output(5, STANDARD, [3, 4]), entry(6, "P", ILE.SALE, "-1", STANDARD, applied=(5,))]))
    written = invoice_c1(uow, "9")
    assert [(ve.entry_type, ve.cost_amount_actual, ve.variance_type) for ve in written if ve.item_ledger_entry.item_no == "P"] == [
        (ValueEntryType.DIRECT_COST, D("-2.00"), None),
        (ValueEntryType.INDIRECT_COST, D("-0.20"), None),
        (ValueEntryType.VARIANCE, D("2.00"), VarianceType.MATERIAL),
        (ValueEntryType.VARIANCE, D("0.20"), VarianceType.MANUFACTURING_OVERHEAD),
    ]
    assert (cost(uow, 5), cost(uow, 6)) == (D("80.00"), D("-80.00"))


def test_an_undone_assembly_takes_the_cost_of_what_it_reverses_and_follows_a_later_change() -> None:
    uow = assembled(FIFO)
    run(value_item_entries(uow, [
        output(5, FIFO, [3, 4]),
        entry(6, "P", ILE.ASSEMBLY_OUTPUT, "-1", applied=(5,), applies_to_entry=5, correction=True),
        entry(7, "C1", ILE.ASSEMBLY_CONSUMPTION, "2", applies_from_entry=3, correction=True),
        entry(8, "C2", ILE.ASSEMBLY_CONSUMPTION, "3", AVERAGE, applies_from_entry=4, correction=True),
    ]))
    assert (cost(uow, 6), cost(uow, 7), cost(uow, 8)) == (D("-79.10"), D("20.00"), D("15.00"))
    invoice_c1(uow, "11")
    assert (cost(uow, 5), cost(uow, 6), cost(uow, 7)) == (D("81.30"), D("-81.30"), D("22.00"))
    on_hand = {item: run(uow.cost_graph.on_hand(item)) for item in ("P", "C1")}
    assert on_hand == {"P": (D(0), D("0.00")), "C1": (D(2), D("22.00"))}


def test_forwarded_value_entries_are_published_under_their_own_items_key() -> None:
    uow = assembled(FIFO)
    run(value_item_entries(uow, [output(5, FIFO, [3, 4])]))
    invoiced = invoice_c1_at("12")
    event = new_envelope(ITEM_ENTRY_INVOICED_V1, invoiced, producer="warehouse", key="C1")
    run(on_item_entries_batch(uow, [event]))
    messages = [message.payload for topic, message in uow.published if topic == VALUE_ENTRIES_POSTED_V1.topic]
    assert {(m.item_no, ve.item_ledger_entry_no) for m in messages for ve in m.value_entries} == {("C1", 1), ("C1", 3), ("P", 5)}


def test_an_average_parent_takes_a_forwarded_change_into_its_average() -> None:
    uow = assembled(AVERAGE)
    run(value_item_entries(uow, [
        output(5, AVERAGE, [3, 4]),
        entry(6, "P", ILE.POSITIVE_ADJMT, "1", AVERAGE, unit_cost=D("81.10")),
        entry(7, "P", ILE.SALE, "-1", AVERAGE, applied=(5,)),
    ]))
    assert cost(uow, 7) == D("-80.10")  # the day's average of 79.10 and 81.10
    invoice_c1(uow, "12")
    assert (cost(uow, 5), cost(uow, 7)) == (D("83.50"), D("-82.30"))
    assert run(uow.cost_graph.on_hand("P")) == (D(1), D("82.30"))


def test_a_revaluation_of_a_consumed_component_is_forwarded_to_the_output() -> None:
    uow = InMemoryCostingUnitOfWork()
    run(replicate_item(uow, card("C1", FIFO)))
    run(replicate_item(uow, card("P", FIFO)))
    run(value_item_entries(uow, [
        entry(1, "C1", ILE.PURCHASE, "2", unit_cost=D(10), day=date(2025, 2, 1)),
        entry(3, "C1", ILE.ASSEMBLY_CONSUMPTION, "-2", applied=(1,)),
        entry(5, "P", ILE.ASSEMBLY_OUTPUT, "1", consumption_entries=[3]),
    ]))
    assert cost(uow, 5) == D("20.00")
    run(revalue_inventory(uow, RevalueInventory("C1", date(2025, 2, 15), new_unit_cost=D(11))))
    assert (cost(uow, 3), cost(uow, 5)) == (D("-22.00"), D("22.00"))


# a tracked parent: one output entry per serial or lot, each at its share of the posting ------------------------------


def test_a_share_is_rounded_to_the_cent_and_the_last_takes_what_the_others_leave() -> None:
    thirds = [OutputShare((D(1), D(1), D(1)), i) for i in range(3)]
    assert [share.of(D("100.00")) for share in thirds] == [D("33.33"), D("33.33"), D("33.34")]
    assert [share.of(D("-0.01")) for share in thirds] == [D("0.00"), D("0.00"), D("-0.01")]
    lots = [OutputShare((D(2), D("0.5"), D("4.5")), i) for i in range(3)]
    assert [share.of(D("10.00")) for share in lots] == [D("2.86"), D("0.71"), D("6.43")]
    assert OutputShare((D(3),)).of(D("100.00")) == D("100.00")


@given(quantities=st.lists(st.decimals(min_value=D("0.00001"), max_value=D(1000), places=5), min_size=1, max_size=12),
       total=st.decimals(min_value=D(-10**6), max_value=D(10**6), places=2))
def test_the_shares_of_a_posting_add_up_to_its_whole_amount(quantities: list[Decimal], total: Decimal) -> None:
    shares = [OutputShare(tuple(quantities), i).of(total) for i in range(len(quantities))]
    assert sum(shares, D(0)) == total
    assert all(share == share.quantize(D("0.01")) for share in shares)


def serials(first: int, method: CostingMethod, consumptions: list[int], count: int = 3,
            resources: tuple[AssemblyResourceUsage, ...] = (RESOURCE,)) -> list[ItemEntryPosted]:
    """The output entries of one posting of `count` serial-tracked parents, numbered from `first`."""
    return [entry(first + i, "P", ILE.ASSEMBLY_OUTPUT, "1", method, consumption_entries=consumptions,
                  resources=list(resources), serial_no=f"SN{i + 1}", output_quantities=[D(1)] * count, output_index=i)
            for i in range(count)]


def test_each_output_of_a_posting_costs_its_share_and_the_last_takes_the_remainder() -> None:
    uow = InMemoryCostingUnitOfWork()
    run(replicate_item(uow, card("C1", FIFO)))
    run(replicate_item(uow, card("P", FIFO)))
    run(value_item_entries(uow, [
        entry(1, "C1", ILE.PURCHASE, "10", unit_cost=D(10)),
        entry(2, "C1", ILE.ASSEMBLY_CONSUMPTION, "-10", applied=(1,)),
        *serials(5, FIFO, [2], resources=()),
    ]))
    assert [cost(uow, no) for no in (5, 6, 7)] == [D("33.33"), D("33.33"), D("33.34")]


def test_each_output_takes_its_share_of_the_material_resources_and_the_postings_overhead() -> None:
    uow = assembled(FIFO)
    written = run(value_item_entries(uow, serials(5, FIFO, [3, 4])))
    # 35.00 material, 30.00 + 6.00 of R1, overhead 10 % of 71.00 + 3 x 1.00 = 10.10, shared by three
    assert [shape(entries) for entries in written] == [[
        (ValueEntryType.DIRECT_COST, D(material), None, None, D(1)),
        (ValueEntryType.DIRECT_COST, D("10.00"), "R1", None, D(0)),
        (ValueEntryType.INDIRECT_COST, D("2.00"), "R1", None, D(0)),
        (ValueEntryType.INDIRECT_COST, D(overhead), None, None, D(0)),
    ] for material, overhead in (("11.67", "3.37"), ("11.67", "3.37"), ("11.66", "3.36"))]
    assert sum((cost(uow, no) for no in (5, 6, 7)), D(0)) == D("81.10")


def test_a_changed_component_cost_is_forwarded_to_each_output_by_its_share_and_on_to_its_sale() -> None:
    uow = assembled(FIFO)
    run(value_item_entries(uow, [*serials(5, FIFO, [3, 4]), entry(8, "P", ILE.SALE, "-1", applied=(7,))]))
    assert cost(uow, 8) == D("-27.02")
    written = invoice_c1(uow, "12")  # C1's consumption 20.00 -> 24.00: material 39.00, overhead 10.50
    assert [(ve.item_ledger_entry.entry_no, ve.entry_type, ve.cost_amount_actual) for ve in written
            if ve.item_ledger_entry.item_no == "P"] == [
        (5, ValueEntryType.DIRECT_COST, D("1.33")), (5, ValueEntryType.INDIRECT_COST, D("0.13")),
        (6, ValueEntryType.DIRECT_COST, D("1.33")), (6, ValueEntryType.INDIRECT_COST, D("0.13")),
        (7, ValueEntryType.DIRECT_COST, D("1.34")), (7, ValueEntryType.INDIRECT_COST, D("0.14")),
        (8, ValueEntryType.DIRECT_COST, D("-1.48")),
    ]
    assert [cost(uow, no) for no in (5, 6, 7, 8)] == [D("28.50"), D("28.50"), D("28.50"), D("-28.50")]


def test_outputs_valued_around_a_late_consumption_still_share_its_cost_exactly() -> None:
    uow = InMemoryCostingUnitOfWork()
    for item_no, method in (("C1", FIFO), ("C2", AVERAGE), ("P", FIFO)):
        run(replicate_item(uow, card(item_no, method, **({"indirect_cost_pct": D(10)} if item_no == "P" else {}))))
    first, second, third = serials(5, FIFO, [3, 4], resources=())
    run(value_item_entries(uow, [
        entry(1, "C1", ILE.PURCHASE, "2", unit_cost=D(10)),
        entry(2, "C2", ILE.PURCHASE, "3", AVERAGE, unit_cost=D(5)),
        entry(3, "C1", ILE.ASSEMBLY_CONSUMPTION, "-2", applied=(1,)),
        first,
        entry(4, "C2", ILE.ASSEMBLY_CONSUMPTION, "-3", AVERAGE, applied=(2,)),
        second, third,
    ]))
    # material 35.00 (11.67, 11.67, 11.66), overhead 10 % of it, 3.50 (1.17, 1.17, 1.16)
    assert [cost(uow, no) for no in (5, 6, 7)] == [D("12.84"), D("12.84"), D("12.82")]


def test_each_standard_output_is_held_at_standard_cost_with_its_own_variances() -> None:
    uow = assembled(STANDARD, standard_cost=D(30), single_level_material_cost=D(12), single_level_capacity_cost=D(10),
                    single_level_cap_ovhd_cost=D(2), single_level_mfg_ovhd_cost=D(6))
    (written,) = [sum(run(value_item_entries(uow, serials(5, STANDARD, [3, 4]))), [])]
    variances = [(ve.item_ledger_entry.entry_no, ve.variance_type, ve.cost_amount_actual) for ve in written
                 if ve.entry_type == ValueEntryType.VARIANCE]
    # actual per output: material 11.67 / 11.67 / 11.66, R1 10.00 + 2.00, overhead 3.37 / 3.37 / 3.36
    assert variances == [
        (5, VarianceType.MATERIAL, D("0.33")), (5, VarianceType.MANUFACTURING_OVERHEAD, D("2.63")),
        (6, VarianceType.MATERIAL, D("0.33")), (6, VarianceType.MANUFACTURING_OVERHEAD, D("2.63")),
        (7, VarianceType.MATERIAL, D("0.34")), (7, VarianceType.MANUFACTURING_OVERHEAD, D("2.64")),
    ]
    assert [cost(uow, no) for no in (5, 6, 7)] == [D("30.00")] * 3
    forwarded = invoice_c1(uow, "12")
    assert [(ve.item_ledger_entry.entry_no, ve.entry_type, ve.cost_amount_actual, ve.variance_type) for ve in forwarded
            if ve.item_ledger_entry.entry_no == 7] == [
        (7, ValueEntryType.DIRECT_COST, D("1.34"), None), (7, ValueEntryType.INDIRECT_COST, D("0.14"), None),
        (7, ValueEntryType.VARIANCE, D("-1.34"), VarianceType.MATERIAL),
        (7, ValueEntryType.VARIANCE, D("-0.14"), VarianceType.MANUFACTURING_OVERHEAD),
    ]
    assert [cost(uow, no) for no in (5, 6, 7)] == [D("30.00")] * 3


def test_an_undone_posting_reverses_each_output_at_its_own_cost_and_follows_a_later_change() -> None:
    uow = assembled(FIFO)
    run(value_item_entries(uow, [
        *serials(5, FIFO, [3, 4]),
        *[entry(8 + i, "P", ILE.ASSEMBLY_OUTPUT, "-1", applied=(5 + i,), applies_to_entry=5 + i, correction=True,
                serial_no=f"SN{i + 1}") for i in range(3)],
        entry(11, "C1", ILE.ASSEMBLY_CONSUMPTION, "2", applies_from_entry=3, correction=True),
        entry(12, "C2", ILE.ASSEMBLY_CONSUMPTION, "3", AVERAGE, applies_from_entry=4, correction=True),
    ]))
    assert [cost(uow, no) for no in (8, 9, 10)] == [D("-27.04"), D("-27.04"), D("-27.02")]
    invoice_c1(uow, "11")  # material 37.00 (12.33, 12.33, 12.34), overhead 10.30 (3.43, 3.43, 3.44)
    assert [cost(uow, no) for no in (5, 6, 7)] == [D("27.76"), D("27.76"), D("27.78")]
    assert [cost(uow, no) for no in (8, 9, 10, 11)] == [D("-27.76"), D("-27.76"), D("-27.78"), D("22.00")]
    assert run(uow.cost_graph.on_hand("P")) == (D(0), D("0.00"))


def test_an_output_whose_position_does_not_match_its_postings_quantities_is_refused() -> None:
    uow = assembled(FIFO)
    with pytest.raises(InvalidAssemblyOutputError, match="cannot be entry 3"):
        run(value_item_entries(uow, [entry(5, "P", ILE.ASSEMBLY_OUTPUT, "1", consumption_entries=[3, 4],
                                           output_quantities=[D(1)] * 3, output_index=3)]))
