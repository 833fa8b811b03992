"""Assembly costing and its G/L on the real stack: an output valued at its consumptions' actual cost, resources and
overhead; a Standard parent's variances by type on the inventory posting setup's variance accounts; a component
invoiced at another cost forwarded to the output and its sale; an output that arrives before its consumptions takes
their cost when they are valued.

The warehouse's assembly events are published here as the warehouse publishes them, on a company of its own, with
entry numbers far above any the warehouse draws; the cards too, with the standard cost shares a cost roll-up gives."""

from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from costing_helpers import balances_of_item, entry_costs, invoice, line, received
from devstack.stack import Stack
from inventory_contracts import ITEM_ENTRY_INVOICED_V1, ITEM_ENTRY_POSTED_V1, ITEM_UPSERTED_V1, EventSpec, new_envelope
from inventory_contracts.catalog import CostingMethod, ItemType, ItemUpserted
from inventory_contracts.envelope import Payload
from inventory_contracts.warehouse import (
    AssemblyResourceUsage,
    ItemApplication,
    ItemEntryInvoiced,
    ItemEntryPosted,
    ItemLedgerEntryType,
    OrderType,
)
from support import System, separate_system, unique, wait_until

D = Decimal
ILE = ItemLedgerEntryType
DAY = date(2026, 5, 4)
BASE = 10**12
RESOURCE = AssemblyResourceUsage(resource_no="R1", order_line_no=30, quantity=D(2), direct_unit_cost=D(15), unit_cost=D(18))


@pytest.fixture(scope="module")
def company(stack: Stack) -> Iterator[System]:
    with separate_system(stack, "asm") as system:
        yield system


def publish(system: System, spec: EventSpec, key: str, payload: Payload, producer: str) -> None:
    envelope = new_envelope(spec, payload, producer=producer, key=key)
    system.publish(spec.topic, [(key.encode(), envelope.model_dump_json().encode())])


def card(system: System, method: CostingMethod, **more: Any) -> str:
    item_no = unique("AS")
    publish(system, ITEM_UPSERTED_V1, item_no, ItemUpserted(**{
        "item_no": item_no, "revision": 1, "description": item_no, "type": ItemType.INVENTORY, "base_unit_of_measure": "PCS",
        "costing_method": method, "inventory_posting_group": "RESALE", "gen_prod_posting_group": "RETAIL", **more,
    }), "catalog")
    wait_until(lambda: system.http.get(system.url("costing", f"/items/{item_no}/cost")).status_code == 200,
               what=f"item {item_no} in the costing replica")
    return item_no


def posted(system: System, no: int, item_no: str, entry_type: ItemLedgerEntryType, quantity: str, method: CostingMethod,
           applied: int | None = None, **more: Any) -> None:
    assembly = {"order_type": OrderType.ASSEMBLY, "order_no": "AO-1"} if entry_type in (
        ILE.ASSEMBLY_CONSUMPTION, ILE.ASSEMBLY_OUTPUT) else {}
    publish(system, ITEM_ENTRY_POSTED_V1, item_no, ItemEntryPosted(**{
        "entry_no": BASE + no, "item_no": item_no, "location_code": "MAIN", "posting_date": DAY, "entry_type": entry_type,
        "document_no": f"D{no}", "quantity": D(quantity), "costing_method": method, "inventory_posting_group": "RESALE",
        "gen_prod_posting_group": "RETAIL", "recorded_at": datetime.now(UTC),
        "applications": [] if applied is None else [
            ItemApplication(inbound_entry_no=BASE + applied, outbound_entry_no=BASE + no, quantity=-D(quantity))],
        **assembly, **more,
    }), "warehouse")


def invoiced(system: System, no: int, item_no: str, quantity: str, unit_cost: str) -> None:
    publish(system, ITEM_ENTRY_INVOICED_V1, item_no, ItemEntryInvoiced(
        item_no=item_no, item_ledger_entry_no=BASE + no, document_no=f"PI{no}", invoice_entry_no=BASE + no,
        posting_date=date(2026, 5, 20), invoiced_quantity=D(quantity), unit_cost=D(unit_cost), recorded_at=datetime.now(UTC),
    ), "warehouse")


