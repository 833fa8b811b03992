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
    """The resource named in the path does not exist."""

    status, title, slug = 404, "Not found", "not-found"


class ConflictError(ServiceError):
    """The request conflicts with the current state of the resource."""

    status, title, slug = 409, "Conflict", "conflict"


class UnprocessableError(ServiceError):
    """The request is well formed but its content cannot be processed; `detail` says why."""

    status, title, slug = 422, "Unprocessable content", "unprocessable"


class IdempotencyKeyReusedError(ServiceError):
    """The Idempotency-Key was used before for a different request; use a new key for a new request."""

    status, title, slug = 422, "Idempotency key reused", "idempotency-key-reused"


def problem(status: int, title: str, slug: str, detail: str, instance: str, **extensions: Any) -> dict[str, Any]:
    return {"type": f"/problems/{slug}", "title": title, "status": status, "detail": detail, "instance": instance, **extensions}
