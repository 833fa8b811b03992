"""What several route modules share: problem responses, path parameters and the answer of a posting."""

from typing import Annotated, Any

from fastapi import Header, Path

from costing.domain.ports import StoredValueEntry
from costing.domain.standard_cost import WorksheetLine
from costing.entrypoints.schemas import ValueEntriesOut, ValueEntryOut, WorksheetLineOut

PROBLEM: dict[str, Any] = {"content": {"application/problem+json": {}}}
ERRORS: dict[int | str, dict[str, Any]] = {404: PROBLEM, 422: PROBLEM}
IdempotencyKey = Annotated[str | None, Header(description="Repeating a request with the same key returns the first answer.")]
WorksheetName = Annotated[str, Path(min_length=1, max_length=10, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$",
                                    description="Name of the standard cost worksheet, e.g. DEFAULT.")]
ItemNo = Annotated[str, Path(min_length=1, max_length=20)]


def line_out(line: WorksheetLine) -> WorksheetLineOut:
    return WorksheetLineOut(
        worksheet_name=line.worksheet_name, item_no=line.item_no, standard_cost=line.standard_cost,
        new_standard_cost=line.new_standard_cost, implemented=line.implemented, implementation_no=line.implementation_no,
        posting_date=line.posting_date,
    )


def entries_out(stored: list[StoredValueEntry]) -> ValueEntriesOut:
    return ValueEntriesOut(entries=[ValueEntryOut.model_validate(entry, from_attributes=True) for entry in stored])
