"""Screens of assembly and resources: the item card's BOM and cost roll-up, assembly orders, resources and
responsibility centers. As with the journal, the console validates nothing: the APIs' refusals go to their fields."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from urllib.parse import parse_qs, quote, urlencode

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from .api import Api, ApiError

ROLL_UP_LEVELS = ("top", "all")
RESOURCE_DAYS = 14

# Refusals of the order forms that carry no `errors[].location`: the field their problem type concerns.
FIELD_OF_PROBLEM = {
    "unknown-item": "item_no", "not-an-inventory-item": "item_no", "item-blocked": "item_no",
    "invalid-document": "item_no", "assembly-policy": "item_no", "unknown-resource": "item_no",
    "unknown-unit-of-measure": "item_no", "unknown-location": "location_code", "invalid-location": "location_code",
    "in-transit-location": "location_code", "already-exists": "no",
    "insufficient-inventory": "quantity_to_assemble", "insufficient-bin-content": "quantity_to_assemble",
    "invalid-journal-line": "quantity_to_assemble", "posting-date-not-allowed": "posting_date",
    "inventory-period-closed": "posting_date",
}


@dataclass
class Form:
    """What the user typed into one of the forms, and the API's messages by field ('form' for the whole)."""

    values: dict[str, str]
    errors: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, body: bytes, names: tuple[str, ...]) -> "Form":
        fields = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
        return cls({name: (fields.get(name) or [""])[0].strip() for name in names})

    def body(self, *names: str) -> dict[str, str]:
        """The named fields, the blank ones left out (the API's defaults apply)."""
        return {name: self.values[name] for name in names if self.values.get(name)}

    def take_refusal(self, error: ApiError) -> None:
        located = error.problem.get("errors")
        if isinstance(located, list) and located:
            for item in located:
                path = [str(p) for p in item.get("location", [])]
                path = path[1:] if path[:1] == ["body"] else path
                name = path[0] if path and path[0] in self.values else "form"
                self.errors.setdefault(name, []).append(str(item.get("message", "")))
            return
        name = FIELD_OF_PROBLEM.get(error.slug, "form")
        self.errors.setdefault(name if name in self.values else "form", []).append(error.detail)


