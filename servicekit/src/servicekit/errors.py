"""One base error with a status, rendered as RFC 9457 problem details by one handler."""

from typing import Any


class ServiceError(Exception):
    """An error a client can act on. Subclasses set the status, title and problem type."""

    status: int = 400
    title: str = "Bad request"
    slug: str = "bad-request"

    def __init__(self, detail: str, **extensions: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extensions = extensions


class NotFoundError(ServiceError):
    status, title, slug = 404, "Not found", "not-found"


class ConflictError(ServiceError):
    status, title, slug = 409, "Conflict", "conflict"


class UnprocessableError(ServiceError):
    status, title, slug = 422, "Unprocessable content", "unprocessable"


class IdempotencyKeyReusedError(ServiceError):
    status, title, slug = 422, "Idempotency key reused", "idempotency-key-reused"


def problem(status: int, title: str, slug: str, detail: str, instance: str, **extensions: Any) -> dict[str, Any]:
    return {"type": f"/problems/{slug}", "title": title, "status": status, "detail": detail, "instance": instance, **extensions}
