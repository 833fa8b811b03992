"""The assembly forms' pure part, without a browser or a stack: the API's refusals go to the fields they concern."""

from inventory_console.api import ApiError
from inventory_console.assembly import Form

ORDER_FIELDS = ("no", "item_no", "quantity", "location_code", "due_date", "idempotency_key")


def order_form(**typed: str) -> Form:
    body = "&".join(f"{name}={value}" for name, value in typed.items())
    return Form.of(body.encode(), ORDER_FIELDS)


def test_the_form_keeps_what_was_typed_and_sends_only_the_filled_in_fields() -> None:
    form = order_form(item_no=" LAMP ", quantity="3", location_code="")
    assert form.values["item_no"] == "LAMP" and form.values["no"] == ""
    assert form.body("no", "item_no", "quantity", "location_code") == {"item_no": "LAMP", "quantity": "3"}


def test_schema_refusals_land_on_the_field_they_name_and_unknown_places_on_the_form() -> None:
    form = order_form(quantity="x")
    form.take_refusal(ApiError("warehouse", 422, {"type": "/problems/invalid-request", "errors": [
        {"location": ["body", "quantity"], "message": "Input should be a valid decimal"},
        {"location": ["body", "due_date"], "message": "Field required"},
        {"location": ["body", "assemble_to_order", "sales_line_no"], "message": "too big"},
    ]}))
    assert form.errors == {"quantity": ["Input should be a valid decimal"], "due_date": ["Field required"],
                           "form": ["too big"]}


def test_domain_refusals_land_on_the_field_their_problem_type_concerns() -> None:
    for slug, field in (("unknown-location", "location_code"), ("assembly-policy", "item_no"),
                        ("already-exists", "no"), ("document-state", "form")):
        form = order_form()
        form.take_refusal(ApiError("warehouse", 422, {"type": f"/problems/{slug}", "detail": f"{slug} detail"}))
        assert form.errors == {field: [f"{slug} detail"]}, slug
    posting = Form.of(b"quantity_to_assemble=9", ("quantity_to_assemble", "posting_date", "document_no"))
    posting.take_refusal(ApiError("warehouse", 409, {"type": "/problems/insufficient-inventory", "detail": "short"}))
    assert posting.errors == {"quantity_to_assemble": ["short"]}
    # A type that names a field this form has not: on the form, not lost.
    order = order_form()
    order.take_refusal(ApiError("warehouse", 409, {"type": "/problems/insufficient-inventory", "detail": "short"}))
    assert order.errors == {"form": ["short"]}