def assemble(system: System, first: int, parent: str, method: CostingMethod, *, output_first: bool,
             **output_fields: Any) -> tuple[str, str]:
    """C1 (FIFO) 2 received at 10.00, not invoiced; C2 (Average) 3 bought at 5.00; one `parent` assembled from them
    with 2 hours of R1 (direct unit cost 15.00, unit cost 18.00)."""
    c1, c2 = card(system, CostingMethod.FIFO), card(system, CostingMethod.AVERAGE)
    posted(system, first, c1, ILE.PURCHASE, "2", CostingMethod.FIFO, unit_cost=D(10), invoiced_quantity=D(0))
    posted(system, first + 1, c2, ILE.PURCHASE, "3", CostingMethod.AVERAGE, unit_cost=D(5))
    output = (first + 4, parent, ILE.ASSEMBLY_OUTPUT, "1", method)
    consumptions = [BASE + first + 2, BASE + first + 3]
    if output_first:
        posted(system, *output, consumption_entries=consumptions, resources=[RESOURCE], **output_fields)
        wait_until(lambda: BASE + first + 4 in entry_costs(system, parent), what="the output valued")
    posted(system, first + 2, c1, ILE.ASSEMBLY_CONSUMPTION, "-2", CostingMethod.FIFO, applied=first, order_line_no=10)
    posted(system, first + 3, c2, ILE.ASSEMBLY_CONSUMPTION, "-3", CostingMethod.AVERAGE, applied=first + 1, order_line_no=20)
    if not output_first:
        posted(system, *output, consumption_entries=consumptions, resources=[RESOURCE], **output_fields)
    return c1, c2


def test_an_output_valued_before_its_consumptions_takes_their_cost_and_a_later_change_of_it_on_to_its_sale(
    company: System,
) -> None:
    parent = card(company, CostingMethod.FIFO, indirect_cost_pct=D(10), overhead_rate=D(1))
    c1, _ = assemble(company, 1, parent, CostingMethod.FIFO, output_first=True)
    posted(company, 6, parent, ILE.SALE, "-1", CostingMethod.FIFO, applied=5)
    company.wait_quiet()
    # 35.00 material (2 x 10.00 + 3 x 5.00) + 30.00 + 6.00 of R1 + 10 % of 71.00 + 1.00 overhead
    assert entry_costs(company, parent) == {BASE + 5: D("79.10"), BASE + 6: D("-79.10")}
    assert balances_of_item(company, parent) == {
        "2130": D("0.00"), "7180": D("-35.00"), "7190": D("-30.00"), "7191": D("-14.10"), "7290": D("79.10")}

    invoiced(company, 1, c1, "2", "12")
    company.wait_quiet()
    assert entry_costs(company, c1)[BASE + 3] == D("-24.00")
    assert entry_costs(company, parent) == {BASE + 5: D("83.50"), BASE + 6: D("-83.50")}
    adjustments = [(v["item_ledger_entry_no"] - BASE, v["entry_type"], D(v["cost_amount_actual"]), v["posting_date"])
                   for v in company.value_entries(parent) if v["adjustment"] and v["posting_date"] > "2026-05-04"]
    assert adjustments == [], "forwarded on the dates of the entries it changes"
    assert balances_of_item(company, parent) == {
        "2130": D("0.00"), "7180": D("-39.00"), "7190": D("-30.00"), "7191": D("-14.50"), "7290": D("83.50")}
    assert balances_of_item(company, c1) == {
        "2130": D("0.00"), "2131": D("0.00"), "5510": D("0.00"), "7180": D("24.00"), "7190": D("-24.00")}
    company.assert_books_balance_and_reconcile()


