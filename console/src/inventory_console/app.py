"""The console's pages: each route reads the APIs with the user's token (or Kafka as the operator) and renders."""

import asyncio
import csv
import io
import logging
import uuid
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlencode

import httpx
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from inventory_contracts.catalogue import catalogue

from .api import Api, ApiError, ApiUnavailableError
from .assembly import ROLL_UP_LEVELS, add_assembly_screens
from .planning import add_planning_screens
from .charts import availability_chart
from .config import ConsoleSettings
from .journal import KINDS, LINE_FIELDS, JournalForm
from .kafka import DEAD_LETTER_TOPICS, KafkaUnavailableError, Operator
from . import session

HERE = Path(__file__).parent
PAGE_SIZE = 50
ENTRIES_SHOWN = 200
ATTRIBUTE_OPS = ("eq", "contains", "begins", "range")
# Replaying re-publishes events into the pipeline: an operator's act, asked of a token that may change the setup.
REPLAY_SCOPE = "inventory:admin"
VALUATION_COLUMNS = ("item_no", "location_code", "inventory_posting_group", "quantity", "cost_amount_actual",
                     "cost_amount_expected", "value")
log = logging.getLogger("inventory_console")


class ScopeMissingError(Exception):
    def __init__(self, scope: str) -> None:
        self.scope = scope


