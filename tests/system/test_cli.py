"""The `inventory` command line against the real stack, found through a stack.json as `devstack up` writes it."""

import csv
import io
import json
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from typer.testing import CliRunner

from devstack import cli as devstack_cli
from devstack.processes import free_port
from inventory_cli.app import app
from support import System, consumers_of, unique, wait_until

pytestmark = pytest.mark.system

Cli = Callable[..., Result]
UNSET = {name: None for name in ("INVENTORY_TOKEN", "TOPIC_PREFIX", "KAFKA_BOOTSTRAP_SERVERS", "KAFKA_USERNAME",
                                  "KAFKA_PASSWORD", "KAFKA_SECURITY_PROTOCOL", "KAFKA_SASL_MECHANISM",
                                  *(f"INVENTORY_{s.upper()}_URL" for s in ("catalog", "warehouse", "costing", "ledger")))}


@pytest.fixture
def stack_file(system: System, tmp_path: Path) -> Path:
    path = tmp_path / "stack.json"
    path.write_text(json.dumps(devstack_cli.stack_description(system.stack)))
    return path


@pytest.fixture
def cli(stack_file: Path) -> Cli:
    def run(*args: str, input: str | None = None, **env: str | None) -> Result:
        result = CliRunner().invoke(app, list(args), input=input,
                                    env={**UNSET, "INVENTORY_STACK": str(stack_file), "COLUMNS": "300", **env})
        # Whatever happened, it ended as the command meant to: no exception escaped (no traceback).
        assert result.exception is None or isinstance(result.exception, SystemExit), result.output
        return result

    return run


def ok(result: Result) -> str:
    assert result.exit_code == 0, result.output
    return result.stdout


def outcomes(output: str, key: str) -> dict[str, str]:
    """Each row's outcome in the import's report, by key."""
    found = {}
    for line in output.splitlines():
        cells = [c.strip() for c in line.split("│")]
        if len(cells) > 4 and cells[2].startswith(key):
            found[cells[2]] = cells[3]
    return found


def test_items_import_creates_and_updates_and_an_export_imports_back_unchanged(cli: Cli, tmp_path: Path) -> None:
    prefix = unique("CLI")
    a, b, bad = f"{prefix}A", f"{prefix}B", f"{prefix}X"
    first = tmp_path / "items.csv"
    first.write_text(
        "item_no,description,base_unit_of_measure,inventory_posting_group,gen_prod_posting_group,unit_price,"
        "units_of_measure,variants\n"
        f"{a},Saddle,PCS,RESALE,RETAIL,3.50,BOX=6,W:White;B:Black:blocked\n"
        f"{b},Pedal,PCS,RESALE,RETAIL,,,\n"
        f"{bad},Bad,PCS,RESALE,RETAIL,-4,,\n"
    )
    done = cli("items", "import", str(first))
    assert done.exit_code == 1, done.output
    assert outcomes(done.stdout, prefix) == {a: "created", b: "created", bad: "refused"}
    assert "unit_price" in done.stdout and "422" in done.stdout  # the API's problem, with the field
    assert "2 created, 0 updated, 0 unchanged, 1 refused" in done.stdout

    card = json.loads(ok(cli("items", "show", a, "--json")))
    assert {u["code"]: Decimal(u["qty_per_unit_of_measure"]) for u in card["units_of_measure"]} == {"PCS": 1, "BOX": 6}
    assert sorted((v["code"], v["blocked"]) for v in card["variants"]) == [("B", True), ("W", False)]

    second = tmp_path / "changes.csv"
    second.write_text(f"item_no,description,unit_price,blocked\n{a},Saddle,3.5,false\n{b},Pedal XL,2,true\n")
    done = cli("items", "import", str(second))
    assert outcomes(ok(done), prefix) == {a: "unchanged", b: "updated"}
    card = json.loads(ok(cli("items", "show", b, "--json")))
    assert (card["description"], Decimal(card["unit_price"]), card["blocked"], card["revision"]) == ("Pedal XL", 2, True, 2)

    listed = ok(cli("items", "list", "-q", prefix, "--blocked"))
    assert b in listed and a not in listed and "1 items" in listed
    found = json.loads(ok(cli("items", "list", "-q", prefix, "--json")))
    assert sorted(i["item_no"] for i in found) == [a, b]

    # Every card of the catalog out and back in: nothing changes.
    exported = tmp_path / "export.csv"
    assert "exported" in ok(cli("items", "export", "--out", str(exported)))
    rows = list(csv.DictReader(exported.open()))
    assert {r["item_no"]: r["variants"] for r in rows if r["item_no"].startswith(prefix)} == {a: "B:Black:blocked;W:White", b: ""}
    done = cli("items", "import", str(exported))
    assert f"0 created, 0 updated, {len(rows)} unchanged, 0 refused" in ok(done)
    assert json.loads(ok(cli("items", "show", b, "--json")))["revision"] == 2
    # The same for JSON, as `items list --json` prints it.
    as_json = tmp_path / "items.json"
    as_json.write_text(json.dumps(found))
    assert "0 created, 0 updated, 2 unchanged, 0 refused" in ok(cli("items", "import", str(as_json)))
    # Export to standard output takes the same columns.
    assert next(csv.reader(io.StringIO(ok(cli("items", "export"))))) == next(csv.reader(exported.open()))