def test_a_standard_output_posts_its_variances_by_type_and_takes_a_forwarded_change_into_material_variance(
    company: System,
) -> None:
    parent = card(company, CostingMethod.STANDARD, standard_cost=D(80), indirect_cost_pct=D(10), overhead_rate=D(1),
                  single_level_material_cost=D(40), single_level_capacity_cost=D(30), single_level_cap_ovhd_cost=D(5),
                  single_level_mfg_ovhd_cost=D(5))
    c1, _ = assemble(company, 11, parent, CostingMethod.STANDARD, output_first=False)
    company.wait_quiet()
    assert entry_costs(company, parent) == {BASE + 15: D("80.00")}
    # Summed: a consumption valued after the output (its partition may lag) adds adjustments of the same kinds.
    kinds: dict[tuple[str, str | None, str | None], Decimal] = {}
    for v in company.value_entries(parent):
        kind = (v["entry_type"], v["variance_type"], v["resource_no"])
        kinds[kind] = kinds.get(kind, D(0)) + D(v["cost_amount_actual"])
    assert {kind: amount for kind, amount in kinds.items() if amount} == {
        ("Direct Cost", None, None): D("35.00"), ("Direct Cost", None, "R1"): D("30.00"),
        ("Indirect Cost", None, "R1"): D("6.00"), ("Indirect Cost", None, None): D("8.10"),
        ("Variance", "Material", None): D("5.00"), ("Variance", "Capacity Overhead", None): D("-1.00"),
        ("Variance", "Manufacturing Overhead", None): D("-3.10")}
    # Variance = standard share - actual: material 40 - 35, capacity 30 - 30, cap. overhead 5 - 6, mfg. overhead 5 - 8.10
    assert balances_of_item(company, parent) == {
        "2130": D("80.00"), "7180": D("-35.00"), "7190": D("-30.00"), "7191": D("-14.10"),
        "7890": D("-5.00"), "7893": D("1.00"), "7894": D("3.10")}

    invoiced(company, 11, c1, "2", "9")
    company.wait_quiet()
    assert entry_costs(company, parent) == {BASE + 15: D("80.00")}
    assert balances_of_item(company, parent) == {
        "2130": D("80.00"), "7180": D("-33.00"), "7190": D("-30.00"), "7191": D("-13.90"),
        "7890": D("-7.00"), "7893": D("1.00"), "7894": D("2.90")}
    company.assert_books_balance_and_reconcile()


def test_an_undone_assembly_takes_the_cost_of_what_it_reverses(company: System) -> None:
    parent = card(company, CostingMethod.FIFO)
    c1, c2 = assemble(company, 21, parent, CostingMethod.FIFO, output_first=False)
    posted(company, 26, parent, ILE.ASSEMBLY_OUTPUT, "-1", CostingMethod.FIFO, applied=25, applies_to_entry=BASE + 25,
           correction=True)
    posted(company, 27, c1, ILE.ASSEMBLY_CONSUMPTION, "2", CostingMethod.FIFO, applies_from_entry=BASE + 23, correction=True)
    posted(company, 28, c2, ILE.ASSEMBLY_CONSUMPTION, "3", CostingMethod.AVERAGE, applies_from_entry=BASE + 24,
           correction=True)
    company.wait_quiet()
    assert entry_costs(company, parent) == {BASE + 25: D("71.00"), BASE + 26: D("-71.00")}
    invoiced(company, 21, c1, "2", "11")
    company.wait_quiet()
    assert entry_costs(company, parent) == {BASE + 25: D("73.00"), BASE + 26: D("-73.00")}
    assert entry_costs(company, c1)[BASE + 27] == D("22.00")
    assert balances_of_item(company, parent)["2130"] == D("0.00")
    company.assert_books_balance_and_reconcile()


def test_a_variance_waits_for_its_account_and_posts_once_the_setup_has_it(company: System) -> None:
    group = unique("AV")[:20]
    setup = company.url("ledger", f"/inventory-posting-setup/MAIN/{group}")
    accounts = {"inventory_account": "2130", "inventory_account_interim": "2131", "material_variance_account": "7890",
                "cap_overhead_variance_account": "7893", "mfg_overhead_variance_account": "7894"}
    response = company.http.put(setup, json=accounts)
    assert response.status_code == 200, response.text
    assert response.json()["capacity_variance_account"] == ""
    parent = card(company, CostingMethod.STANDARD, standard_cost=D(75), single_level_material_cost=D(35),
                  single_level_capacity_cost=D(25), single_level_cap_ovhd_cost=D(6), single_level_mfg_ovhd_cost=D(9),
                  overhead_rate=D(9), inventory_posting_group=group)
    assemble(company, 31, parent, CostingMethod.STANDARD, output_first=False, inventory_posting_group=group)
    company.wait_quiet()
    variances: dict[str, Decimal] = {}
    for v in company.value_entries(parent):
        if v["entry_type"] == "Variance":
            variances[v["variance_type"]] = variances.get(v["variance_type"], D(0)) + D(v["cost_amount_actual"])
    assert {kind: amount for kind, amount in variances.items() if amount} == {"Capacity": D("-5.00")}
    (capacity,) = [v["entry_no"] for v in company.value_entries(parent) if v["variance_type"] == "Capacity"]
    pending = company.http.get(company.url("ledger", "/pending-value-entries"), params={"limit": 1000}).json()
    waiting = [p for p in pending["pending_value_entries"] if p["item_no"] == parent]
    assert [p["value_entry_no"] for p in waiting] == [capacity]
    assert "capacity_variance" in waiting[0]["reason"]

    response = company.http.put(setup, json=accounts | {"capacity_variance_account": "7891"})
    assert response.status_code == 200, response.text
    assert response.json()["posted_value_entry_nos"] == [capacity]
    assert balances_of_item(company, parent)["7891"] == D("5.00")
    company.assert_books_balance_and_reconcile()


