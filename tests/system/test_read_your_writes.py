"""A client that creates an item and posts it at once is not refused because the catalog's event is still on its way."""

import os
import re
import subprocess
from decimal import Decimal
from pathlib import Path

from support import System, unique, wait_until

REPO = Path(__file__).resolve().parents[2]


def readme_block() -> str:
    """The shell block of README.md's "Using it"."""
    section = REPO.joinpath("README.md").read_text().split("## Using it", 1)[1]
    match = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert match, "README.md's 'Using it' has no sh block"
    return match.group(1)


def test_readme_example_block_pasted_in_one_go(system: System) -> None:
    """Run as written, every command of the block succeeds: each curl fails on an HTTP error here."""
    item_no = unique("RM")
    block = readme_block()
    assert '"2000"' in block and "export TOKEN=$(.venv/bin/devstack token)" in block
    block = block.replace("2000", item_no).replace("-H 'Idempotency-Key: ", f"-H 'Idempotency-Key: {item_no}-")
    for service in ("catalog", "warehouse", "costing", "ledger"):
        port = {"catalog": 8001, "warehouse": 8002, "costing": 8003, "ledger": 8004}[service]
        block = block.replace(f"localhost:{port}", system.stack.url(service).removeprefix("http://"))
    state = system.stack.state_dir
    block = block.replace(".venv/bin/devstack token", f"{REPO}/.venv/bin/devstack token --state-dir {state}")
    script = "set -euo pipefail\ncurl() { command curl -sS --fail-with-body \"$@\"; echo; }\n" + block
    run = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PATH": os.environ["PATH"]})
    assert run.returncode == 0, f"the block failed ({run.returncode}):\n{run.stdout}\n{run.stderr}"

    valuation = wait_until(
        lambda: (v := system.http.get(system.url("costing", "/inventory-valuation"), params={"item_no": item_no}).json())
        and Decimal(v["cost_amount_actual"]) == Decimal("30.00") and v,
        60, "the README's valuation",
    )
    assert Decimal(valuation["quantity"]) == 5


def test_postings_right_after_the_items_are_created(system: System) -> None:
    """Each item is posted the moment the catalog answers 201; none is refused as unknown."""
    for _ in range(10):
        item_no = unique("RY")
        created = system.http.post(system.url("catalog", "/items"), json={
            "item_no": item_no, "description": "New", "base_unit_of_measure": "PCS",
            "inventory_posting_group": "RESALE", "gen_prod_posting_group": "RETAIL"})
        assert created.status_code == 201, created.text
        posted = system.post(unique("RYD"), [{"item_no": item_no, "entry_type": "Purchase", "quantity": "2",
                                              "unit_cost": "3.00", "posting_date": "2026-02-01", "location_code": "MAIN"}])
        assert posted.status_code == 201, posted.text


def test_an_item_the_catalog_does_not_have_is_still_refused(system: System) -> None:
    posted = system.post(unique("RYX"), [{"item_no": unique("NOPE"), "entry_type": "Purchase", "quantity": "1",
                                          "unit_cost": "1.00", "posting_date": "2026-02-01", "location_code": "MAIN"}])
    assert posted.status_code == 422, posted.text
    assert posted.json()["type"] == "/problems/unknown-item"


def test_a_blocked_new_item_is_refused_for_being_blocked(system: System) -> None:
    """The card taken from the catalog is the whole card: a blocked item is refused as blocked, not as unknown."""
    item_no = unique("RYB")
    created = system.http.post(system.url("catalog", "/items"), json={
        "item_no": item_no, "description": "Blocked", "base_unit_of_measure": "PCS", "blocked": True,
        "inventory_posting_group": "RESALE", "gen_prod_posting_group": "RETAIL"})
    assert created.status_code == 201, created.text
    posted = system.post(unique("RYBD"), [{"item_no": item_no, "entry_type": "Purchase", "quantity": "1",
                                           "unit_cost": "1.00", "posting_date": "2026-02-01", "location_code": "MAIN"}])
    assert posted.status_code == 422, posted.text
    assert posted.json()["type"] == "/problems/item-blocked"


def test_a_standard_item_posted_at_once_is_valued_at_its_standard_cost(system: System) -> None:
    """Costing may see the entry before the card: it waits for the card, so the receipt is valued at standard cost
    with its variance, never at the purchase cost alone."""
    items = []
    for _ in range(8):
        item_no = unique("RYS")
        created = system.http.post(system.url("catalog", "/items"), json={
            "item_no": item_no, "description": "Standard", "base_unit_of_measure": "PCS", "costing_method": "Standard",
            "standard_cost": "100.00", "inventory_posting_group": "RESALE", "gen_prod_posting_group": "RETAIL"})
        assert created.status_code == 201, created.text
        posted = system.post(unique("RYSD"), [{"item_no": item_no, "entry_type": "Purchase", "quantity": "1",
                                               "unit_cost": "90.00", "posting_date": "2026-02-01", "location_code": "MAIN"}])
        assert posted.status_code == 201, posted.text
        items.append(item_no)
    system.wait_quiet()
    for item_no in items:
        assert [(v["entry_type"], Decimal(v["cost_amount_actual"])) for v in system.value_entries(item_no)] == [
            ("Direct Cost", Decimal("90.00")), ("Variance", Decimal("10.00"))], item_no
