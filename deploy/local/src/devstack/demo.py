"""Demo data: a few items, receipts and sales, posted through the APIs like any client would."""

import time
from datetime import date, timedelta

import httpx

from .stack import Stack

ITEMS = [
    {"item_no": "1000", "description": "Bicycle", "base_unit_of_measure": "PCS", "unit_price": "499.00"},
    {"item_no": "1100", "description": "Front wheel", "base_unit_of_measure": "PCS", "unit_price": "89.00"},
    {"item_no": "1200", "description": "Chain", "base_unit_of_measure": "PCS", "unit_price": "19.90", "costing_method": "LIFO"},
]


def wait_for(check: "callable[[], bool]", what: str, timeout: float = 30) -> None:  # type: ignore[valid-type]
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not happen within {timeout:.0f}s")
        time.sleep(0.1)


def load(stack: Stack) -> None:
    catalog, warehouse = stack.url("catalog"), stack.url("warehouse")
    token = stack.issuer.token(["catalog:write", "inventory:read", "inventory:post"], ttl=600, subject="demo")
    with httpx.Client(timeout=10, headers={"Authorization": f"Bearer {token}"}) as http:
        for item in ITEMS:
            card = {"inventory_posting_group": "RESALE", "gen_prod_posting_group": "RETAIL", **item}
            response = http.post(f"{catalog}/items", json=card, headers={"Idempotency-Key": f"demo-item-{item['item_no']}"})
            if response.status_code not in (201, 409):
                response.raise_for_status()
        for item in ITEMS:
            wait_for(lambda: http.get(f"{warehouse}/items/{item['item_no']}/quantity-on-hand").status_code == 200,
                     f"item {item['item_no']} reaching the warehouse")
        start = date.today() - timedelta(days=7)
        documents = [
            ("DEMO-RCPT-1", [("1000", "Purchase", "10", "250.00", 0), ("1100", "Purchase", "40", "30.00", 0),
                             ("1200", "Purchase", "100", "4.00", 0)]),
            ("DEMO-RCPT-2", [("1000", "Purchase", "10", "270.00", 1), ("1200", "Purchase", "100", "4.50", 1)]),
            ("DEMO-SHIP-1", [("1000", "Sale", "12", None, 2), ("1100", "Sale", "8", None, 2), ("1200", "Sale", "150", None, 2)]),
            ("DEMO-ADJ-1", [("1100", "Negative Adjmt.", "2", None, 3)]),
        ]
        for document_no, lines in documents:
            body = {
                "document_no": document_no,
                "lines": [
                    {"item_no": no, "entry_type": kind, "quantity": qty, "location_code": "MAIN",
                     "posting_date": (start + timedelta(days=day)).isoformat(), **({"unit_cost": cost} if cost else {})}
                    for no, kind, qty, cost, day in lines
                ],
            }
            response = http.post(f"{warehouse}/item-journal", json=body, headers={"Idempotency-Key": f"demo-{document_no}"})
            response.raise_for_status()
