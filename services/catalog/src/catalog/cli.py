"""`inventory-catalog`: the catalog's command line. `inventory-catalog import items.csv` loads a CSV file.

The file is read and checked completely first; then every row is applied in ONE database transaction
through the same use cases as the HTTP API (so items are announced on catalog.items.v1 through the
outbox). Any bad row aborts the whole file, reported with its line number; `--allow-partial` imports
the good rows instead. It writes to the catalog's database (DATABASE_URL / CATALOG_DATABASE_URL).
"""

import argparse
import asyncio
import csv
import sys
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from servicekit.db import connect
from servicekit.errors import ServiceError
from servicekit.migrations import discover, migrate

from catalog.adapters.unit_of_work import PostgresCatalogUnitOfWork
from catalog.bootstrap import settings
from catalog.domain.model import Item, ItemAttribute, ItemCategory
from catalog.entrypoints.csv_rows import KINDS, Command, RowError, parse_rows
from catalog.service_layer import attributes, categories, items
from catalog.service_layer.unit_of_work import CatalogUnitOfWork

console = Console(stderr=True)


def read_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        # The line a row starts on (the header is line 1), as a spreadsheet shows it.
        return [(reader.line_num, row) for row in reader]


async def apply(database_url: str, commands: Sequence[tuple[int, Command]], allow_partial: bool) -> tuple[int, list[RowError]]:
    conn = await connect(database_url)
    errors: list[RowError] = []
    imported = 0
    try:
        await migrate(conn, discover("servicekit", "servicekit") + discover("catalog"))
        transaction = conn.transaction()
        await transaction.start()
        uow = PostgresCatalogUnitOfWork(conn)
        with _progress() as progress:
            task = progress.add_task("importing", total=len(commands))
            for line, command in commands:
                try:
                    async with uow.savepoint():  # a bad row undoes only itself
                        await _apply_one(uow, command)
                    imported += 1
                except ServiceError as exc:
                    errors.append(RowError(line, exc.detail))
                progress.advance(task)
        if errors and not allow_partial:
            await transaction.rollback()
            return 0, errors
        await transaction.commit()
        return imported, errors
    finally:
        await conn.close()


async def _apply_one(uow: CatalogUnitOfWork, command: Command) -> None:
    if isinstance(command, Item):
        await items.create_item(uow, command)
    elif isinstance(command, ItemCategory):
        await categories.create_category(uow, command)
    elif isinstance(command, ItemAttribute):
        await attributes.create_attribute(uow, command)


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                    console=console, transient=False)


def import_file(path: Path, kind: str, allow_partial: bool, database_url: str) -> int:
    rows = read_rows(path)
    commands, errors = parse_rows(kind, rows)
    if errors and not allow_partial:
        _report(errors)
        console.print(f"[red]nothing imported[/red]: {len(errors)} bad row(s) in {path}")
        return 1
    imported, failed = asyncio.run(apply(database_url, commands, allow_partial))
    errors += failed
    _report(sorted(errors, key=lambda e: e.line))
    if errors and not allow_partial:
        console.print(f"[red]nothing imported[/red]: {len(errors)} bad row(s) in {path}")
        return 1
    console.print(f"imported {imported} {kind} from {path}" + (f", skipped {len(errors)} bad row(s)" if errors else ""))
    return 0 if not errors else 2


def _report(errors: Sequence[RowError]) -> None:
    for error in errors:
        console.print(f"{error}", markup=False, highlight=False)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="inventory-catalog", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    load = commands.add_parser("import", help="import items, categories or attributes from a CSV file")
    load.add_argument("file", type=Path)
    load.add_argument("--kind", choices=KINDS, default="items", help="what the file holds (default: items)")
    load.add_argument("--allow-partial", action="store_true", help="import the good rows and report the bad ones")
    load.add_argument("--database-url", default=None, help="the catalog's database (default: from the environment)")
    args = parser.parse_args(argv)
    if not args.file.exists():
        console.print(f"no such file: {args.file}")
        return 1
    return import_file(args.file, args.kind, args.allow_partial, args.database_url or settings().database_url)


if __name__ == "__main__":
    sys.exit(main())