def create_app(settings: ConsoleSettings | None = None) -> FastAPI:
    settings = settings or ConsoleSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with httpx.AsyncClient(timeout=settings.api_timeout_seconds) as client:
            app.state.http = client
            yield

    app = FastAPI(title="Inventory console", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings = settings
    app.state.operator = Operator(settings)
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.globals["kinds"] = KINDS
    templates.env.filters |= {"number": number, "signed": signed, "decimal": Decimal}
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    def page(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        token = request.cookies.get(session.COOKIE)
        claims = session.claims_of(token) if token else None
        return templates.TemplateResponse(request, template, {"user": claims and claims.get("sub"), **context},
                                          status_code=status_code)

    def api(request: Request) -> Api:
        return Api(request.app.state.http, settings, session.token_of(request))

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        # Everything comes from the console itself; no script runs at all.
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; "
            "base-uri 'none'")
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        if response.headers.get("content-type", "").startswith("text/html"):
            response.headers["Cache-Control"] = "no-store"
        return response

    # errors --------------------------------------------------------------------------------------

    @app.exception_handler(session.NotSignedInError)
    async def not_signed_in(request: Request, _: Exception) -> Response:
        back = request.url.path + (f"?{request.url.query}" if request.method == "GET" and request.url.query else "")
        return RedirectResponse(f"/sign-in?{urlencode({'next': back})}", status_code=303)

    @app.exception_handler(ApiError)
    async def api_refused(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        if exc.refused_token:
            return page(request, "token_refused.html", exc.status, error=exc, scope=exc.required_scope)
        return page(request, "problem.html", exc.status if exc.status < 500 else 502,
                    title=f"The {exc.service} API refused: {exc.problem.get('title') or exc.status}", detail=exc.detail)

    @app.exception_handler(ScopeMissingError)
    async def scope_missing(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ScopeMissingError)
        return page(request, "token_refused.html", 403, error=None, scope=exc.scope)

    @app.exception_handler(ApiUnavailableError)
    async def api_unavailable(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiUnavailableError)
        return page(request, "problem.html", 502, title=f"The {exc.service} API at {exc.url} does not answer",
                    detail=exc.reason)

    @app.exception_handler(KafkaUnavailableError)
    async def kafka_unavailable(request: Request, exc: Exception) -> Response:
        return page(request, "problem.html", 503, title="Kafka cannot be read", detail=str(exc))

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        return page(request, "problem.html", 422, title="This address is not one the console understands", detail=detail)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        return page(request, "problem.html", exc.status_code, title=str(exc.detail), detail="")

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s", request.url.path)
        return page(request, "problem.html", 500, title="The console failed", detail="The error is in the console's log.")

    # signing in ----------------------------------------------------------------------------------

    @app.get("/", include_in_schema=False)
    async def home() -> Response:
        return RedirectResponse("/items", status_code=303)

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/sign-in")
    async def sign_in_form(request: Request, next: str = "/items") -> Response:
        return page(request, "sign_in.html", next=_local(next), error=None)

    @app.post("/sign-in")
    async def sign_in(request: Request) -> Response:
        fields = await _form(request)
        token, next_page = _one(fields, "token"), _local(_one(fields, "next"))
        if session.claims_of(token) is None:
            return page(request, "sign_in.html", 422, next=next_page,
                        error="This is not an access token (a JWT: three parts separated by dots).")
        response = RedirectResponse(next_page, status_code=303)
        session.keep(response, token, settings.secure_cookie)
        return response

    @app.post("/sign-out")
    async def sign_out() -> Response:
        response = RedirectResponse("/sign-in", status_code=303)
        session.forget(response, settings.secure_cookie)
        return response

    # items ---------------------------------------------------------------------------------------

    @app.get("/items")
    async def items(request: Request, q: str = "", category: str = "", blocked: str = "", cursor: str = "",
                    limit: int = PAGE_SIZE) -> Response:
        client = api(request)
        query = request.query_params
        attributes = [(n, o, v) for n, o, v in zip(query.getlist("attr_name"), query.getlist("attr_op"),
                                                   query.getlist("attr_value")) if n.strip()]
        found, categories, known_attributes = await together(
            client.get("catalog", "/items", {
                "q": q, "category": category, "blocked": blocked if blocked in ("true", "false") else None,
                "attribute": [f"{n.strip()}:{o if o in ATTRIBUTE_OPS else 'eq'}:{v}" for n, o, v in attributes],
                "limit": min(max(limit, 1), 1000), "cursor": cursor}),
            client.get("catalog", "/item-categories"),
            client.get("catalog", "/item-attributes"),
        )
        filters = [(k, v) for k, v in query.multi_items() if k != "cursor"]
        next_page = f"/items?{urlencode(filters + [('cursor', found['next_cursor'])])}" if found.get("next_cursor") else None
        return page(request, "items.html", items=found["items"], q=q, category=category, blocked=blocked,
                    attributes=attributes + [("", "eq", "")], categories=categories, known_attributes=known_attributes,
                    ops=ATTRIBUTE_OPS, next_page=next_page, first_page=f"/items?{urlencode(filters)}" if cursor else None)

    @app.get("/items/{item_no}")
    async def item_card(request: Request, item_no: str, period: str = "month", from_date: str = "", to_date: str = "",
                        ile_cursor: str = "", ve_cursor: str = "") -> Response:
        client = api(request)
        here = f"/items/{quote(item_no, safe='')}"
        card, bom, tree, where_used, on_hand, entries, values, by_event = await together(
            client.get("catalog", here),
            client.get("catalog", f"{here}/assembly-bom"),
            client.get("catalog", f"{here}/bom-tree"),
            client.get("catalog", f"{here}/where-used"),
            client.get("warehouse", f"{here}/quantity-on-hand"),
            client.get("warehouse", "/item-ledger-entries", {"item_no": item_no, "limit": ENTRIES_SHOWN, "cursor": ile_cursor}),
            client.get("costing", "/value-entries", {"item_no": item_no, "limit": ENTRIES_SHOWN, "cursor": ve_cursor}),
            client.get("warehouse", f"{here}/availability/events"),
        )
        try:
            cost = await client.get("costing", f"{here}/cost")
        except ApiError as exc:
            if exc.status != 404:
                raise
            cost = None  # costing has not heard of the item yet
        locations = sorted({line["location_code"] for line in on_hand["locations"]})
        by_location = await together(*[
            client.get("warehouse", f"{here}/availability", {"location_code": code}) for code in locations])
        dates = sorted(e["posting_date"] for e in entries["entries"])
        today = date.today().isoformat()
        period = period if period in ("day", "week", "month") else "month"
        from_date = from_date or (dates[0] if dates else today)
        to_date = to_date or max(dates[-1] if dates else today, today)
        chart, chart_error = None, None
        try:
            by_period = await client.get("warehouse", f"{here}/availability",
                                         {"period": period, "from": from_date, "to": to_date})
            chart = availability_chart(by_period["periods"])
        except ApiError as exc:
            if exc.refused_token or exc.status >= 500:
                raise
            chart_error = exc.detail  # a range the warehouse will not chart: said under the chart's own form
        return page(
            request, "item.html", item=card, bom=bom["lines"], tree=tree, where_used=where_used["entries"],
            roll_up_levels=ROLL_UP_LEVELS, idempotency_key=str(uuid.uuid4()), on_hand=on_hand, by_location=by_location, cost=cost,
            chart=chart, chart_error=chart_error, period=period, from_date=from_date, to_date=to_date,
            entries=entries["entries"], values=values["entries"], by_event=by_event,
            more_entries=f"{here}?{urlencode({'ile_cursor': entries['next_cursor']})}" if entries.get("next_cursor") else None,
            more_values=f"{here}?{urlencode({'ve_cursor': values['next_cursor']})}" if values.get("next_cursor") else None,
        )

    # the journal ---------------------------------------------------------------------------------

    @app.get("/journal")
    async def journal_form(request: Request, item_no: str = "", kind: str = "receipt") -> Response:
        session.token_of(request)
        form = JournalForm(kind=kind if kind in KINDS else "receipt", posting_date=date.today().isoformat(),
                           idempotency_key=str(uuid.uuid4()))
        form.rows[0]["item_no"] = item_no
        return page(request, "journal.html", form=form, line_fields=LINE_FIELDS)

    @app.post("/journal")
    async def post_journal(request: Request) -> Response:
        client = api(request)
        form = JournalForm.from_fields(await _form(request))
        if form.kind not in KINDS:
            form.add_error("kind", f"choose one of: {', '.join(k.label for k in KINDS.values())}")
            return page(request, "journal.html", 422, form=form, line_fields=LINE_FIELDS)
        # A double submit of one form posts once; a retry after a refusal may use the same key (nothing was stored).
        form.idempotency_key = form.idempotency_key or str(uuid.uuid4())
        try:
            posted = await client.post("warehouse", KINDS[form.kind].path, form.body(), form.idempotency_key)
        except ApiError as exc:
            if exc.refused_token or exc.status >= 500:
                raise
            form.take_refusal(exc)
            return page(request, "journal.html", exc.status, form=form, line_fields=LINE_FIELDS, refusal=exc)
        return page(request, "journal_posted.html", 201, posted=posted, kind=KINDS[form.kind])

    # valuation -----------------------------------------------------------------------------------

    async def valuation_of(request: Request, at: str, include_expected: str) -> dict[str, Any]:
        return dict(await api(request).get("costing", "/inventory-valuation", {
            "at": at, "include_expected": "false" if include_expected == "false" else "true"}))

    @app.get("/valuation")
    async def valuation(request: Request, at: str = "", include_expected: str = "true") -> Response:
        found = await valuation_of(request, at, include_expected)
        export = f"/valuation.csv?{urlencode({'at': at, 'include_expected': include_expected})}"
        return page(request, "valuation.html", valuation=found, at=at, include_expected=include_expected, export=export)

    @app.get("/valuation.csv")
    async def valuation_csv(request: Request, at: str = "", include_expected: str = "true") -> Response:
        found = await valuation_of(request, at, include_expected)
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(VALUATION_COLUMNS)
        writer.writerows([line[column] for column in VALUATION_COLUMNS] for line in found["lines"])
        name = f"inventory-valuation-{at or date.today().isoformat()}.csv"
        return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})

    # the books -----------------------------------------------------------------------------------

    @app.get("/books")
    async def books(request: Request, at: str = "") -> Response:
        client = api(request)
        trial_balance, reconciliation, quantities = await together(
            client.get("ledger", "/trial-balance", {"at": at}),
            client.get("ledger", "/reconciliation"),
            client.get("costing", "/quantity-reconciliation"),
        )
        return page(request, "books.html", trial_balance=trial_balance, reconciliation=reconciliation,
                    quantities=quantities, at=at)

    # Kafka: dead letters and lag -----------------------------------------------------------------

    async def operator_token(request: Request, scope: str | None = None) -> None:
        """The console reads Kafka with its own principal, so the user's token is checked first: the warehouse
        must accept it (a call that needs inventory:read), and a change needs `scope` among its claims."""
        client = api(request)
        await client.get("warehouse", "/inventory-setup")
        if scope and scope not in session.scopes_of(session.token_of(request)):
            raise ScopeMissingError(scope)

    @app.get("/dead-letters")
    async def dead_letters(request: Request, replayed: int | None = None, topic: str = "") -> Response:
        await operator_token(request)
        found = await request.app.state.operator.dead_letters()
        return page(request, "dead_letters.html", topics=found, replayed=replayed, replayed_topic=topic,
                    prefix=settings.topic_prefix)

    @app.post("/dead-letters/replay")
    async def replay(request: Request) -> Response:
        await operator_token(request, REPLAY_SCOPE)
        topic = _one(await _form(request), "topic")
        if topic not in DEAD_LETTER_TOPICS:
            return page(request, "problem.html", 422, title=f"{topic!r} is not a dead-letter topic", detail="")
        count = await request.app.state.operator.replay(topic)
        return RedirectResponse(f"/dead-letters?{urlencode({'replayed': count, 'topic': topic})}", status_code=303)

    @app.get("/lag")
    async def lag(request: Request) -> Response:
        await operator_token(request)
        return page(request, "lag.html", groups=await request.app.state.operator.lag())

    @app.get("/events")
    async def event_catalogue(request: Request) -> Response:
        return page(request, "events.html", catalogue=catalogue())

    add_assembly_screens(app, page, api, together)
    add_planning_screens(app, page, api, together)
    return app


