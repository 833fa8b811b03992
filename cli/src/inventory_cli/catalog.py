"""`inventory items ...`: list, show, import (upsert) and export item cards through the catalog API."""

import csv
import io
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

import typer
from rich.table import Table

from .client import Api, problem_text
from .config import CliError
from .output import console, handled, progress
from .rows import ITEM_FIELDS, KINDS, Kind, RowInvalidError, item_to_row

app = typer.Typer(help="Item cards: search, show, import (creates and updates), export.", no_args_is_help=True)


@app.command("list")
@handled
def list_items(
    ctx: typer.Context,
    q: Annotated[str | None, typer.Option("--search", "-q", help="Text in the item no. or description.")] = None,
    category: Annotated[str | None, typer.Option(help="A category and its descendants.")] = None,
    type_: Annotated[str | None, typer.Option("--type", help="Inventory, Service or Non-Inventory.")] = None,
    blocked: Annotated[bool | None, typer.Option("--blocked/--not-blocked", help="Only blocked, or only unblocked, items.")] = None,
    attribute: Annotated[list[str] | None, typer.Option(help="Name:eq:value, Name:contains:text, Name:begins:text, "
                                                               "Name:range:from..to (repeat: all must hold).")] = None,
    sort: Annotated[str | None, typer.Option(help="item_no, description or unit_price; -field descending.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many items (--all: every one).")] = 50,
    all_: Annotated[bool, typer.Option("--all", help="Every matching item.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="The cards as JSON.")] = False,
) -> None:
    """Search item cards as the catalog API allows."""
    api: Api = ctx.obj
    params: dict[str, Any] = {"q": q, "category": category, "type": type_, "attribute": attribute or None, "sort": sort,
                              "blocked": None if blocked is None else str(blocked).lower()}
    if all_:
        found = api.pages("catalog", "/items", "items", **params)
    else:
        found = api.get("catalog", "/items", **params, limit=min(limit, 1000))["items"][:limit]
    if as_json:
        print(json.dumps(found, indent=2))
        return
    table = Table("item no.", "description", "type", "unit", "costing", "unit price", "category", "blocked")
    for item in found:
        table.add_row(item["item_no"], item["description"], item["type"], item["base_unit_of_measure"],
                      item["costing_method"], str(item["unit_price"]), item["item_category_code"],
                      "[red]blocked[/]" if item["blocked"] else "")
    console.print(table)
    console.print(f"{len(found)} items")


@app.command()
@handled
def show(ctx: typer.Context, item_no: str,
         as_json: Annotated[bool, typer.Option("--json", help="The card as JSON.")] = False) -> None:
    """One item card."""
    api: Api = ctx.obj
    card = api.get("catalog", f"/items/{quote(item_no, safe='')}")
    if as_json:
        print(json.dumps(card, indent=2))
        return
    table = Table("field", "value", show_header=False)
    for name, value in item_to_row(card).items():
        table.add_row(name, value)
    table.add_row("revision", str(card.get("revision")))
    table.add_row("has_ledger_entries", str(card.get("has_ledger_entries")).lower())
    console.print(table)


@dataclass
class Outcome:
    where: str
    key: str
    outcome: str
    detail: str = ""


def read_records(path: Path, kind: Kind) -> list[tuple[str, dict[str, Any]]]:
    """(where in the file, the record as the API takes it): JSON (a list, or a page with `items`) or CSV."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror}") from None
    records: list[tuple[str, dict[str, Any]]] = []
    errors: list[str] = []
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise CliError(f"{path} is not JSON: {exc}") from None
        if isinstance(data, dict):
            data = data.get("items", [data])
        for n, record in enumerate(data if isinstance(data, list) else [], start=1):
            if not isinstance(record, dict) or not record.get(kind.key):
                errors.append(f"record {n}: an object with {kind.key}")
            else:
                records.append((f"record {n}", record))
    else:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        if not reader.fieldnames or kind.key not in reader.fieldnames:
            raise CliError(f"{path}: the first line names the columns, {kind.key} among them")
        for row in reader:
            where = f"line {reader.line_num}"  # as a spreadsheet shows it (the header is line 1)
            try:
                record = kind.from_row(row)
            except RowInvalidError as exc:
                errors.append(f"{where}: {exc}")
                continue
            if not record.get(kind.key):
                errors.append(f"{where}: {kind.key} is empty")
            else:
                records.append((where, record))
    if errors:
        raise CliError(f"nothing imported, {len(errors)} bad row(s) in {path}:\n  " + "\n  ".join(errors))
    return records


def upsert(api: Api, kind: Kind, record: dict[str, Any]) -> tuple[str, str]:
    """Create the record, or change what differs: (created|updated|unchanged|refused, the problem if refused)."""
    path = f"{kind.collection}/{quote(str(record[kind.key]), safe='')}"
    current = api.call("catalog", "GET", path)
    if current.status_code == 404:
        created = api.call("catalog", "POST", kind.collection, json=record)
        return ("created", "") if created.status_code == 201 else ("refused", problem_text(created))
    if current.status_code != 200:
        return "refused", problem_text(current)
    try:
        changes = kind.changes(record, current.json())
    except RowInvalidError as exc:
        return "refused", str(exc)
    if not changes:
        return "unchanged", ""
    headers = {"If-Match": current.headers["etag"]} if kind.if_match else {}
    changed = api.call("catalog", "PATCH", path, json=changes, headers=headers)
    return ("updated", ", ".join(changes)) if changed.status_code == 200 else ("refused", problem_text(changed))


@app.command("import")
@handled
def import_file(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV (columns as `items export` writes them) or JSON (cards, as "
                                              "`items list --json` prints them).")],
    kind: Annotated[str, typer.Option(help="What the file holds: items, categories or attributes.")] = "items",
) -> None:
    """Create what the catalog does not have and update what differs (item cards through PATCH with If-Match).

    An empty cell is not given: a new record takes the default, an existing one keeps its value. Each row is
    reported created, updated, unchanged or refused (with the API's problem); exit 1 if any was refused."""
    if kind not in KINDS:
        raise CliError(f"--kind {kind}: one of {', '.join(KINDS)}")
    api: Api = ctx.obj
    spec = KINDS[kind]
    records = read_records(file, spec)
    outcomes: list[Outcome] = []
    with progress() as bar:
        task = bar.add_task(f"importing {kind}", total=len(records))
        for where, record in records:
            outcome, detail = upsert(api, spec, record)
            outcomes.append(Outcome(where, str(record[spec.key]), outcome, detail))
            bar.advance(task)
    colours = {"created": "green", "updated": "cyan", "unchanged": "dim", "refused": "red"}
    table = Table("row", spec.key, "outcome", "detail")
    for o in outcomes:
        table.add_row(o.where, o.key, f"[{colours[o.outcome]}]{o.outcome}[/]", o.detail)
    console.print(table)
    counts = Counter(o.outcome for o in outcomes)
    console.print(", ".join(f"{counts[name]} {name}" for name in colours) + f" ({kind} from {file})")
    if counts["refused"]:
        raise typer.Exit(1)


@app.command()
@handled
def export(
    ctx: typer.Context,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="The CSV file (default: standard output).")] = None,
) -> None:
    """Every item card as CSV, in the columns `items import` takes: exported then imported, nothing changes."""
    api: Api = ctx.obj
    cards = api.pages("catalog", "/items", "items", sort="item_no")
    rows = [item_to_row(card) for card in cards]
    attributes = sorted({name for row in rows for name in row if name.startswith("attr:")})
    handle = out.open("w", newline="", encoding="utf-8") if out else sys.stdout
    try:
        writer = csv.DictWriter(handle, [*ITEM_FIELDS, *attributes], restval="")
        writer.writeheader()
        writer.writerows(rows)
    finally:
        if out:
            handle.close()
    if out:
        console.print(f"exported {len(rows)} items to {out}")