def test_post_from_flags_and_from_a_csv_file_posts_each_document_once(cli: Cli, system: System, tmp_path: Path) -> None:
    item = system.create_item()["item_no"]
    flags = ("post", "--item", item, "--type", "Purchase", "--qty", "10", "--unit-cost", "5", "--date", "2026-01-05",
             "--location", "MAIN", "--document", unique("R"))
    assert "posted" in ok(cli(*flags))
    assert "already posted" in ok(cli(*flags))
    assert system.quantity_on_hand(item) == 10

    journal = tmp_path / "journal.csv"
    sale, too_much, receipt = unique("S"), unique("S"), unique("R")
    journal.write_text(
        "document_no,item_no,entry_type,quantity,unit_cost,posting_date,location_code\n"
        f"{sale},{item},Sale,4,,2026-01-06,MAIN\n"
        f"{too_much},{item},Sale,500,,2026-01-06,MAIN\n"
        f"{receipt},{item},Purchase,1,6,2026-01-07,MAIN\n"
        f"{receipt},{item},Purchase,2,6,2026-01-07,MAIN\n"
    )
    done = cli("post", str(journal))
    assert done.exit_code == 1, done.output
    assert "2 of 3 documents posted, 1 refused" in done.stdout
    refusal = next(line for line in done.stdout.splitlines() if too_much in line)
    assert "refused" in refusal and "409" in refusal  # the API's problem details
    assert system.quantity_on_hand(item) == 10 - 4 + 3
    again = cli("post", str(journal))
    assert again.stdout.count("already posted") == 2 and again.exit_code == 1
    assert system.quantity_on_hand(item) == 9
    assert "give a CSV file" in cli("post", "--item", item).stderr


def test_availability_valuation_trial_balance_and_reconciliation(cli: Cli, system: System) -> None:
    item = system.create_item()["item_no"]
    assert system.post(unique("R"), [{"item_no": item, "entry_type": "Purchase", "quantity": "3", "unit_cost": "2.50",
                                      "posting_date": "2026-02-03", "location_code": "MAIN"}]).status_code == 201
    system.wait_quiet()

    shown = ok(cli("availability", item, "--from", "2026-01-01", "--to", "2026-03-31"))
    assert f"item {item} on hand: 3" in shown
    assert "2026-02-01..2026-02-28" in shown and "2026-03-01..2026-03-31" in shown
    assert "404" in cli("availability", unique("NOPE")).stderr

    (valued,) = csv.DictReader(io.StringIO(ok(cli("valuation", "--item", item, "--csv"))))
    assert (valued["item_no"], valued["location_code"], Decimal(valued["quantity"]), Decimal(valued["value"])) == (
        item, "MAIN", 3, Decimal("7.50"))
    assert item in ok(cli("valuation", "--at", "2026-02-03"))
    assert item not in ok(cli("valuation", "--at", "2026-02-02"))

    balance = ok(cli("trial-balance"))
    assert "debits equal credits" in balance and "total" in balance

    system.assert_books_balance_and_reconcile()
    shown = cli("reconciliation", "--settle-seconds", "0")
    books = system.http.get(system.url("ledger", "/reconciliation")).json()
    quantities = system.http.get(system.url("costing", "/quantity-reconciliation"), params={"settle_seconds": 0}).json()
    assert "inventory value and G/L accounts" in shown.stdout
    for line in books["lines"]:
        assert line["account_no"] in shown.stdout
    assert shown.exit_code == (1 if quantities["differences"] or any(Decimal(l["difference"]) for l in books["lines"]) else 0)
    assert "ok" in shown.stdout


