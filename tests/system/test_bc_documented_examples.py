"""Business Central's documented examples and rules for costing, assembly and availability, reproduced through the
APIs of the running system. Each test names its source; where the documentation gives only the rule, the numbers
are this project's own and the docstring says so."""

from decimal import Decimal
from typing import Any

import pytest

from costing_helpers import balances_of_item, create_item, entry_costs, line, posted
from support import System, created, unique, wait_until

pytestmark = pytest.mark.system

D = Decimal
ACCOUNTS = ("MAIN", "RESALE", "", "RETAIL")


def test_variance_example_purchase_item_charge_and_revaluation(system: System) -> None:
    """Source: "Design details: variance", https://learn.microsoft.com/en-us/dynamics365/business-central/design-details-variance
    (section Example). Its figures: a Standard item with standard cost 100.00 bought for 90.00 has a purchase variance
    of -10.00; an item charge of 20.00 makes the actual cost 110.00 and the variance 10.00 (the account debited with
    20.00); revaluing the item from 100.00 to 70.00 changes the inventory value, not the variance."""
    item = create_item(system, costing_method="Standard", standard_cost="100.00")
    purchase, = posted(system, line(item, "Purchase", "1", "90.00", day="2026-03-02"))
    system.wait_quiet()
    accounts = system.accounts_for(*ACCOUNTS)

    def balance(role: str) -> Decimal:
        return balances_of_item(system, item).get(accounts[role], D(0))

    assert (balance("inventory"), balance("purchase_variance")) == (D("100.00"), D("-10.00"))

    charge = system.http.post(system.url("costing", "/item-charges"), json={
        "item_charge_no": "FREIGHT", "document_no": unique("CH"), "posting_date": "2026-03-03", "amount": "20.00",
        "split": "Equally", "lines": [{"item_ledger_entry_no": purchase["entry_no"]}]})
    assert charge.status_code == 201, charge.text
    system.wait_quiet()
    assert (balance("inventory"), balance("purchase_variance")) == (D("100.00"), D("10.00"))
    assert balance("direct_cost_applied") == D("-110.00")

    revalued = system.http.post(system.url("costing", "/revaluations"), json={
        "item_no": item, "posting_date": "2026-03-04", "new_unit_cost": "70.00"})
    assert revalued.status_code == 201, revalued.text
    system.wait_quiet()
    assert (balance("inventory"), balance("purchase_variance")) == (D("70.00"), D("10.00"))
    assert entry_costs(system, item) == {purchase["entry_no"]: D("70.00")}
    system.assert_books_balance_and_reconcile()


