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

    status, slug, title = 404, "not-found", "Not found"


class ConflictError(ServiceError):
    """The request conflicts with the current state of the resource."""

    status, slug, title = 409, "conflict", "Conflict"


class UnprocessableError(ServiceError):
    """The request is well formed but its content cannot be processed; `detail` says why."""

    status, slug, title = 422, "unprocessable", "Unprocessable content"


class IdempotencyKeyReusedError(ServiceError):
    """The Idempotency-Key was used before for a different request; use a new key for a new request."""

    status, slug, title = 422, "idempotency-key-reused", "Idempotency key reused"


def problem(status: int, title: str, slug: str, detail: str, instance: str, **extensions: Any) -> dict[str, Any]:
    return {"type": f"/problems/{slug}", "title": title, "status": status, "detail": detail, "instance": instance, **extensions}
