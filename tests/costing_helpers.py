"""Posting helpers shared by the costing system tests: items known to costing, journal lines, and
costs and G/L balances read back per item."""

from decimal import Decimal
from typing import Any

from support import System, unique, wait_until

D = Decimal


def line(item_no: str, entry_type: str, quantity: str, unit_cost: str | None = None, day: str = "2020-01-01") -> dict[str, Any]:
    body = {"item_no": item_no, "entry_type": entry_type, "quantity": quantity, "posting_date": day, "location_code": "MAIN"}
    return body | ({"unit_cost": unit_cost} if unit_cost is not None else {})


def create_item(system: System, **card: Any) -> str:
    """An item known to the warehouse and to costing's replica (costing reads the card from its own topic)."""
    item_no = system.create_item(**card)["item_no"]
    wait_until(lambda: system.http.get(system.url("costing", f"/items/{item_no}/cost")).status_code == 200,
               what=f"item {item_no} in the costing replica")
    return item_no


def posted(system: System, *lines: dict[str, Any]) -> list[dict[str, Any]]:
    response = system.post(unique("D"), lines)
    assert response.status_code == 201, response.text
    return list(response.json()["entries"])


def entry_costs(system: System, item_no: str) -> dict[int, Decimal]:
    """Cost of each item ledger entry: the sum of its value entries."""
    costs: dict[int, Decimal] = {}
    for value_entry in system.value_entries(item_no):
        number = value_entry["item_ledger_entry_no"]
        costs[number] = costs.get(number, D(0)) + D(value_entry["cost_amount_actual"])
    return costs


def sale_costs(system: System, item_no: str) -> list[Decimal]:
    costs = entry_costs(system, item_no)
    return [costs[e["entry_no"]] for e in system.item_ledger_entries(item_no) if e["entry_type"] == "Sale"]


def balances_of_item(system: System, item_no: str) -> dict[str, Decimal]:
    value_entries = {v["entry_no"] for v in system.value_entries(item_no)}
    totals: dict[str, Decimal] = {}
    for entry in system.gl_entries():
        if entry["value_entry_no"] in value_entries:
            totals[entry["account_no"]] = totals.get(entry["account_no"], D(0)) + D(entry["amount"])
    return totals


def change_card_standard_cost(system: System, item_no: str, standard_cost: str) -> None:
    """Change the standard cost on the item card and wait until costing's replica has it (it revalues nothing)."""
    card = system.http.get(system.url("catalog", f"/items/{item_no}"))
    changed = system.http.patch(system.url("catalog", f"/items/{item_no}"), json={"standard_cost": standard_cost},
                                headers={"If-Match": card.headers["ETag"]})
    assert changed.status_code == 200, changed.text
    wait_until(lambda: Decimal(system.http.get(system.url("costing", f"/items/{item_no}/cost")).json()["standard_cost"])
               == Decimal(standard_cost), what=f"standard cost {standard_cost} in the costing replica")


def implement_standard_cost(system: System, item_no: str, standard_cost: str, day: str) -> dict[str, Any]:
    """Implement a new standard cost at `day` through a standard cost worksheet of its own; the implementation's answer."""
    worksheet = system.url("costing", f"/standard-cost-worksheets/W{unique('')[-9:]}")
    line = system.http.put(f"{worksheet}/lines/{item_no}", json={"new_standard_cost": standard_cost})
    assert line.status_code == 200, line.text
    implemented = system.http.post(f"{worksheet}/implement", json={"posting_date": day})
    assert implemented.status_code == 201, implemented.text
    return dict(implemented.json())


def received(system: System, item_no: str, quantity: str, unit_cost: str, day: str) -> dict[str, Any]:
    """A purchase receipt: valued at expected cost until invoiced."""
    response = system.http.post(system.url("warehouse", "/purchase-receipts"),
                                json={"document_no": unique("RCPT"), "lines": [line(item_no, "Purchase", quantity, unit_cost, day)]})
    assert response.status_code == 201, response.text
    (entry,) = response.json()["entries"]
    return dict(entry)


def invoice(system: System, entry_no: int, quantity: str, unit_cost: str, day: str) -> None:
    response = system.http.post(system.url("warehouse", "/purchase-invoices"), json={
        "document_no": unique("PINV"), "posting_date": day, "lines": [{"entry_no": entry_no, "quantity": quantity, "unit_cost": unit_cost}]})
    assert response.status_code == 201, response.text
