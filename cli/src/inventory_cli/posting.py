"""`inventory post`: item journal documents from flags or a CSV file, each sent once (Idempotency-Key)."""

import csv
import hashlib
import json
import uuid
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from .client import Api, problem_text
from .config import CliError
from .output import console, handled, progress


def documents_from_csv(path: Path) -> list[dict[str, Any]]:
    """One document per `document_no`, its lines in file order; the other columns are the journal line's fields
    (item_no, entry_type, quantity, unit_cost, posting_date, location_code, variant_code, bin_code, ...)."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            if not reader.fieldnames or "document_no" not in reader.fieldnames:
                raise CliError(f"{path}: the first line names the columns, document_no among them")
            documents: dict[str, list[dict[str, str]]] = {}
            for row in reader:
                if None in row:
                    raise CliError(f"{path}, line {reader.line_num}: more cells than columns")
                cells = {k: (v or "").strip() for k, v in row.items() if k and (v or "").strip()}
                document_no = cells.pop("document_no", "")
                if not document_no:
                    raise CliError(f"{path}, line {reader.line_num}: document_no is empty")
                documents.setdefault(document_no, []).append(cells)
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror}") from None
    return [{"document_no": no, "lines": lines} for no, lines in documents.items()]


def idempotency_key(document: dict[str, Any]) -> str:
    """The same document sent again (a re-run) carries the same key, so the warehouse posts it once."""
    digest = hashlib.sha256(json.dumps(document, sort_keys=True).encode()).hexdigest()[:32]
    return f"inventory-cli-{digest}"


def post(
    ctx: typer.Context,
    file: Annotated[Path | None, typer.Argument(help="A CSV file of journal lines: document_no, item_no, entry_type, "
                                                     "quantity, unit_cost, posting_date, location_code, ...")] = None,
    item: Annotated[str | None, typer.Option(help="The item no. (one line from flags).")] = None,
    type_: Annotated[str, typer.Option("--type", help="Entry type: Purchase, Sale, Positive Adjmt., Negative Adjmt.")] = "Purchase",
    qty: Annotated[str | None, typer.Option(help="Quantity, positive (the entry type gives the direction).")] = None,
    unit_cost: Annotated[str | None, typer.Option(help="Unit cost (inbound lines).")] = None,
    posting_date: Annotated[str | None, typer.Option("--date", help="Posting date, YYYY-MM-DD (default: today).")] = None,
    location: Annotated[str, typer.Option(help="Location code.")] = "MAIN",
    variant: Annotated[str | None, typer.Option(help="Variant code.")] = None,
    bin_code: Annotated[str | None, typer.Option("--bin", help="Bin code.")] = None,
    document: Annotated[str | None, typer.Option(help="Document no. (flags; default: a new one). The same command "
                                                      "with the same document no. posts once.")] = None,
) -> None:
    """Post item journal lines: one line from flags, or every document of a CSV file (a progress bar; each
    document all or nothing, sent with an Idempotency-Key so that a re-run posts nothing twice)."""
    api: Api = ctx.obj
    if file is not None:
        if item is not None:
            raise CliError("give a file or --item, not both")
        documents = documents_from_csv(file)
    elif item is not None and qty is not None:
        line = {"item_no": item, "entry_type": type_, "quantity": qty, "unit_cost": unit_cost,
                "posting_date": posting_date or date.today().isoformat(), "location_code": location,
                "variant_code": variant, "bin_code": bin_code}
        documents = [{"document_no": document or datetime.now().strftime("CLI-%Y%m%d%H%M%S"),
                      "lines": [{k: v for k, v in line.items() if v is not None}]}]
    else:
        raise CliError("give a CSV file, or --item and --qty (with --type, --unit-cost, --date, --location)")
    results: list[tuple[str, str, str]] = []
    with progress() as bar:
        task = bar.add_task("posting", total=len(documents))
        for doc in documents:
            key = idempotency_key(doc) if file is not None or document else f"inventory-cli-{uuid.uuid4()}"
            response = api.call("warehouse", "POST", "/item-journal", json=doc, headers={"Idempotency-Key": key})
            if response.status_code in (200, 201):
                replayed = response.headers.get("idempotent-replayed") == "true"
                entries = response.json().get("entries", [])
                results.append((doc["document_no"], "already posted" if replayed else "posted",
                                ", ".join(str(e.get("entry_no")) for e in entries)))
            else:
                results.append((doc["document_no"], "refused", problem_text(response)))
            bar.advance(task)
    table = Table("document", "outcome", "entries / problem")
    for document_no, outcome, detail in results:
        colour = {"posted": "green", "already posted": "dim", "refused": "red"}[outcome]
        table.add_row(document_no, f"[{colour}]{outcome}[/]", detail)
    console.print(table)
    refused = sum(1 for r in results if r[1] == "refused")
    console.print(f"{len(results) - refused} of {len(results)} documents posted" +
                  (f", {refused} refused" if refused else ""))
    if refused:
        raise typer.Exit(1)


post_command = handled(post)
