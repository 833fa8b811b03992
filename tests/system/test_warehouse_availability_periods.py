"""Availability per period: one row per day, week or month with the figures as of its end, through the warehouse
API; the per-date answer stays as it was."""

from decimal import Decimal
from typing import Any

import pytest

from support import System, unique

pytestmark = pytest.mark.system

FIGURES = ("net_change", "inventory", "in_transit", "reserved", "available_inventory", "gross_requirement",
           "scheduled_receipts", "projected_available_balance")


def line(item_no: str, entry_type: str, quantity: str, day: str) -> dict[str, Any]:
    body = {"item_no": item_no, "entry_type": entry_type, "quantity": quantity, "posting_date": day,
            "location_code": "MAIN"}
    if entry_type == "Purchase":
        body["unit_cost"] = "2.00"
    return body


def by_period(system: System, item_no: str, **params: str) -> list[tuple[str, str, dict[str, Decimal]]]:
    response = system.http.get(system.url("warehouse", f"/items/{item_no}/availability"), params=params)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["period"] == params["period"] and body["location_code"] == params.get("location_code")
    return [(p["period_start"], p["period_end"], {k: Decimal(p[k]) for k in FIGURES}) for p in body["periods"]]


def column(rows: list[tuple[str, str, dict[str, Decimal]]], figure: str) -> list[Decimal]:
    return [r[2][figure] for r in rows]


def test_availability_per_day_week_and_month(system: System) -> None:
    item = system.create_item()["item_no"]
    for day, entry_type, quantity in [("2026-09-01", "Purchase", "10"), ("2026-09-03", "Sale", "4"),
                                      ("2026-09-08", "Purchase", "5"), ("2026-10-02", "Sale", "1")]:
        assert system.post(unique("D"), [line(item, entry_type, quantity, day)]).status_code == 201
    reservation = system.http.post(system.url("warehouse", "/reservations"), json={
        "item_no": item, "location_code": "MAIN", "quantity": "2", "source_type": "Sales Order",
        "source_id": unique("SO"), "source_line_no": 10000})
    assert reservation.status_code == 201, reservation.text

    days = by_period(system, item, period="day", **{"from": "2026-08-31", "to": "2026-09-03"})
    assert [(start, end) for start, end, _ in days] == [("2026-08-31", "2026-08-31"), ("2026-09-01", "2026-09-01"),
                                                       ("2026-09-02", "2026-09-02"), ("2026-09-03", "2026-09-03")]
    assert column(days, "net_change") == [0, 10, 0, -4]
    assert column(days, "inventory") == [0, 10, 10, 6]
    # Reservations carry no date: they count in every period.
    assert column(days, "reserved") == [2, 2, 2, 2]
    assert column(days, "available_inventory") == [-2, 8, 8, 4]
    assert column(days, "projected_available_balance") == [-2, 8, 8, 4]

    # Weeks run Monday to Sunday; the first is the week holding `from`, the last the one holding `to`.
    weeks = by_period(system, item, period="week", **{"from": "2026-09-02", "to": "2026-09-14"})
    assert [(start, end) for start, end, _ in weeks] == [("2026-08-31", "2026-09-06"), ("2026-09-07", "2026-09-13"),
                                                        ("2026-09-14", "2026-09-20")]
    assert column(weeks, "net_change") == [6, 5, 0] and column(weeks, "inventory") == [6, 11, 11]

    months = by_period(system, item, period="month", **{"from": "2026-08-15", "to": "2026-10-31"})
    assert [(start, end) for start, end, _ in months] == [("2026-08-01", "2026-08-31"), ("2026-09-01", "2026-09-30"),
                                                         ("2026-10-01", "2026-10-31")]
    assert column(months, "net_change") == [0, 11, -1] and column(months, "inventory") == [0, 11, 10]
    # The reservation names no sales order line: an undated requirement, shown in the first period (net change),
    # and in every period's balance.
    assert column(months, "gross_requirement") == [2, 0, 0]
    assert column(months, "projected_available_balance") == [-2, 9, 8]

    at_east = by_period(system, item, period="month", location_code="EAST", **{"from": "2026-09-01", "to": "2026-09-30"})
    assert column(at_east, "inventory") == [0] and column(at_east, "reserved") == [0]

    # The per-date answer is unchanged.
    as_of = system.http.get(system.url("warehouse", f"/items/{item}/availability"), params={"date": "2026-09-03"})
    assert as_of.status_code == 200 and Decimal(as_of.json()["inventory"]) == 6 and "periods" not in as_of.json()


@pytest.mark.parametrize("params", [
    {"period": "week", "from": "2026-09-10", "to": "2026-09-01"},
    {"period": "month"},
    {"period": "day", "from": "2026-09-01", "to": "2026-09-02", "date": "2026-09-01"},
    {"from": "2026-09-01", "to": "2026-09-02"},
    {"period": "day", "from": "2020-01-01", "to": "2026-01-01"},
])
def test_a_period_question_it_cannot_answer_is_refused(system: System, params: dict[str, str]) -> None:
    item = system.create_item()["item_no"]
    response = system.http.get(system.url("warehouse", f"/items/{item}/availability"), params=params)
    assert response.status_code == 422, response.text
    assert response.json()["type"] == "/problems/invalid-availability-query"
    assert system.http.get(system.url("warehouse", f"/items/{item}/availability"),
                           params={"period": "year", "from": "2026-01-01", "to": "2026-12-31"}).status_code == 422