def test_assembled_standard_item_cost_shares_variances_and_actual_cost_from_the_rules(system: System) -> None:
    """Rules, no figures: "Design details: variance",
    https://learn.microsoft.com/en-us/dynamics365/business-central/design-details-variance (the cost shares Calculate
    Standard Cost gives an assembled item, and variance = actual cost - standard cost), and "Design Details: Assembly
    Order Posting", https://learn.microsoft.com/pt-br/previous-versions/dynamicsnav-2016/hh997377(v=nav.90)
    (consumption, resource usage and output posted together; assembly costs are always actual, never expected).
    The numbers are this project's own: a parent (10 % indirect cost, overhead rate 0.50) of 2 x C1 (standard 4.00),
    4 x C2 (standard 2.50) and 1.5 hours of a resource (direct unit cost 10.00, 20 % indirect: unit cost 12.00)."""
    c1 = system.create_item(costing_method="Standard", standard_cost="4.00")["item_no"]
    c2 = system.create_item(costing_method="Standard", standard_cost="2.50")["item_no"]
    resource = created(system.http.post(system.url("catalog", "/resources"), json={
        "no": unique("RES"), "name": "Assembler", "type": "Person", "base_unit_of_measure": "HOUR",
        "direct_unit_cost": "10.00", "indirect_cost_pct": "20"}))["no"]
    parent = system.create_item(costing_method="Standard", indirect_cost_pct="10", overhead_rate="0.50")["item_no"]
    system.give_bom(parent, [{"line_no": 10000, "type": "Item", "no": c1, "quantity_per": "2"},
                             {"line_no": 20000, "type": "Item", "no": c2, "quantity_per": "4"},
                             {"line_no": 30000, "type": "Resource", "no": resource, "quantity_per": "1.5"}])

    rolled = created(system.http.post(system.url("catalog", f"/items/{parent}/calculate-standard-cost"), json={}))
    # Material 2 x 4.00 + 4 x 2.50; capacity 1.5 x 10.00; its overhead 1.5 x (12.00 - 10.00); manufacturing
    # overhead 10 % of the three + 0.50.
    assert {k: D(rolled[k]) for k in ("single_level_material_cost", "single_level_capacity_cost",
                                      "single_level_cap_ovhd_cost", "single_level_mfg_ovhd_cost", "standard_cost")} == {
        "single_level_material_cost": D("18"), "single_level_capacity_cost": D("15"),
        "single_level_cap_ovhd_cost": D("3"), "single_level_mfg_ovhd_cost": D("4.1"), "standard_cost": D("40.1")}
    system.wait_for_card(parent, rolled["revision"])
    posted(system, line(c1, "Purchase", "2", "4.00", day="2026-03-02"), line(c2, "Purchase", "4", "2.50", day="2026-03-02"))

    order = created(system.http.post(system.url("warehouse", "/assembly-orders"), json={
        "item_no": parent, "quantity": "1", "location_code": "MAIN", "due_date": "2026-03-03"}))
    resource_line = next(l for l in order["lines"] if l["type"] == "Resource")
    # The assembler took 2 hours, not the 1.5 of the BOM.
    created(system.http.patch(system.url("warehouse", f"/assembly-orders/{order['no']}/lines/{resource_line['line_no']}"),
                              json={"quantity": "2"}))
    posting = created(system.http.post(system.url("warehouse", f"/assembly-orders/{order['no']}/post"),
                                       json={"quantity_to_assemble": "1", "posting_date": "2026-03-03"}))["posting"]
    (output_no,) = posting["output_entry_nos"]
    system.wait_quiet()

    assert entry_costs(system, parent) == {output_no: D("40.10")}
    output_entries = [v for v in system.value_entries(parent) if v["item_ledger_entry_no"] == output_no]
    assert output_entries and all(D(v["cost_amount_expected"]) == 0 for v in output_entries)
    accounts = system.accounts_for(*ACCOUNTS)
    balances = balances_of_item(system, parent)
    # Actual: material 18.00, capacity 2 x 10.00, its overhead 2 x 2.00, overhead 10 % of 42.00 + 0.50 = 4.70.
    assert {role: balances.get(accounts[role], D(0)) for role in (
        "material_variance", "capacity_variance", "cap_overhead_variance", "mfg_overhead_variance")} == {
        "material_variance": D(0), "capacity_variance": D("5.00"), "cap_overhead_variance": D("1.00"),
        "mfg_overhead_variance": D("0.60")}
    system.assert_books_balance_and_reconcile()


def test_projected_available_balance_is_inventory_plus_scheduled_receipts_less_gross_requirements(
    system: System,
) -> None:
    """Rule, no figures: "View the availability of items",
    https://docs.microsoft.com/en-gb/dynamics365/business-central/inventory-how-availability-overview (the projected
    available balance is the quantity on hand plus scheduled receipts, such as purchase orders, minus gross
    requirements, such as sales orders). The numbers are this project's own: 7 on hand, a purchase order of 5 and
    sales orders of 4 and 6."""
    item = system.create_item()["item_no"]
    posted(system, line(item, "Purchase", "7", "3.00", day="2026-03-02"))

    def register(path: str, body: dict[str, Any]) -> None:
        created(system.http.post(system.url("warehouse", path), json={"order_date": "2026-03-02", **body}))

    register("/sales-orders", {"no": unique("SO"), "lines": [
        {"item_no": item, "location_code": "MAIN", "quantity": "4", "shipment_date": "2026-03-05"},
        {"item_no": item, "location_code": "MAIN", "quantity": "6", "shipment_date": "2026-03-20"}]})
    register("/purchase-orders", {"no": unique("PO"), "lines": [
        {"item_no": item, "location_code": "MAIN", "quantity": "5", "expected_receipt_date": "2026-03-10"}]})

    def events(**params: str) -> dict[str, Any]:
        response = system.http.get(system.url("warehouse", f"/items/{item}/availability/events"),
                                   params={"location_code": "MAIN", **params})
        assert response.status_code == 200, response.text
        return dict(response.json())

    found = wait_until(lambda: len(events()["events"]) == 3 and events(), what="the orders in availability")
    assert D(found["inventory"]) == 7
    assert [(e["date"], D(e["projected_available_balance"])) for e in found["events"]] == [
        ("2026-03-05", D(3)), ("2026-03-10", D(8)), ("2026-03-20", D(2))]
    assert D(found["projected_available_balance"]) == 7 + 5 - 4 - 6
    assert D(events(to="2026-03-12")["projected_available_balance"]) == 7 + 5 - 4