# through the warehouse's assembly orders ------------------------------------------------------------------------------

def rolled_up(system: System, item_no: str, **components: str) -> dict[str, Any]:
    """Calc. Standard Cost for the item once the catalog's cards hold each component's unit cost (costing's)."""
    for no, unit_cost in components.items():
        wait_until(lambda: D(system.http.get(system.url("catalog", f"/items/{no}")).json()["unit_cost"]) == D(unit_cost),
                   what=f"the unit cost {unit_cost} of {no} on the catalog's card")
    response = system.http.post(system.url("catalog", f"/items/{item_no}/calculate-standard-cost"), json={})
    assert response.status_code == 200, response.text
    system.wait_for_card(item_no, response.json()["revision"])
    return dict(response.json())


def order_with_a_resource(system: System, parent: str, quantity: str, hours_per: str) -> str:
    """An assembly order for `quantity` of the parent, its lines from the BOM and `hours_per` hours of a resource at
    direct unit cost 15.00 and unit cost 18.00 per parent. (The order no.)"""
    order = system.http.post(system.url("warehouse", "/assembly-orders"), json={
        "item_no": parent, "quantity": quantity, "location_code": "MAIN", "due_date": "2026-08-04"})
    assert order.status_code == 201, order.text
    no: str = order.json()["no"]
    resource = system.http.post(system.url("warehouse", f"/assembly-orders/{no}/lines"), json={
        "type": "Resource", "no": unique("R")[:20], "quantity_per": hours_per, "direct_unit_cost": "15",
        "unit_cost": "18"})
    assert resource.status_code == 201, resource.text
    return no


def assembled_through_the_warehouse(system: System, standard: bool = False,
                                    ) -> tuple[str, str, dict[str, Any], dict[str, Any]]:
    """A (FIFO) 2 received at 10.00, not invoiced; B (Average) 3 bought at 5.00; an order for one parent of 2 x A and
    3 x B, with 2 hours of a resource at direct unit cost 15.00 and unit cost 18.00, posted. A `standard` parent's
    cost is rolled up from its BOM before the order. (A, the parent, the receipt entry of A, the posting.)"""
    a = system.create_item()["item_no"]
    b = system.create_item(costing_method="Average")["item_no"]
    method = "Standard" if standard else "FIFO"
    parent = system.create_item(indirect_cost_pct="10", overhead_rate="1", costing_method=method)["item_no"]
    system.give_bom(parent, [{"line_no": 10000, "type": "Item", "no": a, "quantity_per": "2"},
                             {"line_no": 20000, "type": "Item", "no": b, "quantity_per": "3"}])
    receipt = received(system, a, "2", "10.00", "2026-08-03")
    response = system.post(unique("D"), [line(b, "Purchase", "3", "5.00", "2026-08-03")])
    assert response.status_code == 201, response.text
    if standard:
        # A, received but not invoiced, has no unit cost yet: material 3 x 5.00, overhead 10 % of it + 1.00, and the
        # BOM has no resource.
        shares = rolled_up(system, parent, **{a: "0", b: "5"})
        assert [D(shares[k]) for k in ("standard_cost", "single_level_material_cost", "single_level_capacity_cost",
                                       "single_level_cap_ovhd_cost", "single_level_mfg_ovhd_cost")] == [
            D("17.5"), D("15"), D(0), D(0), D("2.5")]
    no = order_with_a_resource(system, parent, "1", hours_per="2")
    posted_ = system.http.post(system.url("warehouse", f"/assembly-orders/{no}/post"),
                               json={"quantity_to_assemble": "1", "posting_date": "2026-08-04"})
    assert posted_.status_code == 201, posted_.text
    return a, parent, receipt, posted_.json()["posting"]


