"""README's example, through HTTP, on a freshly deployed system; the same numbers wherever it runs."""

from decimal import Decimal
from typing import Protocol

import httpx

from support import wait_until


class Deployment(Protocol):
    def url(self, service: str) -> str: ...


def run_readme_example(deployment: Deployment, http: httpx.Client) -> None:
    """Item 2000 (FIFO): receive 10 @ 5.00 and 10 @ 6.00, sell 15: the sale costs 80.00, 5 units worth 30.00 remain
    and the inventory account says 30.00 too."""
    catalog, warehouse, costing, ledger = (deployment.url(s) for s in ("catalog", "warehouse", "costing", "ledger"))
    item = {"item_no": "2000", "description": "Saddle", "base_unit_of_measure": "PCS", "costing_method": "FIFO",
            "inventory_posting_group": "RESALE", "gen_prod_posting_group": "RETAIL"}
    created = http.post(f"{catalog}/items", json=item, headers={"Idempotency-Key": "item-2000"})
    assert created.status_code == 201, created.text
    # Posted at once: the warehouse takes a card it has not yet received from the catalog.
    receipt = http.post(f"{warehouse}/item-journal", headers={"Idempotency-Key": "r-1"}, json={"document_no": "R-1", "lines": [
        {"item_no": "2000", "entry_type": "Purchase", "quantity": "10", "unit_cost": "5.00", "posting_date": "2026-01-05", "location_code": "MAIN"},
        {"item_no": "2000", "entry_type": "Purchase", "quantity": "10", "unit_cost": "6.00", "posting_date": "2026-01-05", "location_code": "MAIN"}]})
    assert receipt.status_code == 201, receipt.text
    sale = http.post(f"{warehouse}/item-journal", headers={"Idempotency-Key": "s-1"}, json={"document_no": "S-1", "lines": [
        {"item_no": "2000", "entry_type": "Sale", "quantity": "15", "posting_date": "2026-01-06", "location_code": "MAIN"}]})
    assert sale.status_code == 201, sale.text

    def inventory_account_balance() -> Decimal | None:
        entries = http.get(f"{ledger}/gl-entries", params={"account_no": "2130", "limit": 1000}).json()["entries"]
        balance = sum((Decimal(e["amount"]) for e in entries), Decimal(0))
        return balance if len(entries) == 3 else None

    assert wait_until(inventory_account_balance, 60, "three G/L entries on the inventory account") == Decimal("30.00")
    assert Decimal(http.get(f"{warehouse}/items/2000/quantity-on-hand").json()["quantity"]) == 5
    value_entries = http.get(f"{costing}/value-entries", params={"item_no": "2000"}).json()["entries"]
    costs = sorted(Decimal(v["cost_amount_actual"]) for v in value_entries)
    assert costs == [Decimal("-80.00"), Decimal("50.00"), Decimal("60.00")]
    valuation = http.get(f"{costing}/inventory-valuation", params={"item_no": "2000"}).json()
    assert (Decimal(valuation["quantity"]), Decimal(valuation["cost_amount_actual"])) == (5, Decimal("30.00"))
    trial_balance = http.get(f"{ledger}/trial-balance").json()
    assert Decimal(trial_balance["total_debit"]) == Decimal(trial_balance["total_credit"])