def add_assembly_screens(app: FastAPI, page: Callable[..., HTMLResponse], api: Callable[[Request], Api],
                         together: Callable[..., Any]) -> None:

    # the item card's BOM and its cost roll-up ----------------------------------------------------

    @app.post("/items/{item_no}/calculate-standard-cost")
    async def calculate_standard_cost(request: Request, item_no: str) -> Response:
        form = Form.of(await request.body(), ("levels", "idempotency_key"))
        levels = form.values["levels"] if form.values["levels"] in ROLL_UP_LEVELS else "top"
        here = f"/items/{quote(item_no, safe='')}"
        result = await api(request).post("catalog", f"{here}/calculate-standard-cost", {"levels": levels},
                                         form.values["idempotency_key"] or str(uuid.uuid4()))
        card = await api(request).get("catalog", here)
        return page(request, "standard_cost.html", result=result, item=card, levels=levels)

    # assembly orders ----------------------------------------------------------------------------

    @app.get("/assembly-orders")
    async def assembly_orders(request: Request, cursor: str = "") -> Response:
        found = await api(request).get("warehouse", "/assembly-orders", {"cursor": cursor, "limit": 100})
        next_page = f"/assembly-orders?{urlencode({'cursor': found['next_cursor']})}" if found.get("next_cursor") else None
        return page(request, "assembly_orders.html", orders=found["orders"], next_page=next_page)

    def new_order_form(item_no: str = "") -> Form:
        return Form({"item_no": item_no, "quantity": "", "location_code": "", "due_date": date.today().isoformat(),
                     "no": "", "idempotency_key": str(uuid.uuid4())})

    @app.get("/assembly-orders/new")
    async def new_assembly_order(request: Request, item_no: str = "") -> Response:
        api(request)  # signed in, or off to the sign-in page
        return page(request, "assembly_order_new.html", form=new_order_form(item_no))

    @app.post("/assembly-orders")
    async def create_assembly_order(request: Request) -> Response:
        client = api(request)
        form = Form.of(await request.body(), ("no", "item_no", "quantity", "location_code", "due_date", "idempotency_key"))
        form.values["idempotency_key"] = form.values["idempotency_key"] or str(uuid.uuid4())
        body: dict[str, Any] = form.body("no", "item_no", "quantity", "due_date")
        body["location_code"] = form.values["location_code"]
        try:
            created = await client.post("warehouse", "/assembly-orders", body, form.values["idempotency_key"])
        except ApiError as exc:
            if exc.refused_token or exc.status >= 500:
                raise
            form.take_refusal(exc)
            return page(request, "assembly_order_new.html", exc.status, form=form, refusal=exc)
        return RedirectResponse(f"/assembly-orders/{quote(created['no'], safe='')}?created=1", status_code=303)

    async def order_card(request: Request, no: str, status_code: int = 200, post_form: Form | None = None,
                         undo_errors: dict[str, str] | None = None, notice: str = "") -> HTMLResponse:
        client = api(request)
        here = f"/assembly-orders/{quote(no, safe='')}"
        found, availability = await together(client.get("warehouse", here),
                                             client.get("warehouse", f"{here}/availability"))
        post_form = post_form or Form({"quantity_to_assemble": "", "posting_date": date.today().isoformat(),
                                       "document_no": "", "idempotency_key": str(uuid.uuid4())})
        return page(request, "assembly_order.html", status_code, order=found["order"], postings=found["postings"],
                    availability=availability, form=post_form, undo_errors=undo_errors or {}, notice=notice,
                    undo_key=str(uuid.uuid4()))

    @app.get("/assembly-orders/{no}")
    async def assembly_order(request: Request, no: str, created: str = "", posted: str = "", undone: str = "") -> Response:
        notice = ("Order created from the item's assembly BOM." if created else
                  f"Posted as {posted}." if posted else f"Posting {undone} undone." if undone else "")
        return await order_card(request, no, notice=notice)

    @app.post("/assembly-orders/{no}/post")
    async def post_assembly_order(request: Request, no: str) -> Response:
        client = api(request)
        form = Form.of(await request.body(), ("quantity_to_assemble", "posting_date", "document_no", "idempotency_key"))
        form.values["idempotency_key"] = form.values["idempotency_key"] or str(uuid.uuid4())
        here = f"/assembly-orders/{quote(no, safe='')}"
        try:
            posted = await client.post("warehouse", f"{here}/post",
                                       form.body("quantity_to_assemble", "posting_date", "document_no"),
                                       form.values["idempotency_key"])
        except ApiError as exc:
            if exc.refused_token or exc.status >= 500 or exc.status == 404:
                raise
            form.take_refusal(exc)
            return await order_card(request, no, exc.status, post_form=form)
        return RedirectResponse(f"{here}?{urlencode({'posted': posted['posting']['posting_no']})}", status_code=303)

    @app.post("/assembly-orders/{no}/postings/{posting_no}/undo")
    async def undo_assembly_posting(request: Request, no: str, posting_no: str) -> Response:
        client = api(request)
        form = Form.of(await request.body(), ("idempotency_key",))
        here = f"/assembly-orders/{quote(no, safe='')}"
        try:
            await client.post("warehouse", f"{here}/postings/{quote(posting_no, safe='')}/undo", {},
                              form.values["idempotency_key"] or str(uuid.uuid4()))
        except ApiError as exc:
            if exc.refused_token or exc.status >= 500:
                raise
            return await order_card(request, no, exc.status, undo_errors={posting_no: exc.detail})
        return RedirectResponse(f"{here}?{urlencode({'undone': posting_no})}", status_code=303)

    # resources ----------------------------------------------------------------------------------

    @app.get("/resources")
    async def resources(request: Request, cursor: str = "") -> Response:
        found = await api(request).get("catalog", "/resources", {"cursor": cursor, "limit": 100})
        next_page = f"/resources?{urlencode({'cursor': found['next_cursor']})}" if found.get("next_cursor") else None
        return page(request, "resources.html", resources=found["resources"], next_page=next_page)

    @app.get("/resources/{no}")
    async def resource_card(request: Request, no: str, from_date: str = "", to_date: str = "") -> Response:
        client = api(request)
        here = f"/resources/{quote(no, safe='')}"
        from_date = from_date or date.today().isoformat()
        if not to_date and _is_date(from_date):
            to_date = (date.fromisoformat(from_date) + timedelta(days=RESOURCE_DAYS - 1)).isoformat()
        card, allocations = await together(client.get("catalog", here),
                                           client.get("catalog", "/resource-allocations", {"resource_no": no}))
        days, days_error = [], None
        try:
            days = await client.get("catalog", f"{here}/availability", {"from": from_date, "to": to_date})
        except ApiError as exc:
            if exc.refused_token or exc.status >= 500:
                raise
            days_error = exc.detail  # a range the catalog refuses: said under the range's own form
        shown = [a for a in allocations if from_date <= a["allocation_date"] <= to_date] if not days_error else allocations
        return page(request, "resource.html", resource=card, days=days, days_error=days_error, from_date=from_date,
                    to_date=to_date, allocations=sorted(shown, key=lambda a: (a["allocation_date"], a["entry_no"])))

    # responsibility centers ---------------------------------------------------------------------

    @app.get("/responsibility-centers")
    async def responsibility_centers(request: Request) -> Response:
        client = api(request)
        centers, locations = await together(
            client.all_pages("warehouse", "/responsibility-centers", "responsibility_centers"),
            client.all_pages("warehouse", "/locations", "locations"))
        by_center: dict[str, list[Any]] = {}
        for location in locations:
            by_center.setdefault(location["responsibility_center"], []).append(location)
        return page(request, "responsibility_centers.html", centers=centers, by_center=by_center)


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True