def test_an_assembly_posted_by_the_warehouse_is_costed_sold_and_follows_a_component_invoiced_at_another_cost(
    system: System,
) -> None:
    dead_letters = system.dead_letter_counts()
    a, parent, receipt, posting = assembled_through_the_warehouse(system)
    (output_no,) = posting["output_entry_nos"]
    response = system.post(unique("D"), [line(parent, "Sale", "1", day="2026-08-05")])
    assert response.status_code == 201, response.text
    (sale,) = response.json()["entries"]
    system.wait_quiet()
    # 2 x 10.00 + 3 x 5.00 material, 30.00 + 6.00 resource, 10 % of 71.00 + 1.00 overhead
    assert entry_costs(system, parent) == {output_no: D("79.10"), sale["entry_no"]: D("-79.10")}

    invoice(system, receipt["entry_no"], "2", "12.00", "2026-08-20")
    system.wait_quiet()
    assert entry_costs(system, parent) == {output_no: D("83.50"), sale["entry_no"]: D("-83.50")}
    accounts = system.accounts_for("MAIN", "RESALE", "", "RETAIL")
    balances = balances_of_item(system, parent)
    assert {role: balances.get(accounts[role], D(0)) for role in (
        "inventory", "inventory_adjmt", "direct_cost_applied", "overhead_applied", "cogs")} == {
        "inventory": D("0.00"), "inventory_adjmt": D("-39.00"), "direct_cost_applied": D("-30.00"),
        "overhead_applied": D("-14.50"), "cogs": D("83.50")}
    consumed = [e["entry_no"] for e in posting["entries"] if e["entry_type"] == "Assembly Consumption" and e["item_no"] == a]
    assert [entry_costs(system, a)[no] for no in consumed] == [D("-24.00")]
    system.assert_books_balance_and_reconcile()
    assert system.dead_letter_counts() == dead_letters


def test_a_standard_parent_assembled_by_the_warehouse_posts_its_variances_and_undo_takes_the_cost_back(
    system: System,
) -> None:
    _, parent, receipt, posting = assembled_through_the_warehouse(system, standard=True)
    (output_no,) = posting["output_entry_nos"]
    system.wait_quiet()
    accounts = system.accounts_for("MAIN", "RESALE", "", "RETAIL")
    variances = ("material_variance", "capacity_variance", "cap_overhead_variance", "mfg_overhead_variance")

    def variance_balances() -> dict[str, Decimal]:
        balances = balances_of_item(system, parent)
        return {role: balances.get(accounts[role], D(0)) for role in variances}

    # Actual: material 35.00, the order's resource 30.00 + 6.00 (not in the BOM), overhead 10 % of 71.00 + 1.00.
    assert entry_costs(system, parent) == {output_no: D("17.50")}
    assert variance_balances() == {"material_variance": D("20.00"), "capacity_variance": D("30.00"),
                                   "cap_overhead_variance": D("6.00"), "mfg_overhead_variance": D("5.60")}

    undo = system.http.post(system.url("warehouse", f"/assembly-orders/{posting['order_no']}/postings/"
                                                    f"{posting['posting_no']}/undo"))
    assert undo.status_code == 201, undo.text
    invoice(system, receipt["entry_no"], "2", "9.00", "2026-08-20")
    system.wait_quiet()
    costs = entry_costs(system, parent)
    # A at 9.00: material 33.00, overhead 10 % of 69.00 + 1.00.
    assert costs[output_no] == D("17.50") and sum(costs.values(), D(0)) == D("0.00")
    assert variance_balances() == {"material_variance": D("18.00"), "capacity_variance": D("30.00"),
                                   "cap_overhead_variance": D("6.00"), "mfg_overhead_variance": D("5.40")}
    system.assert_books_balance_and_reconcile()


