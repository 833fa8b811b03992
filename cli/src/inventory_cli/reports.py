"""Read-only views: availability (warehouse), valuation (costing), trial balance and reconciliation (ledger, costing)."""

import csv
import sys
from datetime import date, timedelta
from decimal import Decimal
from typing import Annotated
from urllib.parse import quote

import typer
from rich.table import Table

from .client import Api
from .output import console


def availability(
    ctx: typer.Context,
    item_no: str,
    period: Annotated[str, typer.Option(help="day, week or month.")] = "month",
    from_: Annotated[str | None, typer.Option("--from", help="First date (default: five periods back).")] = None,
    to: Annotated[str | None, typer.Option(help="Last date (default: today).")] = None,
    location: Annotated[str | None, typer.Option(help="Only this location's availability by period.")] = None,
) -> None:
    """Quantity on hand by location, and the availability by period the warehouse gives."""
    api: Api = ctx.obj
    path = f"/items/{quote(item_no, safe='')}"
    on_hand = api.get("warehouse", f"{path}/quantity-on-hand")
    console.print(f"item {item_no} on hand: {on_hand['quantity']}")
    table = Table("location", "variant", "quantity")
    for line in on_hand["locations"]:
        table.add_row(line["location_code"], line["variant_code"], str(line["quantity"]))
    console.print(table)
    last = date.fromisoformat(to) if to else date.today()
    first = from_ or (last - timedelta(days={"day": 4, "week": 28}.get(period, 4 * 31))).isoformat()
    by_period = api.get("warehouse", f"{path}/availability", period=period, location_code=location,
                        **{"from": first, "to": last.isoformat()})
    columns = ("net_change", "inventory", "in_transit", "reserved", "available_inventory", "gross_requirement",
               "scheduled_receipts", "projected_available_balance")
    table = Table(title=f"availability by {period}" + (f" at {location}" if location else ""))
    table.add_column("period", no_wrap=True)
    for c in columns:
        table.add_column(c.replace("_", " "))
    for row in by_period["periods"]:
        table.add_row(f"{row['period_start']}..{row['period_end']}", *(str(row[c]) for c in columns))
    console.print(table)


def valuation(
    ctx: typer.Context,
    at: Annotated[str | None, typer.Option(help="Value at this date (default: everything posted).")] = None,
    item: Annotated[str | None, typer.Option(help="Only this item.")] = None,
    as_csv: Annotated[bool, typer.Option("--csv", help="CSV on standard output.")] = False,
) -> None:
    """Inventory value per item, location and posting group (costing)."""
    api: Api = ctx.obj
    found = api.get("costing", "/inventory-valuation", at=at, item_no=item)
    columns = ("item_no", "location_code", "inventory_posting_group", "quantity", "cost_amount_actual",
               "cost_amount_expected", "value")
    if as_csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows([line[c] for c in columns] for line in found["lines"])
        return
    table = Table(*(c.replace("_", " ") for c in columns), title=f"inventory valuation at {at or 'today'}")
    for line in found["lines"]:
        table.add_row(*(str(line[c]) for c in columns))
    table.add_row("[bold]total", "", "", str(found["quantity"]), str(found["cost_amount_actual"]),
                  str(found["cost_amount_expected"]), f"[bold]{found['value']}")
    console.print(table)


def trial_balance(
    ctx: typer.Context,
    at: Annotated[str | None, typer.Option(help="Entries posted on or before this date (default: all).")] = None,
) -> None:
    """The G/L trial balance (ledger)."""
    api: Api = ctx.obj
    found = api.get("ledger", "/trial-balance", at=at)
    table = Table("account", "name", "debit", "credit", "balance", title=f"trial balance at {at or 'today'}")
    for line in found["lines"]:
        table.add_row(line["account_no"], line["name"], str(line["debit"]), str(line["credit"]), str(line["balance"]))
    table.add_row("[bold]total", "", str(found["total_debit"]), str(found["total_credit"]), "")
    console.print(table)
    balanced = Decimal(str(found["total_debit"])) == Decimal(str(found["total_credit"]))
    console.print("[green]debits equal credits[/]" if balanced else "[red]debits differ from credits[/]")


def reconciliation(
    ctx: typer.Context,
    settle_seconds: Annotated[float, typer.Option(help="Compare quantities over entries at least this old.")] = 10,
) -> None:
    """Inventory value against each inventory account (ledger) and costing's quantities against the warehouse's
    (costing): green when equal, red with the difference. Exit 1 when something differs."""
    api: Api = ctx.obj
    books = api.get("ledger", "/reconciliation")
    table = Table("account", "interim", "inventory value", "G/L balance", "difference", "",
                  title="inventory value and G/L accounts")
    differing = 0
    for line in books["lines"]:
        equal = Decimal(str(line["difference"])) == 0
        differing += not equal
        table.add_row(line["account_no"], "interim" if line["interim"] else "", str(line["inventory_value"]),
                      str(line["gl_balance"]), f"[{'green' if equal else 'red'}]{line['difference']}[/]",
                      "[green]ok[/]" if equal else "[red]differs[/]")
    console.print(table)
    console.print(f"value entries: costing {books['costing_value_entries']}, ledger {books['ledger_value_entries']}, "
                  f"waiting for setup {books['pending_value_entries']}; "
                  + ("[green]caught up[/]" if books["caught_up"] else "[yellow]ledger not caught up yet[/]"))
    quantities = api.get("costing", "/quantity-reconciliation", settle_seconds=settle_seconds)
    table = Table("item", "location", "warehouse", "costing", "difference", title="quantities: costing and warehouse")
    for diff in quantities["differences"]:
        table.add_row(diff["item_no"], diff["location_code"], str(diff["warehouse_quantity"]),
                      str(diff["costing_quantity"]), f"[red]{diff['difference']}[/]")
    differing += len(quantities["differences"])
    if quantities["differences"]:
        console.print(table)
    console.print(f"quantities: {quantities['places_compared']} item/location pairs compared, "
                  + (f"[red]{len(quantities['differences'])} differ[/]" if quantities["differences"] else "[green]all equal[/]"))
    if differing:
        raise typer.Exit(1)
