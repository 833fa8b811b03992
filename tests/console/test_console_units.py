"""The console's pure parts, without a browser or a stack: the journal form, the settings, the chart, its log."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import httpx
import jinja2
import pytest

import inventory_console
from inventory_console.api import ApiError
from inventory_console.app import number, signed
from inventory_console.charts import HEIGHT, availability_chart
from inventory_console.config import ConsoleSettings
from inventory_console.journal import JournalForm


def form(kind: str, rows: list[tuple[int, dict[str, str]]]) -> JournalForm:
    fields = {"kind": [kind], "document_no": ["D-1"], "posting_date": ["2026-03-02"], "idempotency_key": ["k"]}
    for i, row in rows:
        fields |= {f"lines-{i}-{name}": [value] for name, value in row.items()}
    return JournalForm.from_fields(fields)


def test_a_receipt_sends_the_rows_typed_in_as_purchase_lines_numbered_in_order_and_skips_blank_rows() -> None:
    journal = form("receipt", [(0, {"item_no": "A", "location_code": "MAIN", "quantity": "2", "unit_cost": "7.00"}),
                               (3, {"item_no": "B", "location_code": "EAST", "quantity": "x"})])
    assert journal.entered_rows == [0, 3]
    assert journal.body() == {"document_no": "D-1", "lines": [
        {"line_no": 10000, "item_no": "A", "quantity": "2", "posting_date": "2026-03-02", "location_code": "MAIN",
         "entry_type": "Purchase", "unit_cost": "7.00"},
        {"line_no": 20000, "item_no": "B", "quantity": "x", "posting_date": "2026-03-02", "location_code": "EAST",
         "entry_type": "Purchase"},
    ]}


def test_a_transfer_is_a_reclassification_to_the_new_location_without_an_entry_type() -> None:
    journal = form("transfer", [(0, {"item_no": "A", "location_code": "MAIN", "new_location_code": "EAST", "quantity": "1",
                                     "unit_cost": "9"})])
    (line,) = journal.body()["lines"]
    assert "entry_type" not in line and "unit_cost" not in line and line["new_location_code"] == "EAST"
    assert journal.body() and form("transfer", []).body()["lines"] == []


def test_schema_refusals_land_on_the_field_of_the_row_they_name_and_a_lines_date_on_the_documents() -> None:
    journal = form("sale", [(2, {"item_no": "A", "quantity": "abc"})])
    journal.take_refusal(ApiError("warehouse", 422, {"type": "/problems/invalid-request", "errors": [
        {"location": ["body", "lines", 0, "quantity"], "message": "Input should be a valid decimal"},
        {"location": ["body", "lines", 0, "posting_date"], "message": "Input should be a valid date"},
        {"location": ["body", "lines", 0, "location_code"], "message": "String should have at least 1 character"},
        {"location": ["body", "document_no"], "message": "too long"},
        {"location": ["body", "lines"], "message": "List should have at least 1 item"},
    ]}))
    assert journal.errors == {
        "lines-2-quantity": ["Input should be a valid decimal"], "posting_date": ["Input should be a valid date"],
        "lines-2-location_code": ["String should have at least 1 character"], "document_no": ["too long"],
        "lines": ["List should have at least 1 item"],
    }


@pytest.mark.parametrize(("slug", "field"), [
    ("unknown-item", "lines-4-item_no"), ("insufficient-inventory", "lines-4-quantity"),
    ("unknown-location", "lines-4-location_code"), ("posting-date-not-allowed", "posting_date"),
    ("posting-refused", "form"),
])
def test_a_domain_refusal_lands_on_the_field_its_type_concerns_in_the_line_it_names(slug: str, field: str) -> None:
    journal = form("sale", [(0, {"item_no": "A", "quantity": "1"}), (4, {"item_no": "B", "quantity": "9"})])
    journal.take_refusal(ApiError("warehouse", 422, {"type": f"/problems/{slug}", "detail": "refused", "line_no": 20000}))
    assert journal.errors == {field: ["refused"]}


def test_settings_come_from_the_stack_file_below_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    password = tmp_path / "admin.password"
    password.write_text("secret\n")
    stack = tmp_path / "stack.json"
    stack.write_text(json.dumps({
        "services": {"catalog": "http://127.0.0.1:9001", "warehouse": "http://127.0.0.1:9002",
                     "costing": "http://127.0.0.1:9003", "ledger": "http://127.0.0.1:9004/"},
        "console": None, "auth_dir": str(tmp_path / "auth"),
        "kafka": {"bootstrap_servers": "127.0.0.1:19092", "topic_prefix": "acme.", "security_protocol": "SASL_PLAINTEXT",
                  "sasl_mechanism": "SCRAM-SHA-512", "username": "admin", "password_file": str(password)},
    }))
    for name in ("KAFKA_BOOTSTRAP_SERVERS", "TOPIC_PREFIX", "KAFKA_SECURITY_PROTOCOL", "KAFKA_SASL_MECHANISM",
                 "KAFKA_USERNAME", "KAFKA_PASSWORD", "KAFKA_PASSWORD_FILE", "CONSOLE_CATALOG_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CONSOLE_STACK_FILE", str(stack))
    monkeypatch.setenv("CONSOLE_COSTING_URL", "http://costing.example:8003")
    settings = ConsoleSettings()
    assert settings.api_url("catalog") == "http://127.0.0.1:9001"
    assert settings.api_url("ledger") == "http://127.0.0.1:9004"
    assert settings.api_url("costing") == "http://costing.example:8003"
    assert settings.topic("catalog.items.v1.dlq") == "acme.catalog.items.v1.dlq"
    assert settings.kafka_auth().client_options() == {
        "security_protocol": "SASL_PLAINTEXT", "sasl_mechanism": "SCRAM-SHA-512",
        "sasl_plain_username": "admin", "sasl_plain_password": "secret"}

    monkeypatch.setenv("CONSOLE_STACK_FILE", str(tmp_path / "absent.json"))
    assert ConsoleSettings().api_url("catalog") == "http://127.0.0.1:8001"


def test_bars_share_one_scale_and_negative_inventory_hangs_below_the_baseline() -> None:
    chart = availability_chart([
        {"period_start": "2026-01-01", "period_end": "2026-01-31", "inventory": "30", "net_change": "30"},
        {"period_start": "2026-02-01", "period_end": "2026-02-28", "inventory": "-10", "net_change": "-40"},
        {"period_start": "2026-03-01", "period_end": "2026-03-31", "inventory": "0", "net_change": "10"},
    ])
    january, february, march = chart.bars
    assert chart.baseline == pytest.approx(HEIGHT * 30 / 40)
    assert (january.top, january.height) == (0, pytest.approx(chart.baseline))
    assert february.negative and february.top == chart.baseline and february.height == pytest.approx(HEIGHT / 4)
    assert march.height == 0 and february.value == Decimal(-10)


def test_quantities_read_as_people_write_them() -> None:
    assert [number("10.00000"), number("2.50000"), number("-0.00000"), number(None)] == ["10", "2.5", "0", ""]
    assert [signed("3.00000"), signed("0.00000"), signed("-1.50000")] == ["+3", "±0", "-1.5"]


def test_an_account_whose_ledger_balance_differs_from_costings_value_is_red_with_its_difference() -> None:
    templates = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(inventory_console.__file__).parent / "templates"),
                                   autoescape=True)
    templates.filters |= {"number": number, "signed": signed, "decimal": Decimal}
    html = templates.get_template("books.html").render(
        user="tests", at="",
        reconciliation={"caught_up": True, "costing_value_entries": 2, "ledger_value_entries": 2, "pending_value_entries": 0,
                        "lines": [{"account_no": "2130", "interim": False, "inventory_value": "85.00", "gl_balance": "80.00",
                                   "difference": "-5.00"},
                                  {"account_no": "2131", "interim": True, "inventory_value": "0.00", "gl_balance": "0.00",
                                   "difference": "0.00"}]},
        quantities={"places_compared": 1, "differences": []},
        trial_balance={"lines": [], "total_debit": "80.00", "total_credit": "80.00"},
    )
    assert '<tr class="red" data-account="2130">' in html and '<td class="difference">-5.00</td>' in html
    assert '<tr class="green" data-account="2131">' in html


def test_the_console_logs_json_lines_as_the_services_do(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = tmp_path / "console.log"
    env = os.environ | {"CONSOLE_STACK_FILE": "", "CONSOLE_HTTP_PORT": str(port)}
    with log.open("wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "inventory_console"], stderr=out, env=env)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert process.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(10)
    lines = [json.loads(text) for text in log.read_text().splitlines()]
    assert {line["service"] for line in lines} == {"console"}
    messages = [line["message"] for line in lines]
    assert "Application startup complete." in messages
    assert any("GET /healthz" in message for message in messages)
