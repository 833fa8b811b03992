"""The pages behind problem `type` URIs: `GET /problems/{slug}` explains each problem a service can answer with.

An explanation is the docstring of the ServiceError subclass that carries the slug, so it is written
once, beside the error. The problems
servicekit itself answers with are explained here.
"""

import html
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from .errors import NotFoundError, ServiceError


@dataclass(frozen=True)
class ProblemType:
    slug: str
    title: str
    status: int
    explanation: str


# Problems answered by servicekit itself, not by an error class.
GENERIC: tuple[ProblemType, ...] = (
    ProblemType("invalid-request", "Invalid request", 422,
                "The request does not match the operation's schema: a missing or extra field, a value of the wrong type, "
                "a number beyond the limits the services store, JSON that does not parse or is nested too deeply. "
                "`errors` lists each field with its location and message."),
    ProblemType("invalid-character", "Invalid character", 422,
                "The path, query or body contains a NUL character (U+0000). The services store text in PostgreSQL, "
                "which cannot hold it, so the request is refused and nothing is written."),
    ProblemType("number-out-of-range", "Number out of range", 422,
                "An integer in the request is outside the range the services store (64-bit entry numbers and ids, "
                "32-bit line numbers), or a value does not fit the column that stores it. Nothing is written."),
    ProblemType("content-too-large", "Content too large", 413,
                "The request body is larger than the service accepts (HTTP_MAX_BODY_BYTES, 4 MiB by default). "
                "Split the document into several requests."),
    ProblemType("not-found", "Not found", 404, "Nothing exists at this path, or the resource it names does not exist."),
    ProblemType("method-not-allowed", "Method not allowed", 405,
                "The path exists but does not take this method; the `Allow` header lists the methods it takes."),
    ProblemType("http-error", "HTTP error", 400,
                "The request was refused by the HTTP layer before it reached the operation; `title` and `detail` say why."),
    ProblemType("unavailable", "Service unavailable", 503,
                "A dependency (the database or the broker) is unavailable for the moment. Nothing was written; retry later, "
                "with the same Idempotency-Key for a posting."),
    ProblemType("internal", "Internal error", 500,
                "An unexpected error in the service. It is logged; nothing of the request was written. Report it."),
)


def collect(packages: Iterable[str]) -> dict[str, ProblemType]:
    """Every problem type a service answers with: servicekit's and its ServiceError subclasses'."""
    found = {problem.slug: problem for problem in GENERIC}
    roots = tuple(packages)
    for error in _subclasses(ServiceError):
        if "slug" in error.__dict__ and error.__module__.split(".")[0] in roots:
            found.setdefault(error.slug, ProblemType(error.slug, error.title, error.status, _doc(error)))
    return found


def router(problems: Mapping[str, ProblemType], service: str) -> APIRouter:
    routes = APIRouter(tags=["operations"])

    @routes.get("/problems/{slug}", response_class=HTMLResponse, summary="Explains a problem type",
                 responses={404: {"content": {"application/problem+json": {}}}})
    async def explain_problem(slug: str) -> HTMLResponse:
        problem = problems.get(slug)
        if problem is None:
            raise _UnknownProblemTypeError(f"{service} answers with no problem type {slug!r}")
        return HTMLResponse(_page(problem, service))

    return routes


class _UnknownProblemTypeError(NotFoundError):
    """The problem type named in the path is not one this service answers with."""

    slug, title = "not-found", "Unknown problem type"


def _page(problem: ProblemType, service: str) -> str:
    title = html.escape(problem.title)
    return (
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{title}</title></head><body>\n"
        f"<h1>{title}</h1>\n"
        f"<p>Problem type <code>/problems/{html.escape(problem.slug)}</code> of the {html.escape(service)} service, "
        f"usually with HTTP status {problem.status}.</p>\n"
        f"<p>{html.escape(problem.explanation)}</p>\n"
        "<p>Responses are RFC 9457 problem details: <code>detail</code> says what was wrong with this request, "
        "and fields beside it name what it concerns.</p>\n</body></html>\n"
    )


def _doc(error: type) -> str:
    return " ".join((error.__dict__.get("__doc__") or "").split())


def _subclasses(base: type) -> Iterable[type]:
    for sub in base.__subclasses__():
        yield sub
        yield from _subclasses(sub)