def published_with_bom(system: System, item_no: str, bom: list[dict[str, Any]], **card: Any) -> None:
    """The item's card with an assembly BOM and the given card fields (e.g. the standard cost shares a roll-up
    gives), published as the catalog would, as a newer revision, into every replica."""
    response = system.http.get(system.url("catalog", f"/items/{item_no}/published-card"))
    assert response.status_code == 200, response.text
    revision = response.json()["revision"] + 1000
    upserted = ItemUpserted.model_validate({**response.json(), "revision": revision, "assembly_bom": bom, **card})
    publish(system, ITEM_UPSERTED_V1, item_no, upserted, "catalog")
    system.wait_for_card(item_no, revision)


def assembled_in_serials(system: System, **parent_card: Any) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """Three serial-tracked parents, each of 1 x A (FIFO: 3 received at 10.00333, 30.01, not invoiced), 2 x B
    (Average: 6 bought at 5.00) and 1 hour of a resource (direct unit cost 15.00, unit cost 18.00), assembled in one
    posting: SN1, SN2, SN3. (The parent, the receipt entry of A, the posting.)"""
    code = unique("SN")[:20]
    response = system.http.put(system.url("catalog", f"/item-tracking-codes/{code}"),
                               json={"serial_required_for": ["Assembly Output", "Sale"]})
    assert response.status_code == 200, response.text
    a = system.create_item()["item_no"]
    b = system.create_item(costing_method="Average")["item_no"]
    parent = system.create_item(item_tracking_code=code, indirect_cost_pct="10", overhead_rate="1")["item_no"]
    published_with_bom(system, parent, [{"line_no": 10000, "type": "Item", "no": a, "quantity_per": "1"},
                                        {"line_no": 20000, "type": "Item", "no": b, "quantity_per": "2"}], **parent_card)
    receipt = received(system, a, "3", "10.00333", "2026-08-03")
    response = system.post(unique("D"), [line(b, "Purchase", "6", "5.00", "2026-08-03")])
    assert response.status_code == 201, response.text
    no = order_with_a_resource(system, parent, "3", hours_per="1")
    response = system.http.post(system.url("warehouse", f"/assembly-orders/{no}/post"), json={
        "quantity_to_assemble": "3", "posting_date": "2026-08-04",
        "output_tracking": [{"serial_no": serial_no, "quantity": "1"} for serial_no in ("SN1", "SN2", "SN3")]})
    assert response.status_code == 201, response.text
    posting = response.json()["posting"]
    assert len(posting["output_entry_nos"]) == 3
    assert all(e["consumption_entries"] == posting["consumption_entry_nos"] and len(e["resources"]) == 1
               for e in posting["entries"] if e["entry_no"] in posting["output_entry_nos"]), \
        "every output names all that it is made of"
    return parent, receipt, posting


def test_each_serial_of_an_assembled_parent_costs_its_share_and_takes_its_share_of_a_component_invoiced_later(
    system: System,
) -> None:
    """Each output entry (one per serial) costs its share by quantity of the material, the resources and the
    overhead, rounded to the cent with the last serial taking what the others leave; a component invoiced at another
    cost reaches each serial by its share, and a sold serial's sale."""
    dead_letters = system.dead_letter_counts()
    parent, receipt, posting = assembled_in_serials(system)
    outputs = posting["output_entry_nos"]
    response = system.post(unique("D"), [line(parent, "Sale", "1", day="2026-08-05")
                                         | {"tracking": [{"serial_no": "SN3", "quantity": "1"}]}])
    assert response.status_code == 201, response.text
    (sale,) = response.json()["entries"]
    system.wait_quiet()
    # material 30.01 of A (10.00, 10.00, 10.01) + 30.00 of B; resource 3 h x 15.00 + 3 h x 3.00 (15.00 + 3.00 each);
    # overhead 10 % of 114.01 + 3 x 1.00 = 14.40 (4.80 each)
    costs = entry_costs(system, parent)
    assert [costs[no] for no in outputs] == [D("42.80"), D("42.80"), D("42.81")]
    assert costs[sale["entry_no"]] == D("-42.81")

    before = {v["entry_no"] for v in system.value_entries(parent)}
    invoice(system, receipt["entry_no"], "3", "12.00111", "2026-08-20")  # 36.00: A's consumption 36.00, 12.00 each
    system.wait_quiet()
    # material 66.00 (22.00 each), overhead 10 % of 120.00 + 3.00 = 15.00 (5.00 each)
    costs = entry_costs(system, parent)
    assert [costs[no] for no in outputs] == [D("45.00"), D("45.00"), D("45.00")]
    assert costs[sale["entry_no"]] == D("-45.00")
    forwarded = [(v["item_ledger_entry_no"], v["entry_type"], D(v["cost_amount_actual"]))
                 for v in system.value_entries(parent) if v["entry_no"] not in before and v["item_ledger_entry_no"] in outputs]
    assert sorted(forwarded) == sorted([
        (outputs[0], "Direct Cost", D("2.00")), (outputs[0], "Indirect Cost", D("0.20")),
        (outputs[1], "Direct Cost", D("2.00")), (outputs[1], "Indirect Cost", D("0.20")),
        (outputs[2], "Direct Cost", D("1.99")), (outputs[2], "Indirect Cost", D("0.20"))])
    accounts = system.accounts_for("MAIN", "RESALE", "", "RETAIL")
    balances = balances_of_item(system, parent)
    assert {role: balances.get(accounts[role], D(0)) for role in (
        "inventory", "inventory_adjmt", "direct_cost_applied", "overhead_applied", "cogs")} == {
        "inventory": D("90.00"), "inventory_adjmt": D("-66.00"), "direct_cost_applied": D("-45.00"),
        "overhead_applied": D("-24.00"), "cogs": D("45.00")}
    system.assert_books_balance_and_reconcile()
    assert system.dead_letter_counts() == dead_letters


