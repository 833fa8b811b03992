"""Screens of planning: the open sales and purchase orders, and the reservation worksheet that divides short stock
among them by an allocation policy, shown before it is made."""

import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from .api import Api, ApiError
from .assembly import Form

ALLOCATION_POLICIES = ("Basic", "By Priority", "Equally")


def add_planning_screens(app: FastAPI, page: Callable[..., HTMLResponse], api: Callable[[Request], Api],
                         together: Callable[..., Any]) -> None:

    @app.get("/orders")
    async def orders(request: Request, item_no: str = "") -> Response:
        sales, purchases = await together(
            api(request).get("warehouse", "/sales-orders", {"item_no": item_no, "limit": 100}),
            api(request).get("warehouse", "/purchase-orders", {"item_no": item_no, "limit": 100}),
        )
        return page(request, "orders.html", sales=sales["orders"], purchases=purchases["orders"], item_no=item_no)

    async def worksheet_page(request: Request, form: Form, status_code: int = 200, allocated: str = "",
                             refusal: ApiError | None = None) -> HTMLResponse:
        sheet, sheet_error = None, None
        if form.values["item_no"]:
            try:
                sheet = await api(request).get("warehouse", "/reservation-worksheet", {
                    "item_no": form.values["item_no"], "location_code": form.values["location_code"],
                    "policy": form.values["policy"]})
            except ApiError as exc:
                if exc.refused_token or exc.status >= 500:
                    raise
                sheet_error = exc.detail
        return page(request, "reservation_worksheet.html", status_code, form=form, sheet=sheet, sheet_error=sheet_error,
                    allocated=allocated, refusal=refusal, policies=ALLOCATION_POLICIES)

    @app.get("/reservation-worksheet")
    async def reservation_worksheet(request: Request, item_no: str = "", location_code: str = "",
                                    policy: str = "Basic", allocated: str = "") -> Response:
        api(request)  # signed in, or off to the sign-in page
        form = Form({"item_no": item_no, "location_code": location_code,
                     "policy": policy if policy in ALLOCATION_POLICIES else "Basic", "idempotency_key": str(uuid.uuid4())})
        return await worksheet_page(request, form, allocated=allocated)

    @app.post("/reservation-worksheet")
    async def allocate(request: Request) -> Response:
        form = Form.of(await request.body(), ("item_no", "location_code", "policy", "idempotency_key"))
        form.values["idempotency_key"] = form.values["idempotency_key"] or str(uuid.uuid4())
        body = {"item_no": form.values["item_no"], "location_code": form.values["location_code"],
                "policy": form.values["policy"]}
        try:
            made = await api(request).post("warehouse", "/reservation-worksheet/allocate", body,
                                           form.values["idempotency_key"])
        except ApiError as exc:
            if exc.refused_token or exc.status >= 500:
                raise
            form.take_refusal(exc)
            return await worksheet_page(request, form, exc.status, refusal=exc)
        query = urlencode({"item_no": form.values["item_no"], "location_code": form.values["location_code"],
                           "policy": form.values["policy"], "allocated": made["run_id"] or ""})
        return RedirectResponse(f"/reservation-worksheet?{query}", status_code=303)
