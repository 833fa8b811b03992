"""What the catalog's route modules share: documented error responses and the headers they read."""

from typing import Annotated, Any

from fastapi import Header

CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.\-/]*$"
PROBLEM: dict[str, Any] = {"content": {"application/problem+json": {}}}
ERRORS: dict[int | str, dict[str, Any]] = {404: PROBLEM, 409: PROBLEM, 412: PROBLEM, 422: PROBLEM, 428: PROBLEM}
IfMatch = Annotated[str | None, Header(description='The ETag of the card you read, e.g. "3".')]
IdempotencyKey = Annotated[str | None, Header()]