def test_standard_serials_keep_their_standard_cost_with_their_own_variances_and_an_undo_reverses_each(
    system: System,
) -> None:
    dead_letters = system.dead_letter_counts()
    parent, receipt, posting = assembled_in_serials(
        system, costing_method="Standard", standard_cost="45", single_level_material_cost="20",
        single_level_capacity_cost="15", single_level_cap_ovhd_cost="3", single_level_mfg_ovhd_cost="7")
    outputs = posting["output_entry_nos"]
    system.wait_quiet()
    assert [entry_costs(system, parent)[no] for no in outputs] == [D("45.00")] * 3
    # per serial: material 20.00, 20.00, 20.01 against 20.00; overhead 4.80 against 7.00
    # Summed: a consumption valued after the outputs (its partition may lag) adds adjustments and variances.
    variances: dict[tuple[int, str], Decimal] = {}
    for v in system.value_entries(parent):
        if v["entry_type"] == "Variance":
            kind = (v["item_ledger_entry_no"], v["variance_type"])
            variances[kind] = variances.get(kind, D(0)) + D(v["cost_amount_actual"])
    assert {kind: amount for kind, amount in variances.items() if amount} == {
        (outputs[0], "Manufacturing Overhead"): D("2.20"), (outputs[1], "Manufacturing Overhead"): D("2.20"),
        (outputs[2], "Material"): D("-0.01"), (outputs[2], "Manufacturing Overhead"): D("2.20")}

    undo = system.http.post(system.url("warehouse", f"/assembly-orders/{posting['order_no']}/postings/"
                                                    f"{posting['posting_no']}/undo"))
    assert undo.status_code == 201, undo.text
    corrections = [e["entry_no"] for e in undo.json()["entries"] if e["item_no"] == parent]
    assert len(corrections) == 3
    invoice(system, receipt["entry_no"], "3", "12.00111", "2026-08-20")
    system.wait_quiet()
    costs = entry_costs(system, parent)
    assert [costs[no] for no in outputs] == [D("45.00")] * 3
    assert [costs[no] for no in corrections] == [D("-45.00")] * 3
    accounts = system.accounts_for("MAIN", "RESALE", "", "RETAIL")
    balances = balances_of_item(system, parent)
    # the change of A (2.00, 2.00, 1.99) and of the overhead (0.20 each) went into each serial's variances
    assert {role: balances.get(accounts[role], D(0)) for role in (
        "inventory", "material_variance", "capacity_variance", "cap_overhead_variance", "mfg_overhead_variance")} == {
        "inventory": D("0.00"), "material_variance": D("6.00"), "capacity_variance": D(0),
        "cap_overhead_variance": D(0), "mfg_overhead_variance": D("-6.00")}
    system.assert_books_balance_and_reconcile()
    assert system.dead_letter_counts() == dead_letters