def test_a_record_two_groups_dead_lettered_is_replayed_once_and_purged(cli: Cli, system: System) -> None:
    topic, dead_letters = "catalog.items.v1", "catalog.items.v1.dlq"
    groups = consumers_of(topic)
    assert len(groups) >= 2
    marker = unique("POISON")
    system.publish(topic, [(marker.encode(), b"\xffnot an event")])

    def letters() -> list[Any]:
        return [r for r in system.dead_letters(dead_letters) if r.key == marker.encode()]

    wait_until(lambda: len(letters()) == len(groups), what="a dead letter from each consumer group")
    listed = ok(cli("dead-letters", "list", "--topic", dead_letters))
    assert listed.count(marker) == len(groups) and "MalformedEventError" in listed

    assert "more dead letters of the same records" in ok(cli("dead-letters", "replay", "--topic", dead_letters))
    assert len(system.records(topic, key=marker)) == 2, "the poisoned record went back once"
    # Refused again by both groups: dead-lettered at its new place, for a later replay.
    wait_until(lambda: len(letters()) == 2 * len(groups), what="the replayed copy dead-lettered again")
    ok(cli("dead-letters", "replay", "--topic", dead_letters))
    assert len(system.records(topic, key=marker)) == 3, "the second copy went back once too"
    wait_until(lambda: len(letters()) == 3 * len(groups), what="the second copy dead-lettered again")

    refused = cli("dead-letters", "purge", "--topic", dead_letters, input="n\n")
    assert refused.exit_code == 1 and "nothing purged" in refused.stderr
    assert len(letters()) == 3 * len(groups)
    purged = ok(cli("dead-letters", "purge", "--topic", dead_letters, "--yes"))
    assert "purged" in purged
    assert system.dead_letter_counts()[dead_letters] == 0 and letters() == []
    assert "0 dead letters" in ok(cli("dead-letters", "list", "--topic", dead_letters))
    assert "no dead letters to purge" in ok(cli("dead-letters", "purge", "--topic", dead_letters))


def test_token_scopes_and_refusals_are_one_line_messages(cli: Cli, system: System, stack_file: Path, tmp_path: Path) -> None:
    read_only = ok(cli("token", "--scope", "catalog:read")).strip()
    assert "1 items" in ok(cli("items", "list", "--limit", "1", INVENTORY_TOKEN=read_only))
    path = tmp_path / "one.csv"
    path.write_text(f"item_no,description\n{unique('T')},x\n")
    refused = cli("items", "import", str(path), INVENTORY_TOKEN=read_only)
    assert refused.exit_code == 1 and "lacks a scope" in refused.stderr and "catalog:write" in refused.stderr

    expired = system.stack.issuer.token(ttl=-120)
    refused = cli("items", "list", INVENTORY_TOKEN=expired)
    assert refused.exit_code == 1 and "refused the token" in refused.stderr and "INVENTORY_TOKEN" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) <= 2

    no_issuer = tmp_path / "remote.json"
    no_issuer.write_text(json.dumps({**json.loads(stack_file.read_text()), "auth_dir": None}))
    missing = cli("items", "list", INVENTORY_STACK=str(no_issuer))
    assert missing.exit_code == 1 and "no access token" in missing.stderr
    assert "unknown scope" in cli("token", "--scope", "nope").stderr


def test_a_stack_that_is_down_or_a_wrong_address_is_a_message_not_a_traceback(cli: Cli, system: System, tmp_path: Path) -> None:
    closed = f"http://127.0.0.1:{free_port()}"
    done = subprocess.run([sys.executable, "-m", "inventory_cli", "items", "list"], capture_output=True, text=True,
                          timeout=60, env={"PATH": "/usr/bin:/bin", "INVENTORY_STACK": str(tmp_path / "none.json"),
                                           "INVENTORY_CATALOG_URL": closed, "INVENTORY_TOKEN": system.token})
    assert done.returncode == 1
    assert "cannot reach the catalog API" in done.stderr and "is the stack up" in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) <= 2

    nowhere = cli("valuation", INVENTORY_STACK=str(tmp_path / "none.json"))
    assert nowhere.exit_code == 1 and "no address for the costing API" in nowhere.stderr and "make up" in nowhere.stderr
    wrong = cli("items", "list", INVENTORY_CATALOG_URL=system.stack.url("ledger"))
    assert wrong.exit_code == 1 and "catalog" in wrong.stderr and "404" in wrong.stderr
    kafka_down = cli("dead-letters", "list", KAFKA_BOOTSTRAP_SERVERS=f"127.0.0.1:{free_port()}")
    assert kafka_down.exit_code == 1 and "Kafka" in kafka_down.stderr


def test_devstack_status_reads_stack_json_and_probes_each_service(system: System, tmp_path: Path) -> None:
    runner = CliRunner()
    assert "no stack is up" in runner.invoke(devstack_cli.app, ["status", "--state-dir", str(tmp_path)],
                                             env={"COLUMNS": "200"}).output
    path = devstack_cli.write_stack_file(system.stack)
    try:
        assert set(json.loads(path.read_text())) == {"services", "console", "webhooks", "auth_dir", "kafka"}
        (tmp_path / "stack.json").write_text(path.read_text())
    finally:
        path.unlink()
    done = runner.invoke(devstack_cli.app, ["status", "--state-dir", str(tmp_path)], env={"COLUMNS": "200"})
    assert done.exit_code == 0, done.output
    assert done.output.count("│ ready") == 4
    broken = json.loads((tmp_path / "stack.json").read_text())
    broken["services"]["ledger"] = f"http://127.0.0.1:{free_port()}"
    (tmp_path / "stack.json").write_text(json.dumps(broken))
    done = runner.invoke(devstack_cli.app, ["status", "--state-dir", str(tmp_path)], env={"COLUMNS": "200"})
    assert done.exit_code == 1 and "down" in done.output