async def _form(request: Request) -> dict[str, list[str]]:
    """An urlencoded form body (the console's forms send nothing else)."""
    return parse_qs((await request.body()).decode("utf-8", errors="replace"), keep_blank_values=True)


async def together(*calls: Awaitable[Any]) -> list[Any]:
    """The calls of one page at once; when several APIs refuse the token, every scope it lacks is named together."""
    results = await asyncio.gather(*calls, return_exceptions=True)
    failed = [r for r in results if isinstance(r, BaseException)]
    if not failed:
        return results
    scopes = [e.required_scope for e in failed if isinstance(e, ApiError) and e.required_scope]
    if len(scopes) > 1:
        raise ScopeMissingError(", ".join(dict.fromkeys(scopes)))
    raise failed[0]


def _one(fields: dict[str, list[str]], name: str) -> str:
    return (fields.get(name) or [""])[0].strip()


def number(value: object) -> str:
    """A quantity as people write it: `10.00000` is 10, `2.50000` is 2.5 (the APIs send fixed decimals)."""
    if value is None or value == "":
        return ""
    text = f"{Decimal(str(value)).normalize():f}"
    return "0" if text in ("-0", "") else text


def signed(value: object) -> str:
    amount = Decimal(str(value))
    return f"+{number(amount)}" if amount > 0 else ("±0" if amount == 0 else number(amount))


def _local(target: str) -> str:
    """Only a path of this console: a redirect elsewhere after signing in would be an open redirect."""
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/items"
